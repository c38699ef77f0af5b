"""How to cite a case study or a post: its CSL-JSON record, the citations formatted by a CSL
processor (citeproc-py) with the official styles committed in `csl/`, the BibTeX, RIS and
CSL-JSON downloads, and the Highwire Press `citation_*` tags that Zotero and Google Scholar read.
Plain functions; nothing here knows MkDocs."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

from ..model import CaseStudy, Post
from ..settings import Settings

CSL_DIR = Path(__file__).with_name("csl")
STYLES = {
    "apa": ("APA", "apa.csl"),
    "chicago": ("Chicago (author-date)", "chicago-author-date-16th-edition.csl"),
}
"""Key: (label shown to readers, CSL file in `csl/`). See csl/README.md for why Chicago's
16th-edition file."""
CITE_FILES = ("cite.bib", "cite.ris", "cite.json")
"""The downloads written beside each page, e.g. `case-studies/slug/cite.bib`."""
PDF_CSS = "pdf.css"
"""Written beside a case study by `make pdf` once its PDF exists: the stylesheet that shows the
page's link to the PDF, hidden until then (scripts/make_pdf.py)."""

# citeproc-py copies some variables into its HTML output without escaping them: such
# characters travel through it as private-use stand-ins and are escaped on the way out.
_STAND_INS = {"&": "\ue000", "<": "\ue001", ">": "\ue002"}
_TO_STAND_INS = str.maketrans(_STAND_INS)
_FROM_STAND_INS = {"\ue000": "&amp;", "\ue001": "&lt;", "\ue002": "&gt;"}
_PARTICLES = {"al", "bin", "da", "das", "de", "del", "della", "den", "der", "di", "do", "dos", "du", "la", "le"}
_PARTICLES |= {"ten", "ter", "van", "von", "zu"}
_LATEX_ESCAPES = str.maketrans(
    {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#"}
    | {"_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def citation_record(entry: Post | CaseStudy, settings: Settings, organizations: frozenset[str] = frozenset()) -> dict:
    """The entry's CSL-JSON item: a case study is a report by its organization, a post an
    entry of the site's blog. `organizations` are author names that are not people."""
    if isinstance(entry, CaseStudy):
        record = {"id": entry.slug, "type": "report", "genre": "Case study"}
        publisher, abstract = entry.organization or settings.site_name, entry.abstract(2000)
    else:
        record = {"id": entry.slug, "type": "post-weblog", "container-title": settings.site_name}
        publisher, abstract = settings.site_name, entry.summary
    day = entry.date
    record |= {
        "title": entry.title,
        "author": [csl_name(name, organizations) for name in entry.author_names],
        "issued": {"date-parts": [[day.year, day.month, day.day]]},
        "publisher": publisher,
        "URL": settings.site_url + entry.url,
    }
    if abstract:
        record["abstract"] = abstract
    return record


def csl_name(name: str, organizations: frozenset[str] = frozenset()) -> dict:
    """`Lynn Fine` -> {family: Fine, given: Lynn}; `Fine, Lynn` likewise; `Ludwig van Beethoven`
    -> {family: van Beethoven, given: Ludwig}; an organization, a single word, or a name with
    other lowercase words (`Code for America`) -> {literal: ...}."""
    name = " ".join(name.split())
    if "," in name and name not in organizations:
        family, given = (part.strip() for part in name.split(",", 1))
        return {"family": family, "given": given} if family and given else {"literal": name}
    words = name.split(" ")
    if name in organizations or len(words) < 2 or any(w.islower() and w not in _PARTICLES for w in words):
        return {"literal": name}
    start = len(words) - 1
    while start > 1 and words[start - 1] in _PARTICLES:
        start -= 1
    return {"family": " ".join(words[start:]), "given": " ".join(words[:start])}


def name_text(name: dict) -> str:
    """`Fine, Lynn`, or the literal name: how `citation_author`, RIS and BibTeX write a name."""
    return name.get("literal") or f"{name['family']}, {name['given']}"


def load_styles() -> dict:
    """The committed CSL styles, parsed: once per build, then shared by every entry."""
    from citeproc import CitationStylesStyle  # imported here: only building pages needs it

    with warnings.catch_warnings():
        # The schema check is the test suite's job (tests/test_citation.py); skip it here.
        warnings.simplefilter("ignore")
        return {key: CitationStylesStyle(str(CSL_DIR / file), validate=False) for key, (_, file) in STYLES.items()}


def format_citation(record: dict, style) -> str:
    """The record's bibliography entry in a parsed CSL style, as HTML (`<i>` for titles)."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    source = CiteProcJSON([_stand_ins(record)])
    bibliography = CitationStylesBibliography(style, source, formatter.html)
    bibliography.register(Citation([CitationItem(record["id"])]))
    text = str(bibliography.bibliography()[0])
    return re.sub("[\ue000-\ue002]", lambda m: _FROM_STAND_INS[m.group()], text)


def render_bibtex(record: dict) -> str:
    """One BibTeX entry: `@techreport` for a case study, `@misc` for a post (as Zotero exports
    them); UTF-8, LaTeX's special characters escaped, the title's capitals protected."""
    report = record["type"] == "report"
    day = record["issued"]["date-parts"][0]
    fields = [
        ("author", " and ".join(_bibtex_name(n) for n in record["author"])),
        ("title", "{" + _latex(record["title"]) + "}"),
        ("institution" if report else "howpublished", _latex(record["publisher"])),
        ("type", _latex(record.get("genre", ""))),
        ("year", str(day[0])),
        ("month", _MONTHS[day[1] - 1] if len(day) > 1 else ""),
        ("url", record["URL"]),
        ("abstract", _latex(record.get("abstract", ""))),
    ]
    lines = [f"  {key} = {value}" if key == "month" else f"  {key} = {{{value}}}" for key, value in fields if value]
    kind = "techreport" if report else "misc"
    return f"@{kind}{{{_bibtex_key(record['id'])},\n" + ",\n".join(lines) + "\n}\n"


def render_ris(record: dict) -> str:
    """One RIS record: `RPRT` for a case study, `BLOG` for a post."""
    day = record["issued"]["date-parts"][0]
    date = "/".join(f"{part:02d}" for part in day) + "/"
    tags = [("TY", "RPRT" if record["type"] == "report" else "BLOG"), ("ID", record["id"])]
    tags += [("TI", record["title"])] + [("AU", name_text(name)) for name in record["author"]]
    tags += [("PY", str(day[0])), ("DA", date), ("PB", record["publisher"])]
    tags += [("T2", record.get("container-title", "")), ("M3", record.get("genre", ""))]
    tags += [("UR", record["URL"]), ("AB", record.get("abstract", "")), ("ER", "")]
    return "".join(f"{tag}  - {' '.join(value.split())}\r\n" for tag, value in tags if value or tag == "ER")


def render_csl_json(record: dict) -> str:
    """The CSL-JSON file: a list holding the one record."""
    return json.dumps([record], ensure_ascii=False, indent=1) + "\n"


def citation_files(record: dict) -> dict[str, str]:
    """File name -> content of the three downloads."""
    return dict(zip(CITE_FILES, (render_bibtex(record), render_ris(record), render_csl_json(record)), strict=True))


def citation_tags(record: dict, pdf_url: str = "") -> list[tuple[str, str]]:
    """The Highwire Press tags, (name, content), from the same record as the downloads."""
    day = record["issued"]["date-parts"][0]
    tags = [("citation_title", record["title"])]
    tags += [("citation_author", name_text(name)) for name in record["author"]]
    tags += [("citation_publication_date", "/".join(f"{part:02d}" for part in day))]
    tags += [("citation_publisher", record["publisher"]), ("citation_public_url", record["URL"])]
    if record["type"] == "report":
        tags.append(("citation_technical_report_institution", record["publisher"]))
    if pdf_url:
        tags.append(("citation_pdf_url", pdf_url))
    return tags


def _stand_ins(value):
    if isinstance(value, str):
        return value.translate(_TO_STAND_INS)
    if isinstance(value, list):
        return [_stand_ins(item) for item in value]
    if isinstance(value, dict):
        return {key: _stand_ins(item) for key, item in value.items()}
    return value


def _latex(text: str) -> str:
    """Text for a BibTeX field in braces: LaTeX's special characters escaped."""
    return " ".join(text.split()).translate(_LATEX_ESCAPES)


def _bibtex_name(name: dict) -> str:
    if "literal" in name:
        return "{" + _latex(name["literal"]) + "}"  # braces: BibTeX must not split an organization
    return f"{_latex(name['family'])}, {_latex(name['given'])}"


def _bibtex_key(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9_:.-]", "-", key) or "entry"
