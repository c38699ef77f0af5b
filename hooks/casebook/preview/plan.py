"""What a dirty build must do besides what MkDocs' `--dirty` sees: `plan_rebuild` says which
outputs of the site folder must go (their source is gone) and which are out of date for
another reason (the navigation, the theme or the configuration changed, a page is in the
navigation, a page links to a file that appeared or disappeared); `apply_plan` removes the
former and dates back the latter, so that `--dirty` rebuilds them."""

from __future__ import annotations

import html
import json
import os
import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from .memo import digest

_FOLD = re.compile(r"/(?:\.?/)+")


def code_stamp() -> str:
    """A digest of the names, times and sizes of the package's and the hook's Python files:
    the code that renders the pages, as loaded by this process."""
    package = Path(__file__).resolve().parents[1]
    paths = sorted([*package.rglob("*.py"), *package.parent.glob("*.py")])
    return digest(repr([(str(path), path.stat().st_mtime_ns, path.stat().st_size) for path in paths]).encode())


def file_signature(path: str | None) -> str:
    """What tells whether a source file may have changed: its path, time and size; empty for
    a file that is not on disk (MkDocs builds an in-memory file every time)."""
    try:
        stat = os.stat(path) if path else None
    except OSError:
        return ""
    return f"{path}:{stat.st_mtime_ns}:{stat.st_size}" if stat else ""


def theme_stamp(dirs: Iterable[str], custom_dir: str | None) -> list:
    """The theme's files as they are now: the path, time and size of each file of the
    project's own theme folder (`custom_dir`), and the time of each installed theme folder,
    which an upgrade changes."""
    stamp = []
    for folder in dirs:
        if folder != custom_dir:
            stamp.append((folder, os.stat(folder).st_mtime_ns))
            continue
        for parent, _, names in sorted(os.walk(folder)):
            for name in sorted(names):
                stat = os.stat(os.path.join(parent, name))
                stamp.append((parent, name, stat.st_mtime_ns, stat.st_size))
    return stamp


def config_text(config: Mapping, plugins: Mapping, version: str) -> str:
    """A MkDocs configuration as text, to tell whether it changed between builds, the same in
    every process (sets in order: their order changes with Python's hash seed); plugins and
    hooks by name and settings, as their objects print with their addresses."""
    parts = {key: _stable(value) for key, value in config.items() if key not in ("plugins", "hooks")}
    parts["plugins"] = _stable([(name, getattr(plugin, "config", None)) for name, plugin in plugins.items()])
    parts["mkdocs"] = version
    return json.dumps(parts, sort_keys=True)


def _stable(value):
    """`value` as plain lists and dicts of text, sets sorted, objects by their attributes."""
    if isinstance(value, set | frozenset):
        return sorted((_stable(item) for item in value), key=repr)
    if isinstance(value, Mapping):
        return {str(key): _stable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_stable(item) for item in value]
    if isinstance(value, str | int | float | bool | None):
        return value
    if hasattr(value, "__dict__"):
        return [type(value).__name__, _stable(vars(value))]
    return repr(value)


def nav_paths(nav) -> list[str]:
    """Every path that mkdocs.yml's `nav` names (nested lists of `title: path` entries)."""
    paths, items = [], [nav]
    while items:
        item = items.pop()
        if isinstance(item, str):
            paths.append(item)
        elif isinstance(item, dict):
            items += item.values()
        elif isinstance(item, list):
            items += item
    return paths


@dataclass(frozen=True, slots=True)
class Outputs:
    """What one build wrote into the site folder."""

    layout: str
    """Digest of everything every page shows besides its own source: the configuration, the
    theme, the code, the navigation and its titles."""
    files: dict[str, tuple[str, str]]
    """`src_uri` -> (`dest_uri`, signature) of every file of the build; the signature changes
    whenever the file's content may have (a digest, or the source's path, time and size)."""


@dataclass(frozen=True, slots=True)
class Plan:
    """What to do in the site folder before a dirty build."""

    remove: tuple[str, ...]
    """`dest_uri`s whose source is gone."""
    outdated: tuple[str, ...]
    """`dest_uri`s to build again although MkDocs would think them up to date."""


def plan_rebuild(
    previous: Outputs | None, current: Outputs, pages: Mapping[str, str], always: Iterable[str] = ()
) -> Plan:
    """Which outputs of the previous build to remove and which to mark out of date, so that a
    dirty build gives the clean build's site. `pages` maps each page's `src_uri` to its
    Markdown; `always` are pages to build every time (the navigation's without a title in
    their front matter: MkDocs knows such a title, which every page's navigation shows, only
    once it has converted the page)."""
    dests = {dest for dest, _ in current.files.values()}
    if previous is None or previous.layout != current.layout:
        gone = set(previous.files) - set(current.files) if previous else set()
        remove = {previous.files[uri][0] for uri in gone} - dests
        return Plan(tuple(sorted(remove)), tuple(sorted(dests)))
    gone = set(previous.files) - set(current.files)
    added = set(current.files) - set(previous.files)
    changed = {uri for uri in set(current.files) & set(previous.files) if current.files[uri] != previous.files[uri]}
    remove = {previous.files[uri][0] for uri in gone} - dests
    outdated = {current.files[uri][0] for uri in changed | set(always) if uri in current.files}
    outdated |= {previous.files[uri][0] for uri in gone} & dests  # another file now writes there
    # MkDocs turns a link into the page's URL only when the file it names exists: when a file
    # appears or disappears, every page that might link to it is built again.
    targets = gone | added
    if targets:
        for uri, text in pages.items():
            forms = _link_forms(text)
            if uri in current.files and any(_may_link(uri, forms, target) for target in targets):
                outdated.add(current.files[uri][0])
    return Plan(tuple(sorted(remove)), tuple(sorted(outdated - remove)))


def _link_forms(text: str) -> set[str]:
    """The text as written, and with %-escapes and character references decoded and `/./`
    and `//` folded, as MkDocs reads a link before it looks its target up."""
    plain = unquote(text) if "%" in text else text
    plain = html.unescape(plain) if "&" in plain else plain
    return {text, _FOLD.sub("/", plain)}


def _may_link(page_uri: str, forms: set[str], target_uri: str) -> bool:
    """Whether a page (its `src_uri` and `_link_forms`) might hold a link to `target_uri`. A
    link resolves against the page's folder: from outside the target's folder, it names the
    target's folder (`added/cite.bib`) or climbs to it (`sub/../cite.bib`); from inside, the
    name alone may do."""
    folder, name = posixpath.split(target_uri)
    here = posixpath.dirname(page_uri)
    if not folder or here == folder or here.startswith(folder + "/"):
        needles = (name,)
    else:
        needles = (f"{posixpath.basename(folder)}/{name}", f"../{name}")
    return any(needle in form for form in forms for needle in needles)


def apply_plan(plan: Plan, site_dir: Path) -> None:
    """Remove the outputs that must go, with the folders they leave empty, and date the out of
    date ones to the epoch: MkDocs' `--dirty` builds a page again when its output is older
    than its source. Dating keeps the old page served until the new one is written."""
    for dest_uri in plan.remove:
        path = site_dir / dest_uri
        path.unlink(missing_ok=True)
        parent = path.parent
        while parent != site_dir and parent.is_relative_to(site_dir):
            try:
                parent.rmdir()
            except OSError:
                break
            parent = parent.parent
    for dest_uri in plan.outdated:
        try:
            os.utime(site_dir / dest_uri, (0, 0))
        except FileNotFoundError:
            pass


CODE_STAMP = code_stamp()
"""Taken when the package is imported: `mkdocs serve` runs the code it loaded at its start."""
