"""Read the vocabulary (`taxonomy.yml`) and check every term reference against it."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from pathlib import Path

from ..model import KINDS, CaseStudy, Post, Problem, Term, source_name
from ..urls import is_web_url
from .case_studies import KEY_HINT, non_text_keys, strings
from .limits import DENSE_HINT, MAX_MARKS, NOT_TEXT_HINT, dense_markup, not_text
from .schema import check_against_schema, did_you_mean, load_validator
from .yamltext import MAX_YAML_BYTES, SourceError, YamlError, locate, parse_yaml, read_source


def load_vocabulary(path: Path, schema_path: Path, root: Path) -> tuple[tuple[Term, ...], list[Problem]]:
    """Every term of the vocabulary, in file order, and every problem in the file."""
    source = source_name(path, root)
    if not path.is_file():
        return (), [
            Problem(source, None, "the vocabulary file is missing", "create it, or set extra.casebook.taxonomy")
        ]
    try:
        data, node = parse_yaml(read_source(path, MAX_YAML_BYTES))
    except SourceError as error:
        return (), [Problem(source, error.line, str(error), error.hint)]
    except YamlError as error:
        return (), [Problem(source, error.line, f"not valid YAML: {error}", error.hint, error.column)]

    def problem(location: tuple, message: str, hint: str = "", key: bool = False) -> Problem:
        line, column = locate(node, location, key=key)
        return Problem(source, line, message, hint, column)

    odd_keys = [problem(path, "a key here is not text", KEY_HINT) for path in non_text_keys(data)]
    if odd_keys:
        return (), odd_keys
    problems = check_against_schema(data, load_validator(schema_path), problem, "the vocabulary")
    problems += [
        problem(path, f"a paragraph here has more than {MAX_MARKS} Markdown marks or brackets left open", DENSE_HINT)
        for path, text in strings(data)
        if dense_markup(text)
    ]
    problems += [
        problem(path, f"the text holds the character {not_text(text)}, which is not text", NOT_TEXT_HINT)
        for path, text in strings(data)
        if not_text(text)
    ]
    if problems:
        return (), problems
    terms, seen, aliases = [], set(), {}
    for kind in KINDS:
        for index, item in enumerate(data[kind]):
            where = (kind, index, "id")
            if (kind, item["id"]) in seen:
                problems.append(problem(where, f"{kind} has the id '{item['id']}' twice", "give each term its own id"))
            seen.add((kind, item["id"]))
            addresses = [(("website",), item.get("website"))]
            addresses += [(("former_websites", n), url) for n, url in enumerate(item.get("former_websites", ()))]
            for field_path, url in addresses:
                if url and not is_web_url(url):
                    problems.append(
                        problem(
                            (kind, index, *field_path),
                            f"the website '{url}' is not a web address",
                            "write the full address, with no spaces, quotes or angle brackets",
                        )
                    )
            for n, named in enumerate(item.get("sources", ())):
                if not (root / named).is_file():
                    problems.append(
                        problem(
                            (kind, index, "sources", n),
                            f"the source '{named}' is not a file of the project",
                            "name a post or case study by its path, e.g. posts/2012-10-03-race-for-reuse.md",
                        )
                    )
            for field_name, word, hint in (
                ("aliases", "alias", "an alias names one term only"),
                ("cues", "cue", "a phrase is the cue or alias of one term only"),
            ):
                for n, alias in enumerate(item.get(field_name, ())):
                    # One name whichever way its accents are typed (é as one character or two).
                    owner = aliases.setdefault(unicodedata.normalize("NFC", alias).casefold(), (kind, item["id"]))
                    if owner != (kind, item["id"]):
                        problems.append(
                            problem(
                                (kind, index, field_name, n),
                                f"the {word} '{alias}' also belongs to {owner[0]} '{owner[1]}'",
                                hint,
                            )
                        )
            terms.append(
                Term(
                    kind=kind,
                    id=item["id"],
                    title=item["title"],
                    description=item["description"],
                    aliases=tuple(unicodedata.normalize("NFC", alias) for alias in item.get("aliases", ())),
                    cues=tuple(unicodedata.normalize("NFC", cue) for cue in item.get("cues", ())),
                    org_kind=item.get("kind", ""),
                    country=item.get("country", ""),
                    region=item.get("region", ""),
                    website=item.get("website", ""),
                    former_websites=tuple(item.get("former_websites", ())),
                    sources=tuple(item.get("sources", ())),
                    line=locate(node, where)[0],
                )
            )
    return tuple(terms), problems


def check_references(
    posts: list[Post],
    studies: list[CaseStudy],
    terms: tuple[Term, ...],
    unloaded: Iterable[tuple[str, str, str, int]] = (),
) -> list[Problem]:
    """An unknown term id anywhere is a problem, with the closest known id as a suggestion.
    `unloaded` are the (source, kind, term id, line) references of posts that have other
    problems (`posts.unloaded_references`)."""
    known = {kind: sorted(t.id for t in terms if t.kind == kind) for kind in KINDS}
    references = [
        (post.source, kind, term_id, post.lines.get(kind, 1))
        for post in posts
        for kind in KINDS
        for term_id in getattr(post, kind)
    ]
    references += unloaded
    references += [(study.source, kind, term_id, line) for study in studies for kind, term_id, line in study.references]
    problems = []
    for source, kind, term_id, line in references:
        if term_id not in known[kind]:
            hint = did_you_mean(term_id, known[kind]) or f"add it to the vocabulary, or use one of the {kind} there"
            problems.append(Problem(source, line, f"unknown {kind.removesuffix('s')} '{term_id}'", hint))
    every = sorted(term.id for term in terms)
    for post in posts:
        for term_id in post.untagged:
            if term_id not in every:
                hint = did_you_mean(term_id, every) or "list ids of lessons, partners or models from the vocabulary"
                problems.append(Problem(post.source, post.lines.get("untagged", 1), f"unknown term '{term_id}'", hint))
    return problems


def unused_terms(terms: tuple[Term, ...], used: set[tuple[str, str]], source: str) -> list[Problem]:
    """Terms nothing carries: worth a look, but a vocabulary may run ahead of its content."""
    return [
        Problem(source, term.line, f"no post or case study uses the {term.singular} '{term.id}'")
        for term in terms
        if term.key not in used
    ]
