"""Propose vocabulary terms from the posts: `python scripts/propose_terms.py [--min-posts N] [--kind KIND]`

Lists names of organisations and legacy categories that recur across the posts and that
taxonomy.yml does not know yet, with the number of posts naming each and an example passage:
candidates for a person to accept into taxonomy.yml, with a description written from the
posts themselves."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import venv_guard  # noqa: F401  (first: says how to run the script outside .venv)

from casebook.content.posts import load_posts
from casebook.content.vocabulary import load_vocabulary
from casebook.tools.candidates import PATTERNS, propose_terms

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-posts", type=int, default=3, help="the fewest posts a candidate appears in (default 3)")
    parser.add_argument("--kind", choices=[*PATTERNS, "category"], help="only candidates of this kind")
    parser.add_argument("--limit", type=int, default=200, help="the most candidates listed (default 200)")
    args = parser.parse_args(argv)
    terms, problems = load_vocabulary(ROOT / "taxonomy.yml", ROOT / "taxonomy.schema.json", ROOT)
    posts, post_problems = load_posts(ROOT / "posts", ROOT)
    for problem in problems + post_problems:
        print(problem, file=sys.stderr)
    candidates = [c for c in propose_terms(posts, terms, args.min_posts) if args.kind in (None, c.kind)]
    for candidate in candidates[: args.limit]:
        print(f"{candidate.posts:5}  {candidate.kind:10}  {candidate.name}\n         {candidate.example}")
    print(f"{len(candidates)} candidates in {len(posts)} posts", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
