"""The tagging measured against posts labelled by reading them (tests/fixtures/labels/):
precision, recall and F1 for each kind of term, for the tags alone and for tags and mentions
together, with every miss and every wrong tag listed for a person to look at."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..model import KINDS, Post
from ..tagging import TAGGED, Tagger

UNKNOWN = "(not in the vocabulary)"


@dataclass(frozen=True, slots=True)
class Score:
    """One kind, one strength: counts of terms found rightly, wrongly, and missed."""

    right: int
    wrong: int
    missed: int

    @property
    def precision(self) -> float:
        return self.right / (self.right + self.wrong) if self.right + self.wrong else 1.0

    @property
    def recall(self) -> float:
        return self.right / (self.right + self.missed) if self.right + self.missed else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


@dataclass(frozen=True, slots=True)
class Evaluation:
    scores: dict[tuple[str, str], Score]
    """(kind, `tagged` or `tagged or mentioned`) -> score."""
    misses: list[tuple[str, str, str]] = field(default_factory=list)
    """(post, kind, term) the labels have and the tags lack."""
    wrong: list[tuple[str, str, str, str]] = field(default_factory=list)
    """(post, kind, term, reason) tagged although the labels do not have it."""


def evaluate(
    labels: Iterable[Mapping], posts: Mapping[str, Post], tagger: Tagger, names: Mapping[str, str] | None = None
) -> Evaluation:
    """Compare each labelled post's tags with its labels. Partners are labelled by name and
    found through the vocabulary's titles and aliases, or `names` (label name -> partner id);
    an unknown name is always a miss."""
    names = {name.casefold(): ("partners", term_id) for name, term_id in (names or {}).items()}
    counts = {(kind, strength): [0, 0, 0] for kind in KINDS for strength in ("tagged", "tagged or mentioned")}
    misses, wrong = [], []
    for label in labels:
        post = posts[label["post"]]
        tags = tagger.tag(post)
        for kind in KINDS:
            expected = {_key(kind, name, tagger, names) for name in label.get(kind) or ()}
            tagged = {tag.key for tag in tags if tag.key[0] == kind and tag.relation == TAGGED}
            named = {tag.key for tag in tags if tag.key[0] == kind}
            for strength, found in (("tagged", tagged), ("tagged or mentioned", named)):
                count = counts[kind, strength]
                count[0] += len(found & expected)
                count[1] += len(found - expected)
                count[2] += len(expected - found)
            misses += [(post.source, kind, key[1]) for key in sorted(expected - named)]
            reasons = {tag.key: tag.reason for tag in tags}
            wrong += [(post.source, kind, key[1], reasons[key]) for key in sorted(tagged - expected)]
    return Evaluation({key: Score(*count) for key, count in counts.items()}, misses, wrong)


def _key(kind: str, name: str, tagger: Tagger, names: Mapping[str, tuple[str, str]]) -> tuple[str, str]:
    """The term a label names: an id for models and lessons, a name for partners."""
    if kind != "partners":
        return (kind, name)
    key = names.get(name.casefold()) or tagger.by_name.get(name.casefold())
    return key if key and key[0] == kind else (kind, f"{name} {UNKNOWN}")
