"""Read `case_studies/*.yml`, check each against the JSON Schema, and build `CaseStudy`
records. Every schema violation becomes a `path:line:col` problem pointing at the YAML node."""

from __future__ import annotations

import datetime as dt
import difflib
import json
from collections import Counter
from pathlib import Path

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from .model import CasePartner, CaseStudy, Figure, Finding, Funding, Lesson, Problem, Section
from .yamltext import YamlError, locate, parse_yaml

SCHEMA_NAME = "case-study.schema.json"
TYPE_NAMES = {
    "string": "text", "array": "a list", "object": "a group of `key: value` lines",
    "number": "a number", "integer": "a whole number", "boolean": "true or false", "null": "empty",
}


def load_case_studies(folder: Path, root: Path) -> tuple[list[CaseStudy], list[Problem]]:
    """Every case study in `folder` and every problem found in any of them."""
    schema_path = folder / SCHEMA_NAME
    if not schema_path.is_file():
        return [], [Problem(_relative(schema_path, root), None, "the case-study schema is missing",
                            "restore it from the repository")] if any(folder.glob("*.yml")) else []
    validator = Draft202012Validator(json.loads(schema_path.read_text(encoding="utf-8")),
                                     format_checker=Draft202012Validator.FORMAT_CHECKER)
    studies, problems = [], []
    for path in sorted(folder.glob("*.yml")):
        study, found = read_case_study(path, root, validator)
        problems += found
        if study is not None:
            studies.append(study)
    return studies, problems


def read_case_study(path: Path, root: Path, validator: Draft202012Validator) -> tuple[CaseStudy | None, list[Problem]]:
    """One case-study file as a record (None when it has problems) and its problems."""
    source = _relative(path, root)
    try:
        data, node = parse_yaml(path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n"))
    except UnicodeDecodeError:
        return None, [Problem(source, 1, "the file is not UTF-8 text", "save the file with UTF-8 encoding")]
    except YamlError as error:
        return None, [Problem(source, error.line, f"not valid YAML: {error}",
                              "check the indentation, and put quotes around values that contain ': '",
                              error.column)]

    def problem(location: tuple, message: str, hint: str = "", key: bool = False) -> Problem:
        line, column = locate(node, location, key=key)
        return Problem(source, line, message, hint, column)

    if not isinstance(data, dict):
        return None, [problem((), "a case study must be a group of `key: value` lines", "see the schema")]
    problems = [p for error in validator.iter_errors(data) for p in explain(error, problem)]
    problems += check_unique_ids(data, problem)
    if problems:
        return None, sorted(problems, key=lambda p: (p.line or 0, p.column or 0, p.message))
    return build_case_study(source, data, node), []


def explain(error: ValidationError, problem) -> list[Problem]:
    """A schema error in words a contributor understands, at the node it is about."""
    where = tuple(error.absolute_path)
    name = _name(where)
    validator, expected, instance = error.validator, error.validator_value, error.instance
    if validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        return [
            problem(where + (key,), f"unknown key '{key}'" + (f" in {name}" if name else ""),
                    _did_you_mean(key, allowed) or f"allowed keys: {', '.join(allowed)}", key=True)
            for key in instance if key not in allowed
        ]
    if validator == "required":
        missing = [key for key in expected if key not in instance]
        return [problem(where, f"{name or 'the case study'} is missing '{key}'", f"add `{key}: ...`")
                for key in missing]
    if validator == "type":
        wanted = " or ".join(TYPE_NAMES.get(t, t) for t in ([expected] if isinstance(expected, str) else expected))
        return [problem(where, f"{name} should be {wanted}, not {_describe(instance)}")]
    if validator == "format" and expected == "date":
        return [problem(where, f"{name} '{instance}' is not a real date", "write it as YYYY-MM-DD, e.g. 2015-01-20")]
    if validator == "pattern":
        hint = "use lowercase letters, digits and hyphens, e.g. code-for-germany" if "a-z0-9" in expected else \
            f"it must match {expected}"
        return [problem(where, f"{name} '{instance}' is not in the expected form", hint)]
    if validator == "minItems":
        return [problem(where, f"{name} needs at least {expected} item{'s' if expected != 1 else ''}")]
    if validator == "enum":
        return [problem(where, f"{name} '{instance}' is not one of: {', '.join(map(str, expected))}",
                        _did_you_mean(str(instance), [str(e) for e in expected]))]
    if validator == "uniqueItems":
        return [problem(where, f"{name} lists the same item twice", "remove the repeated item")]
    return [problem(where, f"{name or 'the case study'}: {error.message}")]


def check_unique_ids(data: dict, problem) -> list[Problem]:
    """Lesson, section and partner ids must be unique: they are the page's anchors."""
    problems = []
    for list_name in ("partners", "lessons", "sections"):
        items = data.get(list_name)
        if not isinstance(items, list):
            continue
        counts = Counter(item.get("id") for item in items if isinstance(item, dict))
        seen = set()
        for index, item in enumerate(items):
            item_id = item.get("id") if isinstance(item, dict) else None
            if item_id is not None and counts[item_id] > 1 and item_id in seen:
                problems.append(problem((list_name, index, "id"), f"{list_name} has the id '{item_id}' twice",
                                        "give each item its own id"))
            seen.add(item_id)
    section_ids = {s.get("id") for s in data.get("sections") or [] if isinstance(s, dict)}
    for index, figure in enumerate(data.get("figures") or []):
        if isinstance(figure, dict) and figure.get("section") and figure["section"] not in section_ids:
            problems.append(problem(("figures", index, "section"), f"figure's section '{figure['section']}' is not"
                                    " a section of this case study", _did_you_mean(figure["section"], section_ids)))
    return problems


def build_case_study(source: str, data: dict, node) -> CaseStudy:
    """The record for a schema-valid case study."""
    lines = {"slug": locate(node, ("slug",))[0]}
    for path in [*_term_paths(data), *(("related_posts", n) for n in range(len(data.get("related_posts", ()))))]:
        lines[".".join(map(str, path))] = locate(node, path)[0]
    return CaseStudy(
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
                id=p["id"], name=p["name"], role=p["role"], country=p.get("country", ""),
                models=tuple(p.get("models", ())), outcomes=tuple(p.get("outcomes", ())),
                summary=p.get("summary", ""), funding=tuple(Funding(**f) for f in p.get("funding", ())),
            )
            for p in data["partners"]
        ),
        lessons=tuple(
            Lesson(id=x["id"], title=x["title"], body=x["body"], partners=tuple(x["partners"]),
                   models=tuple(x.get("models", ())))
            for x in data["lessons"]
        ),
        sections=tuple(
            Section(
                id=s["id"], title=s["title"], group=s["group"], body=s.get("body", ""), partner=s.get("partner", ""),
                findings_title=s.get("findings_title", ""),
                findings=tuple(Finding(f) if isinstance(f, str) else Finding(f["text"], tuple(f.get("items", ())))
                               for f in s.get("findings", ())),
                benefits=tuple(s.get("benefits", ())), challenges=tuple(s.get("challenges", ())),
                takeaways=tuple(s.get("takeaways", ())), lessons=tuple(s.get("lessons", ())),
                models=tuple(s.get("models", ())),
            )
            for s in data["sections"]
        ),
        figures=tuple(Figure(**f) for f in data.get("figures", ())),
        related_posts=tuple(data.get("related_posts", ())),
        lines=lines,
    )


def _term_paths(data: dict):
    """Paths of every term reference (partner, lesson and model ids) in a case study."""
    for index, model in enumerate(data.get("models", ())):
        yield ("models", index)
    for kind, fields in (("partners", ("id", "models")), ("lessons", ("id", "partners", "models")),
                         ("sections", ("partner", "lessons", "models"))):
        for index, item in enumerate(data.get(kind, ())):
            for field_name in fields:
                value = item.get(field_name)
                if isinstance(value, list):
                    yield from ((kind, index, field_name, n) for n in range(len(value)))
                elif value:
                    yield (kind, index, field_name)
    for index, figure in enumerate(data.get("figures", ())):
        if figure.get("partner"):
            yield ("figures", index, "partner")


def _name(path: tuple) -> str:
    """`('partners', 2, 'funding', 0, 'share')` -> `partners[3].funding[1].share`, counting from 1."""
    text = ""
    for step in path:
        text += f"[{step + 1}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


def _describe(value) -> str:
    if isinstance(value, bool):
        return "true or false"
    for kind, python_type in (("a list", list), ("a group of `key: value` lines", dict), ("text", str)):
        if isinstance(value, python_type):
            return f"{kind} ('{value}')" if python_type is str else kind
    return "a number" if isinstance(value, (int, float)) else "empty" if value is None else type(value).__name__


def _did_you_mean(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
