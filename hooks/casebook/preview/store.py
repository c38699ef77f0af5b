"""Where dirty builds keep the generated pages and files: a folder of their own per site
folder, rewritten only where content changed, so that MkDocs compares their times as it does
for docs/ and skips the unchanged ones."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Mapping
from pathlib import Path

from .memo import digest
from .plan import Outputs

CACHE_DIR = ".cache/casebook"
"""Under the project root: the generated files of dirty builds, one folder per site folder."""
STATE = "state.json"
SITE_DIR = "site_dir"
"""In each store: the site folder it serves, so that stores of vanished folders are removed."""
FILES = "files"


def _time_and_size(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (-1, -1)
    return (stat.st_mtime_ns, stat.st_size)


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
        self.contents: dict[str, str | bytes] = {}
        """`src_uri` -> the content last written or found equal: the same object again (the
        session reuses unchanged outputs, `OutputMemo`) needs no digest."""

    def write(self, contents: Mapping[str, str | bytes]) -> dict[str, tuple[Path, str]]:
        """The path and content digest of each generated file, written only when its content
        differs from the file's; files generated before but not now are removed."""
        if self.known is None:
            self.known = dict.fromkeys(self._listed(), ("", 0, 0))
        known, written = self.known, {}
        for src_uri in set(known) - set(contents):
            (self.files / src_uri).unlink(missing_ok=True)
            del known[src_uri]
            self.contents.pop(src_uri, None)
        for src_uri, content in contents.items():
            path = self.files / src_uri
            if self.contents.get(src_uri) is content and _time_and_size(path) == known[src_uri][1:]:
                written[src_uri] = (path, known[src_uri][0])
                continue
            data = content.encode("utf-8") if isinstance(content, str) else content
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
            self.contents[src_uri] = content
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
        mark_store(self.folder, site_dir)
        data = {"layout": outputs.layout, "files": outputs.files}
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
        temporary.replace(path)


def mark_store(folder: Path, site_dir: Path) -> None:
    """Write down which site folder the store `folder` serves (`prune_stores` reads it)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / SITE_DIR).write_text(str(site_dir), encoding="utf-8")


def prune_stores(root: Path, keep: Path) -> None:
    """Remove the stores of site folders outside the project that no longer exist (each
    `mkdocs serve` builds into a temporary folder of its own, removed when it stops); the
    project's own `site/` may be gone for a while (a fresh checkout, CI restoring its cache)."""
    for folder in (root / CACHE_DIR).glob("*/"):
        if folder == keep:
            continue
        try:
            site_dir = (folder / SITE_DIR).read_text(encoding="utf-8")
        except OSError:
            continue  # being written, or not ours
        if not Path(site_dir).is_dir() and not Path(site_dir).is_relative_to(root):
            shutil.rmtree(folder, ignore_errors=True)
