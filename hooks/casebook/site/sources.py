"""Links between sources: in a post, a Markdown link to another post's or a case study's file
(`[the tips](2015-01-20-7-tips.md)`, `../case_studies/x.yml#lesson-1`) is a link to the page
made from it, relative, as MkDocs then checks and resolves it. `broken_links` finds, before
MkDocs does, the links its strict build fails on, with the post's file and line."""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Collection, Mapping
from urllib.parse import unquote, urlsplit

from ..index import Archive
from ..model import Post, Problem
from ..text import blank
from ..urls import link, src_uri_to_url

SOURCE_LINK = re.compile(r"\]\((?P<lead>[ \t]*)(?P<path>[^\s()#?<>]+\.(?:md|yml))(?P<anchor>#[^\s()]*)?(?=[ \t)])")
"""The target of a Markdown link that names a `.md` or `.yml` file, up to its title or `)`."""
LINK_TARGET = re.compile(r"\]\([ \t]*<?(?P<url>[^\s()<>]+)|^ {0,3}\[[^\]\n]+\]:[ \t]*<?(?P<ref>[^\s<>]+)", re.M)
"""The target of an inline link or image, `](target`, or of a reference, `[id]: target`."""


def source_pages(archive: Archive) -> dict[str, str]:
    """The `src_uri` of the page made from each post and case study, by source file."""
    pages = {entry.source: entry.src_uri for entry in archive.posts + archive.pages + archive.drafts}
    return pages | {study.source: study.src_uri for study in archive.case_studies}


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


def broken_links(
    post: Post, pages: Mapping[str, str], files: Collection[str], doc_urls: Collection[str] = ()
) -> list[Problem]:
    """A problem at its line for each link or image of `post` to a file that is neither a
    source `pages` knows nor a file of the site (`files`, by `src_uri`; `doc_urls` are the
    URLs of the hand-written pages): MkDocs' strict build fails on each. Addresses
    (`https://...`, `/path`) and paths without a file suffix (`../x/`) are not checked,
    as MkDocs only notes them."""
    if "](" not in post.body and "]:" not in post.body:
        return []
    text, folder, page_folder = blank(post.body), posixpath.dirname(post.source), posixpath.dirname(post.src_uri)
    problems = []
    for match in LINK_TARGET.finditer(text):
        url = match["url"] or match["ref"]
        parts = urlsplit(url)
        path = unquote(parts.path)
        if parts.scheme or parts.netloc or url.startswith(("/", "\\")) or not posixpath.splitext(path)[1]:
            continue
        if posixpath.normpath(posixpath.join(folder, path)) in pages:
            continue
        target = posixpath.normpath(posixpath.join(page_folder, path))
        if target in files or (target.endswith(".md") and src_uri_to_url(target) in doc_urls):
            continue
        start = match.start("url") if match["url"] else match.start("ref")
        line = post.lines.get("body", 1) + text.count("\n", 0, start)
        problems.append(
            Problem(post.source, line, f"the link '{url}' leads to no file", _link_hint(path, folder, pages))
        )
    return problems


def _link_hint(path: str, folder: str, pages: Mapping[str, str]) -> str:
    """Which file a broken link may have meant, or how to link to a post or an image."""
    if path.endswith((".md", ".yml")):
        names = [posixpath.relpath(source, folder or ".") for source in pages]
        close = difflib.get_close_matches(path, names, n=1, cutoff=0.8)
        if close:
            return f"did you mean '{close[0]}'?"
        return "link to a post or case study by its file's path from this post, e.g. 2015-01-20-slug.md"
    return "give the file's path from this post, or its full address (https://...)"
