"""What a build made of each source file, so that nothing is dropped silently:
`site/manifest.json` lists every source
(posts, case studies, the vocabulary, the pages and files of docs/) with the URLs it produced
or the reason it produced none."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

from ..content.posts import POST_SUFFIXES, has_own_folder
from ..index import Archive
from ..model import Problem, source_name
from ..settings import Settings
from ..urls import file_url
from .outputs import DRAFT as DRAFT_PLACE
from .outputs import Site
from .reuse import Reuse, make_anew

DRAFT = "draft: true (only `make serve` shows it)"
HAS_PROBLEMS = "not built: it has problems, listed in the build log"
EXCLUDED = "excluded by mkdocs.yml (exclude_docs or draft_docs)"
NOT_A_POST = f"not read: only {' and '.join(POST_SUFFIXES)} files are posts"
BESIDE_A_POST = "not copied: the post beside it is not built"
NOT_A_CASE_STUDY = "not read: only .yml files directly in the case-study folder are case studies"


def render_manifest(
    archive: Archive,
    site: Site,
    settings: Settings,
    problems: Iterable[Problem],
    docs_files: Mapping[str, str | None],
    reuse: Reuse = make_anew,
) -> str:
    """`manifest.json`: every source with the URLs it produced, or why it produced none, and
    the pages derived from many sources (listings, feeds, exports). `docs_files` maps each
    file of docs/ (absolute path) to its URL, or None when mkdocs.yml excludes it. Written
    again only when `reuse` has none for the same outputs, sources, problems and files."""
    files, problems = _content_files(settings), tuple(problems)
    entries = archive.posts + archive.pages + archive.drafts
    key = (
        "manifest",
        tuple((uri, output.source, output.place) for uri, output in site.outputs.items()),
        tuple((post.source, post.kind, post.draft) for post in entries),
        tuple(problem.path for problem in problems),
        tuple(files),
        tuple(docs_files.items()),
    )
    return reuse(key, lambda: _manifest(archive, site, settings, problems, docs_files, files))


def _manifest(archive: Archive, site: Site, settings: Settings, problems, docs_files, files) -> str:
    """`render_manifest`'s text, with `files` the content files (`_content_files`)."""
    root = settings.root
    built = {uri: output for uri, output in site.outputs.items() if output.place != DRAFT_PLACE}
    urls: dict[str, list[str]] = {}
    derived = []
    for src_uri in sorted(built, key=lambda uri: (not uri.endswith(".md"), uri)):  # pages first
        if built[src_uri].source:
            urls.setdefault(built[src_uri].source, []).append(file_url(src_uri))
        else:
            derived.append(file_url(src_uri))
    reasons = {post.source: DRAFT for post in archive.drafts}
    reasons |= {problem.path: HAS_PROBLEMS for problem in problems if problem.path not in urls}
    kinds = {post.source: post.kind for post in archive.posts + archive.pages + archive.drafts}
    entries = []
    for source, kind, reason in files:
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
        if path.suffix in POST_SUFFIXES:
            found.append((source_name(path, root), "post", ""))
        elif has_own_folder(path):
            found.append((source_name(path, root), "file", BESIDE_A_POST))
        else:
            found.append((source_name(path, root), "other", NOT_A_POST))
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


def _entry(source: str, kind: str, urls, reason: str) -> dict:
    entry = {"source": source, "kind": kind, "urls": list(urls)}
    if not urls:
        entry["left_out"] = reason
    return entry


def _exists(site_dir: Path, url: str) -> bool:
    path = site_dir / url
    return (path / "index.html").is_file() if url.endswith("/") or not url else path.is_file()


__all__ = ["check_manifest", "content_files", "not_read_notes", "render_manifest"]
