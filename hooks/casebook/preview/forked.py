"""Work done on another core by a forked copy of the build: MkDocs converts pages one after
another on one core, so the hook forks the build once it knows every page, and the child
converts its share of them exactly as the build would (it is the build, copied), while the
build converts the rest. The build then takes each of the child's pages as it comes to it.
The child's log records are logged again by the build, so that its warnings count as the
build's own (a strict build fails on them); a child that fails hands back nothing, and the
build converts its share itself."""

from __future__ import annotations

import logging
import os
import pickle
import sys
import tempfile
import traceback
from collections.abc import Callable, Hashable, Iterable
from pathlib import Path


class _Records(logging.Handler):
    """Keeps the child's log records, as (logger name, level, message)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


class ForkedWork:
    """`work(item)` for each of `items`, by a child process forked now; `result(key)` is the
    child's result for the item of that key (`key(item)`), waiting for the child the first
    time, or None when the child did not give one. `logger` is where the work logs: the
    child keeps its records and the build logs them when it first takes a result."""

    def __init__(self, items: Iterable, key: Callable[[object], Hashable], work: Callable, logger: str) -> None:
        self._keys = {key(item) for item in items}
        descriptor, name = tempfile.mkstemp(prefix="casebook-forked-", suffix=".pickle")
        os.close(descriptor)
        self._file = Path(name)
        self._results: dict | None = None
        sys.stdout.flush()
        sys.stderr.flush()
        self._pid = os.fork()
        if self._pid == 0:
            self._run_child([item for item in items if key(item) in self._keys], key, work, logger)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._keys

    def _run_child(self, items: list, key, work, logger: str) -> None:
        """In the child: do the work, write the results and the log records, and exit without
        running anything of the parent's (no atexit handlers, no buffered output)."""
        status = 1
        try:
            records = _Records()
            log = logging.getLogger(logger)
            # The build's own output stays the build's: the records are logged there again.
            kept = [handler for handler in log.handlers if not isinstance(handler, logging.StreamHandler)]
            log.handlers, log.propagate = [records, *kept], False
            results = {key(item): work(item) for item in items}
            self._file.write_bytes(pickle.dumps((results, records.records), protocol=pickle.HIGHEST_PROTOCOL))
            status = 0
        except BaseException:  # anything: the build converts the share itself
            traceback.print_exc()
        finally:
            os._exit(status)

    def result(self, key: Hashable):
        if key not in self._keys:
            return None
        if self._results is None:
            self._results = self._collect()
        return self._results.get(key)

    def _collect(self) -> dict:
        """The child's results, once it has ended, its log records logged here; empty when it
        failed."""
        _, status = os.waitpid(self._pid, 0)
        try:
            results, records = pickle.loads(self._file.read_bytes()) if status == 0 else ({}, [])
        except (OSError, pickle.UnpicklingError, EOFError):
            results, records = {}, []
        finally:
            self._file.unlink(missing_ok=True)
        for name, level, message in records:
            logging.getLogger(name).log(level, message)
        return results

    def abandon(self) -> None:
        """The build failed: end the child, if it still runs, and forget its results."""
        if self._results is None:
            try:
                os.kill(self._pid, 9)
                os.waitpid(self._pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
            self._file.unlink(missing_ok=True)
            self._results = {}
