"""load -> validate -> index -> render: one function per build, shared by the MkDocs hook,
the scripts and the tests."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from types import SimpleNamespace

from .cache import SourceMemo
from .case_studies import load_case_studies
from .index import Archive, build_archive
from .manifest import MANIFEST, check_outputs, not_read_notes, render_manifest
from .model import LOCAL_URL, SEARCH_BUNDLE_PAGES, Problem, Settings, Site, source_name
from .posts import load_posts, unloaded_references
from .render import render_site
from .taxonomy import check_references, load_vocabulary, unused_terms
from .validate import validate_case_studies, validate_urls

TAXONOMY_SCHEMA = "taxonomy.schema.json"
"""The vocabulary's schema sits beside it."""
HOST = re.compile(r"^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$")
PLAIN_LOADERS = SimpleNamespace(
    load_posts=load_posts, load_case_studies=load_case_studies, load_vocabulary=load_vocabulary
)
"""The loaders, read afresh; `SourceMemo` has the same three methods."""


def read_settings(
    options: dict | None, root: Path, *, site_name: str = "Casebook", site_url: str | None = None, edit_base: str = ""
) -> tuple[Settings, list[Problem]]:
    """Settings from `extra.casebook` in mkdocs.yml, with paths resolved against `root`, and
    the site's name, address and edit link base from the rest of mkdocs.yml."""
    options = dict(options or {})
    problems = []
    known = {
        "posts_dir",
        "case_studies_dir",
        "taxonomy",
        "posts_per_page",
        "iframe_hosts",
        "search",
        "search_bundle_pages",
    }
    for key in sorted(set(options) - known):
        problems.append(
            Problem(
                "mkdocs.yml",
                None,
                f"unknown setting extra.casebook.{key}",
                f"known settings: {', '.join(sorted(known))}",
            )
        )
    per_page = options.get("posts_per_page", 20)
    if not _whole_number_above_0(per_page):
        problems.append(Problem("mkdocs.yml", None, "extra.casebook.posts_per_page must be a whole number above 0"))
        per_page = 20
    bundle_pages = options.get("search_bundle_pages", SEARCH_BUNDLE_PAGES)
    if not _whole_number_above_0(bundle_pages):
        problems.append(
            Problem(
                "mkdocs.yml",
                None,
                "extra.casebook.search_bundle_pages must be a whole number above 0",
                f"the most pages one search index holds (default {SEARCH_BUNDLE_PAGES}), for example 3000",
            )
        )
        bundle_pages = SEARCH_BUNDLE_PAGES
    iframe_hosts = options.get("iframe_hosts", [])
    if not isinstance(iframe_hosts, list) or not all(isinstance(h, str) and HOST.match(h) for h in iframe_hosts):
        problems.append(
            Problem(
                "mkdocs.yml",
                None,
                "extra.casebook.iframe_hosts must be a list of host names",
                "for example: iframe_hosts: [www.youtube-nocookie.com, player.vimeo.com]",
            )
        )
        iframe_hosts = []
    search = options.get("search", True)
    if not isinstance(search, bool):
        problems.append(
            Problem(
                "mkdocs.yml",
                None,
                "extra.casebook.search must be true or false",
                "write `search: true` to build the search index, or `search: false` to build without it",
            )
        )
        search = True
    settings = Settings(
        root=root,
        posts_dir=root / options.get("posts_dir", "posts"),
        case_studies_dir=root / options.get("case_studies_dir", "case_studies"),
        taxonomy_file=root / options.get("taxonomy", "taxonomy.yml"),
        posts_per_page=per_page,
        site_name=site_name,
        site_url=(site_url.rstrip("/") + "/") if site_url else LOCAL_URL,
        edit_base=edit_base,
        iframe_hosts=tuple(host.lower() for host in iframe_hosts),
        search=search,
        search_bundle_pages=bundle_pages,
    )
    return settings, problems


def _whole_number_above_0(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def edit_base(repo_url: str | None, edit_uri: str | None, docs_dir_name: str) -> str:
    """Where files outside docs/ are edited: `https://github.com/o/r/` with `edit/main/docs/`
    gives `https://github.com/o/r/edit/main/`; empty when the site names no repository."""
    if not repo_url or not edit_uri:
        return ""
    path = edit_uri.strip("/").removesuffix(docs_dir_name).rstrip("/")
    return f"{repo_url.rstrip('/')}/{path}/"


@dataclass(frozen=True, slots=True)
class Checked:
    """The content, loaded, validated and indexed, with its problems and notes."""

    archive: Archive
    problems: tuple[Problem, ...]
    """Content mistakes: a build with any of them fails."""
    notes: tuple[Problem, ...]
    """Worth a look, but no reason to fail a build (a term that nothing uses yet)."""


def check_content(
    settings: Settings, taken_urls: frozenset[str] = frozenset(), memo: SourceMemo | None = None
) -> Checked:
    """load -> validate -> index, without rendering: what `scripts/validate.py` runs.
    `taken_urls` are the URLs of hand-written pages, which generated pages must not take;
    `memo`, kept from the previous build of this process, spares parsing unchanged files."""
    loader = memo if memo is not None else PLAIN_LOADERS
    posts, problems = loader.load_posts(settings.posts_dir, settings.root)
    studies, study_problems = loader.load_case_studies(settings.case_studies_dir, settings.root)
    terms, term_problems = loader.load_vocabulary(
        settings.taxonomy_file, settings.taxonomy_file.with_name(TAXONOMY_SCHEMA), settings.root
    )
    problems += study_problems + term_problems
    problems += validate_urls(posts, taken_urls)
    problems += validate_case_studies(studies, posts)
    unloaded = unloaded_references(settings.posts_dir, settings.root, posts)
    problems += check_references(posts, studies, terms, unloaded) if terms else []
    archive = build_archive(posts, studies, terms, memo.evidence if memo is not None else None)
    used = {key for keys in archive.entry_terms.values() for key in keys}
    notes = unused_terms(terms, used, source_name(settings.taxonomy_file, settings.root))
    return Checked(archive, tuple(problems), tuple(notes))


def build_site(
    settings: Settings,
    env,
    taken_urls: frozenset[str] = frozenset(),
    *,
    docs_files: Mapping[str, str | None] | None = None,
    existing_files: frozenset[str] = frozenset(),
    memo: SourceMemo | None = None,
) -> Site:
    """Every generated page and file, with the content's problems and notes, and the
    manifest of the build. `docs_files` maps each file of docs/ (absolute path) to its URL, or
    None when excluded; `existing_files` are the output paths of docs/ and the theme, which
    no generated file may replace; `memo` is as for `check_content`."""
    checked = check_content(settings, taken_urls, memo)
    site = render_site(checked.archive, env, settings)
    vocabulary = source_name(settings.taxonomy_file, settings.root)
    site, output_problems = check_outputs(site, checked.archive, existing_files, vocabulary)
    problems = checked.problems + tuple(output_problems)
    manifest = render_manifest(checked.archive, site, settings, problems, docs_files or {})
    notes = checked.notes + tuple(not_read_notes(settings))
    return replace(site, static_files=site.static_files | {MANIFEST: manifest}, problems=problems, notes=notes)
