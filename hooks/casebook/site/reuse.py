"""Outputs made again only when their inputs changed: each costly piece of the site (a post's
page with its downloads, a listing, a term's page, a feed, the checks of a post's links) is
made through `reuse(key, make)`, with a key that holds every input of `make`. A plain build
makes each anew (`make_anew`); `mkdocs serve` passes a memo that gives back what the
previous build made for an equal key (`preview.memo.OutputMemo`), so that an edit of one
post renders that post and what lists it, and the site stays the clean build's."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Mapping
from typing import TypeVar

T = TypeVar("T")
Reuse = Callable[[Hashable, Callable[[], T]], T]
"""`reuse(key, make)`: what `make()` returns, or what it returned for an equal `key` before."""


def make_anew(key: Hashable, make: Callable[[], T]) -> T:
    """`Reuse` for a build that keeps nothing: `make()`."""
    return make()


def fingerprint(*values) -> str:
    """A short digest of `values` as text: the key of inputs that many keys share and that
    are too large to compare once per key (every link target, every file of the site)."""
    return hashlib.blake2b(repr(values).encode(), digest_size=16).hexdigest()


def frozen(value) -> Hashable:
    """`value` as a key: mappings and lists as tuples, nested; other values as they are (the
    records are frozen dataclasses, equal when every field is). A key is compared only with
    the keys of the same call site, which passes values of the same types each time."""
    if isinstance(value, Mapping):
        return tuple((key, frozen(item)) for key, item in value.items())
    if isinstance(value, list | tuple):
        return tuple(frozen(item) for item in value)
    return value
