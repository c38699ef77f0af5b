"""What a build made of each source file, so that nothing is dropped silently: the generated
paths are checked before MkDocs writes them, and `site/manifest.json` lists every source
(posts, case studies, the vocabulary, the pages and files of docs/) with the URLs it produced
or the reason it produced none."""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

from .feeds import feed_paths
from .index import Archive
from .model import KINDS, Problem, Settings, Site, source_name, src_uri_to_url
from .posts import POST_SUFFIXES
from .render import redirect_uri
from .search import OUTPUT as SEARCH_OUTPUT

MANIFEST = "manifest.json"
RESERVED = frozenset({"404.html", "sitemap.xml", "sitemap.xml.gz", MANIFEST})
"""Files that the theme and plugins write after the pages: a generated file must not take their place."""
SEARCH_FOLDER = SEARCH_OUTPUT + "/"
"""Where Pagefind writes the search index: no page or file of ours goes there."""
MAX_SEGMENT = 200
"""Longest part of a generated path, in bytes: file systems refuse names over 255."""
_UNSAFE_CHARACTERS = re.compile(r"[\x00-\x1f\x7f\\?#]")
DRAFT = "draft: true (only `make serve` shows it)"
HAS_PROBLEMS = "not built: it has problems, listed in the build log"
EXCLUDED = "excluded by mkdocs.yml (exclude_docs or draft_docs)"
NOT_A_POST = f"not read: only {' and '.join(POST_SUFFIXES)} files are posts"
NOT_A_CASE_STUDY = "not read: only .yml files directly in the case-study folder are case studies"


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


def output_path(src_uri: str) -> str:
    """The file that a generated `src_uri` becomes in the site folder (directory URLs)."""
    return src_uri_to_url(src_uri) + "index.html" if src_uri.endswith(".md") else src_uri


def check_outputs(
    site: Site, archive: Archive, existing: frozenset[str], vocabulary: str
) -> tuple[Site, list[Problem]]:
    """`site` without the files that would be written outside the site folder, or whose
    redirect (a post's alias) would replace another file, with a problem for each naming the
    source that asked for it. `existing` are the output paths of docs/ and the theme;
    `vocabulary` names the vocabulary file."""
    owners = _owners(archive, vocabulary)
    aliases = _alias_owners(archive)
    listed = {output_path(uri) for uri in site.pages}
    taken = existing | RESERVED | {output_path(uri) for uri in _page_uris(site)} | _fixed_static(archive)
    problems = []
    kept_maps = []
    for mapping in (site.pages, site.unlisted_pages, site.draft_pages, site.static_files):
        kept = {}
        for src_uri, content in mapping.items():
            reason = unsafe_src_uri(src_uri)
            if not reason and output_path(src_uri).startswith(SEARCH_FOLDER):
                reason = f"is inside {SEARCH_FOLDER}, where the search index is written"
            elif not reason and src_uri in aliases and output_path(src_uri) in taken:
                reason = f"would replace {output_path(src_uri)}, which the site already has"
            elif not reason and mapping is not site.pages and output_path(src_uri) in listed:
                reason = f"would replace {output_path(src_uri)}, a page the site makes (a listing or overview)"
            if reason:
                source, line = aliases.get(src_uri) or owners.get(src_uri) or ("(generated)", None)
                problems.append(Problem(source, line, f"the path {src_uri!r} {reason}", "choose another slug or alias"))
            else:
                kept[src_uri] = content
        kept_maps.append(kept)
    if not problems:
        return site, []
    pages_, unlisted, drafts, static = kept_maps
    return replace(site, pages=pages_, unlisted_pages=unlisted, draft_pages=drafts, static_files=static), problems


def render_manifest(
    archive: Archive,
    site: Site,
    settings: Settings,
    problems: Iterable[Problem],
    docs_files: Mapping[str, str | None],
) -> str:
    """`manifest.json`: every source with the URLs it produced, or why it produced none, and
    the pages derived from many sources (listings, feeds, exports). `docs_files` maps each
    file of docs/ (absolute path) to its URL, or None when mkdocs.yml excludes it."""
    root = settings.root
    built = {uri for pages in (site.pages, site.unlisted_pages, site.static_files) for uri in pages}
    owners = _owners(archive, source_name(settings.taxonomy_file, root))
    urls: dict[str, list[str]] = {}
    derived = []
    for src_uri in sorted(built, key=lambda uri: (not uri.endswith(".md"), uri)):  # pages first
        owner = owners.get(src_uri)
        if owner:
            urls.setdefault(owner[0], []).append(_url(src_uri))
        else:
            derived.append(_url(src_uri))
    reasons = {post.source: DRAFT for post in archive.drafts}
    reasons |= {problem.path: HAS_PROBLEMS for problem in problems if problem.path not in urls}
    kinds = {post.source: post.kind for post in archive.posts + archive.pages + archive.drafts}
    entries = []
    for source, kind, reason in _content_files(settings):
        kind = kinds.get(source, kind)
        entries.append(_entry(source, kind, urls.get(source, ()), reasons.get(source, reason)))
    for path, url in docs_files.items():
        kind = "page" if path.endswith((".md", ".markdown")) else "file"
        entries.append(_entry(source_name(Path(path), root), kind, [url] if url is not None else [], EXCLUDED))
    entries.sort(key=lambda entry: entry["source"])
    return json.dumps({"sources": entries, "derived": derived}, ensure_ascii=False, indent=1) + "\n"


def not_read_notes(settings: Settings) -> list[Problem]:
    """A note for each file in the content folders that the build does not read."""
    return [Problem(source, None, reason) for source, kind, reason in _content_files(settings) if kind == "other"]


def check_manifest(manifest: dict, site_dir: Path, sources: Iterable[str]) -> list[str]:
    """Every way the manifest fails to account for the build: a source it does not list, a
    source with neither URLs nor a reason, a URL with no file behind it in `site_dir`."""
    listed = {entry["source"]: entry for entry in manifest["sources"]}
    failures = [f"{source}: not in the manifest" for source in sources if source not in listed]
    for source, entry in listed.items():
        if not entry["urls"] and not entry.get("left_out"):
            failures.append(f"{source}: produced nothing, and the manifest gives no reason")
        for url in entry["urls"]:
            if not _exists(site_dir, url):
                failures.append(f"{source}: {url} is listed but not in the site")
    failures += [
        f"{url}: listed as derived but not in the site" for url in manifest["derived"] if not _exists(site_dir, url)
    ]
    return failures


def content_files(settings: Settings, docs_dir: Path) -> list[str]:
    """Every file of the content folders and of docs/ (hidden ones aside, as MkDocs skips
    them), relative to the project root: what the manifest must account for."""
    files = [source for source, _, _ in _content_files(settings)]
    files += [
        source_name(path, settings.root)
        for path in sorted(docs_dir.rglob("*"))
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(docs_dir).parts)
    ]
    return files


def _content_files(settings: Settings) -> list[tuple[str, str, str]]:
    """(source, kind, reason it is not read or "") of every file in the content folders."""
    root, found = settings.root, []
    posts_dir, studies_dir, vocabulary = settings.posts_dir, settings.case_studies_dir, settings.taxonomy_file
    for path in sorted(p for p in posts_dir.rglob("*") if p.is_file()) if posts_dir.is_dir() else ():
        post = path.suffix in POST_SUFFIXES
        found.append((source_name(path, root), "post" if post else "other", "" if post else NOT_A_POST))
    for path in sorted(p for p in studies_dir.rglob("*") if p.is_file()) if studies_dir.is_dir() else ():
        if path.parent == studies_dir and path.suffix == ".yml":
            found.append((source_name(path, root), "case study", ""))
        elif path.parent == studies_dir and path.name.endswith(".schema.json"):
            found.append((source_name(path, root), "schema", "the schema that case studies are checked against"))
        else:
            found.append((source_name(path, root), "other", NOT_A_CASE_STUDY))
    if vocabulary.is_file():
        found.append((source_name(vocabulary, root), "vocabulary", ""))
    schema = vocabulary.with_name("taxonomy.schema.json")
    if schema.is_file():
        found.append((source_name(schema, root), "schema", "the schema that the vocabulary is checked against"))
    return found


def _owners(archive: Archive, vocabulary: str) -> dict[str, tuple[str, int | None]]:
    """The source file (and line) behind each generated page that has a single source."""
    owners: dict[str, tuple[str, int | None]] = {}
    for post in archive.posts + archive.pages + archive.drafts:
        owners[post.src_uri] = (post.source, post.lines.get("slug"))
    for study in archive.case_studies:
        owners[study.src_uri] = (study.source, study.lines.get("slug"))
    for term in archive.terms:
        owners[term.src_uri] = (vocabulary, term.line)
    return owners | _alias_owners(archive)


def _alias_owners(archive: Archive) -> dict[str, tuple[str, int | None]]:
    """The post (and the line of its aliases) behind each redirect page."""
    return {
        redirect_uri(alias): (post.source, post.lines.get("aliases"))
        for post in archive.posts + archive.pages
        for alias in post.aliases
    }


def _fixed_static(archive: Archive) -> set[str]:
    """The data exports and feeds that the render step writes beside the redirects."""
    fixed = {"api/terms.json", *(f"api/{kind}.json" for kind in KINDS), *feed_paths()}
    for term in archive.terms:
        fixed.update(feed_paths(src_uri_to_url(term.src_uri)))
    return fixed


def _page_uris(site: Site):
    return [uri for mapping in (site.pages, site.unlisted_pages, site.draft_pages) for uri in mapping]


def _url(src_uri: str) -> str:
    """The URL of a generated file, relative to the site root: `blog/2015/01/x/`, `api/terms.json`."""
    if src_uri.endswith(".md"):
        return src_uri_to_url(src_uri)
    return src_uri.removesuffix("index.html") if src_uri.endswith("/index.html") else src_uri


def _entry(source: str, kind: str, urls, reason: str) -> dict:
    entry = {"source": source, "kind": kind, "urls": list(urls)}
    if not urls:
        entry["left_out"] = reason
    return entry


def _exists(site_dir: Path, url: str) -> bool:
    path = site_dir / url
    return (path / "index.html").is_file() if url.endswith("/") or not url else path.is_file()


__all__ = ["check_manifest", "check_outputs", "content_files", "render_manifest", "unsafe_src_uri"]
