"""Start a new post with the canonical front matter and print its path.

    python scripts/new_post.py "Title" [--partner ID ...] [--lesson ID ...] [--model ID ...]
                               [--date YYYY-MM-DD] [--author NAME]

Writes posts/YYYY-MM-DD-slug.md (today's date unless --date), after checking the term ids
against the vocabulary. It never overwrites a file. Write the post below the front matter,
then check it with `python scripts/validate.py PATH`."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
from pathlib import Path

import venv_guard  # noqa: F401  (first: says how to run the script outside .venv)

from casebook.content.posts import PLACEHOLDER
from casebook.content.schema import did_you_mean
from casebook.content.vocabulary import load_vocabulary
from casebook.model import KINDS, Term
from casebook.pipeline import TAXONOMY_SCHEMA
from casebook.text import slugify
from casebook.tools.project import read_project

ROOT = Path(__file__).resolve().parents[1]
MAX_SLUG = 80
"""The longest slug made from a title, cut between words: file systems refuse names over 255 bytes."""
TEMPLATE = """\
---
title: {title}
date: {date}
authors: {authors}
# One or two sentences for listings and search results.
summary: ""
# Term ids from {taxonomy} (the site lists them under /lessons/, /partners/ and /models/).
# To list the terms the text names: python scripts/suggest_terms.py {path}
lessons: {lessons}
partners: {partners}
models: {models}
# Optional fields: uncomment what applies.
# image: https://example.org/the-picture.jpg
# original_url: https://example.org/where-the-post-first-appeared/
# aliases: [/2015/01/20/its-old-address/]
# draft: true
---

{placeholder}
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("title")
    for kind in KINDS:
        singular = kind.removesuffix("s")
        parser.add_argument(f"--{singular}", dest=kind, action="extend", nargs="+", default=[], metavar="ID")
    parser.add_argument("--date", type=parse_date, default=dt.date.today(), help="default: today")
    parser.add_argument("--author", dest="authors", action="append", default=[], metavar="NAME")
    parser.add_argument("-f", "--config-file", type=Path, default=ROOT / "mkdocs.yml", help="default: %(default)s")
    args = parser.parse_args(argv)
    try:
        settings = read_project(args.config_file.resolve()).settings
    except (OSError, ValueError) as error:
        print(f"{args.config_file}: cannot read it: {error}", file=sys.stderr)
        return 2
    terms, problems = load_vocabulary(
        settings.taxonomy_file, settings.taxonomy_file.with_name(TAXONOMY_SCHEMA), settings.root
    )
    mistakes = [str(problem) for problem in problems] or unknown_ids(
        {kind: getattr(args, kind) for kind in KINDS}, terms
    )
    for mistake in mistakes:
        print(mistake, file=sys.stderr)
    if mistakes:
        return 1

    path = settings.posts_dir / f"{args.date.isoformat()}-{slugify(args.title, MAX_SLUG)}.md"
    shown = os.path.relpath(path)
    text = render_post(
        args.title,
        args.date,
        args.authors,
        {kind: getattr(args, kind) for kind in KINDS},
        taxonomy=os.path.relpath(settings.taxonomy_file, settings.root),
        path=shown,
    )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as file:
            file.write(text)
    except FileExistsError:
        print(f"{shown} already exists: give the post another title, or another --date", file=sys.stderr)
        return 1
    print(shown)
    return 0


def parse_date(text: str) -> dt.date:
    """`YYYY-MM-DD` as a date, for --date."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise argparse.ArgumentTypeError(f"'{text}' is not a date: write it as YYYY-MM-DD, e.g. 2015-01-20")
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"'{text}' is not a real date: {error}") from None


def unknown_ids(wanted: dict[str, list[str]], terms: tuple[Term, ...]) -> list[str]:
    """A line for every id in `wanted` (kind -> ids) that the vocabulary does not have."""
    lines = []
    for kind, ids in wanted.items():
        known = sorted(term.id for term in terms if term.kind == kind)
        for term_id in ids:
            if term_id not in known:
                hint = did_you_mean(term_id, known) or f"the {kind} are listed in taxonomy.yml"
                lines.append(f"unknown {kind.removesuffix('s')} '{term_id}' ({hint})")
    return lines


def render_post(
    title: str, date: dt.date, authors: list[str], terms: dict[str, list[str]], taxonomy: str, path: str
) -> str:
    """The new post's text: the canonical front matter, optional fields commented out, and an
    empty body."""
    return TEMPLATE.format(
        title=yaml_string(title),
        date=date.isoformat(),
        authors="[" + ", ".join(yaml_string(name) for name in authors) + "]",
        taxonomy=taxonomy,
        path=path,
        placeholder=PLACEHOLDER,
        **{kind: "[" + ", ".join(dict.fromkeys(ids)) + "]" for kind, ids in terms.items()},
    )


def yaml_string(text: str) -> str:
    """`text` as a double-quoted YAML scalar (JSON's string syntax is a subset of YAML's)."""
    return json.dumps(text.strip(), ensure_ascii=False)


if __name__ == "__main__":
    sys.exit(main())
