"""The hook's settings (`extra.casebook` in mkdocs.yml), read and checked."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .model import Problem

LOCAL_URL = "http://127.0.0.1:8000/"
"""The site's address when mkdocs.yml gives none: where `mkdocs serve` shows it."""


HOST = re.compile(r"^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$")
SEARCH_BUNDLE_PAGES = 15_000
"""Pagefind 1.5 holds about 0.28 MiB per page while it builds an index: one index up to 15,000
pages (some 4 GiB at the peak), which a reader's browser searches most cheaply; bundles above."""


@dataclass(frozen=True, slots=True)
class Settings:
    """The hook's settings (`extra.casebook` in mkdocs.yml), resolved against the project root."""

    root: Path
    posts_dir: Path
    case_studies_dir: Path
    taxonomy_file: Path
    posts_per_page: int = 20
    site_name: str = "Casebook"
    site_url: str = LOCAL_URL
    """Absolute, with a trailing slash: feeds and structured data need absolute links."""
    edit_base: str = ""
    """Where a source file is edited, e.g. `https://github.com/org/repo/edit/main/`; empty: no edit links."""
    iframe_hosts: tuple[str, ...] = ()
    """Hosts whose iframes (embedded videos) posts and case studies may keep; all others are removed."""
    search: bool = True
    """Whether the build writes the search index (Pagefind)."""
    search_bundle_pages: int = SEARCH_BUNDLE_PAGES
    """The most pages one Pagefind process indexes (publish/search.py): above it the index comes in bundles."""


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
