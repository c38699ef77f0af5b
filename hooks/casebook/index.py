"""The archive index: every record sorted, grouped and cross-referenced once per build, in
linear time, so that render only looks things up."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import groupby

from .model import CaseStudy, Post, Term
from .tagging import TAGGED, Tag, Tagger
from .text import plain_text

TermKey = tuple[str, str]
FindTags = Callable[[Post], list[Tag]]
"""A post's tags and mentions: `Tagger(terms).tag`, or what `mkdocs serve` remembers of it."""
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
    relation: str = TAGGED
    """`TAGGED` (the place is about the term) or `MENTIONED` (a post that only names it)."""


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
    """Terms each post and case study is tagged with, by `src_uri`."""
    evidence: dict[TermKey, tuple[Evidence, ...]] = field(default_factory=dict)
    """For each term, every place that carries it: case studies first, then the posts tagged
    with it and then those that mention it, each newest first."""
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
    find_tags: FindTags | None = None,
) -> Archive:
    """Sort everything, tag posts (tagging.py), and collect each term's evidence, co-occurring
    terms and related entries. `find_tags` is `Tagger(terms).tag` unless given (`mkdocs
    serve` remembers it)."""
    ordered = sorted(posts, key=lambda post: post.sort_key)
    published = tuple(p for p in ordered if p.kind == "post" and not p.draft)
    pages = tuple(p for p in ordered if p.kind == "page" and not p.draft)
    studies = tuple(sorted(case_studies, key=lambda s: (-s.published.toordinal(), s.slug)))
    known = {term.key: term for term in terms}
    find_tags = find_tags or Tagger(tuple(terms)).tag

    evidence: dict[TermKey, list[Evidence]] = defaultdict(list)
    mentions: dict[TermKey, list[Evidence]] = defaultdict(list)
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
        tags = find_tags(post)
        entry_terms[post.src_uri] = tuple(tag.key for tag in tags if tag.relation == TAGGED)
        items.append(frozenset(entry_terms[post.src_uri]))
        for tag in tags:
            place = Evidence("post", post.title, post.src_uri, "", tag.passage, post.title, post.date, tag.relation)
            (evidence if tag.relation == TAGGED else mentions)[tag.key].append(place)
    for key, places in mentions.items():
        evidence[key] += places

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
