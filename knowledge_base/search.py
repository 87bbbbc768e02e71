"""Serving the index: dense (FAISS) and lexical (FTS5 trigram) search, fused.

One obvious entry point: `KnowledgeBase.open(index_root, embedder)` then
`.search(text)`. The text is expected already normalised by nlu (NFC,
Georgian in Mkhedruli).
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

from knowledge_base.embedder import Embedder
from knowledge_base.index import (
    CHAR_CLASSIFIER,
    CLASSIFIER,
    DATABASE,
    OUT_OF_SCOPE,
    VECTORS,
    char_vectorizer,
    current_build,
    read_manifest,
)

DENSE_CANDIDATES = 64
LEXICAL_CANDIDATES = 50
WORD = re.compile(r"\w{3,}")
# Coverage (KnowledgeBase.coverage): a word's stem is its first STEM_CHARS letters
# (for longer words, most Georgian case endings and English plurals fall away);
# stems found in more than COMMON_SHARE of the entries, or in none, tell nothing
# about which entry answers.
STEM_CHARS = 5
COMMON_SHARE = 0.25
# The character n-gram classifier's share of the class probabilities
# (`KnowledgeBase.class_probabilities`): on the entries' phrasings held out in
# folds it helps Georgian (Mkhedruli, which Latin-typed Georgian is by the time
# it is searched) up to an equal share and costs English above a fifth
# (docs/quality.md, "a character n-gram classifier beside the e5 one").
CHAR_SHARE_GEORGIAN = 0.5
CHAR_SHARE_OTHER = 0.2
GEORGIAN_LETTER = re.compile(r"[\u10d0-\u10ff]")
LATIN_TERM = re.compile(r"\b[^\W\d_\u10a0-\u10ff\u0400-\u04ff]{3,}\b")


@dataclass(frozen=True)
class Hit:
    entry_id: str
    score: float  # confidence that this entry answers the question, 0..1
    fused: float  # weighted reciprocal-rank-fusion score that orders the hits (Fusion)
    similarity: float  # cosine similarity of the entry's closest passage
    probability: float  # the classifiers' probability for the entry (class_probabilities)
    dense_rank: int | None
    lexical_rank: int | None
    class_rank: int | None
    urgent: bool = False  # the entry is a danger topic
    countries: tuple[str, ...] = ()  # ISO codes the entry is specifically about; () = any
    out_of_scope: float = 0.0  # the classifiers' probability that no entry answers
    coverage: float = 1.0  # share of the question's informative words in the entry's texts


@dataclass(frozen=True)
class EntryView:
    id: str
    category: str
    urgent: bool
    reviewed: str
    sources: list[dict]
    related: list[str]
    question: dict[str, str]
    answer: dict[str, str]
    countries: tuple[str, ...] = ()  # ISO 3166-1 alpha-2 codes; () = not country-specific


class IndexMissing(RuntimeError):
    pass


@dataclass(frozen=True)
class Fusion:
    """Weighted reciprocal rank fusion of the three rankers.

    An entry's fused score is the sum, over the rankers that rank it, of
    weight / (k + rank) (Cormack, Clarke and Buettcher, SIGIR 2009, with a weight
    per ranker). The classifier counts most: it ranks the right entry first more
    often than the nearest passage or BM25 do, on the development set and on the
    entries' own phrasings held out in turn; k and the weights were chosen there
    (docs/quality.md, "ranking and calibration").
    """

    k: float = 10.0
    dense: float = 0.5
    classifier: float = 2.0
    lexical: float = 1.0

    def score(self, ranks: tuple[int | None, int | None, int | None]) -> float:
        """The fused score of (dense, classifier, lexical) ranks, 1-based; None: not ranked."""
        weights = (self.dense, self.classifier, self.lexical)
        return sum(w / (self.k + r) for w, r in zip(weights, ranks, strict=True) if r is not None)


@dataclass(frozen=True)
class Calibration:
    """A logistic model from a hit's evidence to P(this entry answers the question).

    Features, in order: logit of the classifiers' probability for the entry
    (`KnowledgeBase.class_probabilities`), logit of their out-of-scope
    probability, 1/0 for the entry being first by the dense, the classifier and
    the lexical ranking, and the entry's coverage of the question's words
    (`KnowledgeBase.coverage`, 0..1). Fitted by
    `bench/calibrate.py` on the tuning sets and the negatives of
    out_of_scope.yml / near_misses.yml held out in folds (docs/quality.md,
    issue 12); a score of 0.9 then means right about nine times in ten there.
    """

    coef: tuple[float, float, float, float, float, float]
    intercept: float

    @classmethod
    def load(cls, path: Path) -> Calibration | None:
        """The calibration in a JSON file {"coef": [6 floats], "intercept"}, None if absent.

        Raises:
            ValueError: the file has another number of coefficients (an older
                calibration: re-run bench/calibrate.py).
        """
        if not path.exists():
            return None
        raw = json.loads(path.read_text(encoding="utf-8"))
        coef = tuple(float(c) for c in raw["coef"])
        if len(coef) != 6:
            raise ValueError(f"{path}: {len(coef)} coefficients, not 6: run bench/calibrate.py")
        return cls(coef, float(raw["intercept"]))  # type: ignore[arg-type]

    @staticmethod
    def features(
        probability: float, out_of_scope: float, ranks: tuple, coverage: float
    ) -> list[float]:
        """The evidence vector (6 floats) of a hit, in the order of `coef`."""
        return [
            _logit(probability),
            _logit(out_of_scope),
            *(1.0 if rank == 1 else 0.0 for rank in ranks),
            coverage,
        ]

    def score(
        self, probability: float, out_of_scope: float, ranks: tuple, coverage: float
    ) -> float:
        """P(right) in 0..1 for a hit with these classifier outputs, (dense,
        class, lexical) ranks (None: not ranked) and coverage."""
        features = self.features(probability, out_of_scope, ranks, coverage)
        z = self.intercept + sum(c * f for c, f in zip(self.coef, features, strict=True))
        return float(1.0 / (1.0 + np.exp(-z)))


class CharClassifier:
    """The character n-gram classifier of an index (`train_char_classifier`):
    a fitted TF-IDF `vectorizer` (`char_vectorizer`), `coef` (classes, n-grams)
    float32, `intercept` (classes,) float32 and the `classes` (entry ids and
    OUT_OF_SCOPE) in that order."""

    def __init__(self, vectorizer, coef: np.ndarray, intercept: np.ndarray, classes: list[str]):
        self.vectorizer = vectorizer
        self.coef = coef
        self.intercept = intercept
        self.classes = classes

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> CharClassifier:
        """From the arrays `train_char_classifier` returns (and the index saves)."""
        vectorizer = char_vectorizer(arrays["vocabulary"].tolist(), arrays["idf"])
        return cls(vectorizer, arrays["coef"], arrays["intercept"], arrays["classes"].tolist())

    def probabilities(self, text: str) -> dict[str, float]:
        """{class: probability} for a question as searched (OUT_OF_SCOPE included)."""
        features = self.vectorizer.transform([text])  # (1, n-grams), sparse
        # Only the question's few n-grams: a dense product over all of them
        # costs about fifty times as much.
        logits = self.coef[:, features.indices] @ features.data + self.intercept
        return dict(zip(self.classes, _softmax(logits).tolist(), strict=True))


class KnowledgeBase:
    def __init__(
        self,
        build_dir: Path,
        embedder: Embedder,
        fusion: Fusion | None = None,
        calibration: Calibration | None = None,
    ):
        self.build_dir = build_dir
        self.manifest = read_manifest(build_dir)
        if self.manifest["model"] != embedder.model_name:
            raise IndexMissing(
                f"the index was built with {self.manifest['model']}, not {embedder.model_name}: "
                "run `migbot kb build`"
            )
        self.embedder = embedder
        self.fusion = fusion or Fusion()
        self.calibration = calibration
        self.vectors = faiss.read_index(str(build_dir / VECTORS))
        self.classifier = _load_classifier(build_dir / CLASSIFIER)
        self.char_classifier = _load_char_classifier(build_dir / CHAR_CLASSIFIER)
        # Read into memory: the build folder may be pruned after a reload.
        self.db = sqlite3.connect(":memory:", check_same_thread=False)
        with sqlite3.connect(build_dir / DATABASE) as disk:
            disk.backup(self.db)
        self.db.row_factory = sqlite3.Row
        self._lock = threading.Lock()
        self.passage_entry = [
            row["entry_id"] for row in self.db.execute("select entry_id from passages order by id")
        ]
        self.entries = {
            row["id"]: _entry_view(row) for row in self.db.execute("select * from entries")
        }
        self._stems = _entry_stems(self.db)
        self._countries = frozenset(c for entry in self.entries.values() for c in entry.countries)

    @classmethod
    def open(
        cls,
        index_root: Path,
        embedder: Embedder,
        fusion: Fusion | None = None,
        calibration: Calibration | None = None,
    ) -> KnowledgeBase:
        """The current build under `index_root`.

        Raises:
            IndexMissing: no build there, or one made with another encoder.
        """
        build = current_build(index_root)
        if build is None:
            raise IndexMissing(f"no index in {index_root}: run `migbot kb build`")
        return cls(build, embedder, fusion, calibration)

    def search(self, text: str, top_k: int = 3) -> list[Hit]:
        return self.search_many([text], top_k)[0]

    def search_many(self, texts: list[str], top_k: int = 3) -> list[list[Hit]]:
        """Search several questions with one call of the encoder: under load
        the bot batches waiting questions, and a batch of 16 costs little more
        than one."""
        if not texts:
            return []
        queries = self.embedder.encode_queries(texts)
        return [
            self._hits(text, query[None, :], top_k)
            for text, query in zip(texts, queries, strict=True)
        ]

    def _hits(self, text: str, query: np.ndarray, top_k: int) -> list[Hit]:
        """Three rankers fused by weighted reciprocal rank (`Fusion`): nearest
        passage (dense), the entry classifiers (`class_probabilities`), and BM25 over
        trigrams (lexical)."""
        dense = self.dense_scores(query)
        probabilities = self.class_probabilities(query, text)
        out_of_scope = probabilities.pop(OUT_OF_SCOPE, 0.0)
        lexical = self.lexical_ranks(text)
        dense_rank = _ranks(dense)
        class_rank = _ranks(probabilities)
        stems = self._informative_stems(text)
        hits = []
        for entry_id in set(dense) | set(lexical) | set(probabilities):
            ranks = (dense_rank.get(entry_id), class_rank.get(entry_id), lexical.get(entry_id))
            similarity = float(dense.get(entry_id, 0.0))
            probability = float(probabilities.get(entry_id, 0.0))
            coverage = self._coverage(stems, entry_id)
            score = self.confidence(similarity, probability, out_of_scope, ranks, coverage)
            hits.append(
                Hit(
                    entry_id=entry_id,
                    score=round(score, 4),
                    fused=self.fusion.score(ranks),
                    similarity=round(similarity, 4),
                    probability=round(probability, 4),
                    dense_rank=ranks[0],
                    class_rank=ranks[1],
                    lexical_rank=ranks[2],
                    urgent=self.entries[entry_id].urgent,
                    countries=self.entries[entry_id].countries,
                    out_of_scope=round(out_of_scope, 4),
                    coverage=round(coverage, 4),
                )
            )
        hits.sort(key=lambda hit: (hit.fused, hit.score), reverse=True)
        return sorted(hits[:top_k], key=lambda hit: hit.score, reverse=True)

    def confidence(
        self,
        similarity: float,
        probability: float,
        out_of_scope: float,
        ranks: tuple,
        coverage: float = 1.0,
    ) -> float:
        """How sure the bot is that the entry answers (0..1); compared with the
        answer threshold. The calibrated model if there is one, else the
        classifier's probability, else (no classifier) the cosine similarity."""
        if self.classifier is None:
            return similarity
        if self.calibration is None:
            return probability
        return self.calibration.score(probability, out_of_scope, ranks, coverage)

    def coverage(self, text: str, entry_id: str) -> float:
        """Share (0..1) of the question's informative word stems found in the entry's
        questions, phrasings and answers; 1.0 when the question has none.

        A stem is a word's first STEM_CHARS letters. Informative: found in at
        least one entry and in at most COMMON_SHARE of them. Words no entry has
        ("hello", "მადლობა", a Russian question's words) say nothing either way;
        a word other entries have and this one lacks counts against it: in "can
        I buy a car in Germany and bring it home", "buy" and "bring" are in other
        entries but not in germany-skilled-worker (coverage 0). On the
        development set the right first entry covers 0.79 of the informative
        stems on average, the first entry of a near-domain tuning question 0.27
        (docs/quality.md).
        """
        return self._coverage(self._informative_stems(text), entry_id)

    def _informative_stems(self, text: str) -> set[str]:
        return (_stems(text) & self._stems.known) - self._stems.common

    def _coverage(self, stems: set[str], entry_id: str) -> float:
        if not stems:
            return 1.0
        return len(stems & self._stems.per_entry.get(entry_id, set())) / len(stems)

    def class_probabilities(self, query: np.ndarray, text: str = "") -> dict[str, float]:
        """{entry id: probability}, with OUT_OF_SCOPE's: a weighted mean (soft voting)
        of the e5 classifier's probabilities for `query` ((1, dimension) float32)
        and the character n-gram classifier's for `text`, whose share is
        CHAR_SHARE_GEORGIAN if `text` has a Georgian letter, else CHAR_SHARE_OTHER;
        the e5 one alone if the index has no n-gram classifier. {} without an e5
        classifier."""
        if self.classifier is None:
            return {}
        classes = self.classifier["classes"].tolist()
        logits = query @ self.classifier["coef"].T + self.classifier["intercept"]
        probabilities = _softmax(logits[0])
        if self.char_classifier is not None:
            by_class = self.char_classifier.probabilities(text)
            share = CHAR_SHARE_GEORGIAN if GEORGIAN_LETTER.search(text) else CHAR_SHARE_OTHER
            char = np.array([by_class[c] for c in classes])
            probabilities = (1 - share) * probabilities + share * char
        return dict(zip(classes, probabilities.tolist(), strict=True))

    def dense_scores(self, query: np.ndarray) -> dict[str, float]:
        """Best cosine similarity per entry over all its passages."""
        count = min(DENSE_CANDIDATES, self.vectors.ntotal)
        scores, ids = self.vectors.search(query, count)
        best: dict[str, float] = {}
        for score, passage_id in zip(scores[0], ids[0], strict=True):
            if passage_id < 0:
                continue
            entry_id = self.passage_entry[passage_id]
            best[entry_id] = max(best.get(entry_id, -1.0), float(score))
        return best

    def lexical_ranks(self, text: str) -> dict[str, int]:
        """Rank of each entry by its best BM25 passage for the query's words."""
        words = {w.lower() for w in WORD.findall(text)}
        if not words:
            return {}
        query = " OR ".join('"' + w.replace('"', '""') + '"' for w in sorted(words))
        sql = (
            "select passages.entry_id from passages_fts join passages "
            "on passages.rowid = passages_fts.rowid where passages_fts match ? "
            "order by passages_fts.rank limit ?"
        )
        with self._lock:
            rows = self.db.execute(sql, (query, LEXICAL_CANDIDATES)).fetchall()
        ranks: dict[str, int] = {}
        for row in rows:
            ranks.setdefault(row["entry_id"], len(ranks) + 1)
        return ranks

    def entry(self, entry_id: str) -> EntryView:
        return self.entries[entry_id]

    def entries_in(self, category: str) -> list[EntryView]:
        return [e for e in self.entries.values() if e.category == category]

    def countries(self) -> frozenset[str]:
        """ISO 3166-1 alpha-2 codes of the countries some entry is specifically about
        (gathered once, when the index is opened: the router asks per message)."""
        return self._countries

    def latin_terms(self) -> set[str]:
        """Words the Georgian answers write in Latin letters, as written ("ETIAS",
        "Ausbildung", "oświadczenie", "IOM"): names and terms, not Georgian typed
        in Latin letters (answers are in Mkhedruli)."""
        with self._lock:
            rows = self.db.execute(
                "select text from passages where lang = 'ka' and kind = 'answer'"
            ).fetchall()
        return latin_terms(text for (text,) in rows)

    def vocabulary(self) -> set[str]:
        """Every word of the knowledge base as the entries write it, for spelling
        and transliteration (a Latin-typed phrasing's words as typed, not as the
        transliterator converted them: it must not learn its own output)."""
        columns = {row[1] for row in self.db.execute("pragma table_info(passages)")}
        written = "coalesce(nullif(written, ''), text)" if "written" in columns else "text"
        words: set[str] = set()
        with self._lock:
            for (text,) in self.db.execute(f"select {written} from passages"):
                words.update(w.lower() for w in re.findall(r"\w+", text))
        return words


def latin_terms(georgian_texts: Iterable[str]) -> set[str]:
    """The words of at least 3 letters that Georgian texts write in Latin letters, as
    written: names and terms ("ETIAS", "Ausbildung", "oświadczenie")."""
    return {term for text in georgian_texts for term in LATIN_TERM.findall(text)}


@dataclass(frozen=True)
class _EntryStems:
    per_entry: dict[str, set[str]]
    common: set[str]
    known: set[str]


def _stems(text: str) -> set[str]:
    return {word.lower()[:STEM_CHARS] for word in WORD.findall(text)}


def _entry_stems(db: sqlite3.Connection) -> _EntryStems:
    per_entry: dict[str, set[str]] = {}
    for entry_id, text in db.execute("select entry_id, text from passages"):
        per_entry.setdefault(entry_id, set()).update(_stems(text))
    counts: dict[str, int] = {}
    for stems in per_entry.values():
        for stem in stems:
            counts[stem] = counts.get(stem, 0) + 1
    common = {stem for stem, n in counts.items() if n > COMMON_SHARE * len(per_entry)}
    return _EntryStems(per_entry, common, set(counts))


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return float(np.log(p / (1 - p)))


def _ranks(scores: dict[str, float]) -> dict[str, int]:
    order = sorted(scores, key=scores.get, reverse=True)
    return {entry_id: rank for rank, entry_id in enumerate(order, start=1)}


def _softmax(logits: np.ndarray) -> np.ndarray:
    weights = np.exp(logits - logits.max())
    return weights / weights.sum()


def _load_char_classifier(path: Path) -> CharClassifier | None:
    if not path.exists():
        return None
    with np.load(path) as data:
        return CharClassifier.from_arrays(dict(data))


def _load_classifier(path: Path) -> dict | None:
    if not path.exists():
        return None
    with np.load(path) as data:
        return {name: data[name] for name in ("coef", "intercept", "classes")}


def _entry_view(row: sqlite3.Row) -> EntryView:
    columns = set(row.keys())
    return EntryView(
        id=row["id"],
        category=row["category"],
        urgent=bool(row["urgent"]),
        reviewed=row["reviewed"],
        sources=json.loads(row["sources"]),
        related=json.loads(row["related"]),
        question={lang: row[f"{lang}_question"] for lang in ("ka", "en")},
        answer={lang: row[f"{lang}_answer"] for lang in ("ka", "en")},
        # Indexes built before the field existed have no column.
        countries=tuple(json.loads(row["countries"])) if "countries" in columns else (),
    )
