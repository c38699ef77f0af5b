"""Imported first by every script: run by a Python that cannot import the `casebook` package
or its dependencies (outside the project's .venv), the script stops with one line saying how
to run it, and exit status 2, rather than a ModuleNotFoundError traceback. Standard library
only, since it runs where nothing else is installed."""

import sys
from pathlib import Path

MAKE_TARGETS = {"validate.py": "make check", "make_pdf.py": "make pdf", "export_site.py": "make zensical"}
"""Scripts that a make target runs, which sets up .venv itself."""

try:
    import casebook  # noqa: F401  (imports the package's dependencies too)
except ModuleNotFoundError as error:
    name = Path(sys.argv[0]).name
    command = f".venv/bin/python scripts/{name}"
    how = f"`{MAKE_TARGETS[name]}`, or `{command}`" if name in MAKE_TARGETS else f"`{command}`"
    print(
        f"scripts/{name} needs the project's .venv (this Python cannot import {error.name}): "
        f"run `make setup` once, then {how}",
        file=sys.stderr,
    )
    sys.exit(2)
