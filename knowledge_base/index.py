"""Building the served index: FAISS vectors + an SQLite database with FTS5.

Each build goes into its own folder; `current` is a symlink switched
atomically once a build is complete, so a failed or half-written build never
replaces the index in service, and a running bot can reload without a gap.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import faiss
import numpy as np
import sqlite_utils

from knowledge_base.embedder import Embedder
from knowledge_base.entries import Entry, Source

MANIFEST = "manifest.json"
VECTORS = "vectors.faiss"
CLASSIFIER = "classifier.npz"
CHAR_CLASSIFIER = "char_classifier.npz"
# The e5 classifier's inverse regularisation (`train_classifier`). 50 with the
# base encoder; with the encoder tuned on the entries (knowledge_base/tuning.py),
# whose phrasings of one entry lie close together, 10: on the development sets
# at the rule's threshold new entries 0.783/0.826/0.826 -> 0.826/0.826/0.826,
# the others within a question (3 and 50 tried; docs/quality.md, "the encoder
# fine-tuned on the entries").
CLASSIFIER_C = 10.0
# The character n-gram classifier (`train_char_classifier`): TF-IDF of the
# n-grams inside word boundaries, sublinear term frequency, logistic regression
# with this C. Chosen on the development sets and the entries' phrasings held
# out in folds (docs/quality.md, "a character n-gram classifier beside the e5
# one").
CHAR_NGRAMS = (2, 5)
CHAR_C = 10.0
# Above this many entries the classifier's training time grows past what an
# admin should wait for; search then relies on the other two rankers.
CLASSIFIER_MAX_ENTRIES = 2000
# The classifier's label for questions that no entry answers.
OUT_OF_SCOPE = "__out_of_scope__"
DATABASE = "kb.db"
KEEP_BUILDS = 3
# Raised when a build of the same entries would differ: an index of another
# format is rebuilt (`index_is_current`). 2: questions and phrasings prepared
# as queries are (`build_index`'s `prepare`); 3: passages.written kept;
# 4: the character n-gram classifier; 5: the e5 classifier's C 10 and the
# manifest's encoder_path / encoder_source (the encoder tuned on the entries).
INDEX_FORMAT = 5


@dataclass(frozen=True)
class Passage:
    """One searchable text of an entry: `text` as searched (prepared, see
    `build_index`), `written` as the entry has it ("" when the same)."""

    entry_id: str
    lang: str
    kind: str  # question | phrasing | answer
    text: str
    written: str = ""


def iter_passages(
    entries: list[Entry], prepare: Callable[[str], str] | None = None
) -> Iterator[Passage]:
    """Each entry's question, phrasings and answer per language, in that order.

    `prepare` (text -> text) is applied to questions and phrasings, never to
    answers: see `build_index`.
    """
    prepare = prepare or _unchanged

    def passage(entry_id: str, lang: str, kind: str, written: str) -> Passage:
        text = prepare(written)
        return Passage(entry_id, lang, kind, text, "" if text == written else written)

    for entry in entries:
        for lang, text in entry.texts.items():
            yield passage(entry.id, lang, "question", text.question)
            for phrasing in text.phrasings:
                yield passage(entry.id, lang, "phrasing", phrasing)
            yield Passage(entry.id, lang, "answer", text.answer)


def _unchanged(text: str) -> str:
    return text


def encode_passages(
    passages: list[Passage], embedder: Embedder, progress: Callable | None = None
) -> np.ndarray:
    """Questions are embedded as queries (a question matched to a question is a
    symmetric task for e5); answers as passages."""
    vectors = np.zeros((len(passages), embedder.dimension), dtype=np.float32)
    batch = 64
    for start in range(0, len(passages), batch):
        chunk = passages[start : start + batch]
        questions = [i for i, p in enumerate(chunk) if p.kind != "answer"]
        answers = [i for i, p in enumerate(chunk) if p.kind == "answer"]
        if questions:
            vectors[[start + i for i in questions]] = embedder.encode_queries(
                [chunk[i].text for i in questions]
            )
        if answers:
            vectors[[start + i for i in answers]] = embedder.encode_passages(
                [chunk[i].text for i in answers]
            )
        if progress:
            progress(len(chunk))
    return vectors


def build_index(
    entries: list[Entry],
    embedder: Embedder,
    index_root: Path,
    fingerprint: str,
    progress: Callable | None = None,
    out_of_scope: list[str] | None = None,
    prepare: Callable[[str], str] | None = None,
    encoder_source: dict | None = None,
) -> Path:
    """Build into a new folder, then make it current. Returns the new folder.

    The manifest records the encoder's identity (`model`), the folder it was
    loaded from (`encoder_path`), so that the index is searched with the
    encoder that built it, and `encoder_source` as given (the caller's record
    of how that encoder was chosen, e.g. the base model and its tuning).

    `out_of_scope` questions teach the classifier what no entry answers;
    they are not searchable passages. `prepare` turns a question as written
    into the text the searcher sees, the same step the queries get (for the bot:
    nlu's understanding, which writes Latin-typed Georgian in Mkhedruli); it is
    applied to the entries' questions and phrasings and to `out_of_scope`. An
    entry's "rogor vimushao polonetshi" is then indexed as the query
    "როგორ ვიმუშაო პოლონეთში" will be searched (docs/quality.md).
    """
    prepare = prepare or _unchanged
    passages = list(iter_passages(entries, prepare))
    vectors = encode_passages(passages, embedder, progress)
    negative_texts = [prepare(q) for q in out_of_scope or []]
    negatives = embedder.encode_queries(negative_texts) if negative_texts else None
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    builds = index_root / "builds"
    build_dir = builds / stamp
    partial = builds / f".{stamp}.partial"
    partial.mkdir(parents=True)
    try:
        index = faiss.IndexFlatIP(vectors.shape[1])
        index.add(vectors)
        faiss.write_index(index, str(partial / VECTORS))
        if len(entries) <= CLASSIFIER_MAX_ENTRIES:
            save_classifier(partial / CLASSIFIER, passages, vectors, negatives)
            np.savez(partial / CHAR_CLASSIFIER, **train_char_classifier(passages, negative_texts))
        write_database(partial / DATABASE, entries, passages)
        manifest = {
            "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "model": embedder.model_name,
            "encoder_path": embedder.model_path,
            "encoder_source": encoder_source,
            "dimension": embedder.dimension,
            "entries": len(entries),
            "passages": len(passages),
            "fingerprint": fingerprint,
            "format": INDEX_FORMAT,
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        partial.rename(build_dir)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    make_current(index_root, build_dir)
    prune_builds(builds, keep=KEEP_BUILDS)
    return build_dir


def save_classifier(
    path: Path, passages: list[Passage], vectors: np.ndarray, negatives: np.ndarray | None
) -> None:
    """Train the entry classifier (`train_classifier`) and save it as an .npz file."""
    np.savez(path, **train_classifier(passages, vectors, negatives))


def train_classifier(
    passages: list[Passage], vectors: np.ndarray, negatives: np.ndarray | None
) -> dict[str, np.ndarray]:
    """A linear classifier from question embeddings to entries.

    Nearest-neighbour matching leans on the single closest phrasing; the
    classifier learns which directions of the embedding space separate the
    entries, and on the development set it ranks the right entry first
    more often in Georgian (docs/quality.md).

    Args:
        passages: the index's passages; questions and phrasings are the examples.
        vectors: (len(passages), dimension) float32, the passages' embeddings.
        negatives: (n, dimension) embeddings of questions no entry answers,
            labelled OUT_OF_SCOPE; None or empty: no such class.

    Returns:
        {"coef": (classes, dimension) float32, "intercept": (classes,) float32,
        "classes": (classes,) str}, as `KnowledgeBase` reads it.
    """
    from sklearn.linear_model import LogisticRegression

    rows = [i for i, p in enumerate(passages) if p.kind != "answer"]
    features = vectors[rows]
    labels = [passages[i].entry_id for i in rows]
    if negatives is not None and len(negatives):
        features = np.vstack([features, negatives])
        labels += [OUT_OF_SCOPE] * len(negatives)
    model = LogisticRegression(C=CLASSIFIER_C, max_iter=3000).fit(features, labels)
    return {
        "coef": model.coef_.astype(np.float32),
        "intercept": model.intercept_.astype(np.float32),
        "classes": np.array(model.classes_),
    }


def train_char_classifier(passages: list[Passage], negatives: list[str]) -> dict[str, np.ndarray]:
    """A linear classifier from the character n-grams of a question to entries.

    The e5 classifier (`train_classifier`) sees a Georgian question through an
    encoder trained mostly on other languages; n-grams inside word boundaries
    ("პოლონეთ", "ეთში") see the stems and case endings themselves. On the
    entries' phrasings held out in folds it ranks the right entry first more
    often in Georgian script than the e5 classifier does, and a weighted mean of
    the two (`KnowledgeBase.class_probabilities`) more often than either in both
    Georgian scripts (docs/quality.md, "a character n-gram classifier beside the
    e5 one").

    Args:
        passages: the index's passages; questions and phrasings (`text`, as
            searched) are the examples.
        negatives: questions no entry answers, as searched, labelled OUT_OF_SCOPE.

    Returns:
        {"vocabulary": (features,) str, "idf": (features,) float32,
        "coef": (classes, features) float32, "intercept": (classes,) float32,
        "classes": (classes,) str}, as `char_vectorizer` and `KnowledgeBase` read it.
    """
    from sklearn.linear_model import LogisticRegression

    examples = [p for p in passages if p.kind != "answer"]
    texts = [p.text for p in examples] + list(negatives)
    labels = [p.entry_id for p in examples] + [OUT_OF_SCOPE] * len(negatives)
    vectorizer = char_vectorizer()
    model = LogisticRegression(C=CHAR_C, max_iter=3000).fit(vectorizer.fit_transform(texts), labels)
    vocabulary = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
    return {
        "vocabulary": np.array(vocabulary),
        "idf": vectorizer.idf_.astype(np.float32),
        "coef": model.coef_.astype(np.float32),
        "intercept": model.intercept_.astype(np.float32),
        "classes": np.array(model.classes_),
    }


def char_vectorizer(vocabulary: list[str] | None = None, idf: np.ndarray | None = None):
    """The TF-IDF vectorizer of the character n-gram classifier (scikit-learn's
    `TfidfVectorizer`, n-grams of CHAR_NGRAMS characters inside word boundaries);
    with `vocabulary` and `idf` from `train_char_classifier`, ready to transform."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(
        analyzer="char_wb", ngram_range=CHAR_NGRAMS, sublinear_tf=True, vocabulary=vocabulary
    )
    if idf is not None:
        vectorizer.idf_ = idf
    return vectorizer


def write_database(path: Path, entries: list[Entry], passages: list[Passage]) -> None:
    db = sqlite_utils.Database(path)
    db["entries"].insert_all(
        (entry_row(entry) for entry in entries), pk="id", not_null={"id", "category"}
    )
    db["passages"].insert_all(({"id": i, **asdict(p)} for i, p in enumerate(passages)), pk="id")
    # Trigram matching copes with Georgian inflection (პოლონეთში ~ პოლონეთი)
    # and with typos, where a word tokenizer would miss.
    db["passages"].enable_fts(["text"], tokenize="trigram")
    db.conn.close()


def entry_row(entry: Entry) -> dict:
    """The entry as a row of kb.db's `entries` table (also what `kb diff` compares)."""
    row = {
        "id": entry.id,
        "category": entry.category,
        "urgent": int(entry.urgent),
        "reviewed": entry.reviewed.isoformat(),
        "review_by": entry.review_by.isoformat(),
        "time_sensitive": int(entry.time_sensitive),
        "countries": json.dumps(list(entry.countries)),
        "sources": json.dumps([_source_row(s) for s in entry.sources], ensure_ascii=False),
        "related": json.dumps(list(entry.related)),
    }
    for lang, text in entry.texts.items():
        row[f"{lang}_question"] = text.question
        row[f"{lang}_answer"] = text.answer
        row[f"{lang}_phrasings"] = json.dumps(list(text.phrasings), ensure_ascii=False)
    return row


def _source_row(source: Source) -> dict:
    # title_ka only where a source has one, so that sources without it read
    # the same as in indexes built before the field existed; the reviewer's
    # note stays with the entry files (the bot never shows it).
    row = asdict(source)
    del row["note"]
    if not row["title_ka"]:
        del row["title_ka"]
    return row


def make_current(index_root: Path, build_dir: Path) -> None:
    """Point `current` at build_dir in one atomic rename."""
    link = index_root / "current"
    temporary = index_root / f".current.{os.getpid()}"
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    temporary.symlink_to(build_dir.relative_to(index_root))
    os.replace(temporary, link)


def current_build(index_root: Path) -> Path | None:
    link = index_root / "current"
    return link.resolve() if (link / MANIFEST).exists() else None


def read_manifest(build_dir: Path) -> dict:
    return json.loads((build_dir / MANIFEST).read_text(encoding="utf-8"))


def prune_builds(builds: Path, keep: int) -> None:
    """Old builds go, but the newest few stay for a bot still reading them."""
    finished = sorted(p for p in builds.iterdir() if not p.name.startswith("."))
    for old in finished[:-keep]:
        shutil.rmtree(old, ignore_errors=True)


def question_means(index_dir: Path, encoder: str) -> dict[str, np.ndarray] | None:
    """Mean question vector per language of the served index, if `encoder` built it
    (an `Embedder.model_name`: the model and the backend): {lang: (dimension,) float32}."""
    import faiss
    import sqlite_utils

    build = current_build(index_dir)
    if build is None or read_manifest(build).get("model") != encoder:
        return None
    index = faiss.read_index(str(build / VECTORS))
    vectors = index.reconstruct_n(0, index.ntotal)
    db = sqlite_utils.Database(build / DATABASE)
    try:
        rows = list(db.query("select id, lang from passages where kind != 'answer'"))
    finally:
        db.close()
    means = {}
    for lang in {row["lang"] for row in rows}:
        ids = [row["id"] for row in rows if row["lang"] == lang]
        means[lang] = vectors[ids].mean(axis=0)
    return means
