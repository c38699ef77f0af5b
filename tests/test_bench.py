"""The benchmark's helpers (scripts/bench.py) on a tiny archive made from the importer's
fixtures: replicas, the reference projects, the measurement of one process, the report. No
timing is asserted."""

import posixpath
import sys
from pathlib import Path

import pytest
import yaml

from casebook import check_content
from casebook.content.posts import load_posts
from casebook.content.vocabulary import load_vocabulary
from casebook.model import KINDS
from casebook.tools.project import read_project
from scripts import bench

CORPUS = Path(__file__).parent / "fixtures" / "import" / "wordpress" / "_posts"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return bench.import_corpus(CORPUS, tmp_path_factory.mktemp("corpus") / "posts")


@pytest.fixture(scope="module")
def terms():
    return load_vocabulary(bench.ROOT / "taxonomy.yml", bench.ROOT / "taxonomy.schema.json", bench.ROOT)[0]


@pytest.fixture(scope="module")
def seeds():
    return load_posts(bench.ROOT / "posts", bench.ROOT)[0]


def markdown_links(body: str, src_uri: str) -> list[str]:
    """The `src_uri` every relative `.md` link of a body points at."""
    return [
        posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), match["target"]))
        for match in bench.POST_LINK.finditer(body)
        if match["lead"].startswith("]") and match["target"].endswith(".md")
    ]


def test_replicas_are_unique_posts_with_working_links_that_the_build_accepts(corpus, terms, seeds, tmp_path):
    count = 2 * len(corpus) + 3
    replicas = bench.replicate(corpus, count, terms, seeds)

    assert bench.replicate(corpus, count, terms, seeds) == replicas
    assert len({post.url for post in seeds + replicas}) == len(seeds) + count
    assert len({alias for post in replicas for alias in post.aliases}) == sum(len(p.aliases) for p in replicas)
    assert all(len(getattr(post, kind)) <= bench.MAX_TERMS for post in replicas for kind in KINDS)
    assert any(post.lessons for post in replicas) and any(not post.lessons for post in replicas)
    pages = {post.src_uri for post in seeds + replicas}
    links = [target for post in replicas for target in markdown_links(post.body, post.src_uri)]
    assert links and set(links) <= pages

    bench.write_casebook_project(tmp_path / "project", replicas)
    project = read_project(tmp_path / "project" / "mkdocs.yml")
    checked = check_content(project.settings, project.taken_urls)
    assert checked.problems == ()
    assert len(checked.archive.posts) == count + len(bench.published_posts(seeds))


def test_links_between_posts_point_at_the_same_copy():
    body = '[b](../03/b.md "B") and <a href="../../03/b/#top">b</a>, [c](../03/c.md), [x](https://x.org/a.md)'
    targets = {"blog/2011/03/b.md": "blog/2011/02/b-2.md", "blog/2011/03/c.md": "http://old.org/c/"}

    assert bench.retarget_links(body, "blog/2011/04/a.md", "blog/2011/04/a-2.md", targets) == (
        '[b](../02/b-2.md "B") and <a href="../../02/b-2/#top">b</a>, [c](http://old.org/c/), [x](https://x.org/a.md)'
    )


def test_reference_projects_hold_the_same_published_posts(corpus, terms, seeds, tmp_path):
    posts = seeds + bench.replicate(corpus, len(corpus), terms, seeds)
    published = bench.published_posts(posts)
    bench.write_blog_project(tmp_path / "blog", posts, terms)
    bench.write_hugo_project(tmp_path / "hugo", posts, terms)
    bench.write_jekyll_project(tmp_path / "jekyll", posts, terms)

    blog = tmp_path / "blog" / "docs" / "blog"
    written = sorted(blog.joinpath("posts").rglob("*.md"))
    assert len(written) == len(published)
    authors = yaml.safe_load((blog / ".authors.yml").read_text(encoding="utf-8"))["authors"]
    for path in written:
        text = path.read_text(encoding="utf-8")
        front = yaml.safe_load(text.split("---\n")[1])
        assert "created" in front["date"] and set(front.get("authors", ())) <= set(authors)
        assert "<!-- more -->" in text
        src_uri = path.relative_to(blog.parent).as_posix()
        assert all((blog.parent / target).is_file() for target in markdown_links(text, src_uri))
    assert len(list((tmp_path / "hugo" / "content" / "posts").glob("*.md"))) == len(published)
    assert len(list((tmp_path / "jekyll" / "_posts").glob("*.md"))) == len(published)


def test_a_build_reports_its_own_peak_memory_not_the_benchmarks(tmp_path):
    ballast = b"x" * (200 * bench.MIB)  # the benchmark's own memory, which a child must not report
    allocate = "import time; data = b'x' * (64 * 2**20); time.sleep(1)"  # held while sampled
    engine = bench.Engine("python", (sys.executable, "-c", allocate), tmp_path, tmp_path / "out")

    run = bench.run_build(engine, tmp_path / "python.log")

    assert 64 * bench.MIB < run.peak_rss < 150 * bench.MIB < len(ballast)
    assert 64 * bench.MIB < run.total_pss <= run.total_rss < 150 * bench.MIB
    failing = bench.Engine("python", (sys.executable, "-c", "raise SystemExit(3)"), tmp_path, tmp_path / "out")
    with pytest.raises(bench.BuildFailed, match="exited with 3"):
        bench.run_build(failing, tmp_path / "python.log")


def figures(
    posts: int,
    ours: float,
    blog: float,
    hooks: float,
    rss: int,
    rebuild: float | None = None,
    search=(0.5, 2.0, 250),
    warm: float | None = None,
    archive: bool = False,
) -> dict:
    """Figures as `measure_size` returns them; `search`: Pagefind's and Material's seconds,
    and the kilobytes fetched for the first results; `warm`: our build with nothing changed."""
    engine = {
        "peak_rss": rss,
        "total_pss": rss,
        "total_rss": rss,
        "pages": posts,
        "pages_per_second": 1.0,
        "search_index": None,
        "site": 1,
    }
    in_process = {"build": {"seconds": ours, "hooks": hooks, "hook_events": {"files": hooks}}}
    if rebuild is not None:
        run = {"seconds": rebuild, "hooks": hooks, "hook_events": {}}
        in_process |= {"rebuild": run, "dirty rebuild": run}
    return {
        "posts": posts,
        "archive": archive,
        "seeds": 4,
        "engines": {
            "casebook": engine | {"seconds": ours, "cpu_seconds": ours},
            "casebook-warm": engine | {"seconds": warm or ours, "cpu_seconds": warm or ours},
            "material-blog": engine | {"seconds": blog, "cpu_seconds": blog},
            "material-blog+categories": engine | {"seconds": 2 * blog, "cpu_seconds": 2 * blog},
        },
        "hooks": dict.fromkeys(bench.STEPS, hooks / 4)
        | {"steps": hooks, "in_build": hooks, "build": ours, "share": hooks / ours},
        "in_process": in_process,
        "search": {
            "pagefind": {
                "seconds": search[0],
                "alone_seconds": search[0],
                "peak_rss": rss,
                "total_pss": rss,
                "total_rss": rss,
                "size": 1,
                "fetched": search[2] * 1000,
            },
            "material": {"seconds": search[1], "size": 1, "fetched": 1},
        },
    }


def test_budgets_pass_fail_or_not_measured():
    small = figures(1000, 4.0, 20.0, 0.1, 300 * bench.MIB, rebuild=0.5, warm=1.0, archive=True)
    large = figures(10000, 60.0, 200.0, 4.0, 2 * bench.GIB, search=(10.0, 15.0, 400), warm=10.0)

    rows = bench.budgets([small, large])
    cold_and_warm = [True, True, False, True]
    growth, shares, memory, search, indexer, edit = (
        [False],
        [True, False],
        [False],
        [True, True, False, False],
        [False],
        [True],
    )
    assert [row["pass"] for row in rows] == cold_and_warm + growth + shares + memory + search + indexer + edit
    assert rows[0]["value"].startswith("0.20× (4.00 s against 20.00 s; 0.10× the plugin with categories)")
    only = [row["pass"] for row in bench.budgets([figures(200, 2.0, 3.0, 1.0, bench.MIB)])]
    assert only == [False, False, None, False, None, True, True, None, None]
    results = {
        "machine": bench.machine(),
        "corpus": {"path": "corpus", "posts": 208},
        "runs": 1,
        "load": {"start": 0.5, "end": 0.7},
        "sizes": [small, large],
        "budgets": rows,
    }
    text = bench.report(results)
    assert "FAIL  peak memory at 10,000 posts ≤ 1 GiB (sum of Pss of all the build's processes)" in text
    assert "2,048 MiB Pss (sum of RSS 2,048 MiB; largest process 2,048 MiB RSS)" in text
    assert "Edit loop at 1,000 posts" in text
    assert "FAIL  first results of “praedial larceny” after ≤ 300 KB of search files (10,000 posts)  400 KB" in text
