"""The vocabulary's pages: a page per lesson, partner and model with the passages that
carry it, an overview per kind, the matrix of partners by models, and the open-data JSON
exports of every term with its entries."""

from __future__ import annotations

import json

from ..index import Archive, Evidence
from ..model import KINDS, Term, source_name
from ..settings import Settings
from ..tagging import MENTIONED, TAGGED
from ..urls import src_uri_to_url
from .entries import edit_url, search_record
from .feeds import feed_paths
from .outputs import NAV, UNLISTED, Output
from .reuse import Reuse, make_anew
from .templates import Render

MATRIX = "matrix.md"
MATRIX_ROWS = 30
MATRIX_COLUMNS = 20
"""The most rows and columns a table of the matrix shows: those with the most entries."""
NEIGHBOURS = 12
"""The most terms of each kind a term page lists as carried together with it."""
ORG_KINDS = {
    "government agency": "Governments and public agencies",
    "civic tech organization": "Civic tech organizations",
    "network": "Networks",
    "funder": "Funders",
    "company": "Companies",
    "university": "Universities",
    "research institute": "Research institutes",
}
"""The partners overview's groups, in order, with their headings."""
KIND_TITLES = {"lessons": "Lessons", "partners": "Partners", "models": "Models of collaboration"}


def render_terms(
    archive: Archive, render: Render, settings: Settings, reuse: Reuse = make_anew
) -> list[tuple[str, Output]]:
    """A page per term, an overview per kind, the matrix, and the open-data JSON files, these
    made again only when `reuse` has none for the same terms and evidence."""
    terms = archive.term_by_key
    vocabulary_file = source_name(settings.taxonomy_file, settings.root)
    vocabulary = edit_url(settings, vocabulary_file)
    outputs = []
    by_source = {entry.source: entry for entry in archive.entries.values()}
    for term in archive.terms:
        evidence = archive.evidence.get(term.key, ())
        together = archive.together.get(term.key, {})
        text = render(
            "term.md",
            term.src_uri,
            term=term,
            meta={
                "edit": vocabulary,
                "feeds": [[term.title, *feed_paths(src_uri_to_url(term.src_uri))]],
                "search": search_record("Topic", None, {term.kind: [term]}),
            },
            studies=_by_source(e for e in evidence if e.kind != "post"),
            posts=_by_year(e for e in evidence if e.kind == "post" and e.relation == TAGGED),
            mentions=_by_year(e for e in evidence if e.relation == MENTIONED),
            described_from=[by_source[source] for source in term.sources if source in by_source],
            neighbours={
                kind: [
                    terms[k]
                    for k in sorted(
                        (k for k in together if k[0] == kind and k in terms),
                        key=lambda k: (-together[k], terms[k].title),
                    )[:NEIGHBOURS]
                ]
                for kind in KINDS
            },
        )
        outputs.append((term.src_uri, Output(text, UNLISTED, vocabulary_file, term.line)))
    for kind in KINDS:
        src_uri = f"{kind}/index.md"
        listed = [t for t in archive.terms if t.kind == kind]
        text = render(
            "terms.md",
            src_uri,
            kind=kind,
            title=KIND_TITLES[kind],
            groups=_groups(listed),
            counts={t.key: _counts(archive.evidence.get(t.key, ())) for t in listed},
        )
        outputs.append((src_uri, Output(text, NAV)))
    text = render(
        "matrix.md",
        MATRIX,
        tables=[
            _matrix(archive, "partners", "models", "Partners by models of collaboration"),
            _matrix(archive, "lessons", "partners", "Lessons by partners"),
        ],
    )
    outputs.append((MATRIX, Output(text, NAV)))
    return outputs + _exports(archive, reuse)


def _exports(archive: Archive, reuse: Reuse) -> list[tuple[str, Output]]:
    """The open-data JSON files: every term with its entries, all together and by kind. Each
    term's record is written as JSON on its own, made again only when `reuse` has none for
    the term and its evidence, and the files join the records as `json.dumps` would (with
    `indent=1`, a value's lines are the same inside a list, one level deeper)."""
    records = {kind: [] for kind in KINDS}
    for term in archive.terms:
        key = ("export", term, archive.evidence.get(term.key, ()))
        records[term.kind].append(reuse(key, lambda term=term: _json(_term_record(term, archive)).rstrip("\n")))
    kinds = [f' "{kind}": ' + _json_list(records[kind], " ") for kind in KINDS]
    outputs = [("api/terms.json", Output("{\n" + ",\n".join(kinds) + "\n}\n"))]
    for kind in KINDS:
        outputs.append((f"api/{kind}.json", Output(_json_list(records[kind], "") + "\n")))
    return outputs


def _json_list(items: list[str], indent: str) -> str:
    """The JSON list of `items` (each a value as `_json` writes it) at the depth of `indent`."""
    if not items:
        return "[]"
    lines = ",\n".join(indent + " " + item.replace("\n", "\n" + indent + " ") for item in items)
    return "[\n" + lines + "\n" + indent + "]"


def _matrix(archive: Archive, rows: str, columns: str, title: str) -> dict:
    """Counts of items tagged with both a row term and a column term: the `MATRIX_ROWS` rows and
    `MATRIX_COLUMNS` columns with the most, in the vocabulary's order; empty ones left out."""
    row_terms = [t for t in archive.terms if t.kind == rows]
    column_terms = [t for t in archive.terms if t.kind == columns]
    cells = {(r.key, c.key): archive.together.get(r.key, {}).get(c.key, 0) for r in row_terms for c in column_terms}
    row_totals = {r.key: sum(cells[r.key, c.key] for c in column_terms) for r in row_terms}
    shown_rows = _most(row_terms, row_totals, MATRIX_ROWS)
    column_totals = {c.key: sum(cells[r.key, c.key] for r in shown_rows) for c in column_terms}
    shown_columns = _most(column_terms, column_totals, MATRIX_COLUMNS)
    return {
        "title": title,
        "rows": shown_rows,
        "columns": shown_columns,
        "cells": cells,
        "kind": rows,
        "left_out": sum(1 for total in row_totals.values() if total) - len(shown_rows),
        "column_kind": columns,
        "columns_left_out": sum(1 for total in column_totals.values() if total) - len(shown_columns),
    }


def _most(terms: list[Term], totals: dict, limit: int) -> list[Term]:
    """The `limit` terms with the highest nonzero totals, in the vocabulary's order."""
    kept = {t.key for t in sorted(terms, key=lambda t: -totals[t.key])[:limit] if totals[t.key]}
    return [t for t in terms if t.key in kept]


def _term_record(term: Term, archive: Archive) -> dict:
    record = {
        "id": term.id,
        "title": term.title,
        "description": term.description,
        "aliases": list(term.aliases),
        "url": term.url,
    }
    if term.kind == "partners":
        record |= {"kind": term.org_kind, "country": term.country, "region": term.region, "website": term.website}
    record["entries"] = [
        {
            "type": e.kind,
            "title": e.title,
            "source": e.source_title,
            "date": e.date.isoformat(),
            "url": src_uri_to_url(e.src_uri) + (f"#{e.anchor}" if e.anchor else ""),
            "passage": e.passage,
            "relation": e.relation,
        }
        for e in archive.evidence.get(term.key, ())
    ]
    return record


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def _counts(evidence: tuple[Evidence, ...]) -> dict[str, int]:
    studies = {e.src_uri for e in evidence if e.kind != "post"}
    return {
        "case studies": len(studies),
        "passages": sum(e.kind != "post" for e in evidence),
        "posts": sum(e.kind == "post" and e.relation == TAGGED for e in evidence),
        "mentions": sum(e.relation == MENTIONED for e in evidence),
    }


def _groups(terms: list[Term]) -> list[tuple[str, list[tuple[str, list[Term]]]]]:
    """Partners by kind of organisation, then by region, each by title (there are hundreds);
    lessons and models in one group, in the vocabulary's order."""
    if not terms or terms[0].kind != "partners":
        return [("", [("", terms)])]
    order = list(ORG_KINDS)
    groups: dict[str, dict[str, list[Term]]] = {}
    for term in sorted(terms, key=lambda t: order.index(t.org_kind) if t.org_kind in order else len(order)):
        groups.setdefault(term.org_kind, {}).setdefault(term.region, []).append(term)
    return [
        (
            ORG_KINDS.get(kind, kind),
            [(region, sorted(ts, key=lambda t: t.title.casefold())) for region, ts in sorted(regions.items())],
        )
        for kind, regions in groups.items()
    ]


def _by_year(evidence) -> list[tuple[int, list[Evidence]]]:
    """Posts' evidence grouped by year, newest first (the evidence is newest first)."""
    years: dict[int, list[Evidence]] = {}
    for item in evidence:
        years.setdefault(item.date.year, []).append(item)
    return list(years.items())


def _by_source(evidence) -> list[tuple[str, str, list[Evidence]]]:
    """Case-study evidence grouped by case study, in order: (title, src_uri, evidence)."""
    groups: dict[str, list[Evidence]] = {}
    for item in evidence:
        groups.setdefault(item.src_uri, []).append(item)
    return [(items[0].source_title, src_uri, items) for src_uri, items in groups.items()]
