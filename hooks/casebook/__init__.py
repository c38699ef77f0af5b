"""The casebook pipeline: plain functions that turn posts, case studies and the vocabulary
into the pages of the site. Nothing in this package imports MkDocs.

Layers, each importing only those before it (tests/test_layers.py): the shared records
(`model`, `text`, `urls`, `settings`); `content` (reading and checking the sources); `index`
(the archive); `site` (the outputs); `pipeline` (which wires them); then `publish`
(sanitising, search), `preview` (the serve session) and `tools` (the command-line tools)."""

from .model import Problem
from .pipeline import Checked, Sources, build_site, check_content
from .preview.memo import digest
from .preview.session import ServeSession
from .publish.sanitize import sanitize_page
from .publish.search import SearchFailed, SearchIndexer, index_site
from .settings import Settings, edit_base, read_settings
from .site.outputs import DRAFT, FILE, NAV, PLACES, UNLISTED, Output, Site

__all__ = [
    "DRAFT",
    "FILE",
    "NAV",
    "PLACES",
    "UNLISTED",
    "Checked",
    "Output",
    "Problem",
    "SearchFailed",
    "SearchIndexer",
    "ServeSession",
    "Settings",
    "Site",
    "Sources",
    "build_site",
    "check_content",
    "digest",
    "edit_base",
    "index_site",
    "read_settings",
    "sanitize_page",
]
