"""Hostile and malformed content: XSS vectors from the OWASP filter-evasion cheat sheet in every
field that reaches a page render inert; malformed files give one `path:line: message` each,
quickly and in bounded memory; nothing is written outside site/; and the manifest accounts
for every source of the build."""

from __future__ import annotations

import itertools
import json
import logging
import re
import shutil
import tracemalloc
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from conftest import minimal_case_study
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.commands import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, BuildError

from casebook import build_site, check_content, read_settings
from casebook.content.case_studies import RAW_HTML, parse_case_study
from casebook.content.limits import MAX_MARKS, check_body
from casebook.content.posts import parse_post
from casebook.content.schema import load_validator
from casebook.content.yamltext import YamlError, parse_yaml
from casebook.site.manifest import check_manifest, content_files
from casebook.site.outputs import NAV, Output, check_outputs, unsafe_src_uri
from scripts import bench

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
VECTORS: tuple[str, ...] = tuple(json.loads((HOSTILE / "xss-vectors.json").read_text(encoding="utf-8")))
IN_POSTS = tuple(v for v in VECTORS if not check_body(v))
"""The vectors a post's body may carry: the loader refuses HTML with a `markdown` attribute,
and characters that are not text (a NUL)."""
IN_STUDIES = tuple(v for v in VECTORS if not RAW_HTML.search(v))
"""The vectors a case study may carry: the loader refuses raw HTML in case studies."""
IFRAME_HOSTS = ["www.youtube.com", "www.youtube-nocookie.com", "player.vimeo.com"]
TERMS = 3
"""Lessons, partners and models of the hostile vocabulary: every text field of each holds every vector."""

SITE_URL = "https://example.org/hostile/"


def hostile_mkdocs_yml() -> str:
    """The repository's own mkdocs.yml, with the theme overrides and the hook found from anywhere."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("custom_dir: overrides", f"custom_dir: {ROOT / 'overrides'}")
    return text.replace("  - hooks/archive.py", f"  - {ROOT / 'hooks' / 'archive.py'}")


def _scalar(value: str) -> str:
    """A vector as a YAML double-quoted scalar (JSON strings are YAML); YAML refuses NUL."""
    return json.dumps(value.replace("\x00", ""))


def write_hostile_project(root: Path) -> None:
    """A project whose posts, case studies and vocabulary carry the vectors in every text field
    that reaches a page: one post per vector (all its fields), one post, one case study and
    every term with all of them in each field (term titles aside: one each), and a case study
    with one in each field; posts and case studies carry those their loaders accept."""
    shutil.copytree(ROOT / "docs", root / "docs")
    (root / "mkdocs.yml").write_text(hostile_mkdocs_yml(), encoding="utf-8")
    shutil.copy(ROOT / "taxonomy.schema.json", root)
    everything = " ".join(v.replace("\x00", "") for v in VECTORS)
    labelled = (f"{n}: {everything}" for n in itertools.count())  # aliases must differ
    in_posts = " ".join(v.replace("\x00", "") for v in IN_POSTS)
    in_studies = " ".join(v.replace("\x00", "") for v in IN_STUDIES)
    singles = iter(v.replace("\x00", "") for v in VECTORS)
    terms = {
        kind: [
            {
                "id": f"hostile-{kind[:-1]}-{n}",
                "title": next(singles),  # titles are on every page that carries the term: one vector each
                "description": next(labelled),
                "aliases": [next(labelled)],
            }
            | (
                {
                    "kind": "civic tech organization",
                    "country": next(labelled),
                    "region": "Global",
                    "website": f"https://example.org/partner/{n}",
                }
                if kind == "partners"
                else {}
            )
            for n in range(TERMS)
        ]
        for kind in ("lessons", "partners", "models")
    }
    (root / "taxonomy.yml").write_text(yaml.safe_dump(terms, sort_keys=False), encoding="utf-8")
    (root / "posts").mkdir()
    for n, vector in enumerate(VECTORS):
        if vector not in IN_POSTS:
            continue
        front = [
            f"title: {_scalar(vector)}",
            f"date: {2010 + n % 10}-{n % 12 + 1:02d}-{n % 28 + 1:02d}",
            f"slug: hostile-{n}",
            f"summary: {_scalar(vector)}",
            f"authors: [{_scalar(vector)}]",
            f"categories: [{_scalar(vector)}]",
            f"tags: [{_scalar(vector)}]",
            f"original_url: https://example.org/original/{n}",
            f"lessons: [hostile-lesson-{n % TERMS}]",
            f"partners: [hostile-partner-{n % TERMS}]",
            f"models: [hostile-model-{n % TERMS}]",
        ]
        body = f"{vector}\n\nThis paragraph names the lesson, so the lesson's page quotes it: {vector}\n"
        (root / "posts" / f"hostile-{n}.md").write_text("---\n" + "\n".join(front) + "\n---\n" + body, "utf-8")
    # One post with every vector at once in each field, so that one page has them all in its
    # head (title, description, Open Graph, JSON-LD) and byline.
    front = "\n".join(f"{name}: {_scalar(in_posts)}" for name in ("title", "summary"))
    front += "".join(f"\n{name}: [{_scalar(in_posts)}]" for name in ("authors", "categories", "tags"))
    text = f"---\n{front}\ndate: 2020-12-31\nslug: every-vector\n---\n{in_posts}\n"
    (root / "posts" / "every-vector.md").write_text(text, encoding="utf-8")
    # The legacy page that the navigation of mkdocs.yml names: its title reaches the tabs, and
    # its body holds every vector at once.
    title = next(v for v in VECTORS if v.startswith("</TITLE>"))
    page = f"---\ntitle: {_scalar(title)}\ndate: 2012-04-19\nlayout: page\n---\n" + "\n\n".join(IN_POSTS) + "\n"
    (root / "posts" / "2012-04-19-international-partnerships.md").write_text(page, encoding="utf-8")
    (root / "case_studies").mkdir()
    shutil.copy(ROOT / "case_studies" / "case-study.schema.json", root / "case_studies")
    # Two case studies: every vector in every field, and one vector in each of 33 fields.
    every_field = (f"{n}: {in_studies}" for n in itertools.count())
    for n, vectors in enumerate((every_field, itertools.cycle(IN_STUDIES))):
        study = _hostile_study(n, vectors)
        (root / "case_studies" / f"hostile-{n}.yml").write_text(yaml.safe_dump(study, sort_keys=False), "utf-8")


def _hostile_study(n: int, vectors) -> dict:
    """A valid case study with a vector in each of its 33 text fields."""
    v = vectors.__next__
    lesson, partner, other, model = (
        f"hostile-lesson-{n}",
        f"hostile-partner-{n}",
        f"hostile-partner-{(n + 1) % TERMS}",
        f"hostile-model-{n}",
    )
    return {
        "slug": f"hostile-study-{n}",
        "title": v(),
        "subtitle": v(),
        "organization": v(),
        "authors": [{"name": v(), "role": v()}],
        "published": "2015-01-20",
        "featured": n == 0,
        "summary": v(),
        "source": {"title": v(), "format": v(), "note": v(), "url": "https://example.org/source"},
        "models": [model],
        "partners": [
            {
                "id": partner,
                "name": v(),
                "role": v(),
                "country": v(),
                "summary": v(),
                "outcomes": [v()],
                "funding": [{"source": v(), "kind": "grant", "note": v()}],
            },
            {"id": other, "name": v(), "role": v(), "country": v()},
        ],
        "lessons": [{"id": lesson, "title": v(), "body": v(), "partners": [partner]}],
        "sections": [
            {
                "id": "hostile-section",
                "title": v(),
                "group": v(),
                "body": v(),
                "partner": partner,
                "lessons": [lesson],
                "models": [model],
                "findings_title": v(),
                "findings": [v(), {"text": v(), "items": [v()]}],
                "benefits": [v()],
                "challenges": [v()],
                "takeaways": [v()],
            }
        ],
        "figures": [{"label": v(), "value": 5, "unit": v(), "as_of": "2014", "section": "hostile-section"}],
    }


def build_project(root: Path) -> tuple[Path, list[str], str]:
    """Build the project at `root` as `mkdocs build --strict` does: (site, warnings, error)."""
    config = load_config(str(root / "mkdocs.yml"), strict=True, site_url=SITE_URL)
    config.plugins.on_startup(command="build", dirty=False)
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    error = ""
    try:
        mkdocs_build.build(config)
    except (Abort, BuildError) as exc:
        error = str(exc) or type(exc).__name__
    finally:
        logger.removeHandler(handler)
    return Path(config.site_dir), [r.getMessage() for r in records if r.levelno >= logging.WARNING], error


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    write_hostile_project(root)
    site, warnings, error = build_project(root)
    assert (warnings, error) == ([], "")
    return site


# What may execute in a page: checked on the HTML as written, with what the theme itself puts there allowed.

URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "background",
    "dynsrc",
    "lowsrc",
    "poster",
    "xlink:href",
}
THEME_SCRIPT = re.compile(r"^(\.\./)*(/[\w-]+)*/?(assets/javascripts/[\w.-]+|javascripts/search)\.js$")
"""Material's scripts, and the archive's search (docs/javascripts/search.js)."""
DATA_SCRIPTS = {"application/json", "application/ld+json"}
MARKERS = re.compile(r"alert|xss|msgbox|eval\(|document\.(write|cookie|location)", re.I)
BAD_SCHEMES = re.compile(r"^(javascript|vbscript|livescript|data):", re.I)
NEVER = {"object", "embed", "applet", "frame", "frameset", "base", "bgsound", "xml", "isindex", "keygen"}
ACTIVE_CSS = re.compile(r"expression|url\(|@import|javascript|behavior|binding|\\", re.I)


def url_as_browsers_read_it(value: str) -> str:
    """A URL attribute as the URL parser sees it: tabs and newlines removed anywhere, C0
    controls and spaces trimmed from both ends (https://url.spec.whatwg.org/#concept-basic-url-parser)."""
    return re.sub(r"[\t\n\r]", "", value).strip("".join(map(chr, range(0x21))))


class _ActiveContent(HTMLParser):
    """Collects everything in a page that could run a script or load a script-bearing resource."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page, self.found, self.script = page, [], None

    def handle_starttag(self, tag, attrs):
        a = {name: value or "" for name, value in attrs}
        where = f"{self.page}: <{tag} {' '.join(f'{k}={v!r}' for k, v in a.items())}>"
        for name, value in a.items():
            compact = url_as_browsers_read_it(value)
            if name.startswith("on") or name == "srcdoc":
                self.found.append(f"{where}: attribute {name}")
            elif name in URL_ATTRIBUTES and BAD_SCHEMES.match(compact):
                raster = tag == "img" and re.match(r"^data:image/(png|gif|jpe?g|webp|avif);base64,", compact)
                if not raster:
                    self.found.append(f"{where}: {name} is a {compact.split(':')[0]}: URL")
            elif name == "style" and ACTIVE_CSS.search(value):
                self.found.append(f"{where}: style can load or run something")
        if tag in NEVER:
            self.found.append(f"{where}: element <{tag}>")
        if tag == "iframe" and (urlsplit(a.get("src", "")).hostname or "") not in IFRAME_HOSTS:
            self.found.append(f"{where}: an iframe from another host")
        theme_form = "data-md-component" in a or "casebook-404-search" in a.get("class", "").split()
        if tag == "form" and not theme_form and "casebook-search__form" not in a.get("class", ""):
            self.found.append(f"{where}: a form")
        if (
            tag == "meta"
            and a.get("http-equiv", "").lower() == "refresh"
            and "url=" not in a.get("content", "").lower()
        ):
            self.found.append(f"{where}: a refresh")
        if (
            tag == "meta"
            and a.get("http-equiv", "").lower() == "refresh"
            and BAD_SCHEMES.search(a.get("content", "").split("=", 1)[-1].strip())
        ):
            self.found.append(f"{where}: a refresh to a script")
        if tag == "link" and "stylesheet" in a.get("rel", "").lower() and "://" in a.get("href", ""):
            self.found.append(f"{where}: a stylesheet from another host")
        if tag == "script":
            kind = a.get("type", "").lower()
            if "src" in a and not THEME_SCRIPT.match(a["src"]):
                self.found.append(f"{where}: a script from elsewhere than the theme")
            self.script = (kind, where, [])
        if tag == "style":
            self.script = ("style", where, [])

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.script:
            kind, where, text = self.script
            text = "".join(text)
            if kind == "style":
                if ACTIVE_CSS.search(text):
                    self.found.append(f"{where}: a style that can load or run something")
            elif kind in DATA_SCRIPTS:
                try:
                    json.loads(text)
                except ValueError:
                    self.found.append(f"{where}: a data script that is not JSON (something broke out of it)")
            elif MARKERS.search(text):
                self.found.append(f"{where}: a script with a payload: {text[:80]!r}")
            self.script = None

    def handle_data(self, data):
        if self.script:
            self.script[2].append(data)


def active_content(site: Path) -> list[str]:
    """Every script, handler, script URL, foreign frame or object in the HTML of `site`."""
    found = []
    for path in sorted(site.rglob("*.html")):
        parser = _ActiveContent(path.relative_to(site).as_posix())
        parser.feed(path.read_text(encoding="utf-8"))
        parser.close()
        found += parser.found
    return found


def test_the_checker_finds_nothing_on_the_real_site(real_site):
    assert active_content(real_site) == []


def test_the_checker_sees_active_content():
    html = '<p onclick="x()">a</p><a href=" java\tscript:alert(1)">b</a><script>alert(1)</script><object></object>'
    parser = _ActiveContent("page.html")
    parser.feed(html)
    parser.close()
    assert len(parser.found) == 4


def test_every_xss_vector_renders_inert(hostile_site):
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) > len(VECTORS)
    assert active_content(hostile_site) == []
    raw = [v for v in VECTORS if "<" in v and len(v) > 12]
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert [v for v in raw if v in html] == [], path


def post_page(site: Path, vector: str) -> str:
    """The HTML of the hostile post whose title and body are `vector`."""
    return next(site.glob(f"blog/*/*/hostile-{VECTORS.index(vector)}/index.html")).read_text(encoding="utf-8")


def test_every_vector_reaches_pages_as_text(hostile_site):
    """The vectors are shown as text, escaped, not dropped."""
    page = post_page(hostile_site, "<IMG SRC=\"javascript:alert('XSS');\">")
    assert "<h1>&lt;IMG SRC=\"javascript:alert('XSS');\"&gt;</h1>" in page
    assert "<title>&lt;IMG SRC=&#34;javascript:alert(&#39;XSS&#39;);&#34;&gt; - " in page
    assert "by &lt;IMG SRC=\"javascript:alert('XSS');\"&gt;" in page


def test_the_vectors_the_loaders_refuse_give_problems(tmp_path, study_validator):
    refused = {
        '<div markdown="1" onclick="alert(1)">x</div>': "posts/a.md:5: HTML with a `markdown` attribute is not"
        " supported in posts (remove the attribute, and write the Markdown outside the HTML element)",
        '<IMG SRC=java\x00script:alert("XSS")>': "posts/a.md:5: the text holds the character U+0000, which is not"
        " text (delete it: it is not text, often a leftover of a copy and paste)",
    }
    assert sorted(v for v in VECTORS if v not in IN_POSTS) == sorted(refused)
    for vector, message in refused.items():
        post, problems = parse_post(f"---\ntitle: A\ndate: 2015-01-01\n---\n{vector}\n", "posts/a.md")
        assert [str(p) for p in problems] == [message]
    assert len(VECTORS) - len(IN_STUDIES) == 117
    for vector in VECTORS:
        if vector not in IN_STUDIES:
            study = yaml.safe_dump(SEED_STUDY | {"summary": vector})
            _, problems = parse_case_study(study, "case_studies/a.yml", study_validator)
            assert any(p.message == "raw HTML is not allowed in a case study" for p in problems), vector


def test_an_allowed_video_host_keeps_its_iframe(hostile_site):
    vector = VECTORS.index('<iframe src="https://www.youtube.com/embed/x" onload=alert(1)></iframe>')
    assert '<iframe src="https://www.youtube.com/embed/x"></iframe>' in post_page(hostile_site, VECTORS[vector])


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("original_url", "javascript:alert(1)", "'original_url' is 'javascript:alert(1)', which is not a web address"),
        ("original_url", '"https://x.org/"><script>', "which is not a web address"),
        ("medium", "JaVaScRiPt:alert(1)", "'medium' is 'JaVaScRiPt:alert(1)', which is not a web address"),
        ("canonical_url", "data:text/html,x", "which is not a web address"),
        ("image", "javascript:alert(1)", "'image' is 'javascript:alert(1)': an image is a web address"),
        ("wordpress_url", "vbscript:msgbox(1)", "which is not a web address"),
    ],
)
def test_hostile_addresses_in_front_matter_are_refused(field, value, message):
    text = f"---\ntitle: T\ndate: 2015-01-01\n{field}: {json.dumps(value)}\n---\nBody\n"
    post, problems = parse_post(text, "posts/x.md")
    assert post is None and problems
    assert all(str(p).startswith("posts/x.md:4: ") and message in str(p) for p in problems), problems


def test_hostile_addresses_in_case_studies_and_the_vocabulary_are_refused(tmp_path):
    project = _mini_project(tmp_path)
    study = _valid_study().replace("format: PDF", 'format: PDF\n  url: "https://x.org/\\"onmouseover=alert(1)"')
    (project / "case_studies" / "study.yml").write_text(study, encoding="utf-8")
    website = '"https://x.org/ onmouseover=alert(1)"'
    (project / "taxonomy.yml").write_text(MINI_VOCABULARY.replace("https://codefor.de/", website), encoding="utf-8")
    problems = _problems(project)
    assert any(
        p.startswith("case_studies/study.yml:") and "source.url" in p and "not a web address" in p for p in problems
    )
    assert any(p.startswith("taxonomy.yml:") and "is not a web address" in p for p in problems)


# Malformed files: each gives `path:line: message` quickly and in bounded memory.

BILLION_LAUGHS = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{chr(98 + n)}: &{chr(98 + n)} [{','.join(['*' + chr(97 + n)] * 9)}]" for n in range(8)]
)


MINI_VOCABULARY = """\
lessons:
  - id: keep-it-simple
    title: Keep it simple
    description: Small things work.
partners:
  - id: code-for-germany
    title: Code for Germany
    description: A network of local groups.
    kind: civic tech organization
    country: Germany
    region: Europe
    website: https://codefor.de/
models:
  - id: fellowship
    title: Fellowship
    description: Fellows work inside government for a year.
"""


def _mini_project(root: Path) -> Path:
    """posts/, case_studies/ and a three-term vocabulary, with their schemas."""
    for folder in ("posts", "case_studies", "docs"):
        (root / folder).mkdir(exist_ok=True)
    shutil.copy(ROOT / "case_studies" / "case-study.schema.json", root / "case_studies")
    (root / "taxonomy.yml").write_text(MINI_VOCABULARY, encoding="utf-8")
    shutil.copy(ROOT / "taxonomy.schema.json", root)
    return root


def _valid_study(slug: str = "a-study") -> str:
    return minimal_case_study(slug, featured=True)


def _problems(root: Path, env=None) -> list[str]:
    settings, problems = read_settings({}, root)
    if env is None:
        return [str(p) for p in problems + list(check_content(settings).problems)]
    return [str(p) for p in problems + list(build_site(settings, env).problems)]


@pytest.fixture(scope="module")
def env():
    return load_config(str(ROOT / "mkdocs.yml")).theme.get_env()


def _post(front: str, body: str = "Text\n") -> bytes:
    return f"---\n{front}\n---\n{body}".encode()


P, S, V = "posts/2015-01-01-a.md", "case_studies/a.yml", "taxonomy.yml"
VOCABULARY = MINI_VOCABULARY.encode()
TWO_LESSONS = (
    b"lessons:\n- {id: a, title: A, description: D}\n- {id: a, title: B, description: D}\npartners: []\nmodels: []\n"
)


def case(name: str, files: dict[str, bytes], expected: str, *, heavy: bool = False):
    """A malformed project: `files` written into it, and the start of one problem it must give;
    `heavy` cases (big, bombs, deep) also have their memory measured."""
    return pytest.param(files, expected, heavy, id=name)


MALFORMED = [
    case("YAML syntax error", {P: _post("title: [a\ndate: 2015-01-01")}, f"{P}:3: the front matter is not valid"),
    case("tab indentation", {P: _post("title: A\ntags:\n\t- x")}, f"{P}:4: the front matter is not valid YAML"),
    case("tab in a case study", {S: b"slug: a\ntitle:\n\tx\n"}, f"{S}:3:1: not valid YAML"),
    case("title is a list", {P: _post("title: [a, b]")}, f"{P}:2: 'title' must be a single line"),
    case(
        "date is a number", {"posts/x.md": _post("title: A\ndate: 2015")}, "posts/x.md:3: 'date' '2015' is not a date"
    ),
    case("draft is a word", {P: _post("title: A\ndraft: yes please")}, f"{P}:3: 'draft' must be true or false"),
    case("authors is a mapping", {P: _post("title: A\nauthors: {a: b}")}, f"{P}:3: 'authors' must be a list"),
    case("lessons is a mapping", {P: _post("title: A\nlessons: {a: b}")}, f"{P}:3: 'lessons' must be a list"),
    case("front matter is a list", {P: _post("- a\n- b")}, f"{P}:2: the front matter must be"),
    case("front matter never closed", {P: b"---\ntitle: A\n"}, f"{P}:1: the front matter is never closed"),
    case("non-UTF-8 post", {P: b"---\ntitle: Caf\xe9\n---\nText\n"}, f"{P}:2: the file is not UTF-8"),
    case("non-UTF-8 case study", {S: b"slug: a\ntitle: Caf\xe9\n"}, f"{S}:2: the file is not UTF-8"),
    case("non-UTF-8 vocabulary", {V: b"lessons: []\n# caf\xe9\n"}, f"{V}:2: the file is not UTF-8"),
    case("control character", {P: _post("title: A\x07B")}, f"{P}:2: the front matter is not valid YAML: the char"),
    case("empty post", {P: b""}, f"{P}:1: the post has no title"),
    case("empty case study", {S: b""}, f"{S}:1:1: a case study must be"),
    case("empty vocabulary", {V: b""}, f"{V}:1:1: the vocabulary should be a group of `key: value` lines, not empty"),
    case("10 MB post", {P: _post("title: A", "word " * 2_000_000)}, f"{P}:1: the file is 10.0 MB", heavy=True),
    case(
        "300 kB front matter",
        {P: _post("title: A\nsummary: " + "x" * 300_000)},
        f"{P}:1: the front matter is 300",
        heavy=True,
    ),
    case("2 MB case study", {S: b"# " + b"x" * 2_000_000 + b"\n"}, f"{S}:1: the file is 2.0 MB", heavy=True),
    case(
        "alias bomb in a post",
        {P: _post("title: A\n" + BILLION_LAUGHS)},
        f"{P}:4: the front matter is not valid",
        heavy=True,
    ),
    case(
        "alias bomb in a case study", {S: BILLION_LAUGHS.encode()}, f"{S}:2:8: not valid YAML: YAML aliases", heavy=True
    ),
    case(
        "alias bomb in the vocabulary",
        {V: BILLION_LAUGHS.encode()},
        f"{V}:2:8: not valid YAML: YAML aliases",
        heavy=True,
    ),
    case(
        "deep flow nesting",
        {P: _post("title: " + "[" * 100_000)},
        f"{P}:2: the front matter is not valid YAML",
        heavy=True,
    ),
    case("deep block nesting", {S: "".join(" " * n + f"k{n}:\n" for n in range(300)).encode()}, f"{S}:51:", heavy=True),
    case("deep HTML nesting", {P: _post("title: A", "<div>" * 100_000)}, f"{P}:4: the HTML is nested more", heavy=True),
    case(
        "deep list nesting",
        {P: _post("title: A", "".join("  " * n + "- x\n" for n in range(400)))},
        f"{P}:105: ",
        heavy=True,
    ),
    case("emphasis run", {P: _post("title: A", "*" * 5000 + "x")}, f"{P}:4: a run of more than 500", heavy=True),
    case(
        "dense paragraph",
        {P: _post("title: A", "x\n\n" + "\\(" * 100_000)},
        f"{P}:6: a paragraph with more",
        heavy=True,
    ),
    case("dense title", {P: _post("title: " + "(" * 200_000)}, f"{P}:2: 'title' has more than {MAX_MARKS} Markdown"),
    case("open brackets", {P: _post("title: A", "x\n\n" + "[" * 20_000)}, f"{P}:6: brackets or tags left open"),
    case("open tags", {P: _post("title: A", "x\n\n" + "<a\n\n" * 20_000)}, f"{P}:56: brackets or tags left open"),
    case(
        "open brackets in a case study",
        {S: _valid_study().replace("Short.", "'" + "[" * 5000 + "'").encode()},
        f"{S}:8:10: ",
    ),
    case("markdown attribute", {P: _post("title: A", '<div class="grid" markdown>\n*x*\n</div>')}, f"{P}:4: HTML with"),
    case(
        "raw HTML in a case study",
        {S: _valid_study().replace("Short.", "<b>Short</b>").encode()},
        f"{S}:8:10: raw HTML",
    ),
    case("dense case study", {S: _valid_study().replace("Short.", "'" + "-" * 60_000 + "'").encode()}, f"{S}:8:10: "),
    case(
        "dense vocabulary", {V: VOCABULARY.replace(b"Small things work.", b"'" + b"_" * 60_000 + b"'")}, f"{V}:4:18: "
    ),
    case("YAML tag", {P: _post("title: !!python/object:os.system x")}, f"{P}:2: the front matter is not valid YAML"),
    case(
        "bad timestamp tag", {S: b"slug: a\npublished: !!timestamp nope\n"}, f"{S}:2:12: not valid YAML: the YAML tag"
    ),
    case("duplicate YAML key", {P: _post("title: A\ntitle: B")}, f"{P}:3: the front matter is not valid YAML: the key"),
    case("slug ../../x", {P: _post("title: A\nslug: ../../x")}, f"{P}:3: 'slug' is '../../x': a slug is"),
    case("slug to /tmp", {P: _post("title: A\nslug: ../../../../tmp/escaped")}, f"{P}:3: 'slug' is '../../../../tmp"),
    case("absolute slug", {P: _post("title: A\nslug: /etc/passwd")}, f"{P}:3: 'slug' is '/etc/passwd'"),
    case("alias with ..", {P: _post("title: A\naliases: [/../../x/]")}, f"{P}:3: 'aliases' has '/../../x/'"),
    case("alias with encoded ..", {P: _post("title: A\npermalink: /%2e%2e/%2e%2e/x/")}, f"{P}:3: 'permalink' has"),
    case("alias with a backslash", {P: _post("title: A\naliases: ['/a\\..\\..\\x/']")}, f"{P}:3: 'aliases' has"),
    case("case-study slug ../x", {S: _valid_study("../x").encode()}, f"{S}:1:7: slug '../x' is not in the expected"),
    case("section id ../intro", {S: _valid_study().replace("id: intro", "id: ../intro").encode()}, f"{S}:23:9: "),
    case("term id ../x", {V: VOCABULARY.replace(b"- id: keep-it-simple", b"- id: ../x")}, f"{V}:2:9: lessons[1].id"),
    case(
        "duplicate post slugs",
        {P: _post("title: A\nslug: same"), "posts/2015-01-01-b.md": _post("title: B\nslug: same")},
        "posts/2015-01-01-b.md:3: posts/2015-01-01-a.md already has the URL",
    ),
    case(
        "duplicate case-study slugs",
        {S: _valid_study().encode(), "case_studies/b.yml": _valid_study().encode()},
        "case_studies/b.yml:1: case_studies/a.yml already has the slug 'a-study'",
    ),
    case("duplicate term ids", {V: TWO_LESSONS}, f"{V}:3:8: lessons has the id 'a' twice"),
    case(
        "duplicate section ids",
        {S: (_valid_study() + "  - id: intro\n    title: Again\n    group: Introduction\n").encode()},
        f"{S}:27:9: sections has the id 'intro' twice",
    ),
    case(
        "alias to a .md file",
        {P: _post("title: A\naliases: [/old/x.md]")},
        f"{P}:3: 'aliases' has '/old/x.md', a Markdown",
    ),
    case("alias to a .markdown file", {P: _post("title: A\npermalink: /x.markdown")}, f"{P}:3: 'permalink' has"),
    case(
        "alias on .nojekyll",
        {P: _post("title: A\naliases: [/.nojekyll]")},
        f"{P}:3: 'aliases' has '/.nojekyll', a hidden",
    ),
    case(
        "alias in .well-known",
        {P: _post("title: A\naliases: [/.well-known/x/]")},
        f"{P}:3: 'aliases' has '/.well-known",
    ),
    case(
        "one alias in NFC and NFD",
        {
            P: _post("title: A\naliases: [/caf\u00e9/]"),
            "posts/2015-01-02-b.md": _post("title: B\naliases: [/cafe\u0301/]"),
        },
        "posts/2015-01-02-b.md:3: posts/2015-01-01-a.md already claims the legacy URL /caf\u00e9/",
    ),
    case(
        "one term alias in NFC and NFD",
        {
            V: VOCABULARY.replace(b"- id: fellowship", "- id: fellowship\n    aliases: [caf\u00e9]".encode()).replace(
                b"- id: keep-it-simple", "- id: keep-it-simple\n    aliases: [cafe\u0301]".encode()
            )
        },
        f"{V}:16:15: the alias 'caf\u00e9' also belongs to lessons 'keep-it-simple'",
    ),
    case(
        "figure .nan",
        {S: (_valid_study() + "figures:\n  - label: hours\n    value: .nan\n    as_of: 2015-01-20\n").encode()},
        f"{S}:29:12: nan is not a number",
    ),
    case(
        "figure -.inf",
        {S: (_valid_study() + "figures:\n  - label: hours\n    value: -.inf\n    as_of: 2015-01-20\n").encode()},
        f"{S}:29:12: -inf is not a number",
    ),
    case(
        "duplicate aliases",
        {P: _post("title: A\naliases: [/old/]"), "posts/2015-01-02-b.md": _post("title: B\naliases: [/old/]")},
        "posts/2015-01-02-b.md:3: posts/2015-01-01-a.md already claims the legacy URL /old/",
    ),
]


@pytest.mark.parametrize(("files", "expected", "heavy"), MALFORMED)
def test_malformed_input_gives_path_line_message_within_memory(tmp_path, files, expected, heavy):
    root = _mini_project(tmp_path)
    for relative, data in files.items():
        (root / relative).write_bytes(data)
    if heavy:
        tracemalloc.start()  # slows the run down several times: only where memory is the question
    problems = _problems(root)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [p for p in problems if p.startswith(expected)], problems
    assert all(re.match(r"^[\w./-]+(:\d+){1,2}: ", p) for p in problems), problems
    assert peak < 100e6, peak


ACCEPTED = {
    "BOM": _post("title: Café\ndate: 2015-01-01").replace(b"---", b"\xef\xbb\xbf---", 1),
    "CRLF": _post("title: A\r\ndate: 2015-01-01").replace(b"\n", b"\r\n"),
    "CR only": _post("title: A\rdate: 2015-01-01").replace(b"\n", b"\r"),
    "BOM and CRLF": b"\xef\xbb\xbf" + _post("title: A\ndate: 2015-01-01").replace(b"\n", b"\r\n"),
}


@pytest.mark.parametrize("name", list(ACCEPTED))
def test_bom_and_line_ends_are_read_as_usual(tmp_path, name):
    root = _mini_project(tmp_path)
    (root / "posts" / "a.md").write_bytes(ACCEPTED[name])
    settings, _ = read_settings({}, root)
    checked = check_content(settings)
    assert checked.problems == () and checked.archive.posts[0].title in ("A", "Café")


def test_line_numbers_survive_crlf_and_bom(tmp_path):
    root = _mini_project(tmp_path)
    (root / "posts" / "a.md").write_bytes(b"\xef\xbb\xbf---\r\ntitle: A\r\ndate: 2015-13-01\r\n---\r\nText\r\n")
    (root / "case_studies" / "a.yml").write_bytes(b"\xef\xbb\xbfslug: a\r\ntitle: [x\r\n")
    problems = _problems(root)
    assert any(p.startswith("posts/a.md:3: 'date' '2015-13-01' is not a real date") for p in problems), problems
    assert any(p.startswith("case_studies/a.yml:3:1: not valid YAML") for p in problems), problems


COLLISIONS = [
    case("alias over a listing", {P: _post("title: A\naliases: [/blog/2015/]")}, f"{P}:3: the path 'blog/2015/index"),
    case("alias over the export", {P: _post("title: A\naliases: [/api/terms.json]")}, f"{P}:3: the path 'api/terms"),
    case("alias over the feed", {P: _post("title: A\naliases: [/feed.xml]")}, f"{P}:3: the path 'feed.xml' would"),
    case("alias over the manifest", {P: _post("title: A\naliases: [/manifest.json]")}, f"{P}:3: the path 'manifest"),
    case("alias in the search index", {P: _post("title: A\naliases: [/pagefind/]")}, f"{P}:3: the path 'pagefind/"),
    case(
        "alias with a NUL",
        {P: _post("title: A\naliases: ['/a%00b/']")},
        f"{P}:3: the path 'a\\x00b/index.html' contains",
    ),
    case("alias too long", {P: _post("title: A\naliases: [/" + "x" * 300 + "/]")}, f"{P}:3: the path 'xxxx"),
    case(
        "case-study slug index", {S: _valid_study("index").encode()}, f"{S}:1: the path 'case-studies/index.md' would"
    ),
    case("term id index", {V: VOCABULARY.replace(b"- id: keep-it-simple", b"- id: index")}, f"{V}:2: the path 'lesso"),
]


@pytest.mark.parametrize(("files", "expected", "heavy"), COLLISIONS)
def test_outputs_that_would_replace_another_file_are_refused(tmp_path, env, files, expected, heavy):
    root = _mini_project(tmp_path)
    for relative, data in files.items():
        (root / relative).write_bytes(data)
    problems = _problems(root, env)
    assert [p for p in problems if p.startswith(expected)], problems


def test_the_path_check_refuses_every_way_out():
    for src_uri in ("../x.md", "a/../../x.md", "/etc/passwd", "a//b.md", "a/./b.md", "a\\..\\b", "a\x00b", "", "x?.md"):
        assert unsafe_src_uri(src_uri), src_uri
    for src_uri in ("blog/2015/01/x.md", "2015/01/20/x/index.html", "api/terms.json", "café/x.md"):
        assert unsafe_src_uri(src_uri) == "", src_uri


def test_a_generated_path_out_of_the_site_becomes_a_problem_not_a_file():
    """The belt behind the slug and alias checks: whatever reaches the site is inside it."""
    declared = [("ok.md", Output("x", NAV)), ("../../escaped.md", Output("x", NAV)), ("/tmp/x.html", Output("x"))]
    kept, problems = check_outputs(declared, frozenset())
    assert list(kept) == ["ok.md"]
    assert [p.message for p in problems] == [
        "the path '../../escaped.md' contains empty, '.' or '..' parts",
        "the path '/tmp/x.html' is not a relative path",
    ]


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "alias bomb",
            "---\ntitle: A\n" + BILLION_LAUGHS + "\n---\nText\n",
            "posts/2015-01-01-bomb.md:4: the front matter is not valid YAML: YAML aliases",
        ),
        (
            "escaping slug",
            "---\ntitle: A\nslug: ../../../../tmp/escaped\n---\nText\n",
            "posts/2015-01-01-bomb.md:3: 'slug'",
        ),
    ],
)
def test_the_build_fails_naming_the_file_and_writes_nothing_outside_site(tmp_path, name, text, expected):
    """The build's own cache (.cache/casebook/) aside; how long it takes is the benchmark's
    business (`bench.py --patterns`), not a test's."""
    root = tmp_path / "project"
    shutil.copytree(ROOT / "docs", root / "docs")
    _mini_project(root)
    (root / "mkdocs.yml").write_text(hostile_mkdocs_yml(), encoding="utf-8")
    (root / "posts" / "2015-01-01-bomb.md").write_text(text, encoding="utf-8")
    before = {p for p in tmp_path.rglob("*")}
    escaped_before = Path("/tmp/escaped").exists()
    site, warnings, error = build_project(root)
    assert error and any(expected in w for w in warnings), warnings
    after = {p for p in tmp_path.rglob("*")}
    ours = (site, root / ".cache", root / ".cache" / "casebook")
    assert {
        p
        for p in after - before
        if not p.is_relative_to(ours[0]) and p not in ours[1:] and not p.is_relative_to(ours[2])
    } == set()
    assert Path("/tmp/escaped").exists() == escaped_before


# The loaders never raise: whatever the YAML, they accept it or return problems.

SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
TREES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
)
FIELDS = st.sampled_from(
    "title date slug authors author summary excerpt aliases permalink guid draft published status image banner medium"
    " original_url wordpress_url lessons categories tags layout type password canonical_url titel".split()
)
FRONT_MATTER = st.dictionaries(FIELDS | st.text(max_size=10), TREES, max_size=8)
FILE_NAMES = st.sampled_from(["2015-01-20-a-post.md", "post.md", "2015-02-30-x.html", "%e2%89%a0.md"])
PROPERTY_SETTINGS = settings(
    max_examples=100, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY_SETTINGS
@given(front=FRONT_MATTER, body=st.text(max_size=200), name=FILE_NAMES)
def test_front_matter_is_accepted_or_gives_problems(front, body, name):
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n" + body
    post, problems = parse_post(text, f"posts/{name}")
    assert (post is None) == bool(problems)
    assert all(str(p).startswith(f"posts/{name}:") for p in problems)


@PROPERTY_SETTINGS
@given(text=st.text(max_size=300))
def test_any_text_as_a_post_is_accepted_or_gives_problems(text):
    post, problems = parse_post(text, "posts/2015-01-20-x.md")
    assert (post is None) == bool(problems)


@pytest.fixture(scope="module")
def study_validator():
    return load_validator(ROOT / "case_studies" / "case-study.schema.json")


def _paths(data, prefix=()):
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, prefix + (index,))


def _replace(data, path: tuple, value) -> None:
    """Put `value` at `path` in `data`, if an earlier change left that path there."""
    for step in path[:-1]:
        if (
            isinstance(data, dict)
            and step in data
            or isinstance(data, list)
            and isinstance(step, int)
            and step < len(data)
        ):
            data = data[step]
        else:
            return
    last = path[-1]
    if isinstance(data, dict) or isinstance(data, list) and isinstance(last, int) and last < len(data):
        data[last] = value


SEED_STUDY = _hostile_study(0, itertools.cycle(["Some *Markdown* text."]))
"""A valid case study with every kind of field (small, so that each example is quick)."""
SEED_PATHS = [path for path in _paths(SEED_STUDY) if path]


@PROPERTY_SETTINGS
@given(changes=st.lists(st.tuples(st.sampled_from(SEED_PATHS), TREES), min_size=1, max_size=3))
def test_a_changed_case_study_is_accepted_or_gives_problems(study_validator, changes):
    data = json.loads(json.dumps(SEED_STUDY))
    for path, value in changes:
        _replace(data, path, value)
    study, problems = parse_case_study(yaml.safe_dump(data, allow_unicode=True), "case_studies/x.yml", study_validator)
    assert (study is None) == bool(problems)
    assert all(str(p).startswith("case_studies/x.yml:") for p in problems)


@PROPERTY_SETTINGS
@given(data=TREES)
def test_any_yaml_as_a_case_study_is_accepted_or_gives_problems(study_validator, data):
    study, problems = parse_case_study(yaml.safe_dump(data, allow_unicode=True), "case_studies/x.yml", study_validator)
    assert study is None and problems


@PROPERTY_SETTINGS
@given(text=st.text(max_size=300))
def test_any_text_as_a_case_study_is_accepted_or_gives_problems(study_validator, text):
    study, problems = parse_case_study(text, "case_studies/x.yml", study_validator)
    assert (study is None) == bool(problems)


def test_parse_yaml_raises_only_yaml_errors():
    for text in ("a: !!binary x", "? [a]\n: b", "a: \x00", "[" * 5000, "a: &x 1\nb: *x", "a: 1\na: 2", "\t- a"):
        with pytest.raises(YamlError):
            parse_yaml(text)


# The manifest: every source is accounted for.


def test_the_manifest_of_the_real_site_accounts_for_every_source(real_site):
    manifest = json.loads((real_site / "manifest.json").read_text(encoding="utf-8"))
    settings, _ = read_settings(load_config(str(ROOT / "mkdocs.yml")).extra.get("casebook"), ROOT)
    assert check_manifest(manifest, real_site, content_files(settings, ROOT / "docs")) == []
    sources = {entry["source"]: entry for entry in manifest["sources"]}
    assert sources["posts/2018-11-20-repost-civic-tech.md"]["urls"] == [
        "blog/2018/11/repost-civic-tech/",
        *(f"blog/2018/11/repost-civic-tech/cite.{kind}" for kind in ("bib", "json", "ris")),
    ]
    assert sources["case_studies/cfa-first-international-partnerships.yml"]["urls"] == [
        "case-studies/cfa-first-international-partnerships/",
        *(f"case-studies/cfa-first-international-partnerships/cite.{kind}" for kind in ("bib", "json", "ris")),
        "case-studies/cfa-first-international-partnerships/pdf.css",
    ]
    assert "lessons/keep-it-simple/" in sources["taxonomy.yml"]["urls"]
    assert sources["docs/about/index.md"]["urls"] == ["about/"]
    assert {"blog/", "case-studies/", "api/terms.json", "feed.xml"} <= set(manifest["derived"])


def test_the_manifest_gives_a_reason_for_each_source_left_out(tmp_path, env):
    root = _mini_project(tmp_path)
    (root / "posts" / "2015-01-01-draft.md").write_bytes(_post("title: D\ndraft: true"))
    (root / "posts" / "2015-01-02-broken.md").write_bytes(_post("title: [B"))
    (root / "posts" / "notes.txt").write_text("not a post")
    (root / "case_studies" / "old").mkdir()
    (root / "case_studies" / "old" / "x.yml").write_text("slug: x")
    settings, _ = read_settings({}, root)
    site = build_site(settings, env)
    manifest = json.loads(site.outputs["manifest.json"].content)
    left_out = {e["source"]: e["left_out"] for e in manifest["sources"] if not e["urls"]}
    assert left_out == {
        "posts/2015-01-01-draft.md": "draft: true (only `make serve` shows it)",
        "posts/2015-01-02-broken.md": "not built: it has problems, listed in the build log",
        "posts/notes.txt": "not read: only .md and .html files are posts",
        "case_studies/case-study.schema.json": "the schema that case studies are checked against",
        "case_studies/old/x.yml": "not read: only .yml files directly in the case-study folder are case studies",
        "taxonomy.schema.json": "the schema that the vocabulary is checked against",
    }
    assert sorted(str(n) for n in site.notes if "not read" in n.message) == [
        "case_studies/old/x.yml: not read: only .yml files directly in the case-study folder are case studies",
        "posts/notes.txt: not read: only .md and .html files are posts",
    ]


def test_the_manifest_check_finds_what_is_missing(tmp_path):
    manifest = {
        "sources": [
            {"source": "posts/a.md", "kind": "post", "urls": ["blog/2015/01/a/"]},
            {"source": "posts/b.md", "kind": "post", "urls": []},
        ],
        "derived": ["blog/"],
    }
    assert check_manifest(manifest, tmp_path, ["posts/a.md", "posts/b.md", "posts/c.md"]) == [
        "posts/c.md: not in the manifest",
        "posts/a.md: blog/2015/01/a/ is listed but not in the site",
        "posts/b.md: produced nothing, and the manifest gives no reason",
        "blog/: listed as derived but not in the site",
    ]


# Patterns and limits: linear on their worst case, and no limit that real content reaches.


@pytest.mark.parametrize(("name", "call", "expected"), bench.pattern_cases(), ids=lambda value: str(value)[:40])
def test_each_pattern_gives_its_result_on_a_megabyte_of_its_worst_case(name, call, expected):
    """The time is the benchmark's (`scripts/bench.py --patterns`, 2 s each); here, the result."""
    assert call() == expected, name


def test_a_paragraph_of_5000_links_and_emphasis_builds(project):
    links = " ".join(f"[the {n}th report](https://example.org/reports/2015-{n}), *{n}*" for n in range(5000))
    project.write("posts/2015-01-20-many-links.md", f"---\ntitle: Many links\ndate: 2015-01-20\n---\n{links}\n")
    built = project.build()
    assert built.error == "" and built.messages == []
    page = built.page("blog/2015/01/many-links/")
    assert page.count('href="https://example.org/reports/2015-') == 5000
    assert "<em>4999</em>" in page


ALIASES = st.lists(st.text(st.sampled_from("/.-_aé\u0301%2e~x"), max_size=12), max_size=3)
BODIES = st.text(st.sampled_from("[]()<>`*_\\{}%-#!|&ab \n\u2028\u0301é:"), max_size=300)


@settings(max_examples=60, deadline=None, database=None, derandomize=True)
@given(front=FRONT_MATTER, body=BODIES, aliases=ALIASES, number=st.floats() | st.integers() | st.text(max_size=5))
def test_a_build_succeeds_or_gives_path_line_problems(tmp_path_factory, env, front, body, aliases, number):
    """The whole build (load, check, index, render) in process: whatever the front matter,
    body, aliases and a case study's figure, it gives a site or `path:line:` problems."""
    root = _mini_project(tmp_path_factory.mktemp("fuzz"))
    front = {"title": "A", "date": "2015-01-20", **front, "aliases": aliases}
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n" + body
    (root / "posts" / "2015-01-20-a.md").write_text(text, encoding="utf-8")
    figure = yaml.safe_dump({"figures": [{"label": "hours", "value": number, "as_of": "2015-01-20"}]})
    (root / "case_studies" / "a.yml").write_text(_valid_study() + figure, encoding="utf-8")
    problems = _problems(root, env)
    assert all(re.match(r"^[\w./-]+(:\d+){1,2}: ", p) for p in problems), problems
