"""Candidate terms for the vocabulary, proposed from the archive for a person to accept: names
of organisations that recur across posts ("City of X", "X County", "Code for X", "X
Foundation", "University of X", capitalised names), legacy categories and tags, each with the
number of posts that name it and an example passage."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from ..model import Post, Term
from ..text import plain_text

_NAME = r"[A-Z][a-zA-Z.&'-]+"
_NAMES = rf"{_NAME}(?: (?:of |for |and |de |la |the )?{_NAME}){{0,3}}"
PATTERNS = {
    "government": re.compile(
        rf"\b(?:City|County|State|Commonwealth|Town|Village|Government|Mayor's Office) of {_NAME}(?: {_NAME})?"
        rf"|\b{_NAME}(?: {_NAME})? (?:County|City Hall|City Council)\b"
        rf"|\b(?:Department|Office|Bureau|Ministry) of {_NAMES}"
    ),
    "civic tech": re.compile(rf"\b(?:Code for|Open|Hack) {_NAME}(?: {_NAME})?\b|\b{_NAME} Brigade\b"),
    "funder": re.compile(rf"\b{_NAMES} (?:Foundation|Fund|Trust|Philanthropies)\b"),
    "university": re.compile(rf"\bUniversity of {_NAME}(?: {_NAME})?|\b{_NAMES} (?:University|College|Institute)\b"),
    "name": re.compile(rf"\b{_NAME}(?: (?:of |for |and )?{_NAME}){{1,3}}\b"),
}
"""What each kind of candidate looks like; `name` is any run of two or more capitalised words."""
_NOT_NAMES = re.compile(r"^(?:The|A|An|This|That|In|On|At|For|And|But|If|We|Our|It|He|She|They|I)\b")


@dataclass(frozen=True, slots=True)
class Candidate:
    name: str
    kind: str
    """The pattern that found it, or `category` for a legacy category or tag."""
    posts: int
    example: str
    """A passage that names it, and the post it is in."""


def propose_terms(posts: Iterable[Post], terms: Iterable[Term], min_posts: int = 3) -> list[Candidate]:
    """Names that `min_posts` posts or more carry and the vocabulary lacks, most posts first."""
    known = {name.casefold() for term in terms for name in (term.title, *term.aliases)}
    counts: Counter[tuple[str, str]] = Counter()
    examples: dict[tuple[str, str], str] = {}
    for post in posts:
        found: dict[tuple[str, str], str] = {}
        for name in post.categories + post.tags:
            found.setdefault((name, "category"), f"{post.source}: {', '.join(post.categories + post.tags)}")
        for paragraph in re.split(r"\n\s*\n", f"{post.title}\n\n{post.body}"):
            text = plain_text(paragraph, 2_000)
            for kind, pattern in PATTERNS.items():
                for match in pattern.finditer(text):
                    name = _NOT_NAMES.sub("", match.group()).strip(" .'")
                    if " " in name or kind != "name":
                        found.setdefault((name, kind), f"{post.source}: {_around(text, match.start())}")
        for key, example in found.items():
            counts[key] += 1
            examples.setdefault(key, example)
    best: dict[str, Candidate] = {}
    for (name, kind), count in counts.items():
        if count < min_posts or name.casefold() in known or len(name) < 3:
            continue
        if name not in best or (best[name].kind == "name" and kind != "name"):
            best[name] = Candidate(name, kind, count, examples[name, kind])
    return sorted(best.values(), key=lambda c: (-c.posts, c.name))


def _around(text: str, start: int, width: int = 90) -> str:
    begin = max(0, start - width // 3)
    return ("…" if begin else "") + text[begin : begin + width].strip() + ("…" if begin + width < len(text) else "")
