"""Print the terms a post or case study probably needs: `python scripts/suggest_terms.py FILE...`

For each file: every lesson, partner and model whose title or an alias occurs in its text,
with the matched phrases and counts, marked with what the file already carries."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from casebook.content.case_studies import load_case_studies
from casebook.content.posts import read_post
from casebook.content.vocabulary import load_vocabulary
from casebook.model import KINDS
from casebook.tools.suggest import suggest_terms

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
    for path in args.files:
        text, carried, problems = read_for_suggestions(path.resolve())
        print(f"{path}:")
        for problem in problems:
            print(f"  cannot read it: {problem}")
        for suggestion in suggest_terms(text, terms, carried):
            mark = "carried " if suggestion.carried else "suggest "
            phrases = ", ".join(f"'{phrase}' ×{n}" for phrase, n in suggestion.phrases.most_common())
            print(f"  {mark}{suggestion.term.singular:8} {suggestion.term.id}: {phrases}")
        missing = sorted(carried - {s.term.key for s in suggest_terms(text, terms, carried)})
        for kind, term_id in missing:
            print(f"  carried {kind.removesuffix('s'):8} {term_id}: not named in the text")
    return 0


def read_for_suggestions(path: Path) -> tuple[str, set[tuple[str, str]], list]:
    """The text to search and the terms the file already carries."""
    if path.suffix == ".yml":
        studies, problems = load_case_studies(path.parent, ROOT)
        study = next((s for s in studies if Path(s.source).name == path.name), None)
        if study is None:
            return "", set(), [p for p in problems if Path(p.path).name == path.name]
        parts = [study.title, study.summary]
        parts += [x.body for x in study.lessons] + [x.body for x in study.sections]
        parts += [b for s in study.sections for b in s.benefits + s.challenges + s.takeaways]
        return "\n".join(parts), {(k, i) for k, i, _ in study.references}, []
    post, problems = read_post(path, ROOT)
    if post is None:
        return "", set(), problems
    carried = {(kind, term_id) for kind in KINDS for term_id in getattr(post, kind)}
    return f"{post.title}\n{post.body}\n{' '.join(post.categories + post.tags)}", carried, []


if __name__ == "__main__":
    sys.exit(main())
