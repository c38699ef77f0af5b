"""YAML parsing that keeps line numbers, so every problem can point at the line to fix."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from pathlib import Path

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent, CollectionStartEvent, NodeEvent, ScalarEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode


class YamlError(ValueError):
    """Unparsable YAML, with the 1-based line and column of the fault and a hint for the fix."""

    def __init__(self, message: str, line: int, column: int, hint: str = ""):
        super().__init__(message)
        self.line = line
        self.column = column
        self.hint = hint or "check the indentation, and put quotes around values that contain ': '"


class SourceError(ValueError):
    """A file that cannot be read as text: too big, or not UTF-8; with its line and a hint."""

    def __init__(self, message: str, line: int, hint: str):
        super().__init__(message)
        self.line = line
        self.hint = hint


MAX_YAML_BYTES = 1_000_000
"""The largest case study or vocabulary file: the seed case study is 62 kB, and PyYAML reads
about 1 MB a second."""
ALIAS_MESSAGE = "YAML aliases (*name) are not allowed here"
MAX_DEPTH = 50
"""Deepest nesting of lists and mappings accepted: real files stay under 10, and PyYAML
recurses once per level (a few hundred levels exhaust Python's stack)."""
ALLOWED_TAGS = (None, "!", "tag:yaml.org,2002:str")
"""Explicit tags accepted: none, or `!!str`. Others (`!!timestamp`, `!!set`...) build values
our checks do not expect, and some raise errors that are not YAML errors."""
RUBY_PLAIN = re.compile(r"^!ruby/(?:string|str|sym|symbol|array|hash|hash-with-ivars)(?::[\w:]+)?$")
"""Tags Ruby's YAML (Psych) writes on plain values in Jekyll exports (`!ruby/string`,
`!ruby/hash:ActiveSupport::HashWithIndifferentAccess`...): read as the plain value, as Jekyll
reads them. Objects (`!ruby/object:...`) stay refused."""
BINARY_TAGS = ("!binary", "tag:yaml.org,2002:binary")
"""Text as base64, the way Ruby's YAML (and so Jekyll exports) writes strings it takes for
binary: read as the UTF-8 text it encodes, as Jekyll reads it."""
HINTS = {
    ALIAS_MESSAGE: "write the value out in full instead of pointing to it",
    "tab": "indent with spaces: YAML does not allow tabs there",
    "tag": "remove the tag and write the value as plain text",
    "depth": "flatten the data: nothing in these files needs that many levels",
    "duplicate": "remove one of the two, or merge them",
    "binary": "write the value as plain text instead",
}


class _Rules(Composer):
    """Safe YAML without implicit timestamps (we parse dates ourselves, with line numbers),
    without aliases (a few aliased lines can otherwise expand to gigabytes), with plain tags
    only, at most `MAX_DEPTH` levels deep, and with every key of a mapping used once. Shared by
    both loaders: the rules run in Python on the parser's events, whichever parser makes them."""

    def compose_node(self, parent, index):
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, ALIAS_MESSAGE, event.start_mark)
        event = self.peek_event()
        if isinstance(event, ScalarEvent) and event.tag in BINARY_TAGS:
            return _binary_text(super().compose_node(parent, index))
        if isinstance(event, NodeEvent) and RUBY_PLAIN.match(getattr(event, "tag", None) or ""):
            event.tag = None  # the plain string, list or mapping under it
        if isinstance(event, NodeEvent) and getattr(event, "tag", None) not in ALLOWED_TAGS:
            message = f"the YAML tag {event.tag.replace('tag:yaml.org,2002:', '!!')} is not allowed here"
            raise yaml.composer.ComposerError(None, None, message, event.start_mark)
        if isinstance(event, CollectionStartEvent):
            self._depth = getattr(self, "_depth", 0) + 1
            if self._depth > MAX_DEPTH:
                message = f"the YAML is nested more than {MAX_DEPTH} levels deep"
                raise yaml.composer.ComposerError(None, None, message, event.start_mark)
            try:
                return super().compose_node(parent, index)
            finally:
                self._depth -= 1
        return super().compose_node(parent, index)

    def compose_mapping_node(self, anchor):
        node = super().compose_mapping_node(anchor)
        seen: dict[str, Node] = {}
        for key, _ in node.value:
            if isinstance(key, ScalarNode):
                first = seen.setdefault(key.value, key)
                if first is not key:
                    message = f"the key '{key.value}' appears twice (first on line {first.start_mark.line + 1})"
                    raise yaml.composer.ComposerError(None, None, message, key.start_mark)
        return node


def _binary_text(node: ScalarNode) -> ScalarNode:
    """A `!binary` scalar as the text its base64 encodes."""
    try:
        text = base64.b64decode("".join(node.value.split()), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        message = "the !binary value is not base64 of UTF-8 text"
        raise yaml.composer.ComposerError(None, None, message, node.start_mark) from None
    return ScalarNode("tag:yaml.org,2002:str", text, node.start_mark, node.end_mark, style="'")


_Rules.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Loader(_Rules, yaml.SafeLoader):
    """The rules on PyYAML's pure-Python parser: the reference, whose messages we report."""


_LIBYAML_DIFFERS = re.compile(r"[\t\r\x85\ufeff\u2028\u2029]|[|>][0-9+-]*#")
"""What libyaml reads otherwise than PyYAML: tabs, line breaks other than \\n, a BOM inside the
text, and `|#` (a comment with no space before it). See also `_libyaml_differs`."""


def _libyaml_differs(text: str) -> bool:
    """Whether libyaml may read `text` otherwise than PyYAML, which then reads it alone. Besides
    `_LIBYAML_DIFFERS`: a `?` with a flow collection, where PyYAML reads it as a key wherever it is."""
    return bool(_LIBYAML_DIFFERS.search(text)) or ("?" in text and ("[" in text or "{" in text))


class _Unsure(Exception):
    """Raised by `_FastLoader` where its marks may differ from the reference parser's."""


if yaml.__with_libyaml__:

    class _FastLoader(_Rules, yaml.CSafeLoader):
        """The rules on libyaml's parser, four times faster, with the same events and marks but
        libyaml's own error messages: `parse_yaml` reads any text it refuses again with
        `_Loader`. (`_Rules` comes first so that composing stays in Python, with the rules.)"""

        def __init__(self, stream):
            yaml.CSafeLoader.__init__(self, stream)
            Composer.__init__(self)

        def compose_scalar_node(self, anchor):
            event = self.peek_event()
            if event.value == "" and not event.style:  # an empty value (`{a: }`): libyaml marks it elsewhere
                raise _Unsure
            return super().compose_scalar_node(anchor)


def parse_yaml(text: str) -> tuple[object, Node | None]:
    """Return the data and the node tree (for line numbers); raise `YamlError` on bad syntax."""
    if yaml.__with_libyaml__ and not _libyaml_differs(text):
        try:
            return _load(_FastLoader(text))
        except Exception:  # a fault, or `_Unsure`: the reference parser decides, in its own words
            pass
    loader = None
    try:
        loader = _Loader(text)  # checks that every character is allowed in YAML
        return _load(loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = error.problem or error.context or "invalid YAML"
        raise YamlError(message, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1, _hint(message)) from None
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        message = f"the character #x{error.character:04x} is not allowed in YAML"
        raise YamlError(message, line, error.position - text.rfind("\n", 0, error.position), "remove it") from None
    except yaml.YAMLError as error:
        raise YamlError(str(error), 1, 1) from None
    except RecursionError:  # a safety net: MAX_DEPTH stops nesting long before this
        message = "the YAML is nested too deeply to read"
        raise YamlError(message, loader.line + 1 if loader else 1, 1, HINTS["depth"]) from None
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as error:
        # A safety net: PyYAML's constructors raise these on values they cannot build.
        raise YamlError(f"a value cannot be read: {error}", 1, 1, "write it as plain text") from None


def _load(loader: yaml.BaseLoader) -> tuple[object, Node | None]:
    try:
        node = loader.get_single_node()
        return (loader.construct_document(node) if node is not None else None), node
    finally:
        loader.dispose()


def _hint(message: str) -> str:
    if message == ALIAS_MESSAGE:
        return HINTS[ALIAS_MESSAGE]
    for word, hint in (
        ("'\\t'", "tab"),
        ("YAML tag", "tag"),
        ("levels deep", "depth"),
        ("appears twice", "duplicate"),
        ("!binary", "binary"),
    ):
        if word in message:
            return HINTS[hint]
    return ""


def read_source(path: Path, max_bytes: int) -> str:
    """The text of a source file: UTF-8 with any BOM dropped, line ends made `\\n`.
    Raise `SourceError` when it is bigger than `max_bytes` (before reading it) or not UTF-8."""
    size = path.stat().st_size
    if size > max_bytes:
        raise SourceError(
            f"the file is {size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:g} MB",
            1,
            "split it, or move large embedded data (images, tables) out of it",
        )
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SourceError(
            "the file is not UTF-8 text: this line has a character in another encoding",
            data[: error.start].count(b"\n") + 1,
            "save the file with UTF-8 encoding",
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def locate(node: Node | None, path: tuple = (), *, key: bool = False) -> tuple[int, int]:
    """The 1-based (line, column) of the node at `path` (mapping keys and list indexes),
    or of the deepest node on the way there; `key=True` points at the last key, not its value."""
    found = _deepest(node, path, key)
    return (1, 1) if found is None else (found.start_mark.line + 1, found.start_mark.column + 1)


def text_line(node: Node | None, path: tuple) -> int:
    """The 1-based line where the text at `path` starts (as `locate` finds it): for a block
    scalar (`|`, `>`), the line after its indicator."""
    found = _deepest(node, path)
    if found is None:
        return 1
    block = isinstance(found, ScalarNode) and found.style in ("|", ">")
    return found.start_mark.line + (2 if block else 1)


def _deepest(node: Node | None, path: tuple, key: bool = False) -> Node | None:
    """The node at `path`, or the deepest node on the way there."""
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
    return node


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
