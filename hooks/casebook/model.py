"""Plain records the pipeline passes from step to step. Posts and case studies are both
entries: each has a `kind`, `title`, `url`, `published_at`, `author_names` and `abstract`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .text import plain_text
from .urls import src_uri_to_url


@dataclass(frozen=True, slots=True)
class Problem:
    """A content mistake, located in its source file, with a hint for the fix."""

    path: str
    line: int | None
    message: str
    hint: str = ""
    column: int | None = None

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = f"{where}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


@dataclass(frozen=True, slots=True)
class Post:
    """A blog post or legacy page, its front matter normalised to the canonical fields."""

    source: str
    """Path of the source file relative to the project root, e.g. `posts/2015-01-20-x.md`."""
    kind: str
    """`post` for blog entries, `page` for legacy pages (WordPress `layout: page`)."""
    slug: str
    title: str
    published: dt.datetime
    """Publication time; timezone-aware. Its calendar date is the date as written in the source."""
    body: str
    authors: tuple[str, ...] = ()
    summary: str = ""
    image: str = ""
    original_url: str = ""
    canonical_url: str = ""
    """Set only for reposts whose original should be the canonical page (Medium)."""
    aliases: tuple[str, ...] = ()
    """Legacy site paths (`/2015/01/20/x/`) that must redirect to this post."""
    draft: bool = False
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    lessons: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()
    models: tuple[str, ...] = ()
    untagged: tuple[str, ...] = ()
    """Ids of terms the automatic tagging must not give the post (it takes one back)."""
    files: tuple[str, ...] = ()
    """The files beside a post that is its folder's `index.md` (its images), by source path:
    each is copied beside the post's page."""
    lines: dict[str, int] = field(default_factory=dict, compare=False)
    """Line of each canonical field in the source, for problems found after loading."""

    @property
    def date(self) -> dt.date:
        return self.published.date()

    @property
    def published_at(self) -> dt.datetime:
        return self.published

    @property
    def author_names(self) -> tuple[str, ...]:
        return self.authors

    def abstract(self, limit: int) -> str:
        """The summary, or the start of the text."""
        return self.summary or plain_text(self.body, limit)

    @property
    def src_uri(self) -> str:
        """Where the generated Markdown page sits inside the site."""
        if self.kind == "page":
            return f"about/{self.slug}.md"
        return f"blog/{self.published.year}/{self.published.month:02}/{self.slug}.md"  # as %Y/%m, quicker

    @property
    def url(self) -> str:
        """The page's address relative to the site root, with a trailing slash."""
        return src_uri_to_url(self.src_uri)

    @property
    def sort_key(self) -> tuple:
        """Newest first, then by slug, so that every build lists posts in the same order."""
        return (-self.published.timestamp(), self.slug)


def source_name(path: Path, root: Path) -> str:
    """How problems name a file: relative to the project root, with forward slashes."""
    try:  # once, not `is_relative_to` then `relative_to`: every build names each source file
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


@dataclass(frozen=True, slots=True)
class Funding:
    source: str
    kind: str
    partner: str = ""
    share: float | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class CasePartner:
    """A partner as one case study describes it (the vocabulary holds what is always true)."""

    id: str
    name: str
    role: str
    country: str = ""
    models: tuple[str, ...] = ()
    funding: tuple[Funding, ...] = ()
    outcomes: tuple[str, ...] = ()
    summary: str = ""

    @property
    def anchor(self) -> str:
        return f"partner-{self.id}"


@dataclass(frozen=True, slots=True)
class Lesson:
    id: str
    title: str
    body: str
    partners: tuple[str, ...] = ()
    models: tuple[str, ...] = ()

    @property
    def anchor(self) -> str:
        return f"lesson-{self.id}"


@dataclass(frozen=True, slots=True)
class Finding:
    """A bullet of a neutral list, possibly with sub-bullets."""

    text: str
    items: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str
    group: str
    body: str = ""
    partner: str = ""
    findings_title: str = ""
    findings: tuple[Finding, ...] = ()
    benefits: tuple[str, ...] = ()
    challenges: tuple[str, ...] = ()
    takeaways: tuple[str, ...] = ()
    lessons: tuple[str, ...] = ()
    models: tuple[str, ...] = ()

    @property
    def anchor(self) -> str:
        return self.id


@dataclass(frozen=True, slots=True)
class Figure:
    label: str
    value: float
    as_of: str
    unit: str = ""
    qualifier: str = ""
    partner: str = ""
    section: str = ""


@dataclass(frozen=True, slots=True)
class CaseStudy:
    """A case study from `case_studies/*.yml`, validated against the JSON Schema."""

    source: str
    slug: str
    title: str
    organization: str
    authors: tuple[tuple[str, str], ...]
    """(name, role) pairs; role may be empty."""
    published: dt.date
    summary: str
    source_title: str
    source_format: str
    source_url: str = ""
    source_note: str = ""
    subtitle: str = ""
    period: tuple[str, str] = ("", "")
    featured: bool = False
    models: tuple[str, ...] = ()
    partners: tuple[CasePartner, ...] = ()
    lessons: tuple[Lesson, ...] = ()
    sections: tuple[Section, ...] = ()
    figures: tuple[Figure, ...] = ()
    related_posts: tuple[str, ...] = ()
    lines: dict[str, int] = field(default_factory=dict, compare=False)
    """Line of `slug`, of each `related_posts.N` and of the first line of each text of
    `markdown_texts`, by its key, for problems found after loading."""
    references: tuple[tuple[str, str, int], ...] = ()
    """(kind, term id, line) of every term the case study refers to."""

    kind = "case study"

    @property
    def date(self) -> dt.date:
        return self.published

    @property
    def published_at(self) -> dt.datetime:
        """Midnight UTC of the day published: a case study gives no time."""
        return dt.datetime(self.published.year, self.published.month, self.published.day, tzinfo=dt.UTC)

    @property
    def author_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.authors)

    def abstract(self, limit: int) -> str:
        return plain_text(self.summary, limit)

    @property
    def src_uri(self) -> str:
        return f"case-studies/{self.slug}.md"

    def markdown_texts(self) -> Iterator[tuple[str, str]]:
        """(key, text) of each field its page shows as Markdown, not as plain text; the key is
        the field's path in the YAML (`sections.2.body`), as `lines` knows it."""
        yield "summary", self.summary
        for n, partner in enumerate(self.partners):
            yield f"partners.{n}.summary", partner.summary
            yield from ((f"partners.{n}.outcomes.{m}", text) for m, text in enumerate(partner.outcomes))
            yield from ((f"partners.{n}.funding.{m}.note", f.note) for m, f in enumerate(partner.funding))
        yield from ((f"lessons.{n}.body", lesson.body) for n, lesson in enumerate(self.lessons))
        for n, section in enumerate(self.sections):
            yield f"sections.{n}.body", section.body
            for m, finding in enumerate(section.findings):
                # A finding is either its text or `{text, items}`: the key names the text in both.
                yield f"sections.{n}.findings.{m}.text", finding.text
                yield from ((f"sections.{n}.findings.{m}.items.{k}", item) for k, item in enumerate(finding.items))
            for name in ("benefits", "challenges", "takeaways"):
                yield from ((f"sections.{n}.{name}.{m}", text) for m, text in enumerate(getattr(section, name)))

    @property
    def url(self) -> str:
        return src_uri_to_url(self.src_uri)


KINDS = ("lessons", "partners", "models")
"""The three vocabularies; each is also the URL folder of its term pages."""


@dataclass(frozen=True, slots=True, order=True)
class Term:
    """A lesson, partner or model of collaboration. Orders by (kind, id)."""

    kind: str
    id: str
    title: str = field(compare=False)
    description: str = field(compare=False, default="")
    aliases: tuple[str, ...] = field(compare=False, default=())
    cues: tuple[str, ...] = field(compare=False, default=())
    """Phrases that are evidence for a lesson without being its name ("user research"): they
    count in a post's text like a name, never as a legacy category."""
    org_kind: str = field(compare=False, default="")
    country: str = field(compare=False, default="")
    region: str = field(compare=False, default="")
    website: str = field(compare=False, default="")
    former_websites: tuple[str, ...] = field(compare=False, default=())
    """Addresses its website once had: posts first published there are its own too."""
    sources: tuple[str, ...] = field(compare=False, default=())
    """The posts and case studies its description is written from (paths from the project root)."""
    line: int = field(compare=False, default=1)

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.id)

    @property
    def singular(self) -> str:
        return self.kind.removesuffix("s")

    @property
    def src_uri(self) -> str:
        return f"{self.kind}/{self.id}.md"

    @property
    def url(self) -> str:
        return src_uri_to_url(self.src_uri)
