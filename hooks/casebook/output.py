"""The generated static files (citation downloads, redirect pages, feeds, data exports),
written into the site folder by a child process while the build converts the pages. At 1,000
posts they are some 4,000 small files, which cost a build seconds of system time: the
second core can spend them instead. A process, not a thread, since a thread beside the
CPU-bound build waits for the GIL after every system call (up to `sys.getswitchinterval()`,
5 ms)."""

from __future__ import annotations

import multiprocessing
from collections.abc import Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path


def write_files(folder: Path, contents: Mapping[str, str]) -> None:
    """Write each text under `folder` at its `src_uri`, as MkDocs writes generated files."""
    made: set[Path] = set()
    for src_uri, text in contents.items():
        path = folder / src_uri
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_text(text, encoding="utf-8")


def start_writing(folder: Path, contents: Mapping[str, str]) -> Future:
    """`write_files` in a forked child process; `result()` waits for it and raises its error.
    Where the platform cannot fork (Windows), a fresh interpreter would cost more than it
    saves: the files are written here and now."""
    if "fork" not in multiprocessing.get_all_start_methods():
        done: Future = Future()
        try:
            write_files(folder, contents)
        except OSError as error:
            done.set_exception(error)
        else:
            done.set_result(None)
        return done
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
    writing = pool.submit(write_files, folder, dict(contents))
    pool.shutdown(wait=False)  # the child exits once the files are written
    return writing
