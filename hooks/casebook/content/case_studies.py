"""Read `case_studies/*.yml`, check each against the JSON Schema, and build `CaseStudy`
records. Every schema violation becomes a `path:line:col` problem pointing at the YAML node."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from collections import Counter
from pathlib import Path

from jsonschema import Draft202012Validator

from ..model import CasePartner, CaseStudy, Figure, Finding, Funding, Lesson, Problem, Section, source_name
from ..urls import is_web_url
from .limits import DENSE_HINT, MAX_MARKS, NOT_TEXT_HINT, dense_markup, not_text
from .schema import check_against_schema, did_you_mean, load_validator
from .yamltext import MAX_YAML_BYTES, SourceError, YamlError, locate, parse_yaml, read_source, text_line

SCHEMA_NAME = "case-study.schema.json"
URL_HINT = "write the full address, with no spaces, quotes or angle brackets"
RAW_HTML = re.compile(r"<(?!https?://)[a-zA-Z!?/]")
RAW_HTML_HINT = "write Markdown; for a < that starts no tag, write &lt;"
KEY_HINT = "write each key as a word followed by a colon, e.g. `title: ...`"


def load_case_studies(folder: Path, root: Path) -> tuple[list[CaseStudy], list[Problem]]:
    """Every case study in `folder` and every problem found in any of them."""
    schema_path = folder / SCHEMA_NAME
    if not schema_path.is_file():
        return [], [
            Problem(
                source_name(schema_path, root),
                None,
                "the case-study schema is missing",
                "restore it from the repository",
            )
        ] if any(folder.glob("*.yml")) else []
    validator = load_validator(schema_path)
    studies, problems = [], []
    for path in sorted(folder.glob("*.yml")):
        study, found = read_case_study(path, root, validator)
        problems += found
        if study is not None:
            studies.append(study)
    return studies, problems


def read_case_study(path: Path, root: Path, validator: Draft202012Validator) -> tuple[CaseStudy | None, list[Problem]]:
    """One case-study file as a record (None when it has problems) and its problems."""
    source = source_name(path, root)
    try:
        text = read_source(path, MAX_YAML_BYTES)
    except SourceError as error:
        return None, [Problem(source, error.line, str(error), error.hint)]
    return parse_case_study(text, source, validator)


def parse_case_study(text: str, source: str, validator: Draft202012Validator) -> tuple[CaseStudy | None, list[Problem]]:
    """A case study's YAML text as a record (None when it has problems) and its problems;
    `source` names it in problems."""
    try:
        data, node = parse_yaml(text)
    except YamlError as error:
        return None, [Problem(source, error.line, f"not valid YAML: {error}", error.hint, error.column)]

    def problem(location: tuple, message: str, hint: str = "", key: bool = False) -> Problem:
        line, column = locate(node, location, key=key)
        return Problem(source, line, message, hint, column)

    if not isinstance(data, dict):
        return None, [problem((), "a case study must be a group of `key: value` lines", "see the schema")]
    odd_keys = [problem(path, "a key here is not text", KEY_HINT) for path in non_text_keys(data)]
    if odd_keys:
        return None, odd_keys
    problems = check_against_schema(data, validator, problem, "the case study")
    problems += check_unique_ids(data, problem)
    problems += check_text(data, problem)
    url = data.get("source", {}).get("url") if isinstance(data.get("source"), dict) else None
    if isinstance(url, str) and not problems and not is_web_url(url):
        problems.append(problem(("source", "url"), f"source.url '{url}' is not a web address", URL_HINT))
    if problems:
        return None, sorted(problems, key=lambda p: (p.line or 0, p.column or 0, p.message))
    return build_case_study(source, data, node), []


def check_unique_ids(data: dict, problem) -> list[Problem]:
    """Lesson, section and partner ids must be unique: they are the page's anchors."""
    problems = []
    for list_name in ("partners", "lessons", "sections"):
        items = data.get(list_name)
        if not isinstance(items, list):
            continue
        counts = Counter(_text_id(item) for item in items)
        seen = set()
        for index, item in enumerate(items):
            item_id = _text_id(item)
            if item_id is not None and counts[item_id] > 1 and item_id in seen:
                problems.append(
                    problem(
                        (list_name, index, "id"),
                        f"{list_name} has the id '{item_id}' twice",
                        "give each item its own id",
                    )
                )
            seen.add(item_id)
    sections, figures = data.get("sections"), data.get("figures")
    section_ids = {_text_id(s) for s in sections if _text_id(s)} if isinstance(sections, list) else set()
    for index, figure in enumerate(figures if isinstance(figures, list) else []):
        section = figure.get("section") if isinstance(figure, dict) else None
        if isinstance(section, str) and section and section not in section_ids:
            problems.append(
                problem(
                    ("figures", index, "section"),
                    f"figure's section '{figure['section']}' is not a section of this case study",
                    did_you_mean(figure["section"], section_ids),
                )
            )
    for path, number in _leaves(data, float):
        if not math.isfinite(number):  # YAML's .nan and .inf are numbers to the schema
            problems.append(
                problem(path, f"{number} is not a number a page can show", "write the number in digits, e.g. 10000")
            )
    return problems


def check_text(data, problem) -> list[Problem]:
    """Case studies are Markdown: raw HTML in them is refused (inside the page's Markdown
    blocks, Python-Markdown can take minutes over unbalanced HTML), and so is a paragraph
    dense enough with marks to slow Markdown down."""
    problems = []
    for path, text in strings(data):
        if RAW_HTML.search(text):
            problems.append(problem(path, "raw HTML is not allowed in a case study", RAW_HTML_HINT))
        elif dense_markup(text):
            problems.append(
                problem(
                    path, f"a paragraph here has more than {MAX_MARKS} Markdown marks or brackets left open", DENSE_HINT
                )
            )
        elif not_text(text):
            problems.append(
                problem(path, f"the text holds the character {not_text(text)}, which is not text", NOT_TEXT_HINT)
            )
    return problems


def strings(data) -> list[tuple[tuple, str]]:
    """(path, text) of every string in `data`."""
    return _leaves(data, str)


def _leaves(data, kind: type, path: tuple = ()):
    """(path, value) of every value of type `kind` in `data`, nested dicts and lists."""
    if isinstance(data, kind):
        return [(path, data)]
    if isinstance(data, dict):
        return [leaf for key, value in data.items() for leaf in _leaves(value, kind, path + (key,))]
    if isinstance(data, list):
        return [leaf for index, value in enumerate(data) for leaf in _leaves(value, kind, path + (index,))]
    return []


def _text_id(item) -> str | None:
    """An item's `id` when it is text (the schema reports any other)."""
    item_id = item.get("id") if isinstance(item, dict) else None
    return item_id if isinstance(item_id, str) else None


def non_text_keys(data, path: tuple = ()) -> list[tuple]:
    """The path of every mapping that has a key which is not text (`? [a]`, `1: x`, a bare `?`):
    the schema's messages name keys as text."""
    found = []
    if isinstance(data, dict):
        if any(not isinstance(key, str) for key in data):
            found.append(path)
        for key, value in data.items():
            found += non_text_keys(value, path + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += non_text_keys(value, path + (index,))
    return found


def build_case_study(source: str, data: dict, node) -> CaseStudy:
    """The record for a schema-valid case study."""
    lines = {"slug": locate(node, ("slug",))[0]}
    lines |= {
        f"related_posts.{n}": locate(node, ("related_posts", n))[0] for n in range(len(data.get("related_posts", ())))
    }
    references = term_references(data, node)
    study = CaseStudy(
        source=source,
        slug=data["slug"],
        title=data["title"],
        subtitle=data.get("subtitle", ""),
        organization=data["organization"],
        authors=tuple((a["name"], a.get("role", "")) for a in data["authors"]),
        published=dt.date.fromisoformat(data["published"]),
        period=(str(data.get("period", {}).get("start", "")), str(data.get("period", {}).get("end", ""))),
        summary=data["summary"],
        source_title=data["source"]["title"],
        source_format=data["source"]["format"],
        source_url=data["source"].get("url", ""),
        source_note=data["source"].get("note", ""),
        featured=data.get("featured", False),
        models=tuple(data["models"]),
        partners=tuple(
            CasePartner(
                id=p["id"],
                name=p["name"],
                role=p["role"],
                country=p.get("country", ""),
                models=tuple(p.get("models", ())),
                outcomes=tuple(p.get("outcomes", ())),
                summary=p.get("summary", ""),
                funding=tuple(Funding(**f) for f in p.get("funding", ())),
            )
            for p in data["partners"]
        ),
        lessons=tuple(
            Lesson(
                id=x["id"],
                title=x["title"],
                body=x["body"],
                partners=tuple(x["partners"]),
                models=tuple(x.get("models", ())),
            )
            for x in data["lessons"]
        ),
        sections=tuple(
            Section(
                id=s["id"],
                title=s["title"],
                group=s["group"],
                body=s.get("body", ""),
                partner=s.get("partner", ""),
                findings_title=s.get("findings_title", ""),
                findings=tuple(
                    Finding(f) if isinstance(f, str) else Finding(f["text"], tuple(f.get("items", ())))
                    for f in s.get("findings", ())
                ),
                benefits=tuple(s.get("benefits", ())),
                challenges=tuple(s.get("challenges", ())),
                takeaways=tuple(s.get("takeaways", ())),
                lessons=tuple(s.get("lessons", ())),
                models=tuple(s.get("models", ())),
            )
            for s in data["sections"]
        ),
        figures=tuple(Figure(**f) for f in data.get("figures", ())),
        related_posts=tuple(data.get("related_posts", ())),
        lines=lines,
        references=references,
    )
    # Where each Markdown text starts, for the problems of its links found once the site is known.
    texts = {key: text_line(node, _key_path(key)) for key, _ in study.markdown_texts()}
    return dataclasses.replace(study, lines=lines | texts)


def _key_path(key: str) -> tuple:
    """The YAML path a `CaseStudy.lines` key names: `sections.2.body` -> ("sections", 2, "body")."""
    return tuple(int(step) if step.isdigit() else step for step in key.split("."))


def unloaded_study_references(folder: Path, root: Path, studies: list[CaseStudy]) -> list[tuple[str, str, str, int]]:
    """(source, kind, term id, line) of every term named by a case-study file that is not among
    `studies` (it has other problems), so that its unknown ids are reported in the same run."""
    loaded = {study.source for study in studies}
    references = []
    for path in sorted(folder.glob("*.yml")):
        source = source_name(path, root)
        if source in loaded:
            continue
        try:
            data, node = parse_yaml(read_source(path, MAX_YAML_BYTES))
        except (SourceError, YamlError):
            continue  # reported by the loader
        references += [(source, *reference) for reference in term_references(data, node)]
    return references


def term_references(data, node) -> tuple[tuple[str, str, int], ...]:
    """(kind, term id, line) of every term a case study's data names by an id (text); whatever
    else is wrong with it, the schema reports."""
    found = []
    for kind, path in _term_paths(data if isinstance(data, dict) else {}):
        value = _value_at(data, path)
        if isinstance(value, str):
            found.append((kind, value, locate(node, path)[0]))
    return tuple(found)


def _term_paths(data: dict):
    """(vocabulary kind, path) of every term reference in a case study's data, as far as it
    has the schema's shape."""
    for index in range(len(_list(data.get("models")))):
        yield "models", ("models", index)
    fields = {
        "partners": (("id", "partners"), ("models", "models")),
        "lessons": (("id", "lessons"), ("partners", "partners"), ("models", "models")),
        "sections": (("partner", "partners"), ("lessons", "lessons"), ("models", "models")),
        "figures": (("partner", "partners"),),
    }
    for list_name, pairs in fields.items():
        for index, item in enumerate(_list(data.get(list_name))):
            if not isinstance(item, dict):
                continue
            for field_name, kind in pairs:
                value = item.get(field_name)
                if isinstance(value, list):
                    yield from ((kind, (list_name, index, field_name, n)) for n in range(len(value)))
                elif value:
                    yield kind, (list_name, index, field_name)
            for n, funding in enumerate(_list(item.get("funding")) if list_name == "partners" else ()):
                if isinstance(funding, dict) and funding.get("partner"):
                    yield "partners", (list_name, index, "funding", n, "partner")


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _value_at(data, path: tuple):
    for step in path:
        data = data[step]
    return data
