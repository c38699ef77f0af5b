"""Fixtures that build real small sites in a temporary folder."""

from __future__ import annotations

import gzip
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path

import pytest
import yaml
from mkdocs.commands import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, BuildError

from casebook.preview.store import store_folder

ROOT = Path(__file__).resolve().parents[1]
SITE_URL = "https://example.org/casebook/"
SOURCE_FIGURES = (
    "13 labs",
    "50 apps and prototypes",
    "200 volunteers",
    "10,000 hours",
    "150 applications",
    "500 people",
    "US$5 million",
    "40%",
    "60%",
    "11 organizations from 10 countries",
)
"""The figures of the seed case study's source, as its page and its PDF must show them."""
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

MKDOCS_YML = f"""\
site_name: Test casebook
theme:
  name: material
  custom_dir: {ROOT / "overrides"}
hooks:
  - {ROOT / "hooks" / "archive.py"}
markdown_extensions: [toc, tables, attr_list, md_in_html, admonition]
plugins: []
extra:
  casebook:
    posts_per_page: 20
    search: false
"""
"""A small project's mkdocs.yml: without the search index unless a test is about search
(`Project.enable_search`), which spares each build a Pagefind run."""
SMALL_VOCABULARY = {
    "lessons": ("keep-it-simple", "plan-for-sustainability"),
    "partners": ("code-for-america", "code-for-the-caribbean", "code-for-germany"),
    "models": ("fellowship", "brigade", "events-and-hackathons"),
}
"""The terms of the real vocabulary that small projects carry: those the tests name, and a
few more, so that every kind has its overview and matrix."""


@dataclass
class Built:
    """The outcome of one build: the site folder, MkDocs' warnings and errors, and the abort."""

    site: Path
    messages: list[str] = field(default_factory=list)
    error: str = ""

    def page(self, url: str) -> str:
        """The HTML of the page at `url` (`blog/` -> site/blog/index.html)."""
        path = self.site / url
        return (path / "index.html" if url.endswith("/") or url == "" else path).read_text(encoding="utf-8")

    def exists(self, url: str) -> bool:
        path = self.site / url
        return (path / "index.html" if url.endswith("/") else path).is_file()


@dataclass
class Project:
    """A throwaway project: mkdocs.yml, docs/ and posts/ in a temporary folder."""

    root: Path
    caplog: pytest.LogCaptureFixture

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def enable_search(self) -> None:
        self.write(
            "mkdocs.yml",
            (self.root / "mkdocs.yml").read_text(encoding="utf-8").replace("search: false", "search: true"),
        )

    def use_real_vocabulary(self) -> None:
        """The repository's own vocabulary, for tests that build its real posts."""
        self.write("taxonomy.yml", vocabulary_without_sources(lambda term: True))

    def build(self, command: str = "build") -> Built:
        """Build in this process, as `mkdocs build` (or `serve`) would."""
        config = load_config(str(self.root / "mkdocs.yml"), strict=True)
        config.plugins.on_startup(command=command, dirty=False)
        self.caplog.clear()
        error = ""
        with self.caplog.at_level(logging.INFO):
            try:
                serve_url = "http://127.0.0.1:8000/" if command == "serve" else None
                mkdocs_build.build(config, serve_url=serve_url)
            except (Abort, BuildError) as exc:
                error = str(exc)
            if command == "serve":  # as `mkdocs serve` does when it stops
                config.plugins.on_shutdown()
        messages = [
            r.getMessage() for r in self.caplog.records if r.name.startswith("mkdocs") and r.levelno >= logging.WARNING
        ]
        return Built(Path(config.site_dir), messages, error)

    def run(self, *args: str) -> subprocess.CompletedProcess:
        """Run the `mkdocs` command line in the project, as a contributor would."""
        return subprocess.run(
            [sys.executable, "-m", "mkdocs", *args], cwd=self.root, capture_output=True, text=True, timeout=120
        )


@pytest.fixture
def project(tmp_path: Path, caplog) -> Project:
    project = Project(tmp_path, caplog)
    project.write("mkdocs.yml", MKDOCS_YML)
    project.write("docs/about.md", "# About\n")
    project.write("taxonomy.yml", small_vocabulary())
    shutil.copy(ROOT / "taxonomy.schema.json", tmp_path)
    (tmp_path / "posts").mkdir()
    return project


def small_vocabulary() -> str:
    """The real vocabulary cut down to `SMALL_VOCABULARY`, as YAML text."""
    text = vocabulary_without_sources(lambda term: term["id"] in SMALL_VOCABULARY[term["kind"]])
    kept = yaml.safe_load(text)
    assert {kind: tuple(term["id"] for term in terms) for kind, terms in kept.items()} == SMALL_VOCABULARY
    return text


def vocabulary_without_sources(keep) -> str:
    """The real vocabulary's terms that `keep(term)` keeps (a term is given with its `kind`),
    as YAML text, without the `sources` their descriptions name: the real archive's posts,
    which a small project does not have."""
    vocabulary = yaml.safe_load((ROOT / "taxonomy.yml").read_text(encoding="utf-8"))
    return yaml.safe_dump(
        {
            kind: [{k: v for k, v in term.items() if k != "sources"} for term in terms if keep({**term, "kind": kind})]
            for kind, terms in vocabulary.items()
        },
        sort_keys=False,
        allow_unicode=True,
    )


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """The repository's own site, built once per test session with --strict, as published
    under a sub-path (SITE_URL); what its build keeps in .cache/casebook/ goes with the test
    session, so that CI's cache holds only what `make build` keeps."""
    site = tmp_path_factory.mktemp("real") / "site"
    yield build_strict(ROOT / "mkdocs.yml", site)
    shutil.rmtree(store_folder(ROOT, site), ignore_errors=True)


def build_strict(config_file: Path, site: Path | None = None) -> Path:
    """`mkdocs build --strict` of a project in this process, as published under a sub-path
    (SITE_URL), into `site` or the project's own site folder; the folder built."""
    config = load_config(str(config_file), strict=True, site_url=SITE_URL, **({"site_dir": str(site)} if site else {}))
    config.plugins.on_startup(command="build", dirty=False)
    mkdocs_build.build(config)
    return Path(config.site_dir)


def page_text(html: str) -> str:
    """The visible text of an HTML fragment, whitespace collapsed, for 'is it on the page' checks."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", text)).split())


def search_records(site: Path, index: str = "pagefind") -> dict[str, dict]:
    """What Pagefind indexed in a built site, by URL: each page's text, filters and meta, read
    back from the fragments of every bundle of the index in `index` (gzip-compressed JSON after
    a signature)."""
    records = {}
    for fragment in (site / index).glob("**/fragment/*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes())
        record = json.loads(data[data.index(b"{") :])
        records[record["url"]] = record
    return records


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium under Playwright, one per test module (browser test modules skip
    themselves, with a line saying how, when Playwright or Chromium is missing)."""
    from browser import launch_chromium
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


def minimal_case_study(slug: str = "a-study", featured: bool = False) -> str:
    """The smallest valid case study, as YAML text."""
    return f"""\
slug: {slug}
title: A study
organization: Code for America
authors:
  - name: Ana
published: 2015-01-20
{"featured: true" + chr(10) if featured else ""}summary: Short.
source:
  title: A study
  format: PDF
models: [fellowship]
partners:
  - id: code-for-germany
    name: Code for Germany
    role: Pilot
lessons:
  - id: keep-it-simple
    title: Keep it simple
    body: Small things.
    partners: [code-for-germany]
sections:
  - id: intro
    title: Introduction
    group: Introduction
    body: Text.
"""
