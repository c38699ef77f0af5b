"""The site as a plain source tree for an engine that runs no hooks (Zensical): the hand-written
pages, every generated page as Markdown, the static files, the page templates and a config.
It runs the MkDocs hook's own `build_site`; no MkDocs imports."""

from __future__ import annotations

import posixpath
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import yaml

from ..model import Problem
from ..site.outputs import FILE, NAV, UNLISTED
from ..urls import MARKDOWN_SUFFIXES
from .project import build_project, docs_files, read_engine_config
from .repair import HTML_LINK, HTML_TAG, link_value

CONFIG = "mkdocs.yml"
"""The exported config: Zensical reads mkdocs.yml as it reads zensical.toml (and MkDocs or
ProperDocs would build the tree too, without hooks)."""
HEADER = "# Written by scripts/export_site.py: export again rather than edit.\n"
LEFT_OUT = ("hooks", "watch", "edit_uri")
"""No hooks, no content folders to watch, no edit links (see DIFFERENCES)."""
EDIT_FEATURES = ("content.action.edit", "content.action.view")
DIFFERENCES = (
    "no 'edit this page' buttons: the hook points those of generated pages at their sources",
    "generated pages are not sanitised: the hook cleans their HTML after Markdown, which the export cannot reach",
    "Zensical's own search (search.json) and partials, not our override of Material's partials/search.html",
)
"""What a build of the export lacks beside the MkDocs build: printed by the export, written at
the top of its config, and listed in the README."""


@dataclass(frozen=True, slots=True)
class Export:
    """What `export_site` wrote, or the problems that stopped it."""

    pages: int = 0
    """Markdown pages, hand-written and generated."""
    files: int = 0
    """Generated static files: redirect pages, feeds, JSON exports, the manifest."""
    problems: tuple[Problem, ...] = ()
    notes: tuple[Problem, ...] = ()


def export_site(config_file: Path, out: Path) -> Export:
    """Run the pipeline on the project of `config_file` and write its source tree into `out`:
    `docs/`, `overrides/` and `mkdocs.yml`. Nothing is written when the content has problems."""
    config = read_engine_config(config_file)
    docs = config_file.parent / str(config.get("docs_dir") or "docs")
    theme, extra = dict(config.get("theme") or {}), dict(config.get("extra") or {})
    extra.pop("casebook", None)
    custom_dir = config_file.parent / theme["custom_dir"] if theme.get("custom_dir") else None
    hand_written = docs_files(docs)
    _, site = build_project(config_file, config)
    if site.problems:
        return Export(problems=site.problems, notes=site.notes)

    for folder in (out / "docs", out / "overrides"):
        shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(docs, out / "docs", ignore=shutil.ignore_patterns(".*"))
    generated = {uri: adapt_html_links(text, uri) for uri, text in site.texts(NAV, UNLISTED).items()}
    for src_uri, text in (generated | site.texts(FILE)).items():
        if src_uri not in hand_written:  # a hand-written page wins, as in the hook
            _write(out / "docs" / src_uri, text)
    for src_uri, output in site.outputs.items():
        if output.copy and output.place == FILE:  # an image beside its post
            (out / "docs" / src_uri).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(output.copy, out / "docs" / src_uri)
    if custom_dir:  # the page templates; not the fragments (ours) nor partials (Material's)
        for template in custom_dir.glob("*.html"):
            _write(out / "overrides" / template.name, template.read_text(encoding="utf-8"))
        theme["custom_dir"] = "overrides"
    theme["variant"] = "classic"  # Material's look rather than Zensical's "modern"
    theme["features"] = [feature for feature in theme.get("features") or () if feature not in EDIT_FEATURES]
    exported = {key: value for key, value in config.items() if key not in (*LEFT_OUT, "extra") and value is not None}
    exported |= {"docs_dir": "docs", "site_dir": "site", "theme": theme}
    if extra:  # what is left of it without the hook's settings
        exported["extra"] = extra
    differences = "".join(f"#  - {difference}\n" for difference in DIFFERENCES)
    _write(
        out / CONFIG,
        f"{HEADER}# Built without the casebook hooks, the site differs from the MkDocs build:\n{differences}"
        + yaml.safe_dump(exported, sort_keys=False, allow_unicode=True, width=100),
    )
    written = sum(name.endswith(MARKDOWN_SUFFIXES) for name in hand_written) + len(generated.keys() - hand_written)
    return Export(pages=written, files=len(site.texts(FILE)), notes=site.notes)


def adapt_html_links(markdown: str, src_uri: str) -> str:
    """`markdown` with the relative URLs of its raw HTML links made relative to its source file.

    Hack: MkDocs leaves raw HTML alone, so the pipeline writes those URLs relative to the page
    (`blog/2015/01/x/`), but Zensical resolves them against the Markdown file's folder
    (`blog/2015/01/`), as it does Markdown links. The two agree on `index.md` pages only.
    Tags shown inside code blocks change too: a rare sight in posts."""
    if posixpath.basename(src_uri) == "index.md":
        return markdown
    stem = posixpath.basename(src_uri).removesuffix(".md")

    def from_source(url: str) -> str:
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path or parts.path.startswith(("/", '"')):
            return url
        path = posixpath.normpath(f"{stem}/{parts.path}") + ("/" if parts.path.endswith("/") else "")
        return urlunsplit(("", "", path, parts.query, parts.fragment))

    def in_tag(tag: re.Match) -> str:
        def attribute(match: re.Match) -> str:
            quote, value = link_value(match)
            return f"{match['lead']}{quote}{from_source(value)}{quote}"

        attributes = HTML_LINK.sub(attribute, tag["attrs"])
        return f"<{tag['name']}{attributes}>"

    return HTML_TAG.sub(in_tag, markdown)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
