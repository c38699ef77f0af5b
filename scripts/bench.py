"""Measure the build at archive scale: `python scripts/bench.py [--sizes archive,10000] [--runs 3] [--json]`

Builds the repository's own project as it is (`archive`: posts/, the whole Code for America
archive, and the case study) and the same project grown to N posts with copies of the
archive's posts (new slugs, dates, legacy URLs and terms; `--corpus` takes another Jekyll
`_posts/` folder, imported with the project's importer), and prints figures, not tests: the
wall time and peak memory of whole `mkdocs build` processes (medians), cold (no site, no
cache) and warm (nothing changed since the last build: its cache kept), the hooks' own time
by step, pages per second, the search index and the site's size; the same posts built by
Material's blog plugin, plain (posts, archive, pagination) and with categories from the
same terms, and by Hugo and Jekyll when they are installed, in the same run and interleaved
with ours; the hooks' time
within a build in this process; search: Pagefind's indexing time and memory, its index's
size and the bytes Chromium fetches for a query, against Material's search plugin on the same
site; the edit loop (one post changed, the site rebuilt) on the archive; and the budgets,
passed or failed.

Builds in processes of their own run the repository's code as it is at that moment; builds in
this process keep the hook module loaded by the first one, as `mkdocs serve` does. Unlike the
rest of the tools, this one imports MkDocs: it measures MkDocs builds."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import platform
import posixpath
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from importlib.metadata import version
from pathlib import Path

import venv_guard  # noqa: F401  (first: says how to run the script outside .venv)

import yaml
from browser import CHROMIUM, launch_chromium, serve
from mkdocs.commands.build import build
from mkdocs.config import load_config

from casebook.content.posts import load_posts
from casebook.content.vocabulary import load_vocabulary
from casebook.model import KINDS, Post, Term
from casebook.pipeline import TAXONOMY_SCHEMA, check_content
from casebook.settings import edit_base, read_settings
from casebook.site.outputs import FILE, SEARCH_OUTPUT
from casebook.site.pages import render_site
from casebook.text import slugify
from casebook.tools.importer import import_posts, old_home, post_file_name, render_post, unique_slug
from casebook.tools.project import read_config, read_project
from casebook.urls import href, link, src_uri_to_url

ROOT = Path(__file__).resolve().parents[1]
SEED = 2015
"""Seeds the draw of terms, so that every run builds the same posts."""
MAX_TERMS = 3
"""Each replica carries 0 to MAX_TERMS lessons, 0 to MAX_TERMS partners and 0 to MAX_TERMS models."""
MIB = 1024**2
GIB = 1024**3
BUDGET_COLD = 0.25
"""Our cold build's wall time against the plain blog plugin's on the same posts."""
BUDGET_WARM = 0.10
"""Our build with nothing changed against the plain blog plugin's."""
BUDGET_GROWTH = 11.0
"""For ten times the posts: the build's CPU time may grow 1.1 times as fast as the posts."""
GROWTH = "growth from the archive to 10,000 posts ≤ 1.1× the posts' growth (CPU)"
BUDGET_HOOK_SHARE = 0.05
BUDGET_RSS = GIB
BUDGET_EDIT = 1.0
BUDGET_SEARCH_FETCHED = 300 * 1000
BUDGET_SEARCH_COST = 0.5
"""Pagefind's indexing against the cost of Material's search plugin on the same site."""
BUDGET_INDEXER_RSS = 2 * GIB
SEARCH_QUERY = "praedial larceny"
SEARCH_VARIANTS = {
    "casebook-no-search": ("mkdocs-no-search.yml", "site-no-search", "plugins: []"),
    "casebook+material-search": ("mkdocs-material-search.yml", "site-material-search", "plugins:\n  - search"),
}
"""Our project built with no search, and with Material's search plugin instead of Pagefind:
what each search adds to a build. Engine name: (config file, site folder, plugins)."""
EDITS = 3
"""Edits of one post in the dirty edit loop, each rebuilt: its figure is the median."""
STEPS = ("check", "render")
"""The pipeline's steps: load, validate and index (`check_content`), then render the pages."""
ARCHIVE = 0
"""The size that stands for the project as it is: posts/ with no copies added."""

# Hugo and Jekyll render nothing without layouts: the smallest ones that show each post, and
# lists of posts (paginated by 20 as ours) for the home page and Hugo's taxonomy pages.
HUGO_CONFIG = """\
baseURL = "https://example.org/"
title = "Hugo reference"
paginate = 20
[permalinks]
  posts = "/blog/:year/:month/:slug/"
[markup.goldmark.renderer]
  unsafe = true
"""
HUGO_LAYOUTS = {
    "baseof.html": '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>'
    '<body>{{ block "main" . }}{{ end }}</body></html>\n',
    "single.html": '{{ define "main" }}<h1>{{ .Title }}</h1><time>{{ .Date.Format "2 January 2006" }}</time>'
    "{{ .Content }}{{ end }}\n",
    "list.html": '{{ define "main" }}<h1>{{ .Title }}</h1>{{ range (.Paginate .Pages).Pages }}'
    '<article><a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ .Summary }}</article>{{ end }}{{ end }}\n',
}
JEKYLL_CONFIG = """\
title: Jekyll reference
permalink: /blog/:year/:month/:title/
markdown: kramdown
disable_disk_cache: true
defaults:
  - scope: {path: ""}
    values: {layout: default}
"""
JEKYLL_LAYOUT = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ page.title }}</title></head>'
    "<body>{{ content }}</body></html>\n"
)
JEKYLL_INDEX = """\
---
title: Blog
---
{% for post in site.posts limit:20 %}<article><a href="{{ post.url | relative_url }}">{{ post.title }}</a>
{{ post.excerpt }}</article>{% endfor %}
"""

# Hack: Linux carries a process's peak RSS over fork and exec (`exec_mmap` keeps the old memory's
# high-water mark), so a build started from this process reports at least this process's peak:
# measured, `true` started from a 400 MiB Python reports 413 MiB. Builds are therefore started
# by a fresh, small Python that forks them and writes their wall time, peak RSS, the memory of
# all their processes together (sampled every 0.2 s: the sum of their Pss, which counts a page
# that a forked child shares with its parent once, and the sum of their RSS, which counts it in
# each) and CPU time.
MEASURE = """\
import os, sys, threading, time

def tree_memory(root):
    # Bytes: the proportional set sizes of `root` and its descendants (shared pages counted
    # once across them, as a forked child shares its parent's), and their resident set sizes
    # (a page shared by two processes counted twice).
    children = {}
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/stat") as stat:
                children.setdefault(int(stat.read().rsplit(")", 1)[1].split()[1]), []).append(entry)
        except (OSError, ValueError, IndexError):
            pass
    pss, rss, todo = 0, 0, [str(root)]
    while todo:
        pid = todo.pop()
        todo += children.get(int(pid), [])
        try:
            with open(f"/proc/{pid}/smaps_rollup") as rollup:
                for line in rollup:
                    if line.startswith(("Pss:", "Rss:")):
                        size = int(line.split()[1]) * 1024
                        pss, rss = (pss + size, rss) if line[0] == "P" else (pss, rss + size)
        except OSError:
            pass
    return pss, rss

def sample():
    global peak_pss, peak_rss
    while True:
        pss, rss = tree_memory(pid)
        peak_pss, peak_rss = max(peak_pss, pss), max(peak_rss, rss)
        if done.wait(0.2):
            return

start = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
peak_pss, peak_rss, done = 0, 0, threading.Event()
sampler = threading.Thread(target=sample)
sampler.start()
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - start
done.set()
sampler.join()
with open(sys.argv[1], "w") as result:
    result.write(f"{seconds} {usage.ru_maxrss * 1024} {peak_pss} {peak_rss} {usage.ru_utime + usage.ru_stime}")
sys.exit(os.waitstatus_to_exitcode(status))
"""

POST_LINK = re.compile(r"(?P<lead>\]\(\s*|\bhref=[\"'])(?P<target>[^\s()\"'#?:]+)(?=[\s)\"'#?])")
"""A relative link target in Markdown or in an HTML `href`."""


class BuildFailed(Exception):
    """A build exited with an error: the benchmark measures working builds only."""


@dataclass(frozen=True, slots=True)
class Engine:
    """One site generator building one project."""

    name: str
    command: tuple[str, ...]
    root: Path
    output: Path
    caches: tuple[Path, ...] = ()
    """Removed before every run, with the output, so that each run builds from scratch."""


@dataclass(frozen=True, slots=True)
class Run:
    seconds: float
    peak_rss: int
    """Bytes: the largest resident set of the build's process, or of any process it started."""
    total_pss: int
    """Bytes: the most memory the build's processes held together, the sum of their
    proportional set sizes (sampled every 0.2 s): a build that runs helpers beside it holds
    more than any one; a page a forked child shares with its parent counts once. The budget's figure."""
    total_rss: int
    """Bytes: the most the sum of the RSS of the build's processes reached (sampled with
    `total_pss`): it counts a page shared by a parent and its forked child twice, so it
    overstates what the build holds while the child lives; shown beside the honest figure."""
    cpu_seconds: float
    """User and system time: less disturbed than wall time by other work on the machine."""
    warnings: int
    """Lines of the build's output that carry a warning."""


# Content: the corpus imported once, then replicated.


def import_corpus(corpus: Path, out: Path) -> list[Post]:
    """The corpus's published posts, imported by the project's own importer into `out` and
    read back as the build reads them."""
    shutil.rmtree(out, ignore_errors=True)
    import_posts([corpus], out)
    return published_posts(load_posts(out, out.parent)[0])


def replicate(posts: list[Post], count: int, terms: tuple[Term, ...], seeds: Sequence[Post] = ()) -> list[Post]:
    """`count` posts made from `posts`, copy after copy: each with a new slug (unique beside
    `seeds` too), a date one day earlier per copy, legacy URLs and original URL to match,
    0 to MAX_TERMS lessons, partners and models drawn with a seeded generator, and its links
    to other posts pointing at the same copy of them."""
    rng = random.Random(SEED)
    ids = {kind: [term.id for term in terms if term.kind == kind] for kind in KINDS}
    taken_urls = {seed.url for seed in seeds}
    taken_names = {Path(seed.source).name for seed in seeds}
    replicas = []
    for number in range(count):
        copy, post = divmod(number, len(posts))
        original = posts[post]
        drawn = {kind: tuple(rng.sample(ids[kind], rng.randint(0, min(MAX_TERMS, len(ids[kind]))))) for kind in KINDS}
        published = original.published - dt.timedelta(days=copy)
        replica = unique_slug(
            replace(original, slug=f"{original.slug}-{copy + 1}", published=published, **drawn),
            taken_urls,
            taken_names,
        )
        taken_urls.add(replica.url)
        taken_names.add(post_file_name(replica))
        day = f"/{replica.published:%Y/%m/%d}/{replica.slug}"
        aliases = (f"{day}/", f"{day}.html")[: len(original.aliases)]
        home = old_home(original)
        replicas.append(replace(replica, aliases=aliases, original_url=home + aliases[0] if home and aliases else ""))
    targets = [copy_targets(posts, replicas, copy) for copy in range(-(-count // len(posts)))]
    for number, replica in enumerate(replicas):
        copy, original = divmod(number, len(posts))
        body = retarget_links(posts[original].body, posts[original].src_uri, replica.src_uri, targets[copy])
        replicas[number] = replace(replica, body=body)
    return replicas


def copy_targets(posts: list[Post], replicas: list[Post], copy: int) -> dict[str, str]:
    """Where links to each corpus post (by `src_uri`) go from the given copy: that copy of the
    post, else its first copy, else its original address when it has no copy at all."""
    targets = {}
    for number, post in enumerate(posts):
        for candidate in (copy * len(posts) + number, number):
            if candidate < len(replicas):
                targets[post.src_uri] = replicas[candidate].src_uri
                break
        else:
            if post.original_url:
                targets[post.src_uri] = post.original_url
    return targets


def retarget_links(body: str, src_uri: str, new_src_uri: str, targets: dict[str, str]) -> str:
    """The body's relative links to other posts (the importer writes Markdown links to their
    `.md` sources and relative `href`s to their pages) as seen from `new_src_uri`, pointing
    at `targets[their src_uri]`: another `src_uri`, or an absolute URL."""

    def retarget(match: re.Match) -> str:
        lead, target = match["lead"], match["target"]
        markdown = lead.startswith("]")
        if target.startswith("/") or (markdown and not target.endswith(".md")):
            return match[0]
        if markdown:
            old = posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), target))
        else:
            old = posixpath.normpath(posixpath.join(src_uri_to_url(src_uri), target)) + ".md"
        new = targets.get(old)
        if new is None:
            return match[0]
        return lead + (new if "://" in new else (link if markdown else href)(new_src_uri, new))

    return POST_LINK.sub(retarget, body)


def published_posts(posts: list[Post]) -> list[Post]:
    """The blog posts that a build publishes: what the reference engines get."""
    return [post for post in posts if post.kind == "post" and not post.draft]


# Projects: ours, and the same posts for each reference engine.


def write_casebook_project(root: Path, replicas: list[Post]) -> None:
    """The repository's project, its posts/ with the replicas added. Its hooks and templates
    are links to the repository's, so that the code measured is the code as it is now."""
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    for name in ("hooks", "overrides"):
        (root / name).symlink_to(ROOT / name, target_is_directory=True)
    for name in ("docs", "case_studies", "posts"):
        shutil.copytree(ROOT / name, root / name)
    for name in ("mkdocs.yml", "taxonomy.yml", TAXONOMY_SCHEMA):
        shutil.copy2(ROOT / name, root / name)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    if "\nplugins: []\n" not in config or "\n  casebook:\n" not in config:
        raise SystemExit("mkdocs.yml has changed its plugins or extra.casebook: update bench.write_casebook_project")
    for name, _, plugins in SEARCH_VARIANTS.values():
        variant = config.replace("\nplugins: []\n", f"\n{plugins}\n")
        variant = variant.replace("\n  casebook:\n", "\n  casebook:\n    search: false\n")
        (root / name).write_text(variant, encoding="utf-8")
    for post in replicas:
        (root / "posts" / post_file_name(post)).write_text(render_post(post), encoding="utf-8")


def write_blog_project(root: Path, posts: list[Post], terms: tuple[Term, ...], categories: bool = True) -> None:
    """The posts for Material's blog plugin, with our theme settings and Markdown extensions:
    `docs/blog/posts/YYYY/MM/slug.md` and URLs `blog/YYYY/MM/slug/`, as ours, so that links
    between posts work unchanged; authors in `.authors.yml`; with `categories`, categories
    from the legacy categories and the titles of the post's terms (a page each, which costs
    the plugin most of its time); the excerpt separator after the first paragraph when the
    post has none (else listings would show whole posts)."""
    shutil.rmtree(root, ignore_errors=True)
    ours = read_config(ROOT / "mkdocs.yml")
    theme = {key: value for key, value in ours["theme"].items() if key != "custom_dir"}
    blog = {"post_url_date_format": "yyyy/MM", "pagination_per_page": 20}
    config = {
        "site_name": "Blog plugin reference",
        "theme": theme,
        "markdown_extensions": ours["markdown_extensions"],
        "plugins": ["search", {"blog": blog}],
        "nav": ["index.md", {"Blog": ["blog/index.md"]}],
    }
    write(root / "mkdocs.yml", yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
    write(root / "docs" / "index.md", "# Home\n")
    write(root / "docs" / "blog" / "index.md", "# Blog\n")
    authors = {}
    for post in published_posts(posts):
        ids = [slugify(name) for name in post.authors]
        for author_id, name in zip(ids, post.authors, strict=True):
            authors.setdefault(author_id, {"name": name, "description": "", "avatar": ""})
        names = categories_of(post, terms) if categories else []
        front = {"title": post.title, "date": {"created": post.date}, "slug": post.slug}
        front |= {"authors": ids} if ids else {}
        front |= {"categories": names} if names else {}
        body = post.body.replace("<!--more-->", "<!-- more -->")
        if "<!-- more -->" not in body:
            first, _, rest = body.partition("\n\n")
            body = f"{first}\n\n<!-- more -->\n\n{rest}"
        write(root / "docs" / "blog" / "posts" / post.src_uri.removeprefix("blog/"), front_matter_text(front, body))
    write(root / "docs" / "blog" / ".authors.yml", yaml.safe_dump({"authors": authors}, allow_unicode=True))


def categories_of(post: Post, terms: tuple[Term, ...]) -> list[str]:
    """The post's legacy categories and the titles of its terms: what the other engines get
    for our term pages."""
    titles = {term.key: term.title for term in terms}
    names = [*post.categories, *(titles.get((kind, i), i) for kind in KINDS for i in getattr(post, kind))]
    return list(dict.fromkeys(names))


def write_hugo_project(root: Path, posts: list[Post], terms: tuple[Term, ...]) -> None:
    """The posts as Hugo content, with `categories_of` them as Hugo's categories."""
    shutil.rmtree(root, ignore_errors=True)
    write(root / "hugo.toml", HUGO_CONFIG)
    for name, text in HUGO_LAYOUTS.items():
        write(root / "layouts" / "_default" / name, text)
    for post in published_posts(posts):
        front = {"title": post.title, "date": post.published.isoformat(), "slug": post.slug}
        categories = categories_of(post, terms)
        front |= {"categories": categories} if categories else {}
        write(root / "content" / "posts" / post_file_name(post), front_matter_text(front, post.body))


def write_jekyll_project(root: Path, posts: list[Post], terms: tuple[Term, ...]) -> None:
    """The posts as a Jekyll `_posts/` folder, with `categories_of` them, read without Liquid
    (the bodies are HTML)."""
    shutil.rmtree(root, ignore_errors=True)
    write(root / "_config.yml", JEKYLL_CONFIG)
    write(root / "_layouts" / "default.html", JEKYLL_LAYOUT)
    write(root / "index.html", JEKYLL_INDEX)
    for post in published_posts(posts):
        front = {"title": post.title, "date": post.published.isoformat(), "render_with_liquid": False}
        categories = categories_of(post, terms)
        front |= {"categories": categories} if categories else {}
        write(root / "_posts" / post_file_name(post), front_matter_text(front, post.body))


def front_matter_text(front: dict, body: str) -> str:
    return f"---\n{yaml.safe_dump(front, sort_keys=False, allow_unicode=True)}---\n\n{body}"


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def engines(workdir: Path, size: int) -> list[Engine]:
    """Ours, cold and warm, Material's blog plugin plain and with categories, our project with
    no search and with Material's search plugin, and Hugo and Jekyll if installed, for one
    size. Ours builds with --strict, as `make build` does: the copies must be clean. A cold
    build removes the site and the build cache; the warm one follows it, with its cache."""
    mkdocs = (sys.executable, "-m", "mkdocs", "build")
    root = workdir / f"casebook-{size}"
    cache = (root / ".cache",)
    found = [
        Engine("casebook", (*mkdocs, "--strict"), root, root / "site", cache),
        Engine("casebook-warm", (*mkdocs, "--strict"), root, root / "site"),
        Engine("material-blog", mkdocs, workdir / f"blog-{size}", workdir / f"blog-{size}" / "site"),
        Engine("material-blog+categories", mkdocs, workdir / f"blog-cat-{size}", workdir / f"blog-cat-{size}" / "site"),
    ]
    for name, (config, site, _) in SEARCH_VARIANTS.items():
        output = workdir / f"casebook-{size}-{site}"  # outside the project, as site/ is to the cache
        found.append(Engine(name, (*mkdocs, "--strict", "-f", config, "-d", str(output)), root, output, cache))
    if shutil.which("hugo"):
        found.append(Engine("hugo", ("hugo", "--quiet"), workdir / f"hugo-{size}", workdir / f"hugo-{size}" / "public"))
    if shutil.which("jekyll"):
        root = workdir / f"jekyll-{size}"
        found.append(Engine("jekyll", ("jekyll", "build", "--quiet"), root, root / "_site", (root / ".jekyll-cache",)))
    return found


# Measuring.


def run_build(engine: Engine, log: Path) -> Run:
    """One whole build process, from scratch: its wall time, its peak RSS (its own or its
    largest child's), the memory of all its processes together, and its CPU time."""
    for path in (engine.output, *engine.caches):
        shutil.rmtree(path, ignore_errors=True)
    result = log.with_suffix(".result")
    with log.open("wb") as output:
        command = (sys.executable, "-I", "-S", "-c", MEASURE, str(result), *engine.command)
        done = subprocess.run(command, cwd=engine.root, stdout=output, stderr=subprocess.STDOUT)
    text = log.read_text(encoding="utf-8", errors="replace")
    if done.returncode:
        tail = "\n".join(text.splitlines()[-15:])
        raise BuildFailed(f"{engine.name} in {engine.root} exited with {done.returncode}:\n{tail}")
    seconds, peak_rss, total_pss, total_rss, cpu_seconds = result.read_text().split()
    warnings = sum("WARNING" in line for line in text.splitlines())
    return Run(float(seconds), int(peak_rss), int(total_pss), int(total_rss), float(cpu_seconds), warnings)


def time_hooks(config_file: Path) -> tuple[dict[str, float], int]:
    """Seconds of each step of our pipeline on the project, as the hook runs it, with the
    settings and the theme's Jinja environment the hook gives it; and the number of redirect
    pages it makes (static `.html` files, which are not rendered pages)."""
    config = load_config(str(config_file))
    settings, _ = read_settings(
        config.extra.get("casebook"),
        config_file.parent,
        site_name=config.site_name,
        site_url=config.site_url,
        edit_base=edit_base(config.repo_url, config.edit_uri, Path(config.docs_dir).name),
    )
    taken_urls = read_project(config_file).taken_urls
    env = config.theme.get_env()
    start = time.perf_counter()
    checked = check_content(settings, taken_urls)
    times = {"check": lap(start)}
    start = time.perf_counter()
    outputs = render_site(checked.archive, env, settings)
    times["render"] = lap(start)
    return times, sum(uri.endswith(".html") and output.place == FILE for uri, output in outputs)


def lap(start: float) -> float:
    return time.perf_counter() - start


def time_in_process(config_file: Path, edited: Path | None) -> dict:
    """Seconds of a build in this process, as `mkdocs serve` makes its first one, and of it the
    seconds in our hook's event handlers (every event: the pipeline in `on_files`, and the
    work done on each page). With `edited`, then the edit loop: that post changed and the site
    rebuilt (without the file watcher's delay) as `mkdocs serve` does it, then as
    `mkdocs serve --dirty` (`make serve`) does it, in `time_dirty_session`."""
    config = load_config(str(config_file))
    config.plugins.on_startup(command="serve", dirty=False)
    spent = time_hook_events(config)
    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.ERROR)  # MkDocs warns that a dirty build may be inaccurate
    try:
        figures = {"build": timed_build(config, spent)}
        if edited is not None:
            config.plugins.on_shutdown()  # see time_dirty_session
            append_line(edited, "Edited for the rebuild.")
            figures["rebuild"] = timed_build(config, spent)
            figures |= time_dirty_session(config_file, edited)
    finally:
        logger.setLevel(level)
    return figures


def time_dirty_session(config_file: Path, edited: Path) -> dict:
    """The edit loop of `make serve` (`mkdocs serve --dirty`): the session's first build, then
    EDITS edits of the post, each rebuilt dirty; "dirty rebuild" is the median edit, with its
    CPU seconds (other work on the machine adds to the wall time only)."""
    figures = {"dirty first build": timed_dirty_build(config_file, start=True)}
    edits = []
    for number in range(1, EDITS + 1):
        # Untimed: the search index, which the preview updates beside it after each build,
        # catches up before the next save, as it does while a person reads the page.
        load_config(str(config_file)).plugins.on_shutdown()
        append_line(edited, f"Edited for dirty rebuild {number}.")
        edits.append(timed_dirty_build(config_file))
    load_config(str(config_file)).plugins.on_shutdown()  # the last edit's search index, untimed
    median = sorted(edits, key=lambda run: run["seconds"])[len(edits) // 2]
    figures["dirty rebuild"] = median | {"runs": [run["seconds"] for run in edits]}
    return figures


def timed_dirty_build(config_file: Path, start: bool = False) -> dict:
    """One build of a `mkdocs serve --dirty` session, the configuration loaded afresh as serve
    does for each rebuild and counted in the build; `start` for the session's first build,
    the only one serve calls `on_startup` for."""
    begin, cpu = time.perf_counter(), time.process_time()
    config = load_config(str(config_file))
    if start:
        config.plugins.on_startup(command="serve", dirty=True)
    spent = time_hook_events(config)
    build(config, dirty=True)
    figures = {"seconds": lap(begin), "cpu_seconds": time.process_time() - cpu}
    return figures | {"hooks": sum(spent.values()), "hook_events": dict(spent)}


EDIT_KINDS = ("body", "title", "tags")
"""What `measure_edit_loop` changes in the edited post, each edit on the text the one before
left: a line added to its text; its title (its listings, term pages and feeds show it); its
lessons (the term pages and feeds that list it)."""


def measure_edit_loop(workdir: Path, runs: int, profile: Path | None = None) -> dict:
    """The edit loop of `make serve` alone, on a copy of the project as it is: a dirty serve
    session's first build, then `runs` rounds of one edit of each of EDIT_KINDS to a post from
    the middle of the archive, interleaved, each rebuilt dirty (the search index the preview
    updates beside it finished, untimed, before the next edit). With `profile`, one more body
    edit rebuilt under cProfile, its statistics written there."""
    root = workdir / "casebook-edit-loop"
    write_casebook_project(root, [])
    config_file = root / "mkdocs.yml"
    seeds, _ = load_posts(root / "posts", root)
    edited = root / published_posts(seeds)[len(published_posts(seeds)) // 2].source
    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.ERROR)
    load = os.getloadavg()[0]
    times: dict[str, list[dict]] = {kind: [] for kind in EDIT_KINDS}
    try:
        first = timed_dirty_build(config_file, start=True)
        for number in range(1, runs + 1):
            for kind in EDIT_KINDS:
                load_config(str(config_file)).plugins.on_shutdown()  # the search index, untimed
                edited.write_text(edit_post(edited.read_text(encoding="utf-8"), kind, number), encoding="utf-8")
                times[kind].append(timed_dirty_build(config_file))
                progress(f"edit loop, round {number}/{runs}: {kind} {times[kind][-1]['seconds']:.2f} s")
        if profile is not None:
            import cProfile

            load_config(str(config_file)).plugins.on_shutdown()
            edited.write_text(edit_post(edited.read_text(encoding="utf-8"), "body", runs + 1), encoding="utf-8")
            profiler = cProfile.Profile()
            profiler.runcall(timed_dirty_build, config_file)
            profiler.dump_stats(profile)
        load_config(str(config_file)).plugins.on_shutdown()
    finally:
        logger.setLevel(level)
    figures = {"machine": machine(), "post": edited.name, "load": {"start": load, "end": os.getloadavg()[0]}}
    figures["first build"] = first
    for kind, runs_of in times.items():
        median = sorted(runs_of, key=lambda run: run["seconds"])[len(runs_of) // 2]
        figures[kind] = median | {"runs": [run["seconds"] for run in runs_of]}
    return figures


def edit_post(text: str, kind: str, number: int) -> str:
    """The post's `text` with one edit of `kind` (EDIT_KINDS), numbered so that each differs."""
    if kind == "body":
        return f"{text}\nEdited for dirty rebuild {number}.\n"
    head, _, body = text.partition("\n---\n")
    if kind == "title":
        lines = [f"title: Edited title {number}" if line.startswith("title:") else line for line in head.splitlines()]
        return "\n".join(lines) + "\n---\n" + body
    lesson = ("keep-it-simple", "intentional-inclusion")[number % 2]
    lines = [line for line in head.splitlines() if not line.startswith("lessons:")]
    return "\n".join([*lines, f"lessons: [{lesson}]"]) + "\n---\n" + body


def report_edit_loop(figures: dict) -> str:
    """The edit loop's figures as lines of text."""
    load = figures["load"]
    lines = [
        f"Edit loop of `make serve` (mkdocs serve --dirty) on the archive, {figures['post']} edited",
        f"load average {load['start']:.2f} -> {load['end']:.2f}; "
        + ", ".join(f"{key} {value}" for key, value in figures["machine"].items()),
    ]
    for kind in ("first build", *EDIT_KINDS):
        run = figures[kind]
        runs = ", ".join(f"{seconds:.2f}" for seconds in run.get("runs", ()))
        events = ", ".join(f"{event} {seconds:.2f}" for event, seconds in sorted(run["hook_events"].items()))
        lines.append(
            f"{kind}: {run['seconds']:.2f} s{cpu_note(run)}, hooks {run['hooks']:.2f} s ({events})"
            + (f"; runs {runs}" if runs else "")
        )
    return "\n".join(lines)


def append_line(path: Path, line: str) -> None:
    with path.open("a", encoding="utf-8") as file:
        file.write(f"\n{line}\n")


def timed_build(config, spent: dict[str, float]) -> dict:
    """One build in this process: its seconds and CPU seconds, and the seconds in our hook's
    handlers (`spent`, filled by `time_hook_events`), in all and by event."""
    spent.clear()
    start, cpu = time.perf_counter(), time.process_time()
    build(config)
    figures = {"seconds": lap(start), "cpu_seconds": time.process_time() - cpu}
    return figures | {"hooks": sum(spent.values()), "hook_events": dict(spent)}


def time_hook_events(config) -> dict[str, float]:
    """Wrap the event handlers of the config's hook modules with timers; the dict returned
    adds up their seconds by event."""
    modules = {module.__name__ for module in config.hooks.values()}
    spent: dict[str, float] = {}

    def timed(event: str, handler):
        def run(*args, **kwargs):
            start = time.perf_counter()
            try:
                return handler(*args, **kwargs)
            finally:
                spent[event] = spent.get(event, 0.0) + lap(start)

        return run

    for event, handlers in config.plugins.events.items():
        handlers[:] = [timed(event, h) if getattr(h, "__module__", None) in modules else h for h in handlers]
    return spent


def folder_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def _size_name(size: int) -> str:
    return "the archive" if size == ARCHIVE else f"{size} posts"


def measure_size(
    size: int, corpus: list[Post], seeds: list[Post], terms: tuple[Term, ...], workdir: Path, runs: int, edit: bool
) -> dict:
    """Every figure for one size: builds interleaved engine by engine, run after run; then
    the hooks' own time by step, a build in process with the time in our hooks, and the edit
    loop if `edit`."""
    copies = max(0, size - len(published_posts(seeds)))  # published posts in all: `size`
    replicas = replicate(corpus, copies, terms, seeds) if size != ARCHIVE else []
    found = engines(workdir, size)
    ours = found[0]
    write_casebook_project(ours.root, replicas)
    write_blog_project(found[2].root, seeds + replicas, terms, categories=False)
    write_blog_project(found[3].root, seeds + replicas, terms)
    writers = {"hugo": write_hugo_project, "jekyll": write_jekyll_project}
    for engine in found:
        if engine.name in writers:
            writers[engine.name](engine.root, seeds + replicas, terms)
    logs = workdir / "logs"
    logs.mkdir(exist_ok=True)
    results = {engine.name: [] for engine in found}
    for number in range(1, runs + 1):
        for engine in found:
            run = run_build(engine, logs / f"{engine.name}-{size}.log")
            results[engine.name].append(run)
            progress(
                f"{_size_name(size)}, run {number}/{runs}: {engine.name} {run.seconds:.1f} s,"
                f" {run.peak_rss / MIB:.0f} MiB"
            )
    hook_runs = [time_hooks(ours.root / "mkdocs.yml") for _ in range(runs)]
    redirects = hook_runs[0][1]
    hooks = {step: statistics.median(times[step] for times, _ in hook_runs) for step in STEPS}
    hooks["steps"] = sum(hooks.values())
    posts = len(published_posts(seeds + replicas))
    figures = {"posts": posts, "archive": size == ARCHIVE, "seeds": len(seeds), "engines": {}, "hooks": hooks}
    for engine in found:
        runs_of = results[engine.name]
        pages = sum(1 for _ in engine.output.rglob("*.html")) - (redirects if engine.name.startswith("casebook") else 0)
        seconds = statistics.median(run.seconds for run in runs_of)
        index = engine.output / "search" / "search_index.json"
        figures["engines"][engine.name] = {
            "output": engine.output,
            "seconds": seconds,
            "cpu_seconds": statistics.median(run.cpu_seconds for run in runs_of),
            "peak_rss": statistics.median(run.peak_rss for run in runs_of),
            "total_pss": statistics.median(run.total_pss for run in runs_of),
            "total_rss": statistics.median(run.total_rss for run in runs_of),
            "pages": pages,
            "pages_per_second": pages / seconds,
            "search_index": index.stat().st_size if index.is_file() else None,
            "site": folder_size(engine.output),
            "warnings": runs_of[0].warnings,
            "runs": [asdict(run) for run in runs_of],
        }
    progress(f"{_size_name(size)}: search")
    figures["search"] = measure_search(ours, figures["engines"], runs, logs / f"pagefind-{size}.log")
    progress(f"{_size_name(size)}: a build in process" + (", then the edit loop" if edit else ""))
    archive = published_posts(seeds)
    edited = ours.root / archive[len(archive) // 2].source if edit else None
    figures["in_process"] = time_in_process(ours.root / "mkdocs.yml", edited)
    first = figures["in_process"]["build"]
    # The build is made as `mkdocs serve` makes it, whose search index is made beside it
    # (`on_post_build` only starts that): the hooks' time holds no search indexing.
    own = first["hooks"]
    hooks |= {"in_build": own, "build": first["seconds"], "share": own / first["seconds"]}
    return figures


def measure_search(ours: Engine, engines: dict, runs: int, log: Path) -> dict:
    """Pagefind on our site against Material's search plugin on the same site, in the same
    run: what each adds to a build (our build with it against our build with no search);
    the indexer run alone, as a process of its own (its time and peak memory); the size of
    each index; and what Chromium fetches to show the first results of SEARCH_QUERY."""
    index = "import sys; from pathlib import Path; from casebook import index_site; index_site(Path(sys.argv[1]))"
    indexer = Engine(
        "pagefind", (sys.executable, "-c", index, str(ours.output)), ours.root, ours.output / SEARCH_OUTPUT
    )
    alone = [run_build(indexer, log) for _ in range(runs)]
    without = engines["casebook-no-search"]["seconds"]
    material_index = engines["casebook+material-search"]["output"] / "search" / "search_index.json"
    return {
        "pagefind": {
            "seconds": engines["casebook"]["seconds"] - without,
            "alone_seconds": statistics.median(run.seconds for run in alone),
            "peak_rss": statistics.median(run.peak_rss for run in alone),
            "total_pss": statistics.median(run.total_pss for run in alone),
            "total_rss": statistics.median(run.total_rss for run in alone),
            "size": folder_size(ours.output / SEARCH_OUTPUT),
            "fetched": fetched_for_first_results(ours.output),
        },
        "material": {
            "seconds": engines["casebook+material-search"]["seconds"] - without,
            "size": material_index.stat().st_size,
            "fetched": material_index.stat().st_size,  # fetched whole on the first keystroke
        },
    }


def fetched_for_first_results(site: Path) -> int | None:
    """Bytes of search files Chromium fetches from opening the search to the first results
    of SEARCH_QUERY on the home page; None without Chromium."""
    if not Path(CHROMIUM).is_file():
        return None
    from playwright.sync_api import sync_playwright

    server = serve(site)
    fetched = {}
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{server.server_port}/")
            page.on("response", lambda response: fetched.update({response.url: len(response.body())}))
            page.keyboard.press("/")
            page.keyboard.type(SEARCH_QUERY)
            page.locator(".casebook-search__result").first.wait_for()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return sum(size for url, size in fetched.items() if f"/{SEARCH_OUTPUT}/" in url)


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# The machine, the budgets and the table.


def machine() -> dict:
    """CPU model, cores, memory and the versions of what builds."""
    cpuinfo, meminfo = Path("/proc/cpuinfo"), Path("/proc/meminfo")
    models = (
        [line for line in cpuinfo.read_text().splitlines() if line.startswith("model name")] if cpuinfo.exists() else []
    )
    memory = (
        [line for line in meminfo.read_text().splitlines() if line.startswith("MemTotal:")] if meminfo.exists() else []
    )
    return {
        "cpu": models[0].split(":", 1)[1].strip() if models else platform.processor() or "unknown",
        "cores": os.cpu_count(),
        "ram": int(memory[0].split()[1]) * 1024 if memory else None,
        "python": platform.python_version(),
        "mkdocs": version("mkdocs"),
        "material": version("mkdocs-material"),
        "hugo": tool_version("hugo", "version"),
        "jekyll": tool_version("jekyll", "--version"),
    }


def tool_version(*command: str) -> str:
    """The first line a tool prints about its version; "not installed" without it."""
    if not shutil.which(command[0]):
        return "not installed"
    done = subprocess.run(command, capture_output=True, text=True)
    return (done.stdout or done.stderr).strip().splitlines()[0]


def budgets(sizes: list[dict]) -> list[dict]:
    """Each budget of the issue, passed (True), failed (False) or not measured (None)."""
    small = next((figures for figures in sizes if figures.get("archive")), None)
    large = next((figures for figures in sizes if figures["posts"] >= 10000), None)
    rows = []

    def row(budget: str, passed: bool | None, value: str) -> None:
        rows.append({"budget": budget, "pass": passed, "value": value})

    for figures in sizes:
        found, posts = figures["engines"], f"{figures['posts']:,} posts"
        blog, with_categories = found["material-blog"]["seconds"], found["material-blog+categories"]["seconds"]
        for name, budget, label in (("casebook", BUDGET_COLD, "cold"), ("casebook-warm", BUDGET_WARM, "warm")):
            ours = found[name]["seconds"]
            row(
                f"{label} build ≤ {budget:.2f}× the plain blog plugin, search included ({posts})",
                ours <= budget * blog,
                f"{ours / blog:.2f}× ({ours:.2f} s against {blog:.2f} s;"
                f" {ours / with_categories:.2f}× the plugin with categories)",
            )
    if small and large:
        # Judged on CPU time: our build is one thread, so on an idle machine its CPU time is its
        # wall time, and other work on the machine, which varies from one size to the next, adds
        # to the wall time only.
        ours_small, ours_large = small["engines"]["casebook"], large["engines"]["casebook"]
        growth = ours_large["cpu_seconds"] / ours_small["cpu_seconds"]
        wall = ours_large["seconds"] / ours_small["seconds"]
        posts = large["posts"] / small["posts"]
        value = f"{growth:.2f}× CPU ({wall:.2f}× wall) for {posts:.1f}× the posts"
        row(GROWTH, growth <= BUDGET_GROWTH / 10 * posts, value)
    else:
        row(GROWTH, None, "needs the archive and 10,000 posts")
    for figures in sizes:
        share = figures["hooks"]["share"]
        row(
            f"hooks' own work ≤ 5 % of the build ({figures['posts']:,} posts)",
            share <= BUDGET_HOOK_SHARE,
            f"{share:.1%}",
        )
    memory = "peak memory at 10,000 posts ≤ 1 GiB (sum of Pss of all the build's processes)"
    if large:
        ours = large["engines"]["casebook"]
        row(memory, ours["total_pss"] <= BUDGET_RSS, memory_note(ours))
    else:
        row(memory, None, "10,000 posts not measured")
    for figures in sizes:
        search, posts = figures["search"], f"{figures['posts']:,} posts"
        fetched = search["pagefind"]["fetched"]
        row(
            f"first results of “{SEARCH_QUERY}” after ≤ 300 KB of search files ({posts})",
            None if fetched is None else fetched <= BUDGET_SEARCH_FETCHED,
            "no Chromium" if fetched is None else f"{fetched / 1000:,.0f} KB",
        )
        ours, material = search["pagefind"]["seconds"], search["material"]["seconds"]
        row(
            f"search adds ≤ half what Material's search plugin adds to a build ({posts})",
            material > 0 and ours <= BUDGET_SEARCH_COST * material,
            f"{ours:.2f} s against {material:.2f} s",
        )
    if large:
        indexer = large["search"]["pagefind"]
        row(
            "indexer's peak memory at 10,000 posts < 2 GiB (sum of Pss of its processes)",
            indexer["total_pss"] < BUDGET_INDEXER_RSS,
            memory_note(indexer),
        )
    else:
        row(
            "indexer's peak memory at 10,000 posts < 2 GiB (sum of Pss of its processes)",
            None,
            "10,000 posts not measured",
        )
    edit = small["in_process"].get("dirty rebuild") if small else None
    budget = f"edit one post, rebuilt by `make serve` (--dirty) at the archive's size ≤ {BUDGET_EDIT:.0f} s"
    if edit:
        row(budget, edit["seconds"] <= BUDGET_EDIT, f"{edit['seconds']:.2f} s{cpu_note(edit)}")
    else:
        row(budget, None, "the archive not measured")
    return rows


def memory_note(run: dict) -> str:
    """`900 MiB Pss (sum of RSS 1,300 MiB; largest process 700 MiB RSS)`: the honest figure
    first, then the sum of RSS, which counts pages a forked child shares with its parent twice."""
    return (
        f"{run['total_pss'] / MIB:,.0f} MiB Pss (sum of RSS {run['total_rss'] / MIB:,.0f} MiB;"
        f" largest process {run['peak_rss'] / MIB:,.0f} MiB RSS)"
    )


def cpu_note(run: dict) -> str:
    """`, 0.90 s CPU, median of 3` for a timed build, as far as its figures go."""
    note = f", {run['cpu_seconds']:.2f} s CPU" if "cpu_seconds" in run else ""
    return note + (f", median of {len(run['runs'])}" if "runs" in run else "")


def table(rows: list[list[str]], align: str) -> str:
    """Columns aligned, each to the left (`l`) or to the right (`r`) as `align` says."""
    widths = [max(len(row[n]) for row in rows) for n in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [
            cell.ljust(width) if side == "l" else cell.rjust(width)
            for cell, width, side in zip(row, widths, align, strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def megabytes(size: int | None) -> str:
    return "-" if size is None else f"{size / MIB:,.1f}"


def report(results: dict) -> str:
    """The figures as text tables."""
    host = results["machine"]
    memory = f"{host['ram'] / GIB:.1f} GiB" if host["ram"] else "unknown"
    lines = [
        f"Machine: {host['cpu']}, {host['cores']} cores, {memory} RAM; Python {host['python']}, "
        f"MkDocs {host['mkdocs']}, Material {host['material']}",
        f"Hugo: {host['hugo']}; Jekyll: {host['jekyll']}",
        f"Corpus: {results['corpus']['posts']} posts from {results['corpus']['path']}; "
        f"median of {results['runs']} run(s), engines interleaved",
        f"Load average (1 min): {results['load']['start']:.1f} at the start, {results['load']['end']:.1f} at the end "
        "(other work on the machine slows every engine)",
        "",
        "Full builds, each a whole process: from scratch, but casebook-warm (nothing changed since the",
        "casebook build before it, whose cache it keeps); × blog: against the plain blog plugin",
    ]
    columns = (
        "posts|engine|wall s|× blog|CPU s|largest RSS MiB|all Pss MiB|all RSS MiB|pages|pages/s|search MiB|site MiB"
    )
    rows = [columns.split("|")]
    for figures in results["sizes"]:
        blog = figures["engines"]["material-blog"]["seconds"]
        for name, engine in figures["engines"].items():
            rows.append(
                [
                    f"{figures['posts']:,}" + (" (archive)" if figures.get("archive") else ""),
                    name,
                    f"{engine['seconds']:.2f}",
                    f"{engine['seconds'] / blog:.2f}",
                    f"{engine['cpu_seconds']:.2f}",
                    megabytes(engine["peak_rss"]),
                    megabytes(engine["total_pss"]),
                    megabytes(engine["total_rss"]),
                    f"{engine['pages']:,}",
                    f"{engine['pages_per_second']:,.0f}",
                    megabytes(engine["search_index"]),
                    megabytes(engine["site"]),
                ]
            )
    lines += [
        table(rows, "llrrrrrrrrrr"),
        "Memory: largest RSS is the peak of the largest process; all Pss the peak of the sum of the",
        "Pss of all the build's processes (each shared page counted once: the budget's figure); all RSS",
        "the peak of the sum of their RSS (a page a forked child shares with its parent counted twice).",
        "",
        "Our hooks' own work: each step alone (median), and in a build in process",
    ]
    rows = [["posts", *(f"{step} s" for step in STEPS), "steps s", "hooks in build s", "build s", "share"]]
    for figures in results["sizes"]:
        hooks = figures["hooks"]
        rows.append(
            [
                f"{figures['posts']:,}",
                *(f"{hooks[step]:.2f}" for step in (*STEPS, "steps", "in_build", "build")),
                f"{hooks['share']:.1%}",
            ]
        )
    lines += [
        table(rows, "l" + "r" * (len(rows[0]) - 1)),
        "",
        f"Search: what it adds to a build, and what a reader fetches for “{SEARCH_QUERY}”",
    ]
    columns = "posts|index|added to build s|share|index MiB|fetched KB|indexer alone s|largest RSS MiB|all Pss MiB"
    rows = [columns.split("|")]
    for figures in results["sizes"]:
        search = figures["search"]
        for name, label in (("pagefind", "Pagefind"), ("material", "Material's plugin (fetched whole)")):
            index = search[name]
            fetched = index["fetched"]
            rows.append(
                [
                    f"{figures['posts']:,}",
                    label,
                    f"{index['seconds']:.2f}",
                    f"{index['seconds'] / figures['engines']['casebook']['seconds']:.0%}",
                    megabytes(index["size"]),
                    "-" if fetched is None else f"{fetched / 1000:,.0f}",
                    f"{index['alone_seconds']:.2f}" if "alone_seconds" in index else "-",
                    megabytes(index.get("peak_rss")),
                    megabytes(index.get("total_pss")),
                ]
            )
    lines += [table(rows, "llrrrrrrr"), ""]
    for figures in results["sizes"]:
        runs = figures["in_process"]
        if "rebuild" in runs:
            lines.append(
                f"Edit loop at {figures['posts']:,} posts (one post edited, site rebuilt in process): "
                + "; ".join(
                    f"{name} {run['seconds']:.2f} s (hooks {run['hooks']:.2f} s){cpu_note(run)}"
                    for name, run in runs.items()
                )
            )
    lines += ["", "Budgets"]
    labels = {True: "pass", False: "FAIL", None: "n/a"}
    lines.append(table([[labels[row["pass"]], row["budget"], row["value"]] for row in results["budgets"]], "lll"))
    return "\n".join(lines)


def parse_sizes(text: str) -> list[int]:
    """`archive,10000` -> [ARCHIVE, 10000]: the project as it is, and grown to 10,000 posts."""
    try:
        sizes = [ARCHIVE if part.strip() == "archive" else int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        sizes = []
    if not sizes or min(sizes) < 0:
        raise argparse.ArgumentTypeError("sizes are `archive` or numbers of posts, e.g. archive,10000")
    return sizes


# The patterns that once went quadratic (or worse) on some text, each on 1 MB of its worst case.

PATTERN_BUDGET = 2.0
"""Seconds each worst case may take: a post or a case study holds at most 1 MB."""
MB = 1_000_000


def pattern_cases() -> list[tuple[str, object, object]]:
    """(name, a call on 1 MB of its worst case, the result it must give) for each pattern of
    the package that scanned to the end of the text from every position, or tried every
    split of a run; `tests/test_hardening.py` checks the results, `time_patterns` the time."""
    from casebook.content.limits import check_body
    from casebook.publish.sanitize import sanitize_html
    from casebook.text import plain_text, without_tags
    from casebook.tools.annotations import images_over_http, missing_alt_text
    from casebook.tools.links import _REFRESH
    from casebook.tools.repair import (
        Here,
        OldSite,
        expand_captions,
        repair_images,
        repair_links,
        resolve_liquid,
        strip_quotes,
    )

    here, site = Here("posts/x.md", "blog/x.md", "", ""), OldSite(frozenset(), ())
    spaces = " " * MB
    return [
        ("plain_text on `<`", lambda: plain_text("<" * MB), "<" * 300 + "…"),
        ("plain_text on `<` in paragraphs", lambda: plain_text("<\n\n" * (MB // 3), 10), "< < < < <…"),
        ("plain_text on `[a](`", lambda: plain_text("[a](" * (MB // 4), 8), "[a]([a](…"),
        ("plain_text on nested links", lambda: plain_text("[" * (MB // 5) + "x" + "](y)" * (MB // 5), 4), "[[[[…"),
        ("without_tags on `<`", lambda: without_tags("<" * MB + ">", ""), ""),
        (
            "check_body on `<a-a-a`",
            lambda: check_body("<a" * 101 + "-a" * (MB // 2))[0][1][:31],
            "a paragraph with more than 5000",
        ),
        ("check_body on `[`", lambda: check_body("[" * MB)[-1][1][:26], "brackets or tags left open"),
        (
            "sanitize_html on a style",
            lambda: sanitize_html(f'<span style="color: {"a" * MB}\'">x</span>'),
            "<span>x</span>",
        ),
        ("sanitize_html on `<noscript`", lambda: "noscript" in sanitize_html("<noscript" * (MB // 9)), False),
        ("missing_alt_text on open fences", lambda: missing_alt_text("```x\n" * (MB // 5), "posts/x.md"), []),
        ("missing_alt_text on `<img`", lambda: missing_alt_text("<img" * (MB // 4), "posts/x.md"), []),
        ("images_over_http on `![`", lambda: images_over_http("![" * (MB // 2), "posts/x.md"), []),
        (
            "a refresh's URL after spaces",
            lambda: _REFRESH.match("0;url=a" + spaces + "b")[1].strip(),
            "a" + spaces + "b",
        ),
        ("resolve_liquid on `{{`", lambda: resolve_liquid("{{" * (MB // 2), here, []), "{{" * (MB // 2)),
        ("resolve_liquid on spaces", lambda: resolve_liquid("{{ a" + spaces + "b }}", here, []), ""),
        (
            "expand_captions on `[caption]`",
            lambda: expand_captions("[caption]" * (MB // 9), here, []),
            "[caption]" * (MB // 9),
        ),
        ("strip_quotes on inner quotes", lambda: strip_quotes("x" + '"' * MB + "x"), "x" + '"' * MB + "x"),
        (
            "repair_links on `[a](` and spaces",
            lambda: repair_links("[a](" + spaces + "x", here, site, []),
            "[a](" + spaces + "x",
        ),
        (
            "repair_images on a srcset of commas",
            lambda: repair_images('<img srcset="a://' + "," * MB + '">', "posts/x.md", site, []),
            '<img srcset="a://' + "," * MB + '">',
        ),
    ]


def time_patterns() -> bool:
    """Print the seconds each of `pattern_cases` takes, against `PATTERN_BUDGET`; whether all
    are within it and give their result."""
    passed = True
    for name, call, expected in pattern_cases():
        start = time.perf_counter()
        right = call() == expected
        seconds = time.perf_counter() - start
        ok = right and seconds <= PATTERN_BUDGET
        passed &= ok
        print(f"{'pass' if ok else 'FAIL'} {seconds:6.2f} s  {name}{'' if right else ' (wrong result)'}")
    return passed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", type=parse_sizes, default=[ARCHIVE, 10000], help="archive, or posts in all (default: archive,10000)"
    )
    parser.add_argument("--runs", type=int, default=3, help="builds per engine and size, interleaved (default: 3)")
    parser.add_argument("--corpus", type=Path, help="a Jekyll _posts/ folder to copy (default: the archive in posts/)")
    parser.add_argument("--workdir", type=Path, help="build here and keep the projects (default: a temporary folder)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--patterns", action="store_true", help="time only the patterns on their worst case")
    parser.add_argument(
        "--edit-loop", action="store_true", help="time only the edit loop of `make serve` on the archive (--runs edits)"
    )
    parser.add_argument("--profile", type=Path, help="with --edit-loop: write a cProfile of one more body edit here")
    args = parser.parse_args(argv)
    if args.patterns:
        return 0 if time_patterns() else 1
    if args.corpus and not args.corpus.is_dir():
        parser.error(f"not a folder: {args.corpus}")
    if args.runs < 1:
        parser.error("--runs must be 1 or more")
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    with tempfile.TemporaryDirectory(prefix="casebook-bench-") as temporary:
        workdir = (args.workdir or Path(temporary)).resolve()
        workdir.mkdir(parents=True, exist_ok=True)
        if args.edit_loop:
            print(report_edit_loop(measure_edit_loop(workdir, args.runs, args.profile)))
            return 0
        seeds, _ = load_posts(ROOT / "posts", ROOT)
        corpus = import_corpus(args.corpus, workdir / "corpus") if args.corpus else published_posts(seeds)
        if not corpus:
            parser.error(f"no post in {args.corpus} could be imported")
        terms, _ = load_vocabulary(ROOT / "taxonomy.yml", ROOT / TAXONOMY_SCHEMA, ROOT)
        load = os.getloadavg()[0]
        try:
            sizes = [
                measure_size(size, corpus, seeds, terms, workdir, args.runs, size == ARCHIVE) for size in args.sizes
            ]
        except BuildFailed as error:
            print(f"bench: a build failed, nothing measured: {error}", file=sys.stderr)
            return 1
    results = {
        "machine": machine(),
        "corpus": {"path": str(args.corpus or ROOT / "posts"), "posts": len(corpus)},
        "runs": args.runs,
        "load": {"start": load, "end": os.getloadavg()[0]},
        "sizes": sizes,
        "budgets": budgets(sizes),
    }
    print(json.dumps(results, indent=1, default=str) if args.json else report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
