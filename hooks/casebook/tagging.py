"""Which terms a post is about and which it only names, with the passage that shows it.

A post is *tagged* with a term when it is about it: its front matter says so, one of its
legacy categories or tags is the term's name or alias, or the text shows it (the name in the
title, or in `TAG_PARAGRAPHS` paragraphs or more; a model also in one paragraph of every
`MODEL_SHARE`, for a short post; a lesson also by its `cues`, phrases that are evidence for it).
A paragraph repeated word for word counts once. A category that names a partner ("Chicago", "South Bend")
tags the post only when its text names the partner too, in the title or in `TAG_PARAGRAPHS`
paragraphs: a brigade's post filed under its city is not about the city's government. It
*mentions* a term that one paragraph or such a category names and nothing more; a lesson's
one-word alias ("Procurement", "Diversity") names a topic, not the lesson, so a paragraph needs
its title, an alias of several words or a cue to mention it. A post's
`untagged:` front matter takes back what the text alone would give it (README, "Lessons,
partners and models"), and the partner whose website first published the post is its author,
not its partner: it is mentioned, never tagged.

Every title and alias of the vocabulary is found in two passes over a post's text, one for
partners and one for models and lessons: an Aho-Corasick automaton (pyahocorasick) of the
lower-cased names each, leftmost-longest, so that "Code for Philly" is the brigade and not the
city inside it, while "Presidential Innovation Fellows" is a partner and names a fellowship,
with word boundaries checked."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlsplit

import ahocorasick

from .model import KINDS, Post, Term
from .text import plain_text

TermKey = tuple[str, str]
TAGGED, MENTIONED = "tagged", "mentioned"
TAG_PARAGRAPHS = 2
"""Paragraphs that must name a term by a strong name for the text alone to tag a post with it."""
WEAK_PARAGRAPHS = 3
"""Paragraphs that must name it when some of them use only a weak name (`Tagger.weak`)."""
MODEL_SHARE = 2
"""A model named in one paragraph of every `MODEL_SHARE` tags a post however few its paragraphs:
a short post about a hackathon says "hackathon" in one paragraph of two, not in three. Not for
partners, which short posts name in passing as venues, employers and places."""
MIN_NAME = 3
"""Shorter names are too often something else, unless in capitals (`_capitals`): `DC` as
written, not `dc`. Any name in capitals matches only as written: GOOD, the magazine, is not
"good"."""
SHORT, WEAK, STRONG = 0, 1, 2
"""How surely a name names its term. A short name in capitals ("DC") is as often the place as
the government, so it only ever mentions; a one-word alias is weak (`Tagger.weak`)."""
_AUTOMATA = {"partners": "who", "models": "what", "lessons": "what"}
"""Names are matched longest first within each group, never across: who took part, and what."""
_PARAGRAPH = re.compile(r"\n\s*\n|</p>")
_FOLD = str.maketrans("’‘", "''")


@dataclass(frozen=True, slots=True)
class Tag:
    """One term of one post."""

    key: TermKey
    relation: str
    """`TAGGED` or `MENTIONED`."""
    passage: str
    """The first paragraph that names it, as plain text; the post's summary if none does."""
    reason: str
    """Why: `front matter`, `category`, `title`, `named in N paragraphs`, `named once`; a mention
    by `category` alone is a place category the text does not bear out."""


class Tagger:
    """The vocabulary's names, compiled once per build."""

    def __init__(self, terms: tuple[Term, ...]) -> None:
        self.terms = terms
        self.names: dict[str, TermKey] = {}
        self.weak: set[str] = set()
        """One-word aliases ("Oakland", "Fellows"): as often a place or a common word as the term."""
        self.exact: dict[str, str] = {}
        """Names in capitals ("DC", "GOOD", "TED"), by their folded form: they name the term only
        as written, for "good" is a word and "DC" the magazine's name only in capitals."""
        self.short: set[str] = set()
        """Names shorter than `MIN_NAME` ("DC"): they only ever mention."""
        for term in terms:
            for name in (term.title, *term.aliases):
                short = len(name) < MIN_NAME
                if (not short or _capitals(name)) and _folded(name) not in self.names:
                    self.names[_folded(name)] = term.key
                    if _capitals(name):
                        self.exact[_folded(name)] = name
                    if short:
                        self.short.add(_folded(name))
                    if name != term.title and " " not in name.strip():
                        self.weak.add(_folded(name))
        cues = {_folded(cue): term.key for term in terms for cue in term.cues}
        """Evidence in the text, not names: a legacy category is never a cue."""
        self.automata = {kind: ahocorasick.Automaton() for kind in _AUTOMATA.values()}
        for name, key in {**cues, **self.names}.items():
            strength = SHORT if name in self.short else WEAK if name in self.weak else STRONG
            self.automata[_AUTOMATA[key[0]]].add_word(name, (len(name), key, strength))
        self.automata = {group: a for group, a in self.automata.items() if len(a)}
        for automaton in self.automata.values():
            automaton.make_automaton()
        self.by_name = {**{term.id.casefold(): term.key for term in terms}, **self.names}
        """Legacy categories and tags are matched whole: by id, title or alias."""
        self.publishers = {
            _host(url): term.key for term in terms for url in (term.website, *term.former_websites) if url
        }
        """Partners by the host of their website, present or former: a post first published there
        is theirs (Code for America's blog once ran at an IP address and at `c4a.me`)."""

    def named(self, text: str) -> dict[TermKey, int]:
        """The terms whose names occur in `text` as whole words, each with the strongest name that
        names it: `STRONG` (the title, or an alias of several words), `WEAK` or `SHORT`."""
        folded = _folded(text)
        found: dict[TermKey, int] = {}
        for automaton in self.automata.values():
            for end, (length, key, strength) in automaton.iter_long(folded):
                start = end - length + 1
                exact = self.exact.get(folded[start : end + 1])
                if (
                    (start == 0 or not folded[start - 1].isalnum())
                    and (end + 1 == len(folded) or not folded[end + 1].isalnum())
                    and (exact is None or text[start : end + 1] == exact)
                ):
                    found[key] = max(found.get(key, SHORT), strength)
        return found

    def tag(self, post: Post) -> list[Tag]:
        """The post's tags and mentions, sorted by term."""
        known = {term.key for term in self.terms}
        declared = {(kind, term_id) for kind in KINDS for term_id in getattr(post, kind)} & known
        categories = set()
        for name in post.categories + post.tags:
            if self.exact.get(name.casefold(), name) != name:
                continue  # "dc" is not "DC"
            if key := self.by_name.get(name.casefold()):
                categories.add(key)
        in_title = {key for key, strength in self.named(post.title).items() if strength > SHORT}
        texts = (plain_text(p, 10_000) for p in _PARAGRAPH.split(post.body))
        paragraphs = list(dict.fromkeys(text for text in texts if text.strip()))
        """Each once: some imported posts hold their body twice."""
        passages: dict[TermKey, list[str]] = defaultdict(list)
        strongly: dict[TermKey, int] = defaultdict(int)
        counted: dict[TermKey, int] = defaultdict(int)
        """Paragraphs that name the term by more than a short name, which only mentions it."""
        for paragraph in paragraphs:
            for key, strength in self.named(paragraph).items():
                passages[key].append(paragraph)
                strongly[key] += strength == STRONG
                counted[key] += strength > SHORT
        untagged = set(post.untagged)
        publisher = self.publishers.get(_host(post.original_url))
        fallback = post.abstract(300)
        tags = []
        for key in sorted(declared | categories | in_title | set(passages)):
            found = passages.get(key, ())
            passage = plain_text(found[0], 400) if found else fallback
            if key in declared:
                tags.append(Tag(key, TAGGED, passage, "front matter"))
            elif key[1] in untagged:
                continue
            elif key == publisher:  # on its own blog, an organisation is the author, not a partner
                tags.append(Tag(key, MENTIONED, passage, "the publisher"))
            elif key in categories and (key[0] != "partners" or key in in_title or counted[key] >= TAG_PARAGRAPHS):
                # a partner's category says where the post happened or whose news it is ("Oakland",
                # "South Bend"), not who took part: only the text can say that
                tags.append(Tag(key, TAGGED, passage, "category"))
            elif key in in_title:
                tags.append(Tag(key, TAGGED, passage, "title"))
            elif strongly[key] >= TAG_PARAGRAPHS or counted[key] >= WEAK_PARAGRAPHS:
                tags.append(Tag(key, TAGGED, passage, f"named in {len(found)} paragraphs"))
            elif key[0] == "models" and counted[key] * MODEL_SHARE >= len(paragraphs):
                tags.append(Tag(key, TAGGED, passage, f"named in {len(found)} of {len(paragraphs)} paragraphs"))
            elif found and (key[0] != "lessons" or strongly[key]):
                tags.append(Tag(key, MENTIONED, passage, "named once"))
            elif key in categories:
                tags.append(Tag(key, MENTIONED, passage, "category"))
        return tags


def _host(url: str) -> str:
    """`https://www.codeforamerica.org/blog/x` -> `codeforamerica.org`; "" for no address."""
    return urlsplit(url).netloc.lower().removeprefix("www.") if url else ""


def _capitals(name: str) -> bool:
    """Whether a name is written in capitals ("DC", "GOOD"), and so names its term only so."""
    return len(name) >= 2 and name.isalpha() and name.isupper()


def _folded(text: str) -> str:
    """Case-folded, with curly apostrophes straightened, and of the same length as `text`, so
    that matches keep their place: a character that folds to several (`İ`, `ß`) keeps the first."""
    text = text.translate(_FOLD)
    if text.isascii():
        return text.lower()
    folded = text.casefold()
    return folded if len(folded) == len(text) else "".join(c.casefold()[:1] or c for c in text)
