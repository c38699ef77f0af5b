"""Work done on another core by a forked copy of the build: MkDocs converts pages one after
another on one core, so the hook forks the build once it knows every page, and the child
converts its share of them exactly as the build would (it is the build, copied), while the
build converts the rest. The build then takes each of the child's pages as it comes to it.
The child's log records are logged again by the build, so that its warnings count as the
build's own (a strict build fails on them); a child that fails hands back nothing, and the
build converts its share itself.

Memory: the child shares the build's memory page by page until either writes to a page. The
garbage collector writes into every object it visits, so both are kept from visiting what the
build held at the fork (`gc.freeze`, as Python's documentation of `gc.freeze` advises), until
the child has ended. The child writes each result to its file as it is made, and the build
reads them back one at a time, in the same order, as it comes to them: neither holds all the
results, nor a second copy of them as one pickle."""

from __future__ import annotations

import gc
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
        items = list(items)
        self._keys = {key(item) for item in items}
        descriptor, name = tempfile.mkstemp(prefix="casebook-forked-", suffix=".pickle")
        os.close(descriptor)
        self._file = Path(name)
        self._records_file = self._file.with_suffix(".log")
        self._stream = None
        self._early: dict = {}
        """Results read past on the way to the one asked for (none when asked in order)."""
        self._ended = False
        sys.stdout.flush()
        sys.stderr.flush()
        gc.freeze()  # until the child ends: see the module's docstring
        self._pid = os.fork()
        if self._pid == 0:
            self._run_child(items, key, work, logger)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._keys

    def _run_child(self, items: list, key, work, logger: str) -> None:
        """In the child: do the work, writing each result as it comes, then the log records,
        and exit without running anything of the parent's (no atexit handlers, no
        buffered output)."""
        status = 1
        try:
            records = _Records()
            log = logging.getLogger(logger)
            # The build's own output stays the build's: the records are logged there again.
            kept = [handler for handler in log.handlers if not isinstance(handler, logging.StreamHandler)]
            log.handlers, log.propagate = [records, *kept], False
            with self._file.open("wb") as file:
                for item in items:  # one pickle each, read back one at a time
                    pickle.dump((key(item), work(item)), file, protocol=pickle.HIGHEST_PROTOCOL)
            self._records_file.write_bytes(pickle.dumps(records.records))
            status = 0
        except BaseException:  # anything: the build converts the share itself
            traceback.print_exc()
        finally:
            os._exit(status)

    def result(self, key: Hashable):
        if key not in self._keys:
            return None
        if not self._ended:
            self._start_reading()
        if key in self._early:
            return self._early.pop(key)
        while self._stream is not None:
            try:
                found, value = pickle.load(self._stream)
            except (OSError, pickle.UnpicklingError, EOFError, ValueError):  # the end, or a file cut short
                self._close()
                break
            if found == key:
                return value
            self._early[found] = value
        return None

    def _start_reading(self) -> None:
        """Once the child has ended: its log records logged here, and its results ready to be
        read one at a time; none when it failed."""
        _, status = os.waitpid(self._pid, 0)
        self._ended = True
        gc.unfreeze()
        if status != 0:
            self._close()
            return
        try:
            records = pickle.loads(self._records_file.read_bytes())
            self._stream = self._file.open("rb")
        except (OSError, pickle.UnpicklingError, EOFError, ValueError):
            self._close()
            return
        for name, level, message in records:
            logging.getLogger(name).log(level, message)

    def _close(self) -> None:
        if self._stream is not None:
            self._stream.close()
        self._stream = None
        self._file.unlink(missing_ok=True)
        self._records_file.unlink(missing_ok=True)

    def abandon(self) -> None:
        """The build failed: end the child, if it still runs, and forget its results."""
        if not self._ended:
            try:
                os.kill(self._pid, 9)
                os.waitpid(self._pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
            self._ended = True
            gc.unfreeze()
        self._early = {}
        self._close()
