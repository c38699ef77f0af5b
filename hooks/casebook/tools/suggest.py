"""Suggest the terms a post or case study probably needs, from the vocabulary's titles and
aliases found in its text."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..model import Term
from ..text import plain_text


@dataclass(frozen=True, slots=True)
class Suggestion:
    term: Term
    phrases: Counter
    """Each matched title or alias and how often it occurs."""
    carried: bool
    """Whether the file already carries the term."""

    @property
    def count(self) -> int:
        return sum(self.phrases.values())


def suggest_terms(text: str, terms: tuple[Term, ...], carried: set[tuple[str, str]]) -> list[Suggestion]:
    """Terms whose title or an alias occurs in `text` (whole words, any case), most matches first."""
    plain = plain_text(text, len(text) + 1)
    suggestions = []
    for term in terms:
        phrases = Counter()
        for name in dict.fromkeys((term.title, *term.aliases)):
            found = re.findall(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", plain, flags=re.IGNORECASE)
            if found:
                phrases[name] = len(found)
        if phrases:
            suggestions.append(Suggestion(term, phrases, term.key in carried))
    return sorted(suggestions, key=lambda s: (-s.count, s.term))
