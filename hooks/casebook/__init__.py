"""The casebook pipeline: plain functions that turn posts, case studies and the vocabulary
into the pages of the site. Nothing in this package imports MkDocs."""

from .model import Problem, Settings, Site
from .pipeline import Checked, build_site, check_content, edit_base, read_settings
from .sanitize import sanitize_page
from .search import SearchFailed, SearchIndexer, index_site

__all__ = [
    "Checked",
    "Problem",
    "SearchFailed",
    "SearchIndexer",
    "Settings",
    "Site",
    "build_site",
    "check_content",
    "edit_base",
    "index_site",
    "read_settings",
    "sanitize_page",
]
