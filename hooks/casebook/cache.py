"""The edit loop: what lets `mkdocs serve --dirty` rebuild only what one edit changed, with a
site byte for byte the same as a clean build's (tests/test_edit_loop.py proves it).

- `SourceMemo` keeps, within one process, each source parsed by the previous build with the
  digest of the bytes it was parsed from; a file whose bytes are unchanged is not parsed again.
- `GeneratedStore` writes the generated pages and files into a folder of their own (one per
  site folder), rewriting a file only when its content changed, so that MkDocs compares their
  times as it does for docs/ and skips the unchanged ones.
- `plan_rebuild` says which outputs of the site folder must go (their source is gone) and which
  are out of date for a reason MkDocs' `--dirty` does not see: the navigation, the theme or the
  configuration changed, a page is in the navigation, or a page links to a file that appeared
  or disappeared. `apply_plan` removes the former and marks the latter as older than their
  sources, so that `--dirty` rebuilds them.

Nothing here imports MkDocs."""

from __future__ import annotations

import hashlib
import html
import json
import os
import posixpath
import re
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from .case_studies import SCHEMA_NAME, load_case_studies
from .index import EvidenceMemo
from .model import CaseStudy, Post, Problem, Term
from .posts import post_files, read_post
from .taxonomy import load_vocabulary

CACHE_DIR = ".cache/casebook"
"""Under the project root: the generated files of dirty builds, one folder per site folder."""
STATE = "state.json"
SITE_DIR = "site_dir"
"""In each store: the site folder it serves, so that stores of vanished folders are removed."""
FILES = "files"
_FOLD = re.compile(r"/(?:\.?/)+")


def code_stamp() -> str:
    """A digest of the names, times and sizes of this package's and the hook's Python files:
    the code that renders the pages, as loaded by this process."""
    package = Path(__file__).resolve().parent
    paths = sorted([*package.glob("*.py"), *package.parent.glob("*.py")])
    return digest(repr([(str(path), path.stat().st_mtime_ns, path.stat().st_size) for path in paths]).encode())


def digest(data: bytes) -> str:
    """A short hex digest of `data`: equal digests mean equal bytes."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def file_digest(path: Path) -> str | None:
    """The digest of a file's bytes; None when it cannot be read (the loader reports why)."""
    try:
        return digest(path.read_bytes())
    except OSError:
        return None


@dataclass
class SourceMemo:
    """The sources parsed by the previous build of this process. The hook keeps one while
    `mkdocs serve` runs, as MkDocs keeps the hook module loaded between its builds; every
    lookup compares the bytes of the files, so an edit is never missed."""

    posts: dict[Path, tuple[Path, str, Post | None, tuple[Problem, ...]]] = field(default_factory=dict)
    studies: tuple[tuple, list[CaseStudy], tuple[Problem, ...]] | None = None
    vocabulary: tuple[tuple, tuple[Term, ...], tuple[Problem, ...]] | None = None
    evidence: EvidenceMemo = field(default_factory=EvidenceMemo)
    """The posts' evidence, which the index reuses for unchanged posts."""

    def load_posts(self, posts_dir: Path, root: Path) -> tuple[list[Post], list[Problem]]:
        """What `posts.load_posts` returns, parsing only the files whose bytes changed."""
        posts, problems, kept = [], [], {}
        for path in post_files(posts_dir):
            before = file_digest(path)
            known = self.posts.get(path)
            if known is not None and before is not None and known[:2] == (root, before):
                post, found = known[2], list(known[3])
                kept[path] = known
            else:
                post, found = read_post(path, root)
                if before is not None and file_digest(path) == before:  # not edited while being read
                    kept[path] = (root, before, post, tuple(found))
            problems += found
            if post is not None:
                posts.append(post)
        self.posts = kept
        return posts, problems

    def load_case_studies(self, folder: Path, root: Path) -> tuple[list[CaseStudy], list[Problem]]:
        """What `case_studies.load_case_studies` returns, read again only when a case study
        or the schema changed, or one was added or removed."""
        key = _files_key(root, [folder / SCHEMA_NAME, *sorted(folder.glob("*.yml"))])
        if key is not None and self.studies is not None and self.studies[0] == key:
            return list(self.studies[1]), list(self.studies[2])
        studies, problems = load_case_studies(folder, root)
        if key is not None and key == _files_key(root, [folder / SCHEMA_NAME, *sorted(folder.glob("*.yml"))]):
            self.studies = (key, list(studies), tuple(problems))
        return studies, problems

    def load_vocabulary(self, path: Path, schema_path: Path, root: Path) -> tuple[tuple[Term, ...], list[Problem]]:
        """What `taxonomy.load_vocabulary` returns, read again only when the vocabulary or its
        schema changed."""
        key = _files_key(root, [path, schema_path])
        if key is not None and self.vocabulary is not None and self.vocabulary[0] == key:
            return self.vocabulary[1], list(self.vocabulary[2])
        terms, problems = load_vocabulary(path, schema_path, root)
        if key is not None and key == _files_key(root, [path, schema_path]):
            self.vocabulary = (key, terms, tuple(problems))
        return terms, problems


def _files_key(root: Path, paths: list[Path]) -> tuple | None:
    """What a loader's result depends on: the root and each file's bytes (a missing file
    counts as such); None when a file exists but cannot be read, so that nothing is kept."""
    key: list = [root]
    for path in paths:
        if not path.exists():
            key.append((path, None))
            continue
        found = file_digest(path)
        if found is None:
            return None
        key.append((path, found))
    return tuple(key)


def _time_and_size(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (-1, -1)
    return (stat.st_mtime_ns, stat.st_size)


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


def store_folder(root: Path, site_dir: Path) -> Path:
    """Where the generated files of dirty builds into `site_dir` are kept: one folder per site
    folder, so that `serve` (a temporary folder) and `build` (site/) never share files."""
    return root / CACHE_DIR / digest(str(site_dir.resolve()).encode())


class GeneratedStore:
    """The generated pages and files of the builds into one site folder, written under
    `folder/files/` with their `src_uri` as path. The hook keeps the store between the builds
    of a `mkdocs serve` session; it remembers the digest, time and size of each file it wrote
    or read, so that a file whose time and size are unchanged is not read again."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.files = folder / FILES
        self.known: dict[str, tuple[str, int, int]] | None = None
        """`src_uri` -> (digest, mtime_ns, size) of each file as last written or read; None
        until the first `write`, which reads the folder."""

    def write(self, contents: Mapping[str, str | bytes]) -> dict[str, tuple[Path, str]]:
        """The path and content digest of each generated file, written only when its content
        differs from the file's; files generated before but not now are removed."""
        if self.known is None:
            self.known = dict.fromkeys(self._listed(), ("", 0, 0))
        known, written = self.known, {}
        for src_uri in set(known) - set(contents):
            (self.files / src_uri).unlink(missing_ok=True)
            del known[src_uri]
        for src_uri, content in contents.items():
            data = content.encode("utf-8") if isinstance(content, str) else content
            path = self.files / src_uri
            found = digest(data)
            if known.get(src_uri, ("",))[0] != found or _time_and_size(path) != known[src_uri][1:]:
                try:
                    same = path.read_bytes() == data
                except OSError:
                    same = False
                if not same:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(data)
                known[src_uri] = (found, *_time_and_size(path))
            written[src_uri] = (path, found)
        return written

    def _listed(self) -> list[str]:
        """The `src_uri` of every file in the store's folder."""
        prefix = len(str(self.files)) + 1
        return [
            os.path.join(folder, name)[prefix:].replace(os.sep, "/")
            for folder, _, names in os.walk(self.files)
            for name in names
        ]

    def read_state(self) -> Outputs | None:
        """The outputs of the last build into this store's site folder; None when unknown."""
        try:
            data = json.loads((self.folder / STATE).read_text(encoding="utf-8"))
            return Outputs(data["layout"], {uri: tuple(entry) for uri, entry in data["files"].items()})
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def write_state(self, outputs: Outputs | None, site_dir: Path) -> None:
        """Remember `outputs` for the next dirty build into `site_dir`, or forget them (None):
        a clean build does, so that the dirty build after it starts afresh."""
        path = self.folder / STATE
        if outputs is None:
            path.unlink(missing_ok=True)
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / SITE_DIR).write_text(str(site_dir), encoding="utf-8")
        data = {"layout": outputs.layout, "files": outputs.files}
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
        temporary.replace(path)


def prune_stores(root: Path, keep: Path) -> None:
    """Remove the stores of site folders that no longer exist (each `mkdocs serve` builds into
    a temporary folder of its own, removed when it stops)."""
    for folder in (root / CACHE_DIR).glob("*/"):
        if folder == keep:
            continue
        try:
            site_dir = (folder / SITE_DIR).read_text(encoding="utf-8")
        except OSError:
            continue  # being written, or not ours
        if not Path(site_dir).is_dir():
            shutil.rmtree(folder, ignore_errors=True)


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
    Markdown; `always` are pages to build every time (the navigation's: MkDocs knows a page's
    title, which every page's navigation shows, only once it has read the page)."""
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
