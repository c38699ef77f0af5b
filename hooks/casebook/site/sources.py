"""Links between sources: in a post, a Markdown link to another post's or a case study's file
(`[the tips](2015-01-20-7-tips.md)`, `../case_studies/x.yml#lesson-1`) is a link to the page
made from it, relative, as MkDocs then checks and resolves it."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from urllib.parse import unquote

from ..urls import link

SOURCE_LINK = re.compile(r"\]\((?P<lead>[ \t]*)(?P<path>[^\s()#?<>]+\.(?:md|yml))(?P<anchor>#[^\s()]*)?(?=[ \t)])")
"""The target of a Markdown link that names a `.md` or `.yml` file, up to its title or `)`."""


def link_sources(body: str, source: str, src_uri: str, pages: Mapping[str, str]) -> str:
    """`body` of the post at `source` (built at `src_uri`) with each link to a source file
    that `pages` knows (source -> `src_uri` of its page) pointing at that page instead."""
    if ".md" not in body and ".yml" not in body:
        return body
    folder = posixpath.dirname(source)

    def to_page(match: re.Match) -> str:
        page = pages.get(posixpath.normpath(posixpath.join(folder, unquote(match["path"]))))
        if page is None:
            return match.group()
        return f"]({match['lead']}{link(src_uri, page)}{match['anchor'] or ''}"

    return SOURCE_LINK.sub(to_page, body)
