"""Links between sources: in a post, a Markdown link to another post's or a case study's file
(`[the tips](2015-01-20-7-tips.md)`, `../case_studies/x.yml#lesson-1`), or to an old address
of a post (`/2015/01/20/7-tips/`, `https://codeforamerica.org/news/...`: its `aliases` and
`original_url`), is a link to the page made from it, relative, as MkDocs then checks and
resolves it (so it works under a sub-path too); so is such a link in a case study's Markdown
(`../posts/2015-01-20-7-tips.md`). `check_links` and `check_study_links` find, before MkDocs
does, the links its strict build fails on, with the source's file and line, and note the old
addresses."""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from ..content.posts import INDEX_NAMES
from ..index import Archive
from ..model import CaseStudy, Post, Problem
from ..text import blank_code
from ..urls import link, src_uri_to_url
from .reuse import Reuse, make_anew

SOURCE_LINK = re.compile(r"\]\((?P<lead>[ \t]*)(?P<path>[^\s()#?<>:]+\.\w+)(?P<anchor>#[^\s()]*)?(?=[ \t)])")
"""The target of a Markdown link or image that names a file (`x.md`, `x.yml`, `photo.png`), up
to its title or `)`."""
ADDRESS_LINK = re.compile(
    r"\]\((?P<lead>[ \t]*)(?P<url>(?:https?://(?P<host>[^\s()<>/?#]+))?/[^\s()<>?#]*)"
    r"(?P<anchor>[?#][^\s()<>]*)?(?=[ \t)])",
    re.I,
)
"""The target of a Markdown link to an address on a site, `/path/` or `https://host/path/`."""
LINK_TARGET = re.compile(r"\]\([ \t]*<?(?P<url>[^\s()<>]+)|^ {0,3}\[[^\]\n]+\]:[ \t]*<?(?P<ref>[^\s<>]+)", re.M)
"""The target of an inline link or image, `](target`, or of a reference, `[id]: target`."""


@dataclass(frozen=True, slots=True)
class LinkTargets:
    """What a post's links may name instead of the URL of a page of this site."""

    pages: Mapping[str, str]
    """The `src_uri` of the page made from each post and case study, by source file."""
    old_paths: Mapping[str, str]
    """The source file of each post by its old addresses' paths (without the final `/`)."""
    old_hosts: frozenset[str]
    """The hosts of the posts' original addresses, without `www.`."""
    files: Mapping[str, str] = field(default_factory=dict)
    """The `src_uri` of the copy of each file beside a post (`beside_uri`), by source path."""


def link_targets(archive: Archive, reuse: Reuse = make_anew) -> LinkTargets:
    """The pages, old addresses and old hosts of the archive's posts and case studies, found
    again only when `reuse` has none for the same posts and case studies."""
    posts = archive.posts + archive.pages + archive.drafts
    return reuse(("link targets", posts, archive.case_studies), lambda: _link_targets(posts, archive.case_studies))


def _link_targets(posts: tuple[Post, ...], studies: tuple[CaseStudy, ...]) -> LinkTargets:
    pages = {entry.source: entry.src_uri for entry in posts}
    pages |= {study.source: study.src_uri for study in studies}
    old_paths, old_hosts = {}, set()
    for post in posts:
        address = urlsplit(post.original_url) if post.original_url else None
        if address and address.netloc:
            old_hosts.add(_host(address.netloc))
        for path in (*post.aliases, address.path if address else ""):
            if path.strip("/"):
                old_paths.setdefault(_old_path(path), post.source)
    files = {file: beside_uri(post, file) for post in posts for file in post.files}
    return LinkTargets(pages, old_paths, frozenset(old_hosts), files)


def beside_uri(post: Post, file: str) -> str:
    """Where a file beside `post` is copied: beside its page, `blog/2026/01/slug/photo.png`."""
    return src_uri_to_url(post.src_uri) + posixpath.relpath(file, posixpath.dirname(post.source))


def old_address_source(match: re.Match, targets: LinkTargets) -> str | None:
    """The source file of the post whose old address an `ADDRESS_LINK` match names, or None."""
    if match["host"] and _host(match["host"]) not in targets.old_hosts:
        return None
    return targets.old_paths.get(_old_path(match["url"].split("://", 1)[-1].partition("/")[2]))


def _host(netloc: str) -> str:
    return netloc.lower().rpartition("@")[2].removeprefix("www.")


def _old_path(path: str) -> str:
    return "/" + unquote(path).strip("/")


def link_sources(body: str, source: str, src_uri: str, targets: LinkTargets) -> str:
    """`body` of the post at `source` (built at `src_uri`) with each link to a source file
    or to an old address of a post that `targets` knows pointing at its page instead."""
    folder = posixpath.dirname(source)

    def to_page(match: re.Match) -> str:
        named = posixpath.normpath(posixpath.join(folder, unquote(match["path"])))
        page = targets.pages.get(named) or targets.files.get(named)
        if page is None:
            return match.group()
        return f"]({match['lead']}{link(src_uri, page)}{match['anchor'] or ''}"

    def from_old_address(match: re.Match) -> str:
        old = old_address_source(match, targets)
        if old is None or old == source:  # a post's own original: a citation, kept
            return match.group()
        return f"]({match['lead']}{link(src_uri, targets.pages[old])}{match['anchor'] or ''}"

    if "](" not in body:
        return body
    return ADDRESS_LINK.sub(from_old_address, SOURCE_LINK.sub(to_page, body))


def check_links(
    post: Post, targets: LinkTargets, files: Collection[str], doc_urls: Collection[str] = ()
) -> tuple[list[Problem], list[Problem]]:
    """(problems, notes) of the links and images of `post`, each at its line, as
    `check_text_links` finds them."""
    hint = _hint_for(post.source, post.files, targets.pages)
    return check_text_links(
        post.body, post.source, post.lines.get("body", 1), post.src_uri, targets, files, doc_urls, hint
    )


def check_study_links(
    study: CaseStudy, targets: LinkTargets, files: Collection[str], doc_urls: Collection[str] = ()
) -> tuple[list[Problem], list[Problem]]:
    """(problems, notes) of the links and images in the Markdown texts of `study`
    (`CaseStudy.markdown_texts`), each at its line in the YAML, as `check_text_links` finds them."""
    hint = _hint_for(study.source, (), targets.pages)
    problems, notes = [], []
    for key, text in study.markdown_texts():
        line = study.lines.get(key, study.lines.get("slug", 1))
        found, noted = check_text_links(text, study.source, line, study.src_uri, targets, files, doc_urls, hint)
        problems += found
        notes += noted
    return problems, notes


def check_text_links(
    text: str,
    source: str,
    first_line: int,
    src_uri: str,
    targets: LinkTargets,
    files: Collection[str],
    doc_urls: Collection[str] = (),
    hint: Callable[[str], str] = lambda path: "",
) -> tuple[list[Problem], list[Problem]]:
    """(problems, notes) of the links and images of one Markdown `text` of the source file
    `source`, which starts at its line `first_line` and is shown on the page `src_uri`. A
    link names a source file from `source`'s folder (`link_sources` makes it a link to that
    page) or else a file from the page's folder, as MkDocs resolves it. A problem for each to a
    file that is neither a source `targets` knows nor a file of the site (`files`, by
    `src_uri`; `doc_urls` are the URLs of the hand-written pages): MkDocs' strict build fails
    on each; `hint(path)` says what it may have meant. A note for each to an old address of a
    post, which leads to its page. Other addresses and paths without a file suffix (`../x/`)
    are not checked, as MkDocs only notes them."""
    if "](" not in text and "]:" not in text:
        return [], []
    text, folder, page_folder = blank_code(text), posixpath.dirname(source), posixpath.dirname(src_uri)

    def line_at(start: int) -> int:
        return first_line + text.count("\n", 0, start)

    notes = []
    for match in ADDRESS_LINK.finditer(text):
        old = old_address_source(match, targets)
        if old is not None and old != source:
            message = f"the link '{match['url']}' is an old address of {old}: it leads to that post's page"
            hint_old = f"you may link to the file instead: {posixpath.relpath(old, folder or '.')}"
            notes.append(Problem(source, line_at(match.start("url")), message, hint_old))
    problems = []
    for match in LINK_TARGET.finditer(text):
        url = match["url"] or match["ref"]
        parts = urlsplit(url)
        path = unquote(parts.path)
        if parts.scheme or parts.netloc or url.startswith(("/", "\\")) or not posixpath.splitext(path)[1]:
            continue
        named = posixpath.normpath(posixpath.join(folder, path))
        if named in targets.pages or named in targets.files:
            continue
        target = posixpath.normpath(posixpath.join(page_folder, path))
        if target in files or (target.endswith(".md") and src_uri_to_url(target) in doc_urls):
            continue
        start = match.start("url") if match["url"] else match.start("ref")
        problems.append(Problem(source, line_at(start), f"the link '{url}' leads to no file", hint(path)))
    return problems, notes


def _hint_for(source: str, files: Collection[str], pages: Mapping[str, str]) -> Callable[[str], str]:
    """What to say of a broken link in the post or case study `source`, with `files` beside
    it: which file it may have meant, or how to link to a post or an image."""
    folder = posixpath.dirname(source)
    post = source.endswith(".md")
    example = "2015-01-20-slug.md" if post else "../posts/2015-01-20-slug.md"

    def hint(path: str) -> str:
        candidates = [page for page in pages if page != source] if path.endswith((".md", ".yml")) else files
        by_name = {_name(candidate): posixpath.relpath(candidate, folder or ".") for candidate in reversed(candidates)}
        close = difflib.get_close_matches(_name(path), sorted(by_name), n=1, cutoff=0.6)
        if close:
            return f"did you mean '{by_name[close[0]]}'?"
        if path.endswith((".md", ".yml")):
            entry = "post" if post else "case study"
            return f"link to a post or case study by its file's path from this {entry}, e.g. {example}"
        if not post:
            return (
                "give the file's web address (https://...), or put it in docs/ and give its path"
                " from docs/case-studies/"
            )
        if posixpath.basename(source) in INDEX_NAMES:
            return "put the file in the post's folder, beside index.md, or give its web address (https://...)"
        return (
            "give the file's path from this post, or its web address (https://...); to keep an image"
            " beside its post, make the post a folder: posts/YYYY-MM-DD-slug/index.md with the image in it"
        )

    return hint


def _name(path: str) -> str:
    """A file's name without the date that starts the names of posts, which all look alike."""
    return re.sub(r"^\d{4}-\d{1,2}-\d{1,2}-", "", posixpath.basename(path))
