"""Measure the tagging against the labelled samples: `python scripts/eval_tags.py [--list]`

Prints precision, recall and F1 for partners, models and lessons, for the tags alone and for
tags and mentions together, against each sample of posts labelled by reading them
(tests/fixtures/labels/labels*.yml) and against all of them together, which the budgets are
judged on; `--list` also lists every miss and every wrong tag."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import venv_guard  # noqa: F401  (first: says how to run the script outside .venv)

import yaml

from casebook.content.posts import load_posts
from casebook.content.vocabulary import load_vocabulary
from casebook.tagging import Tagger
from casebook.tools.evaluation import Evaluation, evaluate

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "tests" / "fixtures" / "labels"
BUDGETS = {("partners", "tagged"): 0.80, ("models", "tagged"): 0.85, ("lessons", "tagged or mentioned"): None}
"""The budgets: partners and models by the F1 of the tags; lessons by precision ≥ 0.70 and
recall ≥ 0.50 of tags and mentions."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="list every miss and every wrong tag")
    parser.add_argument("--labels", type=Path, nargs="+", help="default: tests/fixtures/labels/labels*.yml")
    args = parser.parse_args(argv)
    files = args.labels or sorted(LABELS.glob("labels*.yml"))
    terms, problems = load_vocabulary(ROOT / "taxonomy.yml", ROOT / "taxonomy.schema.json", ROOT)
    posts, post_problems = load_posts(ROOT / "posts", ROOT)
    for problem in problems + post_problems:
        print(problem, file=sys.stderr)
    samples = {file.name: yaml.safe_load(file.read_text(encoding="utf-8")) for file in files}
    names_file = files[0].with_name("names.yml")
    names = yaml.safe_load(names_file.read_text(encoding="utf-8")) if names_file.is_file() else {}
    by_source, tagger = {post.source: post for post in posts}, Tagger(terms)
    for name, labels in samples.items() if len(samples) > 1 else ():
        _print_scores(f"{name}: {len(labels)} posts labelled by reading", evaluate(labels, by_source, tagger, names))
    everything = [label for labels in samples.values() for label in labels]
    result = evaluate(everything, by_source, tagger, names)
    _print_scores(f"All samples: {len(everything)} posts; the budgets", result, budgets=True)
    if args.list:
        print("\nMissed (labelled, neither tagged nor mentioned):")
        for source, kind, term in result.misses:
            print(f"  {source}  {kind}: {term}")
        print("\nTagged but not labelled:")
        for source, kind, term, reason in result.wrong:
            print(f"  {source}  {kind}: {term}  ({reason})")
    return 0


def _print_scores(heading: str, result: Evaluation, budgets: bool = False) -> None:
    print(f"{heading}\n")
    budget = "budget" if budgets else ""
    print(f"{'':10} {'':20} {'precision':>9} {'recall':>7} {'F1':>5}   right wrong missed  {budget}")
    for (kind, strength), score in result.scores.items():
        print(
            f"{kind:10} {strength:20} {score.precision:9.2f} {score.recall:7.2f} {score.f1:5.2f}"
            f"   {score.right:5} {score.wrong:5} {score.missed:6}  {_budget(kind, strength, score) if budgets else ''}"
        )
    print()


def _budget(kind: str, strength: str, score) -> str:
    if (kind, strength) not in BUDGETS:
        return ""
    if kind == "lessons":
        met = score.precision >= 0.70 and score.recall >= 0.50
        return f"{'pass' if met else 'FAIL'}: precision ≥ 0.70 and recall ≥ 0.50"
    minimum = BUDGETS[kind, strength]
    return f"{'pass' if score.f1 >= minimum else 'FAIL'}: F1 ≥ {minimum:.2f}"


if __name__ == "__main__":
    sys.exit(main())
