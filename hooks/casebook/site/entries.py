"""What the theme needs about one entry (a post or a case study) beside its text: the edit
link, the image, the canonical original of a repost, the schema.org record, the citation in
each style with its downloads and `citation_*` tags, and the record search keeps of it."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping, Sequence

from ..model import KINDS, CaseStudy, Post, Term
from ..settings import Settings
from ..text import without_tags
from .citation import CITE_FILES, PDF_CSS, STYLES, citation_files, citation_tags, format_citation
from .outputs import DRAFT, FILE, Output

PDF_NOT_MADE = (
    "/* The case study's PDF is not made yet, so its link stays hidden: `make pdf` prints it\n"
    "   beside this file and replaces this file with the rule that shows the link. */\n"
)
SCHEMA_TYPES = {"post": "BlogPosting", "page": "WebPage", "case study": "Article"}
"""The schema.org type of each kind of entry."""
SEARCH_WEIGHTS = {"Case study": 4}
"""How much a word counts in each kind of entry, against 1 elsewhere: the case studies are
what the casebook is for, the account a reader searching a project or a problem should meet
first, ahead of the posts written while the work went on."""
SEARCH_FILTERS = {"lessons": "lesson", "partners": "partner", "models": "model"}
"""The filter each kind of term is offered under, by the vocabulary's kind."""


def edit_url(settings: Settings, source: str) -> str:
    """Where `source` (relative to the project root) is edited; "" without an edit base."""
    return settings.edit_base + source if settings.edit_base and source else ""


def entry_meta(
    entry: Post | CaseStudy,
    organizations: frozenset[str],
    settings: Settings,
    cite: dict | None = None,
    image: str = "",
) -> dict:
    """What the theme's head needs about an entry: the edit link, the image, the canonical
    original of a repost, the schema.org record (JSON-LD) and, from the citation record, the
    Highwire Press `citation_*` tags. Authors named in `organizations` (the partners'
    titles) are organisations in JSON-LD, the others people. `image` is the address of an
    image beside the post, which its `image:` names."""
    image = image or getattr(entry, "image", "")
    published = entry.published.isoformat()
    record = {
        "@context": "https://schema.org",
        "@type": SCHEMA_TYPES[entry.kind],
        "url": settings.site_url + entry.url,
        "headline": entry.title,
        "description": getattr(entry, "subtitle", "") or entry.abstract(300),
        "datePublished": published,
        "author": [
            {"@type": "Organization" if n in organizations else "Person", "name": n} for n in entry.author_names
        ],
        "publisher": {"@type": "Organization", "name": getattr(entry, "organization", "") or settings.site_name},
    }
    if image:
        record["image"] = image
    return {
        "edit": edit_url(settings, entry.source),
        "image": image,
        "canonical": getattr(entry, "canonical_url", ""),
        "published": published,
        "ld": record,
        "citation": cite["tags"] if cite else [],
        "pdf_css": cite["pdf_css"] if cite else "",
    }


def citation(
    entry: Post | CaseStudy, record: dict, styles=None, with_pdf: bool = False
) -> tuple[dict, dict[str, Output]]:
    """What the templates and the head need to cite an entry (the citation in each parsed
    CSL style, the downloads, the PDF that `make pdf` writes beside the page when
    `with_pdf`, the `citation_*` tags), and the downloads as outputs beside the page."""
    folder = entry.src_uri.removesuffix(".md") + "/"
    place = DRAFT if getattr(entry, "draft", False) else FILE
    line = entry.lines.get("slug")
    files = {folder + name: Output(text, place, entry.source, line) for name, text in citation_files(record).items()}
    pdf = f"{entry.slug}.pdf" if with_pdf else ""
    if pdf:  # the page asks for it on every build: `make pdf` replaces it once the PDF exists
        files[folder + PDF_CSS] = Output(PDF_NOT_MADE, place, entry.source, line)
    cite = {
        "url": record["URL"],
        "styles": [
            (key, STYLES[key][0], *_both(format_citation(record, style))) for key, style in (styles or {}).items()
        ],
        "files": {name.rsplit(".", 1)[1]: folder + name for name in CITE_FILES},
        "pdf": folder + pdf if pdf else "",
        "pdf_css": folder + PDF_CSS if pdf else "",
        "tags": citation_tags(record, record["URL"] + pdf if pdf else ""),
    }
    return cite, files


def _both(formatted: str) -> tuple[str, str]:
    """A citation as HTML and as the plain text that readers copy."""
    return formatted, html.unescape(without_tags(formatted, ""))


def search_record(entry_kind: str, date: dt.date | None, terms: Mapping[str, Sequence[Term]]) -> dict:
    """What the theme writes for Pagefind about one generated page (main.html): the kind of
    entry and its date, shown beside each result, and the filters, taken from the pipeline's
    own records of the page's terms rather than from the page's text."""
    filters = {SEARCH_FILTERS[kind]: [term.title for term in terms.get(kind, ())] for kind in KINDS}
    if date is not None:
        filters["year"] = [str(date.year)]
    return {
        "kind": entry_kind,
        "date": date.isoformat() if date else "",
        "weight": SEARCH_WEIGHTS.get(entry_kind, 1),
        "filters": filters,
    }
