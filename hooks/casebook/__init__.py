"""The casebook pipeline: plain functions that turn posts, case studies and the vocabulary
into the pages of the site. Nothing in this package imports MkDocs."""

from .cache import (
    CODE_STAMP,
    GeneratedStore,
    Outputs,
    Plan,
    SourceMemo,
    apply_plan,
    digest,
    file_signature,
    nav_paths,
    plan_rebuild,
    prune_stores,
    store_folder,
    theme_stamp,
)
from .model import Problem, Settings, Site
from .pipeline import Checked, build_site, check_content, edit_base, read_settings
from .sanitize import sanitize_page
from .search import PreviewIndexer, SearchFailed, SearchIndexer, index_site
from .templates import TemplateMemo

__all__ = [
    "CODE_STAMP",
    "Checked",
    "GeneratedStore",
    "Outputs",
    "Plan",
    "PreviewIndexer",
    "Problem",
    "SearchFailed",
    "SearchIndexer",
    "Settings",
    "Site",
    "TemplateMemo",
    "SourceMemo",
    "apply_plan",
    "build_site",
    "check_content",
    "digest",
    "edit_base",
    "file_signature",
    "index_site",
    "nav_paths",
    "plan_rebuild",
    "prune_stores",
    "read_settings",
    "sanitize_page",
    "store_folder",
    "theme_stamp",
]
