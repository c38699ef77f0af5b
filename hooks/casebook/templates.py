"""Compiled templates kept between the builds of one process."""

from __future__ import annotations

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket


class TemplateMemo(BytecodeCache):
    """Jinja's compiled templates, in memory. `mkdocs serve` makes a new Jinja environment
    for every rebuild, which compiles every template again (about half a second for the
    theme's and ours); an environment given this cache compiles only the templates whose
    source changed (Jinja checks each source's checksum)."""

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self._compiled:
            bucket.bytecode_from_string(self._compiled[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()
