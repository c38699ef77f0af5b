"""The archive index: every record sorted and grouped once per build, in linear time."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from .model import CaseStudy, Post


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

    @property
    def years(self) -> tuple[tuple[int, tuple[Post, ...]], ...]:
        """(year, posts of that year newest first), newest year first."""
        return tuple((year, tuple(group)) for year, group in groupby(self.posts, key=lambda p: p.date.year))


def build_archive(posts: list[Post], case_studies: list[CaseStudy] = ()) -> Archive:
    """Sort posts into published posts, pages and drafts, and case studies newest first."""
    ordered = sorted(posts, key=lambda post: post.sort_key)
    return Archive(
        case_studies=tuple(sorted(case_studies, key=lambda s: (-s.published.toordinal(), s.slug))),
        posts=tuple(p for p in ordered if p.kind == "post" and not p.draft),
        pages=tuple(p for p in ordered if p.kind == "page" and not p.draft),
        drafts=tuple(p for p in ordered if p.draft),
    )
