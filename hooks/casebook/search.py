"""Search: what the theme tells Pagefind about each page, and the run of Pagefind over the
built site, which writes a chunked index into `pagefind/` that the browser fetches a piece at
a time (docs/javascripts/search.js). Pagefind indexes only the element the theme marks with
`data-pagefind-body` (main.html), so the header, the navigation and the listings, which only
repeat what the posts say, stay out."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pagefind_bin import get_executable  # the binary inside the `pagefind[bin]` wheel

from .model import KINDS, Term

OUTPUT = "pagefind"
"""The folder of the site that holds the index and Pagefind's script."""
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


def pagefind_command(site_dir: Path) -> list[str]:
    """The Pagefind run that indexes the built site in `site_dir` into `site_dir/pagefind/`."""
    command = [str(get_executable()), "--site", str(site_dir), "--output-subdir", OUTPUT]
    for selector in IGNORED:
        command += ["--exclude-selectors", selector]
    return command


def index_site(site_dir: Path) -> SearchIndex:
    """Run Pagefind over the built site in `site_dir`."""
    start = time.perf_counter()
    result = subprocess.run(pagefind_command(site_dir), capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SearchFailed(f"Pagefind could not index {site_dir}: {(result.stderr or result.stdout).strip()}")
    pages = re.search(r"Indexed (\d+) pages?", result.stdout)
    return SearchIndex(int(pages[1]) if pages else 0, seconds)
