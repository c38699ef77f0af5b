"""The package's layers: each module imports only modules of its own layer or of layers before
it, so that reading, indexing and rendering never depend on the serve session, the tools or
MkDocs; and nothing in the build knows of a browser."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import ROOT

PACKAGE = ROOT / "hooks" / "casebook"
LAYERS = (
    ("model", "text", "urls", "settings"),
    ("content",),
    ("index", "tagging"),
    ("site",),
    ("pipeline",),
    ("publish",),
    ("preview",),
    ("tools",),
)
"""In order: a module may import from its own layer and those above it in this list. The
package's `__init__`, its public face for the hook, may import any."""
LAYER = {part: number for number, parts in enumerate(LAYERS) for part in parts}
MODULES = sorted(PACKAGE.rglob("*.py"))


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(text: str, module: str, is_package: bool = False) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in the source `text` of `module`,
    relative ones resolved."""
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            module_path = ".".join([*base, node.module] if node.module else base)
            found.append((node.lineno, module_path))
            found += [(node.lineno, f"{module_path}.{alias.name}") for alias in node.names if node.module is None]
    return found


def wrong_imports(text: str, module: str, is_package: bool = False) -> list[str]:
    """Each import of `module` against the direction of the layers."""
    here = layer_of(module)
    return [
        f"line {line} imports {imported}, a later layer"
        for line, imported in imports(text, module, is_package)
        if imported == "casebook" or (layer_of(imported) is not None and layer_of(imported) > here)
    ]


def layer_of(module: str) -> int | None:
    """The layer of a `casebook...` module; None for the package itself and other modules."""
    parts = module.split(".")
    return LAYER[parts[1]] if parts[0] == "casebook" and len(parts) > 1 else None


def test_the_layers_name_every_part_of_the_package():
    parts = {path.relative_to(PACKAGE).parts[0].removesuffix(".py") for path in MODULES} - {"__init__"}
    assert parts == set(LAYER)
    assert len([path for path in PACKAGE.glob("*.py") if path.name != "__init__.py"]) <= 8


@pytest.mark.parametrize("path", [p for p in MODULES if p != PACKAGE / "__init__.py"], ids=str)
def test_imports_run_one_way(path):
    assert wrong_imports(path.read_text(encoding="utf-8"), module_name(path), path.name == "__init__.py") == []


def test_the_package_knows_no_mkdocs_and_no_browser():
    for path in MODULES:
        for line, module in imports(path.read_text(encoding="utf-8"), module_name(path)):
            assert module.split(".")[0] not in ("mkdocs", "playwright"), f"{path}:{line} imports {module}"
    for path in (ROOT / "hooks").rglob("*.py"):
        assert "chromium" not in path.read_text(encoding="utf-8").lower(), path


def test_the_hook_keeps_no_global_state():
    tree = ast.parse((ROOT / "hooks" / "archive.py").read_text(encoding="utf-8"))
    assert not [node for node in ast.walk(tree) if isinstance(node, ast.Global | ast.Nonlocal)]


def test_a_wrong_import_is_found():
    """The check itself: imports of a later layer, relative or absolute, are caught."""
    text = "from ..site.pages import render_site\nimport casebook.preview.memo\nfrom . import limits\n"
    assert wrong_imports(text, "casebook.content.posts") == [
        "line 1 imports casebook.site.pages, a later layer",
        "line 2 imports casebook.preview.memo, a later layer",
    ]
    assert wrong_imports("from ..pipeline import Sources\n", "casebook.preview.memo") == []
