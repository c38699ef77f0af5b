"""The pages and files a build writes, each declared once with the source it is made from:
rendering makes them, the hook hands them to MkDocs, the manifest lists them. Before MkDocs
writes anything, `check_outputs` keeps out the paths that would leave the site folder or
replace another file."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..model import Problem
from ..urls import output_path

NAV, UNLISTED, DRAFT, FILE = "nav", "unlisted", "draft", "file"
"""Where an output goes: a page in the navigation or reached from it; a page kept out of the
navigation (posts), reached through listings and search; a page or file only `mkdocs serve`
shows (a draft's); a file copied as it is (redirect pages, data exports, feeds)."""
PLACES = (NAV, UNLISTED, DRAFT, FILE)
MANIFEST = "manifest.json"
SEARCH_OUTPUT = "pagefind"
"""The folder of the site that holds the search index and Pagefind's script."""
RESERVED = frozenset({"404.html", "sitemap.xml", "sitemap.xml.gz", MANIFEST})
"""Files that the theme and plugins write after the pages: a generated file must not take their place."""
SEARCH_FOLDER = SEARCH_OUTPUT + "/"
MAX_SEGMENT = 200
"""Longest part of a generated path, in bytes: file systems refuse names over 255."""
_UNSAFE_CHARACTERS = re.compile(r"[\x00-\x1f\x7f\\?#]")


@dataclass(frozen=True, slots=True)
class Output:
    """One generated page (`src_uri` ending in `.md`) or file."""

    content: str
    place: str = FILE
    """One of `PLACES`."""
    source: str = ""
    """The file it is made from, relative to the project root; "" when made from many
    (listings, overviews, feeds, exports)."""
    line: int | None = None
    """The line of `source` that asks for it (a post's `slug`, a term's entry)."""
    redirect: bool = False
    """A legacy URL's redirect page, which must not replace any other file."""
    copy: str = ""
    """The absolute path of a file copied as it is (an image beside its post), instead of `content`."""


@dataclass(frozen=True, slots=True)
class Site:
    """What one build generates, by `src_uri`, in the order rendered."""

    outputs: dict[str, Output] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    """Content mistakes: a build with any of them fails."""
    notes: tuple[Problem, ...] = ()
    """Worth a look, but no reason to fail a build (a term that nothing uses yet)."""

    def texts(self, *places: str) -> dict[str, str]:
        """The content of every output in one of `places`, by `src_uri`, but files copied as they are."""
        return {
            uri: output.content for uri, output in self.outputs.items() if output.place in places and not output.copy
        }


def unsafe_src_uri(src_uri: str) -> str:
    """Why `src_uri` must not be written into the site folder, or "" if it is a plain relative path
    that stays inside it."""
    if not src_uri or src_uri.startswith("/"):
        return "is not a relative path"
    if _UNSAFE_CHARACTERS.search(src_uri):
        return "contains a backslash, ?, # or a control character"
    if posixpath.normpath(src_uri) != src_uri.rstrip("/") or src_uri.split("/")[0] == "..":
        return "contains empty, '.' or '..' parts"
    if any(len(part.encode()) > MAX_SEGMENT for part in src_uri.split("/")):
        return f"has a part longer than {MAX_SEGMENT} bytes"
    return ""


def check_outputs(
    declared: Iterable[tuple[str, Output]], existing: Iterable[str]
) -> tuple[dict[str, Output], list[Problem]]:
    """The outputs to write, by `src_uri`, and a problem naming the source of each output
    refused: one that would be written outside the site folder or into the search index's,
    a redirect (a post's alias) that would replace a file of docs/ or the theme (`existing`),
    and of two outputs at one path the lesser: a redirect yields to a page or file made from
    a source, which yields to one made from many (a listing, a feed, an export). Two of one
    rank keep the first: the checks of the sources name those (two posts with one URL)."""
    existing = set(existing) | RESERVED
    kept: dict[str, tuple[str, Output]] = {}
    problems = []
    for src_uri, output in declared:
        path = output_path(src_uri)
        reason = unsafe_src_uri(src_uri)
        if not reason and path.startswith(SEARCH_FOLDER):
            reason = f"is inside {SEARCH_FOLDER}, where the search index is written"
        elif not reason and output.redirect and path in existing:
            reason = f"would replace {path}, which the site already has"
        elif not reason and path in kept:
            other_uri, other = kept[path]
            if _rank(output) == _rank(other):
                continue
            if _rank(output) > _rank(other):
                problems.append(_refused(other_uri, other, _replacing(path, output)))
                kept[path] = (src_uri, output)
                continue
            reason = _replacing(path, other)
        if reason:
            problems.append(_refused(src_uri, output, reason))
        else:
            kept[path] = (src_uri, output)
    return dict(kept.values()), problems


def _rank(output: Output) -> int:
    return 0 if output.redirect else 1 if output.source else 2


def _replacing(path: str, winner: Output) -> str:
    if winner.place == NAV and not winner.source:
        return f"would replace {path}, a page the site makes (a listing or overview)"
    return f"would replace {path}, which the site already has"


def _refused(src_uri: str, output: Output, reason: str) -> Problem:
    return Problem(
        output.source or "(generated)", output.line, f"the path {src_uri!r} {reason}", "choose another slug or alias"
    )
