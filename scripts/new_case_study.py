"""Start a new case study: `python scripts/new_case_study.py SLUG`

Writes case_studies/SLUG.yml, a commented skeleton of every required field, and prints its
path. It never overwrites a file. Until every empty value is filled in,
`python scripts/validate.py case_studies/SLUG.yml` lists the ones left, each with its line."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import venv_guard  # noqa: F401  (first: says how to run the script outside .venv)

from casebook.content.dialects import SLUG_PATTERN
from casebook.tools.project import read_project

ROOT = Path(__file__).resolve().parents[1]
SKELETON = """\
# yaml-language-server: $schema=case-study.schema.json
#
# Fill in every empty value below; case-study.schema.json beside this file describes each
# field, and cfa-first-international-partnerships.yml is a complete example. Term ids
# (partners, lessons, models) come from {taxonomy}. Write longer text as a block:
#   body: |-
#     First paragraph.
#
#     Second paragraph.

slug: {slug}
title:
# subtitle:           # one line shown under the title
organization:         # who published it, e.g. Code for America
authors:
  - name:
    # role:           # the author's job title at the time
published:            # YYYY-MM-DD; if the source is undated, say in a comment which date you chose and why
# period:             # the work the case study covers: YYYY, YYYY-MM or YYYY-MM-DD
#   start: "2013-05"
#   end: "2014-12"
summary:              # a short summary in Markdown, for listings and the top of the page
source:               # the document this case study is transcribed from
  title:
  format:             # e.g. PDF or HTML
  # url: https://example.org/the-original-document.pdf
  # note: anything an editor should know about the source
# featured: true      # show it on the home page

models:               # the models of collaboration the case study as a whole is about
  -

partners:             # the partners it is about first, then supporting organisations and funders
  - id:               # a partner id
    name:             # the name as the case study gives it
    role:             # what the organisation did in this story
    # country: Jamaica
    # models: [fellowship]
    # funding:
    #   - source: Google.org
    #     partner: google-org      # when the funder is a partner in the vocabulary
    #     kind: grant              # government, foundation, corporate, individual, in-kind, grant or other
    #     share: 40                # percent of the programme's costs, only where the source gives one
    #     note: what the source says about this funding
    # outcomes:
    #   - what the partnership produced
    # summary: the organisation and its programme, in Markdown

lessons:              # the lessons the case study draws, in its order
  - id:               # a lesson id
    title:            # the lesson as a short sentence
    body:             # the source's explanation, in Markdown
    partners:         # ids of the partners whose experience shows the lesson
      -
    # models: [fellowship]

sections:             # the body, one entry per heading of the source, in its order
  - id:               # a short id for the page anchor, e.g. background
    title:
    group:            # the chapter it belongs to, e.g. Background
    body:             # the text, in Markdown (or use findings, benefits, challenges, takeaways)
    # partner: code-for-the-caribbean   # when the section is about one partner
    # lessons: [keep-it-simple]
    # models: [fellowship]
    # benefits:
    #   - one bullet of the source's benefits
    # challenges:
    #   - one bullet of the source's challenges
    # takeaways:
    #   - one bullet of the source's takeaways

# figures:            # numbers the case study quotes
#   - label: volunteers
#     value: 10000
#     qualifier: over
#     as_of: "2014"
#     partner: code-for-germany
#     section: background

# related_posts:      # slugs of posts in posts/ about the same story
#   - 7-tips-for-civic-tech-organizing-no-matter-where-you-live
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("slug", help="the case study's URL slug, e.g. code-for-germany-fellowship")
    parser.add_argument("-f", "--config-file", type=Path, default=ROOT / "mkdocs.yml", help="default: %(default)s")
    args = parser.parse_args(argv)
    if not SLUG_PATTERN.match(args.slug):
        print(f"'{args.slug}' is not a slug: use lowercase letters, digits and hyphens", file=sys.stderr)
        return 2
    try:
        settings = read_project(args.config_file.resolve()).settings
    except (OSError, ValueError) as error:
        print(f"{args.config_file}: cannot read it: {error}", file=sys.stderr)
        return 2
    path = settings.case_studies_dir / f"{args.slug}.yml"
    shown = os.path.relpath(path)
    taxonomy = os.path.relpath(settings.taxonomy_file, path.parent)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as file:
            file.write(SKELETON.format(slug=args.slug, taxonomy=taxonomy))
    except FileExistsError:
        print(f"{shown} already exists: choose another slug", file=sys.stderr)
        return 1
    print(shown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
