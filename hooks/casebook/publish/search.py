"""Search: what the theme tells Pagefind about each page, and Pagefind's indexing, which
writes a chunked index into `pagefind/` that the browser fetches a piece at a time
(docs/javascripts/search.js). Pagefind indexes only the element the theme marks with
`data-pagefind-body` (main.html), so the header, the navigation and the listings, which only
repeat what the posts say, stay out.

Two ways to index: `SearchIndexer` is fed each page as the build writes it and indexes on a
core of its own while the build renders the rest (a full build); `index_site` feeds it the
pages of a finished site folder (a preview that rebuilt only some pages).

Pagefind 1.5 holds about 0.28 MiB per page while it builds an index (2.8 GiB at 10,000
posts), so a site of more pages than `search_bundle_pages` (mkdocs.yml; 15,000 by default) is
indexed in bundles, each by a Pagefind process of its own, written one after another; the
browser merges them into one ranked list (search.js, Pagefind's `mergeIndex`). Each bundle
costs a reader's first search its own metadata and its own chunks for every prefix typed:
measured at 10,000 posts, 4 bundles (2,600 pages each) keep every Pagefind process under
800 MiB (1.6 GiB together, against 2.5 GiB for one index), and the first results of a query
take 579 KB of search files instead of 310."""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
import threading
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

from pagefind_bin import get_executable  # the binary inside the `pagefind[bin]` wheel

from ..settings import SEARCH_BUNDLE_PAGES
from ..site.outputs import SEARCH_OUTPUT as OUTPUT

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
BUNDLES = "bundles.json"
"""In `pagefind/`: the folders of the bundles beyond the first, which search.js merges."""


@dataclass(frozen=True, slots=True)
class SearchIndex:
    pages: int
    seconds: float
    reused: bool = False
    """The index of an earlier build of the same pages (`preview.pagecache.saved_index`)."""

    def __str__(self) -> str:
        if self.reused:
            return "the pages are those of the last build: its index reused (.cache/casebook/search)"
        return f"{self.pages} pages indexed in {self.seconds:.1f} s"


class SearchFailed(Exception):
    """Pagefind could not index the site; the message says what it printed."""


def index_site(site_dir: Path, bundle_pages: int = SEARCH_BUNDLE_PAGES) -> SearchIndex:
    """Index the pages of the built site in `site_dir`. The index is written beside the old one
    and then put in its place: Pagefind adds files to its folder and removes none, and the
    pages it serves meanwhile keep a whole index."""
    fresh, old = site_dir / f"{OUTPUT}.new", site_dir / OUTPUT
    shutil.rmtree(fresh, ignore_errors=True)
    # Each page read once, and only its indexed element kept (a tenth of it): `add` takes an
    # element as it takes a page, since an element's indexed element is itself.
    elements = {}
    for path in site_dir.rglob("*.html"):
        if not path.is_relative_to(old) and (element := indexed_element(path.read_text("utf-8", errors="replace"))):
            elements[path.relative_to(site_dir).as_posix()] = element
    indexer = SearchIndexer(site_dir, len(elements), bundle_pages, fresh.name)
    try:
        for dest_uri, element in elements.items():
            indexer.add(dest_uri, element)
        index = indexer.finish()
    except BaseException:
        indexer.abandon()
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)
    fresh.rename(old)
    return index


class PreviewIndexer:
    """Indexes a preview's site folder (`index_site`) in a thread beside it, so that the
    preview reloads without waiting. A request while a run is under way makes it run once
    more when that one ends: a quick run of saves neither waits for Pagefind nor leaves the
    index behind the pages. `report` receives each run's SearchIndex or SearchFailed."""

    def __init__(self, report) -> None:
        self._report = report
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._again: tuple[Path, int] | None = None

    def request(self, site_dir: Path, bundle_pages: int = SEARCH_BUNDLE_PAGES) -> None:
        with self._lock:
            if self._thread is not None:
                self._again = (site_dir, bundle_pages)
                return
            self._thread = threading.Thread(target=self._run, args=((site_dir, bundle_pages),), daemon=True)
            self._thread.start()

    def wait(self) -> None:
        """Until no run is under way or asked for."""
        while (thread := self._thread) is not None:
            thread.join()

    def _run(self, job: tuple[Path, int] | None) -> None:
        while job is not None:
            try:
                self._report(index_site(*job))
            except SearchFailed as error:
                self._report(error)
            with self._lock:
                job, self._again = self._again, None
                if job is None:
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
    """Pagefind's indexing, fed page by page during a build: `add` hands over each page as it
    is written; Pagefind indexes it in a process of its own, on another core, while the build
    renders the next; `finish` writes the index into `site_dir/pagefind/`. Pages without
    `INDEXED` are not sent. When `pages`, about how many pages are to come, exceed
    `bundle_pages`, a page goes to the bundle its address picks (a hash: bundles of pages alike,
    say of one year, would each rank words by their own rarity and skew the merged ranking)."""

    def __init__(
        self, site_dir: Path, pages: int = 0, bundle_pages: int = SEARCH_BUNDLE_PAGES, output: str = OUTPUT
    ) -> None:
        self._site_dir = site_dir
        self._output = site_dir / output
        self._start = time.perf_counter()
        self._bundles = [_Service(site_dir) for _ in range(max(1, -(-pages // bundle_pages)))]
        self._pages = 0

    def add(self, dest_uri: str, html: str) -> None:
        """Index the page written at `dest_uri` (e.g. `blog/2015/01/slug/index.html`)."""
        if content := indexed_element(html):
            self._bundles[zlib.crc32(dest_uri.encode()) % len(self._bundles)].add(dest_uri, content)
            self._pages += 1

    def finish(self) -> SearchIndex:
        """Wait until every page is indexed, and write the bundles one after another, each
        process ending before the next writes (writing is when Pagefind's memory peaks)."""
        folders = [f"bundle-{number}/" for number in range(2, len(self._bundles) + 1)]
        try:
            for bundle, folder in zip(self._bundles, ["", *folders], strict=True):
                bundle.write(self._output / folder)
                bundle.stop()
        finally:
            self.abandon()
        (self._output / BUNDLES).write_text(json.dumps({"bundles": folders}) + "\n", encoding="utf-8")
        return SearchIndex(self._pages, time.perf_counter() - self._start)

    def abandon(self) -> None:
        """Stop every Pagefind process; without `finish` first, no index is written (the build failed)."""
        for bundle in self._bundles:
            bundle.stop()


class _Service:
    """One Pagefind indexing service (`pagefind --service`) and its index. It speaks the
    service's protocol (base64-encoded JSON messages ended by a comma, answered in kind)
    itself: the `pagefind` package's client waits 0.1 s before reading each answer, which
    would add 100 s to indexing 1,000 pages."""

    ANSWER_SECONDS = 600.0
    """How long to wait for one answer before taking the service for hung: far longer than
    Pagefind takes to write the index of 10,000 pages (about 30 s here)."""

    def __init__(self, site_dir: Path, answer_seconds: float = ANSWER_SECONDS) -> None:
        self._site_dir = site_dir
        self._answer_seconds = answer_seconds
        self.process = subprocess.Popen(
            [str(get_executable()), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        self._answers: dict[int, dict] = {}
        self._answered = threading.Condition()
        self._sent = 0
        threading.Thread(target=self._read_answers, daemon=True).start()
        self._index_id = self._ask({"type": "NewIndex", "config": {"exclude_selectors": list(IGNORED)}})["index_id"]
        self._pages: list[int] = []

    def add(self, dest_uri: str, content: str) -> None:
        request = {"type": "AddFile", "index_id": self._index_id, "file_path": dest_uri, "file_contents": content}
        self._pages.append(self._send(request))

    def write(self, output: Path) -> None:
        """Wait until every page sent is indexed, and write the index into `output`."""
        for message_id in self._pages:
            self._answer(message_id)
        self._ask({"type": "WriteFiles", "index_id": self._index_id, "output_path": str(output)})

    def stop(self) -> None:
        """End the service, whatever state it is in: closing its input ends a live one; one
        that died leaves a broken pipe (closing flushes into it), one that hangs is killed."""
        try:
            self.process.stdin.close()
        except OSError:  # BrokenPipeError: the process is gone already
            pass
        try:
            self.process.wait(timeout=self._answer_seconds)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def _ask(self, payload: dict) -> dict:
        return self._answer(self._send(payload))

    def _send(self, payload: dict) -> int:
        self._sent += 1
        message = json.dumps({"message_id": self._sent, "payload": payload}).encode()
        try:
            self.process.stdin.write(base64.b64encode(message) + b",")
            self.process.stdin.flush()
        except OSError as error:  # BrokenPipeError, or ValueError's kin on a closed pipe
            raise _failed(f"stopped ({error.strerror or error})") from None
        return self._sent

    def _answer(self, message_id: int) -> dict:
        """The service's answer to message `message_id`, once it has come."""
        with self._answered:
            answered = self._answered.wait_for(
                lambda: message_id in self._answers or None in self._answers, timeout=self._answer_seconds
            )
            if not answered:
                self.process.kill()
                raise _failed(f"gave no answer in {self._answer_seconds:g} s")
            payload = self._answers.pop(message_id, None) or self._answers[None]
        if payload["type"] == "Error":
            raise _failed(f"said: {payload['message']}")
        return payload

    def _read_answers(self) -> None:
        """Read the service's answers as they come (unread, they would fill the pipe and stall it)."""
        pending = b""
        while chunk := self.process.stdout.read1(1 << 16):
            *messages, pending = (pending + chunk).split(b",")  # base64 has no comma
            with self._answered:
                for message in messages:
                    answer = json.loads(base64.b64decode(message))
                    self._answers[answer.get("message_id")] = answer["payload"]
                self._answered.notify_all()
        with self._answered:  # the service stopped: whoever still waits hears it
            self._answers.setdefault(None, {"type": "Error", "message": "its service stopped"})
            self._answered.notify_all()


def _failed(what: str) -> SearchFailed:
    return SearchFailed(
        f"the search index could not be made: Pagefind, which makes it, {what}. "
        "Build again; if it happens again, `search: false` under `extra: casebook:` in mkdocs.yml "
        "builds the site without search (and please report the message)"
    )
