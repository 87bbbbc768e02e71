"""What citizens asked that the bot could not answer well, grouped: `migbot kb gaps`.

Grouping: questions are embedded with the bot's own model and clustered by
cosine distance. The model puts all Georgian texts close together and all
English ones close together, whatever they ask; subtracting each language's
mean vector (taken from the knowledge base's own questions, which exist in
both languages) removes most of that, so that "work in Japan" and
"იაპონიაში მუშაობა" land in one group.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from bot.config import InsightsSettings
from bot.store.reports import Question

Encoder = Callable[[list[str]], np.ndarray]

# Cosine distance (after centring) under which two groups merge: the setting's default
# (insights.group_distance), chosen on mixed Georgian/English test questions.
DEFAULT_DISTANCE = InsightsSettings().group_distance


@dataclass
class Cluster:
    questions: list[Question]
    examples: list[Question] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.questions)

    def kinds(self) -> Counter:
        return Counter(q.kind for q in self.questions)

    def languages(self) -> Counter:
        return Counter(q.lang for q in self.questions)

    def entries(self) -> Counter:
        return Counter(q.entry_id for q in self.questions if q.entry_id)


def cluster_questions(
    questions: Sequence[Question],
    encode: Encoder,
    language_means: dict[str, np.ndarray] | None = None,
    distance: float = DEFAULT_DISTANCE,
    prepare: Callable[[str], str] = lambda text: text,
) -> list[Cluster]:
    """Groups of similar questions, largest first; each with up to three examples.

    `prepare` turns a text into what is embedded (the bot's Georgian
    normalisation, so that Latin-typed Georgian joins its Mkhedruli twin).
    """
    if not questions:
        return []
    # Identical texts are embedded once; they still count once each.
    unique: dict[str, int] = {}
    slot = [unique.setdefault(_normal_key(q.text), len(unique)) for q in questions]
    first_of = {index: q for q, index in zip(reversed(questions), reversed(slot), strict=True)}
    texts = [prepare(first_of[i].text) for i in range(len(unique))]
    vectors = _centred(
        encode(texts), [first_of[i].lang for i in range(len(unique))], language_means
    )
    labels = _agglomerate(vectors, distance)
    members: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        members.setdefault(int(label), []).append(index)
    clusters = []
    for unique_ids in members.values():
        chosen = set(unique_ids)
        cluster = Cluster([q for q, s in zip(questions, slot, strict=True) if s in chosen])
        cluster.examples = _examples(cluster, vectors, unique_ids, slot, questions)
        clusters.append(cluster)
    clusters.sort(key=lambda c: (-c.size, c.questions[0].ts))
    return clusters


def _normal_key(text: str) -> str:
    return re.sub(r"\s+", " ", text.casefold()).strip(" ?!.")


def _centred(
    vectors: np.ndarray, langs: list[str], means: dict[str, np.ndarray] | None
) -> np.ndarray:
    if means is None:
        # No index to learn from: the questions' own per-language means.
        means = {
            lang: vectors[[i for i, other in enumerate(langs) if other == lang]].mean(axis=0)
            for lang in set(langs)
        }
    centred = np.stack(
        [v - means[lang] if lang in means else v for v, lang in zip(vectors, langs, strict=True)]
    )
    norms = np.linalg.norm(centred, axis=1, keepdims=True)
    return centred / np.maximum(norms, 1e-9)


def _agglomerate(vectors: np.ndarray, distance: float) -> np.ndarray:
    if len(vectors) == 1:
        return np.zeros(1, dtype=int)
    from sklearn.cluster import AgglomerativeClustering

    model = AgglomerativeClustering(
        n_clusters=None, distance_threshold=distance, metric="cosine", linkage="average"
    )
    return model.fit_predict(vectors)


def _examples(
    cluster: Cluster,
    vectors: np.ndarray,
    unique_ids: list[int],
    slot: list[int],
    questions: Sequence[Question],
) -> list[Question]:
    """The most typical questions, one per language first, then the next most typical."""
    centre = vectors[unique_ids].mean(axis=0)
    ranked = sorted(unique_ids, key=lambda i: -float(vectors[i] @ centre))
    representative = {s: q for q, s in zip(questions, slot, strict=True)}
    ordered = [representative[i] for i in ranked]
    first_per_language = {}
    for question in ordered:
        first_per_language.setdefault(question.lang, question)
    picked = list(first_per_language.values())
    picked += [q for q in ordered if q not in picked]
    return picked[:3]


def format_gaps(clusters: list[Cluster], disliked: list[tuple], days: int, top: int = 5) -> str:
    total = sum(c.size for c in clusters)
    if not total and not disliked:
        return f"No unanswered, unsure or 👎-rated questions in the last {days} days."
    lines = [
        f"{total} question(s) in the last {days} days were unanswered, answered unsure, "
        f"or rated 👎; {len(clusters)} group(s). The largest:"
    ]
    for number, cluster in enumerate(clusters[:top], start=1):
        kinds = ", ".join(f"{count} {kind}" for kind, count in cluster.kinds().most_common())
        langs = "/".join(f"{lang or '?'} {n}" for lang, n in cluster.languages().most_common())
        lines.append(f"\n{number}. {cluster.size} question(s): {kinds} ({langs})")
        entries = cluster.entries()
        if entries:
            shown = ", ".join(f"{e} ×{n}" for e, n in entries.most_common(3))
            lines.append(f"   answered with: {shown}")
        for example in cluster.examples:
            lines.append(f"   • [{example.lang}] {_one_line(example.text)}")
    rest = clusters[top:]
    if rest:
        lines.append(
            f"\n…and {len(rest)} smaller group(s) with {sum(c.size for c in rest)} question(s)."
        )
    if disliked:
        lines.append("\nEntries rated 👎 (down / up):")
        lines += [f"   {entry_id}: {down} / {up}" for entry_id, down, up in disliked[:10]]
    return "\n".join(lines)


def _one_line(text: str, limit: int = 120) -> str:
    flat = re.sub(r"\s+", " ", text).strip()
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
