"""Search: what the theme tells Pagefind about each page, and Pagefind's indexing, which
writes a chunked index into `pagefind/` that the browser fetches a piece at a time
(docs/javascripts/search.js). Pagefind indexes only the element the theme marks with
`data-pagefind-body` (main.html), so the header, the navigation and the listings, which only
repeat what the posts say, stay out.

Two ways to index: `SearchIndexer` is fed each page as the build writes it and indexes on a
core of its own while the build renders the rest (a full build); `index_site` runs Pagefind
over a finished site folder (a preview that rebuilt only some pages)."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pagefind_bin import get_executable  # the binary inside the `pagefind[bin]` wheel

from .model import KINDS, Term

OUTPUT = "pagefind"
"""The folder of the site that holds the index and Pagefind's script."""
INDEXED = "<div data-pagefind-body"
"""Where a page's indexed element starts (main.html): pages without it are not sent."""
INDEXED_END = "</div><!--/data-pagefind-body-->"
"""Where it ends: main.html marks the end so that only the element is sent, not the theme."""
IGNORED = (
    ".headerlink",  # the ¶ after each heading
    ".md-content__button",  # "edit this page"
    ".casebook-terms",  # lists of term links: the term pages are found by their own names
    ".casebook-related",
    ".casebook-pager",
    ".casebook-cite",
    ".casebook-actions",
    ".casebook-print-only",
    ".casebook-evidence",  # a term page's quoted passages: found on the pages they quote
)
"""Parts of indexed pages that only repeat what other pages say, or are the interface."""
WEIGHTS = {"Case study": 4}
"""How much a word counts in each kind of entry, against 1 elsewhere: the case studies are
what the casebook is for, the account a reader searching a project or a problem should meet
first, ahead of the posts written while the work went on."""
FILTERS = {"lessons": "lesson", "partners": "partner", "models": "model"}
"""The filter each kind of term is offered under, by the vocabulary's kind."""


@dataclass(frozen=True, slots=True)
class SearchIndex:
    pages: int
    seconds: float

    def __str__(self) -> str:
        return f"{self.pages} pages indexed in {self.seconds:.1f} s"


class SearchFailed(Exception):
    """Pagefind could not index the site; the message says what it printed."""


def search_record(entry_kind: str, date: dt.date | None, terms: Mapping[str, Sequence[Term]]) -> dict:
    """What the theme writes for Pagefind about one generated page (main.html): the kind of
    entry and its date, shown beside each result, and the filters, taken from the pipeline's
    own records of the page's terms rather than from the page's text."""
    filters = {FILTERS[kind]: [term.title for term in terms.get(kind, ())] for kind in KINDS}
    if date is not None:
        filters["year"] = [str(date.year)]
    return {
        "kind": entry_kind,
        "date": date.isoformat() if date else "",
        "weight": WEIGHTS.get(entry_kind, 1),
        "filters": filters,
    }


def pagefind_command(site_dir: Path, subdir: str = OUTPUT) -> list[str]:
    """The Pagefind run that indexes the built site in `site_dir` into `site_dir/subdir/`."""
    command = [str(get_executable()), "--site", str(site_dir), "--output-subdir", subdir]
    for selector in IGNORED:
        command += ["--exclude-selectors", selector]
    return command


def index_site(site_dir: Path) -> SearchIndex:
    """Run Pagefind over the built site in `site_dir`. The index is written beside the old one
    and then put in its place: Pagefind adds files to its folder and removes none, and the
    pages it serves meanwhile keep a whole index."""
    start = time.perf_counter()
    fresh, old = site_dir / f"{OUTPUT}.new", site_dir / OUTPUT
    shutil.rmtree(fresh, ignore_errors=True)
    result = subprocess.run(pagefind_command(site_dir, fresh.name), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        shutil.rmtree(fresh, ignore_errors=True)
        raise SearchFailed(f"Pagefind could not index {site_dir}: {(result.stderr or result.stdout).strip()}")
    shutil.rmtree(old, ignore_errors=True)
    fresh.rename(old)
    pages = re.search(r"Indexed (\d+) pages?", result.stdout)
    return SearchIndex(int(pages[1]) if pages else 0, time.perf_counter() - start)


class PreviewIndexer:
    """Indexes a preview's site folder (`index_site`) in a thread beside it, so that the
    preview reloads without waiting. A request while a run is under way makes it run once
    more when that one ends: a quick run of saves neither waits for Pagefind nor leaves the
    index behind the pages. `report` receives each run's SearchIndex or SearchFailed."""

    def __init__(self, report) -> None:
        self._report = report
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._again: Path | None = None

    def request(self, site_dir: Path) -> None:
        with self._lock:
            if self._thread is not None:
                self._again = site_dir
                return
            self._thread = threading.Thread(target=self._run, args=(site_dir,), daemon=True)
            self._thread.start()

    def wait(self) -> None:
        """Until no run is under way or asked for."""
        while (thread := self._thread) is not None:
            thread.join()

    def _run(self, site_dir: Path) -> None:
        while site_dir is not None:
            try:
                self._report(index_site(site_dir))
            except SearchFailed as error:
                self._report(error)
            with self._lock:
                site_dir, self._again = self._again, None
                if site_dir is None:
                    self._thread = None


def indexed_element(html: str) -> str:
    """The part of a page Pagefind reads: its indexed element, in a document of the page's
    language (a tenth of the page, whose header, navigation and footer it would skip anyway);
    "" when the page has none."""
    start, end = html.find(INDEXED), html.find(INDEXED_END)
    if start == -1 or end < start:
        return ""
    language = re.search(r'<html\b[^>]*\blang="([^"]*)"', html[:start])
    head = f'<html lang="{language[1]}">' if language else "<html>"
    return f"{head}<body>{html[start : end + len(INDEXED_END)]}</body></html>"


class SearchIndexer:
    """Pagefind's indexing service, fed page by page during a build: `add` hands over each
    page as it is written; Pagefind indexes it in a process of its own, on another core,
    while the build renders the next; `finish` writes the index into `site_dir/pagefind/`.
    Pages without `INDEXED` are not sent.

    It speaks the service's protocol (`pagefind --service`: base64-encoded JSON messages
    ended by a comma, answered in kind) itself: the `pagefind` package's client waits 0.1 s
    before reading each answer, which would add 100 s to indexing 1,000 pages."""

    def __init__(self, site_dir: Path) -> None:
        self._site_dir = site_dir
        self._start = time.perf_counter()
        self._process = subprocess.Popen(
            [str(get_executable()), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        self._answers: dict[int, dict] = {}
        self._answered = threading.Condition()
        self._sent = 0
        threading.Thread(target=self._read_answers, daemon=True).start()
        self._index_id = self._ask({"type": "NewIndex", "config": {"exclude_selectors": list(IGNORED)}})["index_id"]
        self._pages: list[int] = []

    def add(self, dest_uri: str, html: str) -> None:
        """Index the page written at `dest_uri` (e.g. `blog/2015/01/slug/index.html`)."""
        if content := indexed_element(html):
            request = {"type": "AddFile", "index_id": self._index_id, "file_path": dest_uri, "file_contents": content}
            self._pages.append(self._send(request))

    def finish(self) -> SearchIndex:
        """Wait until every page is indexed, and write the index."""
        try:
            for message_id in self._pages:
                self._answer(message_id)
            output = str(self._site_dir / OUTPUT)
            self._ask({"type": "WriteFiles", "index_id": self._index_id, "output_path": output})
        finally:
            self.abandon()
        return SearchIndex(len(self._pages), time.perf_counter() - self._start)

    def abandon(self) -> None:
        """Stop the service; without `finish` first, no index is written (the build failed)."""
        if self._process.stdin:
            self._process.stdin.close()
        self._process.wait()

    def _ask(self, payload: dict) -> dict:
        return self._answer(self._send(payload))

    def _send(self, payload: dict) -> int:
        self._sent += 1
        message = json.dumps({"message_id": self._sent, "payload": payload}).encode()
        self._process.stdin.write(base64.b64encode(message) + b",")
        self._process.stdin.flush()
        return self._sent

    def _answer(self, message_id: int) -> dict:
        """The service's answer to message `message_id`, once it has come."""
        with self._answered:
            self._answered.wait_for(lambda: message_id in self._answers or None in self._answers)
            payload = self._answers.pop(message_id, None) or self._answers[None]
        if payload["type"] == "Error":
            raise SearchFailed(f"Pagefind could not index {self._site_dir}: {payload['message']}")
        return payload

    def _read_answers(self) -> None:
        """Read the service's answers as they come (unread, they would fill the pipe and stall it)."""
        pending = b""
        while chunk := self._process.stdout.read1(1 << 16):
            *messages, pending = (pending + chunk).split(b",")  # base64 has no comma
            with self._answered:
                for message in messages:
                    answer = json.loads(base64.b64decode(message))
                    self._answers[answer.get("message_id")] = answer["payload"]
                self._answered.notify_all()
        with self._answered:  # the service stopped: whoever still waits hears it
            self._answers.setdefault(None, {"type": "Error", "message": "the Pagefind service stopped"})
            self._answered.notify_all()
