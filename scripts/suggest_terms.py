"""Print the terms a post or case study is tagged with, and why: `python scripts/suggest_terms.py FILE...`

For a post, what the build finds (tagging.py): each term it is *tagged* with (front matter, a
legacy category, the title, named in several paragraphs) or only *mentions*, with the reason.
A wrong automatic tag goes into the post's `untagged:`; a right one may go into its front
matter. For a case study, the terms its text names, marked with those it already carries."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import venv_guard  # noqa: F401  (first: says how to run the script outside .venv)

from casebook.content.case_studies import load_case_studies
from casebook.content.posts import read_post
from casebook.content.vocabulary import load_vocabulary
from casebook.tagging import TAGGED, Tagger

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args(argv)
    terms, problems = load_vocabulary(ROOT / "taxonomy.yml", ROOT / "taxonomy.schema.json", ROOT)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    tagger = Tagger(terms)
    for path in args.files:
        print(f"{path}:")
        for line in describe(path.resolve(), tagger):
            print(f"  {line}")
    return 0


def describe(path: Path, tagger: Tagger) -> list[str]:
    """One line per term: how the file carries it and why."""
    if path.suffix == ".yml":
        studies, problems = load_case_studies(path.parent, ROOT)
        study = next((s for s in studies if Path(s.source).name == path.name), None)
        if study is None:
            return [f"cannot read it: {p}" for p in problems if Path(p.path).name == path.name]
        parts = [study.title, study.summary, *(x.body for x in study.lessons), *(x.body for x in study.sections)]
        parts += [b for s in study.sections for b in s.benefits + s.challenges + s.takeaways]
        carried = {(kind, term_id) for kind, term_id, _ in study.references}
        named = tagger.named("\n\n".join(parts))
        return [
            f"{'carried ' if key in carried else 'names   '}{key[0].removesuffix('s'):8} {key[1]}"
            for key in sorted(set(named) | carried)
        ]
    post, problems = read_post(path, path.parent)
    if post is None:
        return [f"cannot read it: {problem}" for problem in problems]
    lines = []
    for tag in tagger.tag(post):
        relation = "tagged  " if tag.relation == TAGGED else "mentions"
        lines.append(f"{relation} {tag.key[0].removesuffix('s'):8} {tag.key[1]}: {tag.reason}")
    return lines


if __name__ == "__main__":
    sys.exit(main())
