"""What a build keeps for the next one into the same site folder, in that folder's store under
`.cache/casebook/` (`store.store_folder`; CI restores and saves it with `actions/cache`):

- the generated pages and files, reused when every file of the project, the settings, the
  code, the packages and what MkDocs found are the same (`site_key`);
- each page as the theme rendered it, reused when the digest of everything it was made from
  is the same (`page_key`: its Markdown and front matter, its place, every file's address,
  the navigation, the configuration, the theme, the code and the installed packages);
- the search index, reused when every page is.

Entries are checked when read: one that is truncated or altered is rebuilt, never published."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import shutil
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from importlib.metadata import distributions
from pathlib import Path

from .memo import DIGEST_SIZE, digest

SITE = "site.pickle"
PAGES = "pages"
SEARCH = "search"
FINGERPRINT = "fingerprint.json"
"""Beside the saved search index: the digest of the pages it indexed and of its files, written last."""


@dataclass(frozen=True)
class CachedPage:
    """A page as the theme rendered it, and what MkDocs learns while converting its Markdown:
    its title when it comes from the text, its anchors, and the anchors it links to
    (`src_uri` -> anchor -> link), which MkDocs checks after the build."""

    html: str
    title: str | None = None
    anchors: list[str] = field(default_factory=list)
    links_to_anchors: dict[str, dict[str, str]] = field(default_factory=dict)


def code_digest(folders: Iterable[Path]) -> str:
    """A digest of the content of every file under `folders` (the package and the hook, the
    theme overrides): content, not times, so that a fresh checkout of the same commit matches."""
    parts = []
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            parts.append(f"{path.relative_to(folder)}:{digest(path.read_bytes())}")
    return digest("\n".join(parts).encode())


def packages_digest() -> str:
    """A digest of every installed distribution's name and version: MkDocs, the theme,
    Python-Markdown and its extensions, Jinja."""
    found = sorted(f"{dist.metadata['Name']}=={dist.version}" for dist in distributions())
    return digest("\n".join(found).encode())


def project_digest(root: Path, site_dir: Path, outside: Iterable[Path] = ()) -> str:
    """A digest of every file of the project (but hidden folders and the site folder) and of
    the folders `outside` it (posts kept elsewhere): their paths and content, or for a
    symbolic link what it points to."""
    parts = []
    for top in (root, *outside):
        for folder, subfolders, names in os.walk(top):
            subfolders[:] = sorted(n for n in subfolders if not n.startswith(".") and Path(folder, n) != site_dir)
            for name in sorted(names):
                path = Path(folder, name)
                content = os.readlink(path).encode() if path.is_symlink() else path.read_bytes()
                parts.append(f"{path}:{digest(content)}")
    return digest("\n".join(parts).encode())


def read_site(store: Path, key: str):
    """The generated site saved under `key` by an earlier build; None when there is none or
    it does not check out. Read from the file as it is checked and loaded: at 10,000 posts its
    bytes (about 300 MB) held beside the site they make would be the build's peak of memory."""
    try:
        with (store / SITE).open("rb") as file:
            saved_key, saved_digest = file.readline().rstrip(b"\n"), file.readline().rstrip(b"\n")
            start = file.tell()
            if saved_key.decode() != key or saved_digest.decode() != _stream_digest(file):
                return None
            file.seek(start)
            return pickle.load(file)
    except (OSError, ValueError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
        return None


def save_site(store: Path, key: str, site) -> None:
    """Keep the generated site under `key`, in place of the last one: pickled straight into
    the file, its digest written in the place kept for it once the payload is written."""
    path = store / SITE
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    with temporary.open("w+b") as file:
        file.write(f"{key}\n".encode())
        place = file.tell()
        file.write(b"0" * len(digest(b"")) + b"\n")
        start = file.tell()
        pickle.dump(site, file, protocol=pickle.HIGHEST_PROTOCOL)
        file.seek(start)
        payload_digest = _stream_digest(file)
        file.seek(place)
        file.write(payload_digest.encode())
    temporary.replace(path)


def _stream_digest(file) -> str:
    """`memo.digest` of the rest of `file`, read a piece at a time."""
    hashed = hashlib.blake2b(digest_size=DIGEST_SIZE)
    while piece := file.read(1 << 20):
        hashed.update(piece)
    return hashed.hexdigest()


def code_stamp(folders: Iterable[Path]) -> str:
    """What every page of a build depends on besides the project: the code and theme
    overrides in `folders`, and the installed packages."""
    return digest(f"{code_digest(folders)} {packages_digest()}".encode())


def page_key(build_stamp: str, facts: Iterable, markdown: str) -> str:
    """The key of one page: the build's stamp, the page's own facts (its address, front
    matter, neighbours), and its Markdown as the theme gets it."""
    return digest(json.dumps([build_stamp, list(facts), markdown], default=repr).encode())


class CacheChanged(Exception):
    """An entry of the build cache changed while a build was using it."""


class PageCache:
    """The built pages of earlier builds of a project, one file per key; `keep` marks the
    entries the present build uses, and `prune` removes the others after it succeeds."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: set[str] = set()

    def get(self, key: str) -> CachedPage | None:
        """The page saved under `key`; None when there is none or it does not check out."""
        try:
            data = json.loads((self.folder / key[:2] / key).read_text(encoding="utf-8"))
            if data["key"] != key or data["digest"] != digest(data["page"]["html"].encode()):
                return None
            return CachedPage(**data["page"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def keep(self, key: str) -> None:
        self.used.add(key)

    def put(self, key: str, page: CachedPage) -> None:
        self.used.add(key)
        data = {"key": key, "digest": digest(page.html.encode()), "page": asdict(page)}
        path = self.folder / key[:2] / key
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{key}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps(data), encoding="utf-8")
        temporary.replace(path)

    def prune(self) -> None:
        """Remove every entry the present build did not use (the cache holds one build)."""
        for path in self.folder.glob("*/*"):
            if path.name not in self.used:
                path.unlink(missing_ok=True)


class BuildCache:
    """One build's use of the cache: each page is looked up by its key before its Markdown is
    converted (`look_up`); a page converted afresh is saved once rendered (`rendered`), unless
    its conversion logged a warning, which reusing it would not repeat."""

    def __init__(self, root: Path, store: Path, code: str) -> None:
        self.root = root
        self.store = store
        """The store of the site folder: `store.store_folder`."""
        self.code = code
        """The digest of the code, the theme's overrides and the installed packages."""
        self.stamp = code
        """What every page shows besides its own source: set once MkDocs has made the navigation."""
        self.pages = PageCache(store / PAGES)
        self.keys: dict[str, str] = {}
        self.hits: dict[str, CachedPage] = {}
        self.fresh: dict[str, CachedPage] = {}
        """Pages converted in this build without a warning: what to save once rendered."""
        self.converted_elsewhere: dict[str, tuple[CachedPage, object]] = {}
        """Pages converted by a forked copy of the build (`forked.ForkedWork`), with their table
        of contents: taken once MkDocs has "converted" their empty Markdown."""
        self.warnings = WarningCount()

    def site_key(self, settings, site_dir: Path, *found) -> str:
        """The key of the generated site: the project's files, the settings, the code, and
        what MkDocs `found` (the pages of docs/, the addresses taken)."""
        folders = (settings.posts_dir, settings.case_studies_dir, settings.taxonomy_file.parent)
        outside = [folder for folder in folders if not folder.is_relative_to(self.root)]
        return digest(repr([self.code, project_digest(self.root, site_dir, outside), settings, found]).encode())

    def look_up(self, src_uri: str, facts: Iterable, markdown: str) -> CachedPage | None:
        """The page saved under the key of these facts, checked, without its HTML, which
        `html` reads again when the page is rendered: held from the conversion of the first
        page to the rendering of the last, the HTML of 10,000 pages would take 900 MB."""
        key = self.keys[src_uri] = page_key(self.stamp, facts, markdown)
        found = self.pages.get(key)
        if found is not None:
            found = self.hits[src_uri] = replace(found, html="")
        self._warnings_before = self.warnings.count
        return found

    def html(self, src_uri: str) -> str:
        """The HTML of a page `look_up` found; raises CacheChanged when its entry has gone or
        changed since (another build into the same site folder)."""
        found = self.pages.get(self.keys[src_uri])
        if found is None:
            raise CacheChanged(f"the build cache's entry for {src_uri} changed during the build: build again")
        return found.html

    def converted(self, src_uri: str, learnt: CachedPage) -> None:
        """A page converted afresh, with what MkDocs learnt from it (`learnt.html` is empty)."""
        if self.warnings.count == self._warnings_before:
            self.fresh[src_uri] = learnt

    def rendered(self, src_uri: str, html: str) -> None:
        key = self.keys.get(src_uri)
        if src_uri in self.hits:
            self.pages.keep(key)
        elif src_uri in self.fresh:
            learnt = self.fresh.pop(src_uri)
            self.pages.put(key, CachedPage(html, learnt.title, learnt.anchors, learnt.links_to_anchors))

    def fingerprint(self, *settings) -> str:
        """The digest of every page's key: equal fingerprints, equal pages."""
        return digest(json.dumps([sorted(self.keys.items()), settings]).encode())


class WarningCount(logging.Handler):
    """Counts the warnings logged while it is attached (MkDocs' `CountHandler` counts only in
    strict builds)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def saved_index(store: Path, fingerprint: str) -> Path | None:
    """The search index saved by a build of the same pages, if any and whole: a folder to copy."""
    folder = store / SEARCH
    try:
        saved = json.loads((folder / FINGERPRINT).read_text(encoding="utf-8"))
        if saved["fingerprint"] != fingerprint or saved["files"] != _file_digests(folder / "index"):
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return folder / "index"


def save_index(store: Path, fingerprint: str, index: Path) -> None:
    """Keep a copy of the search index folder `index`, built from the pages of `fingerprint`,
    with the digest of each of its files; the fingerprint is written last, so an interrupted
    copy is never taken for a whole one."""
    folder = store / SEARCH
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(index, folder / "index")
    saved = {"fingerprint": fingerprint, "files": _file_digests(folder / "index")}
    (folder / FINGERPRINT).write_text(json.dumps(saved), encoding="utf-8")


def _file_digests(folder: Path) -> dict[str, str]:
    return {str(path.relative_to(folder)): digest(path.read_bytes()) for path in folder.rglob("*") if path.is_file()}
