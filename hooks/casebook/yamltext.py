"""YAML parsing that keeps line numbers, so every problem can point at the line to fix."""

from __future__ import annotations

import datetime as dt
import re

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode


class YamlError(ValueError):
    """Unparsable YAML, with the 1-based line and column of the fault and a hint for the fix."""

    def __init__(self, message: str, line: int, column: int, hint: str = ""):
        super().__init__(message)
        self.line = line
        self.column = column
        self.hint = hint or "check the indentation, and put quotes around values that contain ': '"


ALIAS_MESSAGE = "YAML aliases (*name) are not allowed here"


class _Loader(yaml.SafeLoader):
    """Safe YAML without implicit timestamps (we parse dates ourselves, with line numbers)
    and without aliases (a few aliased lines can otherwise expand to gigabytes)."""

    def compose_node(self, parent, index):
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, ALIAS_MESSAGE, event.start_mark)
        return super().compose_node(parent, index)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_yaml(text: str) -> tuple[object, Node | None]:
    """Return the data and the node tree (for line numbers); raise `YamlError` on bad syntax."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = error.problem or error.context or "invalid YAML"
        hint = "write the value out in full instead of pointing to it" if message == ALIAS_MESSAGE else ""
        raise YamlError(message, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1, hint) from None
    except yaml.YAMLError as error:
        raise YamlError(str(error), 1, 1) from None
    finally:
        loader.dispose()
    return data, node


def locate(node: Node | None, path: tuple = (), *, key: bool = False) -> tuple[int, int]:
    """The 1-based (line, column) of the node at `path` (mapping keys and list indexes),
    or of the deepest node on the way there; `key=True` points at the last key, not its value."""
    line, column = (1, 1) if node is None else (node.start_mark.line + 1, node.start_mark.column + 1)
    for step in path:
        child = None
        if isinstance(node, MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node, ScalarNode) and key_node.value == str(step):
                    child = key_node if key and step == path[-1] else value_node
                    break
        elif isinstance(node, SequenceNode) and isinstance(step, int) and step < len(node.value):
            child = node.value[step]
        if child is None:
            break
        node = child
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
    return line, column


_TIMESTAMP = re.compile(
    r"""^(?P<year>[0-9]{4})-(?P<month>[0-9]{1,2})-(?P<day>[0-9]{1,2})
    (?:(?:[Tt]|[ \t]+)(?P<hour>[0-9]{1,2}):(?P<minute>[0-9]{2}):(?P<second>[0-9]{2})
    (?:\.(?P<fraction>[0-9]*))?
    (?:[ \t]*(?P<tz>Z|[-+][0-9]{1,2}(?::?[0-9]{2})?))?)?$""",
    re.X,
)


def parse_datetime(value: object) -> dt.datetime:
    """Parse a YAML date or timestamp (`2015-01-20`, `2015-01-20T20:16:19+00:00`,
    `2012-04-19 11:55:16.000000000 +00:00`) into an aware datetime; naive means UTC.
    Raise ValueError with a readable reason for anything else, including impossible dates."""
    text = str(value).strip()
    match = _TIMESTAMP.match(text)
    if not match:
        raise ValueError(f"'{text}' is not a date")
    parts = match.groupdict()
    try:
        day = dt.date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except ValueError as error:
        raise ValueError(f"'{text}' is not a real date: {error}") from None
    if parts["hour"] is None:
        return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)
    fraction = int((parts["fraction"] or "0")[:6].ljust(6, "0"))
    tz = dt.timezone.utc
    if parts["tz"] and parts["tz"] != "Z":
        digits = parts["tz"][1:].replace(":", "")
        hours, minutes = (digits[:-2], digits[-2:]) if len(digits) > 2 else (digits, "0")
        offset = dt.timedelta(hours=int(hours), minutes=int(minutes))
        tz = dt.timezone(-offset if parts["tz"][0] == "-" else offset)
    try:
        return dt.datetime(
            day.year,
            day.month,
            day.day,
            int(parts["hour"]),
            int(parts["minute"]),
            int(parts["second"]),
            fraction,
            tzinfo=tz,
        )
    except ValueError as error:
        raise ValueError(f"'{text}' is not a real time: {error}") from None
