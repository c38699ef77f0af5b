"""Check YAML data against a JSON Schema and explain each violation in a contributor's words,
at the line and column of the YAML node it is about."""

from __future__ import annotations

import difflib
import json
from pathlib import Path

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from ..model import Problem

TYPE_NAMES = {
    "string": "text",
    "array": "a list",
    "object": "a group of `key: value` lines",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "null": "empty",
}


def load_validator(schema_path: Path) -> Draft202012Validator:
    """A validator for the schema at `schema_path`, checking formats such as `date`."""
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def check_against_schema(data, validator: Draft202012Validator, problem, subject: str) -> list[Problem]:
    """Every violation of the schema, in file order; `problem(path, message, hint, key=False)`
    locates each."""
    problems = [p for error in validator.iter_errors(data) for p in explain(error, problem, subject)]
    return sorted(problems, key=lambda p: (p.line or 0, p.column or 0, p.message))


def explain(error: ValidationError, problem, subject: str) -> list[Problem]:
    """A schema error in words a contributor understands, at the node it is about."""
    where = tuple(error.absolute_path)
    name = _name(where)
    validator, expected, instance = error.validator, error.validator_value, error.instance
    if validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        return [
            problem(
                where + (key,),
                f"unknown key '{key}'" + (f" in {name}" if name else ""),
                did_you_mean(key, allowed) or f"allowed keys: {', '.join(allowed)}",
                key=True,
            )
            for key in instance
            if key not in allowed
        ]
    if validator == "required":
        missing = [key for key in expected if key not in instance]
        return [problem(where, f"{name or subject} is missing '{key}'", f"add `{key}: ...`") for key in missing]
    if validator == "type":
        wanted = " or ".join(TYPE_NAMES.get(t, t) for t in ([expected] if isinstance(expected, str) else expected))
        return [problem(where, f"{name or subject} should be {wanted}, not {_describe(instance)}")]
    if validator == "format" and expected == "date":
        return [problem(where, f"{name} '{instance}' is not a real date", "write it as YYYY-MM-DD, e.g. 2015-01-20")]
    if validator == "pattern":
        hint = (
            "use lowercase letters, digits and hyphens, e.g. code-for-germany"
            if "a-z0-9" in expected
            else f"it must match {expected}"
        )
        return [problem(where, f"{name} '{instance}' is not in the expected form", hint)]
    if validator == "minItems":
        return [problem(where, f"{name} needs at least {expected} item{'s' if expected != 1 else ''}")]
    if validator == "enum":
        return [
            problem(
                where,
                f"{name} '{instance}' is not one of: {', '.join(map(str, expected))}",
                did_you_mean(str(instance), [str(e) for e in expected]),
            )
        ]
    if validator == "uniqueItems":
        return [problem(where, f"{name} lists the same item twice", "remove the repeated item")]
    return [problem(where, f"{name or subject}: {error.message}")]


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


def did_you_mean(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""
