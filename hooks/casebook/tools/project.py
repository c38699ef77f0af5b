"""The project as mkdocs.yml describes it, read without MkDocs: what the command-line tools
and the export share."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from ..model import Problem
from ..settings import Settings, read_settings
from ..urls import MARKDOWN_SUFFIXES, docs_url


@dataclass(frozen=True, slots=True)
class Project:
    """A project as the scripts see it."""

    settings: Settings
    taken_urls: frozenset[str]
    """URLs of the hand-written pages in docs/, which generated pages must not take."""
    problems: tuple[Problem, ...]
    """Mistakes in `extra.casebook`."""


def read_project(config_file: Path) -> Project:
    """The project of `config_file` (mkdocs.yml): its settings and its hand-written pages' URLs.
    Raise ValueError (or OSError) when the file cannot be read."""
    config = read_config(config_file)
    root = config_file.parent
    extra = config.get("extra")
    settings, problems = read_settings(extra.get("casebook") if isinstance(extra, dict) else None, root)
    docs_dir = root / str(config.get("docs_dir") or "docs")
    return Project(settings, documentation_urls(docs_dir), tuple(problems))


class ConfigLoader(yaml.SafeLoader):
    """Safe YAML that reads any tag it does not know (`!ENV`, `!!python/name:...`, which
    Material configs use) as the plain value under it: only plain settings are needed here."""


def _construct_untagged(loader: ConfigLoader, suffix: str, node: yaml.Node):
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_scalar(node)


ConfigLoader.add_multi_constructor("", _construct_untagged)


def read_config(config_file: Path) -> dict:
    """mkdocs.yml as plain data; ValueError if it is not a YAML mapping."""
    try:
        config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=ConfigLoader)
    except yaml.YAMLError as error:
        raise ValueError(f"not valid YAML: {error}") from None
    if not isinstance(config, dict):
        raise ValueError("not a MkDocs configuration (expected `key: value` lines)")
    return config


def documentation_urls(docs_dir: Path) -> frozenset[str]:
    """The URL of every page in `docs_dir`, as MkDocs gives them (`about/index.md` -> `about/`)."""
    return frozenset(url for name, url in docs_files(docs_dir).items() if name.endswith(MARKDOWN_SUFFIXES))


def docs_files(docs_dir: Path) -> dict[str, str]:
    """Each file of `docs_dir` (its path in it) with its URL, leaving out what MkDocs leaves
    out by default (dot-files, `templates/`)."""
    found = {}
    for path in sorted(docs_dir.rglob("*")) if docs_dir.is_dir() else ():
        name = path.relative_to(docs_dir).as_posix()
        if path.is_file() and not name.startswith("templates/") and "/." not in f"/{name}":
            found[name] = docs_url(name)
    return found
