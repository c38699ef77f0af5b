"""The project as mkdocs.yml describes it, read without MkDocs: what the command-line tools
and the export share."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2
import yaml
from yaml_env_tag import construct_env_tag

from ..model import Problem
from ..pipeline import build_site
from ..settings import Settings, edit_base, read_settings
from ..site.outputs import Site
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


def build_project(config_file: Path, config: dict | None = None) -> tuple[Settings, Site]:
    """The settings, and what the hook's build makes of the project of `config_file` (mkdocs.yml, or `config`
    read from it), with the same problems, those of its settings first: the same pipeline,
    without MkDocs (a plain Jinja environment renders the fragments; nothing is converted
    to HTML or written). Raise ValueError (or OSError) when the file cannot be read."""
    config = read_engine_config(config_file) if config is None else config
    root = config_file.parent
    docs = root / str(config.get("docs_dir") or "docs")
    theme, extra = config.get("theme"), config.get("extra")
    custom_dir = theme.get("custom_dir") if isinstance(theme, dict) else None
    settings, problems = read_settings(
        extra.get("casebook") if isinstance(extra, dict) else None,
        root,
        site_name=config.get("site_name") or "Casebook",
        site_url=config.get("site_url"),
        edit_base=edit_base(config.get("repo_url"), config.get("edit_uri"), docs.name),
    )
    hand_written = docs_files(docs)
    site = build_site(
        settings,
        template_env(root / custom_dir if custom_dir else root),
        frozenset(url for name, url in hand_written.items() if name.endswith(MARKDOWN_SUFFIXES)),
        docs_files={str(docs / name): url for name, url in hand_written.items()},
        existing_files=frozenset(
            url + "index.html" if url.endswith("/") or not url else url for url in hand_written.values()
        ),
    )
    return settings, Site(site.outputs, (*problems, *site.problems), site.notes)


def template_env(templates_dir: Path) -> jinja2.Environment:
    """A Jinja environment for the pipeline's fragments, which include only each other: it
    renders them as MkDocs' theme environment does (no autoescape, Jinja's own filters)."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates_dir)), auto_reload=False)


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
    return _read_config(config_file, ConfigLoader)


def _read_config(config_file: Path, loader: type[yaml.SafeLoader]) -> dict:
    try:
        config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=loader)
    except yaml.YAMLError as error:
        raise ValueError(f"not valid YAML: {error}") from None
    if not isinstance(config, dict):
        raise ValueError("not a MkDocs configuration (expected `key: value` lines)")
    return config


class _EnvLoader(ConfigLoader):
    """mkdocs.yml as the engines read it: `!ENV` from the environment, other tags as plain data."""


_EnvLoader.add_constructor("!ENV", construct_env_tag)


def read_engine_config(config_file: Path) -> dict:
    """mkdocs.yml as plain data, `!ENV` values resolved as MkDocs resolves them; ValueError
    if it is not a YAML mapping."""
    return _read_config(config_file, _EnvLoader)


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
