"""The archive index: every record sorted, grouped and cross-referenced once per build, in
linear time, so that render only looks things up."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import groupby

from .content.vocabulary import alias_map
from .model import KINDS, CaseStudy, Post, Term
from .text import plain_text

TermKey = tuple[str, str]
FindEvidence = Callable[[Post, tuple[TermKey, ...]], list]
"""The passages of a post that support each of its terms: what `evidence_finder` makes."""
RELATED_COUNT = 5
RELATED_WINDOW = 25
"""How many neighbours by date, per shared term, are scored as related: keeps related
entries linear in the number of posts even for terms that thousands of posts carry."""


@dataclass(frozen=True, slots=True)
class Evidence:
    """One place that carries a term, with the passage that supports it."""

    kind: str
    """What the place is: lesson, section, benefit, challenge, takeaway, finding, outcome, partner, post."""
    title: str
    src_uri: str
    anchor: str
    passage: str
    source_title: str
    date: dt.date


@dataclass(frozen=True, slots=True)
class Archive:
    """Everything the render step needs, sorted with a total key so builds are reproducible."""

    posts: tuple[Post, ...]
    """Published blog posts, newest first."""
    pages: tuple[Post, ...]
    """Legacy pages (WordPress `layout: page`)."""
    drafts: tuple[Post, ...]
    """Drafts of either kind; `mkdocs serve` shows them, listings never do."""
    case_studies: tuple[CaseStudy, ...] = ()
    """Newest first."""
    terms: tuple[Term, ...] = ()
    """The vocabulary, in file order."""
    entry_terms: dict[str, tuple[TermKey, ...]] = field(default_factory=dict)
    """Terms carried by each post and case study, by `src_uri`."""
    evidence: dict[TermKey, tuple[Evidence, ...]] = field(default_factory=dict)
    """For each term, every place that carries it: case studies first, then posts newest first."""
    together: dict[TermKey, Counter] = field(default_factory=dict)
    """For each term, how often each other term is carried by the same item."""
    related: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """For each post and case study (`src_uri`), the entries sharing most terms with it."""
    term_by_key: dict[TermKey, Term] = field(default_factory=dict)
    entries: dict[str, Post | CaseStudy] = field(default_factory=dict)
    """Published posts, pages and case studies by `src_uri`."""

    @property
    def years(self) -> tuple[tuple[int, tuple[Post, ...]], ...]:
        """(year, posts of that year newest first), newest year first."""
        return tuple((year, tuple(group)) for year, group in groupby(self.posts, key=lambda p: p.date.year))


def build_archive(
    posts: list[Post],
    case_studies: list[CaseStudy] = (),
    terms: tuple[Term, ...] = (),
    find_evidence: FindEvidence | None = None,
) -> Archive:
    """Sort everything, tag posts (legacy categories and tags through the vocabulary's
    aliases), and collect each term's evidence, co-occurring terms and related entries.
    `find_evidence` is `evidence_finder(terms)` unless given (`mkdocs serve` remembers it)."""
    ordered = sorted(posts, key=lambda post: post.sort_key)
    published = tuple(p for p in ordered if p.kind == "post" and not p.draft)
    pages = tuple(p for p in ordered if p.kind == "page" and not p.draft)
    studies = tuple(sorted(case_studies, key=lambda s: (-s.published.toordinal(), s.slug)))
    known = {term.key: term for term in terms}
    names = alias_map(terms)
    find_evidence = find_evidence or evidence_finder(terms)

    evidence: dict[TermKey, list[Evidence]] = defaultdict(list)
    items: list[frozenset[TermKey]] = []
    entry_terms: dict[str, tuple[TermKey, ...]] = {}
    for study in studies:
        for keys, found in study_evidence(study):
            keys = [key for key in keys if key in known]
            items.append(frozenset(keys))
            for key in keys:
                evidence[key].append(found)
        entry_terms[study.src_uri] = tuple(sorted({(k, i) for k, i, _ in study.references if (k, i) in known}))
    for post in published + pages:
        keys = post_terms(post, names, known)
        entry_terms[post.src_uri] = keys
        items.append(frozenset(keys))
        for key, passage in find_evidence(post, keys) if keys else ():
            evidence[key].append(passage)

    together: dict[TermKey, Counter] = defaultdict(Counter)
    for item in items:
        for key in item:
            together[key].update(other for other in item if other != key)

    return Archive(
        posts=published,
        pages=pages,
        drafts=tuple(p for p in ordered if p.draft),
        case_studies=studies,
        terms=tuple(terms),
        entry_terms=entry_terms,
        evidence={k: tuple(v) for k, v in evidence.items()},
        together=dict(together),
        related=build_related(studies + published + pages, entry_terms),
        term_by_key=known,
        entries={entry.src_uri: entry for entry in studies + published + pages},
    )


def post_terms(post: Post, names: dict[str, TermKey], known: dict[TermKey, Term]) -> tuple[TermKey, ...]:
    """A post's terms: its `lessons`, `partners` and `models`, plus every legacy category or
    tag that names a term (the vocabulary's aliases are the mapping)."""
    keys = {(kind, term_id) for kind in KINDS for term_id in getattr(post, kind)}
    keys |= {names[name.casefold()] for name in post.categories + post.tags if name.casefold() in names}
    return tuple(sorted(key for key in keys if key in known))


def study_evidence(study: CaseStudy):
    """(term keys, evidence) for every passage of a case study that carries terms."""
    page, date, title = study.src_uri, study.published, study.title

    def place(kind, name, anchor, passage):
        return Evidence(kind, name, page, anchor, plain_text(passage, 400), title, date)

    yield [("models", m) for m in study.models], place("case study", title, "", study.summary)
    for partner in study.partners:
        keys = [("partners", partner.id), *(("models", m) for m in partner.models)]
        yield keys, place("partner", partner.name, partner.anchor, partner.summary or partner.role)
        for n, outcome in enumerate(partner.outcomes, start=1):
            yield [("partners", partner.id)], place("outcome", partner.name, f"{partner.anchor}-outcome-{n}", outcome)
        for funding in partner.funding:
            if funding.partner:
                yield (
                    [("partners", funding.partner), ("partners", partner.id)],
                    place("funding", f"Funding of {partner.name}", partner.anchor, funding.note or funding.source),
                )
    for number, lesson in enumerate(study.lessons, start=1):
        keys = [
            ("lessons", lesson.id),
            *(("partners", p) for p in lesson.partners),
            *(("models", m) for m in lesson.models),
        ]
        yield keys, place("lesson", f"Lesson {number}: {lesson.title}", lesson.anchor, lesson.body)
    for section in study.sections:
        keys = [("partners", section.partner)] if section.partner else []
        keys += [("lessons", x) for x in section.lessons] + [("models", m) for m in section.models]
        if not keys:
            continue
        name = f"{section.group} › {section.title}" if section.group != section.title else section.title
        yield keys, place("section", name, section.anchor, section.body or section.findings_title)
        for kind, bullets in (
            ("finding", [f.text for f in section.findings]),
            ("benefit", section.benefits),
            ("challenge", section.challenges),
            ("takeaway", section.takeaways),
        ):
            for n, bullet in enumerate(bullets, start=1):
                yield keys, place(kind, name, f"{section.anchor}-{kind}-{n}", bullet)


def term_pattern(term: Term) -> re.Pattern | None:
    """A pattern that finds the term's title or one of its aliases as whole words."""
    names = [re.escape(n) for n in (term.title, *term.aliases) if len(n) > 2]
    return re.compile(r"\b(?:" + "|".join(names) + r")\b", re.IGNORECASE) if names else None


def term_needles(term: Term) -> tuple[str, ...] | None:
    """The names of `term_pattern`, lowered, for a quick `in` test before the slow pattern;
    None unless they are all ASCII, the only names for which that test is sure (`_never_named`)."""
    names = tuple(n.lower() for n in (term.title, *term.aliases) if len(n) > 2)
    return names if all(n.isascii() for n in names) else None


_CASE_TRAPS = re.compile("[\u0130\u0131\u017f]")
"""İ, ı and ſ: the only characters that a case-insensitive pattern matches with an ASCII letter
(i, s) and that `str.lower()` does not lower to it (the Kelvin sign K lowers to k)."""
_PARAGRAPH = re.compile(r"\n\s*\n|</p>")


def evidence_finder(terms: tuple[Term, ...]) -> FindEvidence:
    """`post_evidence` with the vocabulary's patterns compiled once."""
    patterns = {term.key: term_pattern(term) for term in terms}
    needles = {term.key: term_needles(term) for term in terms}
    return lambda post, keys: post_evidence(post, keys, patterns, needles)


def post_evidence(
    post: Post, keys: tuple[TermKey, ...], patterns: dict, needles: dict
) -> list[tuple[TermKey, Evidence]]:
    """For each term the post carries, the post's paragraph that names it (its title or an
    alias), else the post's summary. Paragraphs are made plain once per post."""
    paragraphs = [plain_text(p, 10_000) for p in _PARAGRAPH.split(post.body)]
    joined = "\n".join(paragraphs)
    lowered = "" if _CASE_TRAPS.search(joined) else joined.lower()
    fallback = post.summary or plain_text(post.body, 300)
    found = []
    for key in keys:
        pattern = None if _never_named(needles.get(key), lowered) else patterns.get(key)
        passage = next((plain_text(text, 400) for text in paragraphs if pattern and pattern.search(text)), "")
        found.append((key, Evidence("post", post.title, post.src_uri, "", passage or fallback, post.title, post.date)))
    return found


def _never_named(needles: tuple[str, ...] | None, lowered: str) -> bool:
    """Whether no needle is in `lowered`, the lowered plain text of a post ("" when it has one
    of `_CASE_TRAPS`: no telling). Then no paragraph matches the term's pattern: a
    case-insensitive match of an ASCII name is, lowered, that name lowered."""
    return needles is not None and bool(lowered) and not any(needle in lowered for needle in needles)


def build_related(entries: tuple, entry_terms: dict[str, tuple[TermKey, ...]]) -> dict[str, tuple[str, ...]]:
    """For each entry, up to RELATED_COUNT others sharing the most terms (newer first on ties).
    Candidates are each shared term's RELATED_WINDOW nearest entries by date."""
    by_term: dict[TermKey, list[str]] = defaultdict(list)
    position = {entry.src_uri: (-entry.date.toordinal(), entry.src_uri) for entry in entries}
    for src_uri in sorted(position, key=position.get):
        for key in entry_terms.get(src_uri, ()):
            by_term[key].append(src_uri)
    index_in = {key: {src_uri: n for n, src_uri in enumerate(uris)} for key, uris in by_term.items()}
    related = {}
    for src_uri in position:
        scores = Counter()
        for key in entry_terms.get(src_uri, ()):
            uris, n = by_term[key], index_in[key][src_uri]
            scores.update(uris[max(0, n - RELATED_WINDOW) : n + RELATED_WINDOW + 1])
        scores.pop(src_uri, None)
        best = sorted(scores, key=lambda other: (-scores[other], position[other]))[:RELATED_COUNT]
        related[src_uri] = tuple(best)
    return related
