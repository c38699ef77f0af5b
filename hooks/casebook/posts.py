"""Read posts as they are, in any of their legacy dialects, into canonical `Post` records.

Legacy front matter is normalised here and nowhere else: the build and the importer both call
`read_post`. Each dialect is a small function that maps its own fields to canonical ones.
"""

from __future__ import annotations

import difflib
import html
import re
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urlsplit

import frontmatter

from .model import KINDS, Post, Problem, source_name
from .sanitize import is_web_url
from .yamltext import SourceError, YamlError, locate, parse_datetime, parse_yaml, read_source

POST_SUFFIXES = (".md", ".html")

CANONICAL_FIELDS = (
    "title",
    "date",
    "authors",
    "summary",
    "slug",
    "image",
    "original_url",
    "canonical_url",
    "aliases",
    "draft",
    "categories",
    "tags",
    "lessons",
    "partners",
    "models",
    "layout",
)
LEGACY_FIELDS = (
    "id",
    "guid",
    "permalink",
    "author",
    "author_login",
    "author_email",
    "wordpress_id",
    "wordpress_url",
    "status",
    "published",
    "password",
    "type",
    "parent_id",
    "meta",
    "excerpt",
    "dsq_thread_id",
    "banner",
    "medium",
    "description",
)
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FILE_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})-(.+)$")
MORE_SEPARATOR = "<!--more-->"
MAX_POST_BYTES = 1_000_000
"""A post file's largest size: the biggest real post is 0.6 MB, and converting 10 MB of
Markdown takes Python-Markdown about 15 s."""
MAX_FRONT_MATTER = 256_000
"""The front matter's largest size, in characters: real ones stay under 2 kB, and PyYAML reads
about 1 MB a second."""
MAX_HTML_DEPTH = 100
MAX_INDENT = 200
MAX_EMPHASIS_RUN = 500
MAX_MARKS = 2_000
"""Limits of `check_body` and `dense_markup`: Python-Markdown exhausts Python's stack at about
330 nested `markdown` blocks or admonitions, 500 nested list levels or 2,000 emphasis marks in
a row; its inline processing slows down with the square of the marks in one paragraph (20,000
escaped brackets take 1.7 s, 200,000 minutes); nh3 slows down with the square of the HTML
depth (16 s at 100,000 levels). Real content stays far below: 8 levels, 16 columns, 6 marks in
a row, 371 marks in a paragraph."""
_MARKS = re.compile(r"[\\`*_{}\[\]()#+!|~<>&-]")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_START_TAG = re.compile(r"<[a-zA-Z][^<>]*>")
_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")
_HTML_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)\b[^<>]*?(/?)>")
_NOT_NESTING = frozenset(
    "area base br col embed hr img input link meta param source track wbr "  # void
    "p li dt dd tr td th thead tbody tfoot option".split()  # closed by their next sibling
)
_EMPHASIS_RUN = re.compile(rf"[*_]{{{MAX_EMPHASIS_RUN + 1},}}")
_DEEP_INDENT = re.compile(rf"\n[ \t]{{{MAX_INDENT // 4 + 1}}}")
"""A line that `check_body` measures, indented by more than a quarter of `MAX_INDENT` spaces or
tabs; searched in `"\\n" + body`, as a leading `\\n` is far faster for the regex engine than `^`."""
_ANY_TAG = re.compile(r"<[^>]*>")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS_MARKS = re.compile(r"[*_>`]+|(?<!&)#+")
"""Marks that `plain_text` drops; not the # of entities (&#8217;)."""


def load_posts(posts_dir: Path, root: Path) -> tuple[list[Post], list[Problem]]:
    """Every post under `posts_dir`, and every problem found in any of them."""
    posts, problems = [], []
    for path in post_files(posts_dir):
        post, found = read_post(path, root)
        problems += found
        if post is not None:
            posts.append(post)
    return posts, problems


def post_files(posts_dir: Path) -> list[Path]:
    """Every post file under `posts_dir`, sorted."""
    return sorted(p for p in posts_dir.rglob("*") if p.suffix in POST_SUFFIXES and p.is_file())


def unloaded_references(posts_dir: Path, root: Path, posts: list[Post]) -> list[tuple[str, str, str, int]]:
    """(source, kind, term id, line) of every term named by a post file that is not among
    `posts` (it has other problems), so that its unknown ids are reported in the same run."""
    loaded = {post.source for post in posts}
    references = []
    for path in post_files(posts_dir):
        source = source_name(path, root)
        if source not in loaded:
            try:
                text = read_source(path, MAX_POST_BYTES)
            except SourceError:
                continue  # reported by the loader
            references += [(source, kind, term_id, line) for kind, term_id, line in read_term_ids(text)]
    return references


def read_term_ids(text: str) -> list[tuple[str, str, int]]:
    """(kind, term id, line) of the `lessons`, `partners` and `models` a post's front matter
    names, whatever else is wrong with the post; nothing when the front matter is unreadable."""
    text = text.replace("\r\n", "\n")
    if not text.startswith("---"):
        return []
    try:
        meta, node = parse_yaml(frontmatter.YAMLHandler().split(text)[0])
    except ValueError:  # an unclosed front matter, or a YamlError
        return []
    found = []
    for kind in KINDS if isinstance(meta, dict) else ():
        try:
            ids = as_ids(meta[kind]) if meta.get(kind) not in (None, "") else ()
        except ValueError:
            continue
        line = locate(node, (kind,), key=True)[0]
        found += [(kind, term_id, line) for term_id in ids]
    return found


def read_post(path: Path, root: Path) -> tuple[Post | None, list[Problem]]:
    """One post file as a `Post` (None when it cannot be built) and its problems."""
    source = source_name(path, root)
    try:
        text = read_source(path, MAX_POST_BYTES)
    except SourceError as error:
        return None, [Problem(source, error.line, str(error), error.hint)]
    return parse_post(text, source)


def parse_post(text: str, source: str) -> tuple[Post | None, list[Problem]]:
    """Parse a post's text; `source` names it in problems and decides its file-name fallbacks."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    meta, node, body = {}, None, text
    if text.startswith("---"):
        try:
            front, body = frontmatter.YAMLHandler().split(text)
        except ValueError:
            return None, [
                Problem(source, 1, "the front matter is never closed", "end it with a line of three dashes: ---")
            ]
        if len(front) > MAX_FRONT_MATTER:
            message = f"the front matter is {len(front) / 1e3:.0f} kB; the limit is {MAX_FRONT_MATTER / 1e3:g} kB"
            return None, [Problem(source, 1, message, "move long text into the body of the post")]
        try:
            meta, node = parse_yaml(front)
        except YamlError as error:
            return None, [Problem(source, error.line, f"the front matter is not valid YAML: {error}", error.hint)]
        if meta is None:
            meta = {}
        if not isinstance(meta, dict):
            return None, [Problem(source, 2, "the front matter must be a list of `field: value` lines")]

    fields, keys, problems = normalise_front_matter(meta, Path(source).name, body)

    def line_of(key: str | None) -> int:
        return locate(node, (key,), key=True)[0] if key else 1

    offset = text[: len(text) - len(body)].count("\n")
    found = [Problem(source, line_of(key), message, hint) for key, message, hint in problems]
    found += [Problem(source, offset + line, message, hint) for line, message, hint in check_body(body)]
    if found:
        return None, found
    lines = {name: line_of(key) for name, key in keys.items()}
    return Post(source=source, body=body.strip("\n") + "\n", lines=lines, **fields), []


def normalise_front_matter(meta: dict, file_name: str, body: str) -> tuple[dict, dict, list[tuple]]:
    """Canonical `Post` fields from front matter in any dialect, the source field each came
    from, and (source field, message, hint) problems. Canonical fields win over legacy ones;
    aliases from every dialect add up."""
    raw: dict[str, tuple[str | None, object]] = {}
    aliases: list[tuple[str, object]] = []
    for dialect in (from_canonical, from_medium, from_wordpress, from_file_name):
        for name, (key, value) in dialect(meta, file_name).items():
            if name == "aliases":
                aliases.append((key, value))
            elif value not in (None, "") and name not in raw:
                raw[name] = (key, value)

    fields, problems = {}, []
    for name, (key, value) in raw.items():
        try:
            fields[name] = COERCE[name](value)
        except ValueError as error:
            label = f"'{key}'" if key else "the file name"
            problems.append((key, f"{label} {error}", HINTS.get(name, "")))
    fields["aliases"] = ()
    for key, value in aliases:
        try:
            fields["aliases"] += tuple(a for a in legacy_paths(value) if a not in fields["aliases"])
        except ValueError as error:
            problems.append((key, f"'{key}' {error}", HINTS["aliases"]))
    for name in ("title", "summary", "authors", "categories", "tags"):
        texts = fields.get(name, ())
        if any(dense_markup(text) for text in ((texts,) if isinstance(texts, str) else texts)):
            problems.append((raw[name][0], f"'{raw[name][0]}' has more than {MAX_MARKS} Markdown marks", DENSE_HINT))
    problems += misspelt_fields(meta)
    if "title" not in raw:
        problems.append((None, "the post has no title", "add a line `title: ...` to the front matter"))
    if "published" not in raw:
        problems.append(
            (
                None,
                "the post has no date",
                "add `date: YYYY-MM-DD` to the front matter, or name the file YYYY-MM-DD-slug.md",
            )
        )

    fields.setdefault("kind", "post")
    if "summary" not in fields and MORE_SEPARATOR in body:
        fields["summary"] = plain_text(body.split(MORE_SEPARATOR, 1)[0])
    if fields.get("image", "").startswith("."):
        fields["image"] = body_image_named(body, fields["image"])
    keys = {name: key for name, (key, _) in raw.items()}
    if aliases:
        keys["aliases"] = aliases[0][0]
    return fields, keys, problems


# Dialects: each maps its own fields to canonical names as {name: (source field, value)}.


def from_canonical(meta: dict, file_name: str) -> dict:
    """The canonical front matter documented in CONTRIBUTING.md."""
    picked = {name: (name, meta.get(name)) for name in CANONICAL_FIELDS if name in meta}
    if "date" in picked:
        picked["published"] = picked.pop("date")
    if "layout" in picked:
        picked["kind"] = ("layout", "page" if meta["layout"] == "page" else "post")
        del picked["layout"]
    return picked


def from_medium(meta: dict, file_name: str) -> dict:
    """Code for All's Medium reposts: `medium` is the original and the canonical address."""
    picked = {}
    if meta.get("medium"):
        picked["original_url"] = picked["canonical_url"] = ("medium", meta["medium"])
    if meta.get("banner"):
        picked["image"] = ("banner", meta["banner"])
    return picked


def from_wordpress(meta: dict, file_name: str) -> dict:
    """WordPress exports: posts (`guid`, `permalink`) and pages (`wordpress_url`, `status`)."""
    picked = {}
    author = meta.get("author")
    if isinstance(author, dict):  # WordPress.com: {login, email, display_name, first_name, last_name}
        author = author.get("display_name") or author.get("login")
    if author:
        picked["authors"] = ("author", author)
    if meta.get("excerpt"):  # HTML; some exports nest a block scalar in it, leaving a leading `|`
        picked["summary"] = ("excerpt", plain_text(str(meta["excerpt"]).lstrip("| \n")))
    # A draft's permalink is its id (`/?p=7301`): a query, which no static page can answer.
    if meta.get("permalink") and "?" not in str(meta["permalink"]):
        picked["aliases"] = ("permalink", meta["permalink"])
        base = wordpress_base(meta.get("guid"))
        if base:
            picked["original_url"] = ("permalink", base + "/" + str(meta["permalink"]).lstrip("/"))
    if meta.get("wordpress_url"):
        picked["original_url"] = ("wordpress_url", meta["wordpress_url"])
    if meta.get("type") == "page":
        picked["kind"] = ("type", "page")
    status = meta.get("status")
    if meta.get("published") is False or (status and status != "publish") or meta.get("password"):
        key = "password" if meta.get("password") else "published" if "published" in meta else "status"
        picked["draft"] = (key, True)
    return picked


def from_file_name(meta: dict, file_name: str) -> dict:
    """Jekyll's `YYYY-MM-DD-slug.md`: the date and the slug of posts that do not give them."""
    stem = file_name.rsplit(".", 1)[0]
    match = FILE_DATE.match(stem)
    picked = {"slug": (None, slugify(match.group(2) if match else stem))}
    if match:
        picked["published"] = (None, match.group(1))
    return picked


def wordpress_base(guid: object) -> str:
    """`http://www.codeforamerica.org/blog/?p=32613` -> `http://www.codeforamerica.org/blog`."""
    if not isinstance(guid, str) or "://" not in guid:
        return ""
    parts = urlsplit(guid)
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


# Coercion of canonical fields to their types; a ValueError becomes a problem on that field.


def as_text(value: object) -> str:
    if isinstance(value, (dict, list)):
        raise ValueError("must be a single line of text, not a list or a mapping")
    return html.unescape(str(value)).strip()


def as_texts(value: object) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    if any(isinstance(item, (dict, list)) for item in items):
        raise ValueError("must be a list of names, e.g. [Fellowship, Brigade]")
    return tuple(dict.fromkeys(html.unescape(str(item)).strip() for item in items if item is not None))


def as_ids(value: object) -> tuple[str, ...]:
    ids = as_texts(value)
    for item in ids:
        if not SLUG_PATTERN.match(item):
            raise ValueError(f"has '{item}', which is not an id (lowercase words joined by hyphens)")
    return ids


def as_slug(value: object) -> str:
    slug = as_text(value)
    if not SLUG_PATTERN.match(slug):
        raise ValueError(f"is '{slug}': a slug is lowercase letters, digits and hyphens only")
    return slug


def as_url(value: object) -> str:
    url = as_text(value)
    if not is_web_url(url):
        raise ValueError(f"is '{url}', which is not a web address (http:// or https://, no spaces or quotes)")
    return url


def as_image(value: object) -> str:
    image = as_text(value)
    if re.match(r"^[a-zA-Z][\w+.-]*:", image) and not is_web_url(image):
        raise ValueError(f"is '{image}': an image is a web address (http:// or https://) or a path")
    return image


def as_bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"must be true or false, not '{value}'")
    return value


def as_datetime(value: object):
    return parse_datetime(value)


COERCE = {
    "title": as_text,
    "published": as_datetime,
    "authors": as_texts,
    "summary": as_text,
    "slug": as_slug,
    "image": as_image,
    "original_url": as_url,
    "canonical_url": as_url,
    "draft": as_bool,
    "categories": as_texts,
    "tags": as_texts,
    "lessons": as_ids,
    "partners": as_ids,
    "models": as_ids,
    "kind": str,
}
HINTS = {
    "published": "write the date as YYYY-MM-DD, e.g. 2015-01-20",
    "slug": "for example: slug: seven-tips-for-organizing",
    "draft": "write draft: true or draft: false",
    "aliases": "list old site paths, e.g. aliases: [/2015/01/20/old-post/]",
    "original_url": "write the full address, e.g. https://medium.com/@codeforall/x",
    "canonical_url": "write the full address, e.g. https://medium.com/@codeforall/x",
}


def legacy_paths(value: object) -> tuple[str, ...]:
    """Old site paths as `/a/b/` (percent-escapes decoded); refuse anything that leaves the site."""
    paths = []
    for item in as_texts(value):
        path = unquote(urlsplit(item).path) if "://" in item else unquote(item)
        segments = [s for s in path.split("/") if s]
        if not segments or any(s in (".", "..") for s in segments) or "\\" in path:
            raise ValueError(f"has '{item}', which is not a path on this site")
        last = segments[-1]
        paths.append("/" + "/".join(segments) + ("" if "." in last else "/"))
    return tuple(paths)


def check_body(body: str) -> list[tuple[int, str, str]]:
    """(line in `body`, message, hint) for structures nested so deep that rendering would be
    slow or exhaust Python's stack: HTML elements, indentation (nested lists, blocks) and runs
    of emphasis marks. Real posts stay far below the limits (8 levels, 16 columns, 6 marks).
    Each check first asks a quick question (enough `<`? a deep indent anywhere?), so that
    most posts skip the slow part."""
    problems = []
    stack = []
    for match in _HTML_TAG.finditer(body) if body.count("<") > MAX_HTML_DEPTH else ():
        closing, name = match.group(1), match.group(2).lower()
        if name in _NOT_NESTING or match.group(3):
            continue
        if not closing:
            stack.append(name)
            if len(stack) > MAX_HTML_DEPTH:
                line = body.count("\n", 0, match.start()) + 1
                message = f"the HTML is nested more than {MAX_HTML_DEPTH} elements deep"
                problems.append((line, message, "close the elements you open, or flatten the markup"))
                break
        elif name in stack:
            while stack.pop() != name:
                pass
    for number, line in enumerate(body.split("\n"), start=1) if _DEEP_INDENT.search("\n" + body) else ():
        indent = len(line) - len(line.lstrip(" \t"))
        if indent > MAX_INDENT // 4 and len(line[:indent].expandtabs(4)) > MAX_INDENT:
            problems.append((number, f"the line is indented more than {MAX_INDENT} columns", "indent it less"))
            break
    run = _EMPHASIS_RUN.search(body) if body.count("*") + body.count("_") > MAX_EMPHASIS_RUN else None
    if run:
        line = body.count("\n", 0, run.start()) + 1
        problems.append((line, f"a run of more than {MAX_EMPHASIS_RUN} * or _ marks", "shorten it"))
    dense = dense_markup(body)
    if dense:
        problems.append((dense, f"a paragraph with more than {MAX_MARKS} Markdown or HTML marks", DENSE_HINT))
    tags = _START_TAG.finditer(body) if "markdown" in body.lower() else ()
    attribute = next((tag for tag in tags if _has_markdown_attribute(tag.group())), None)
    if attribute:
        # Python-Markdown's md_in_html takes minutes over some unbalanced HTML inside such blocks.
        problems.append(
            (
                body.count("\n", 0, attribute.start()) + 1,
                "HTML with a `markdown` attribute is not supported in posts",
                "remove the attribute, and write the Markdown outside the HTML element",
            )
        )
    return problems


def _has_markdown_attribute(tag: str) -> bool:
    return re.search(r"\smarkdown\b", _QUOTED.sub('""', tag), re.I) is not None


DENSE_HINT = "split it into paragraphs, or remove repeated marks: Markdown slows down on such text"


def dense_markup(text: str) -> int | None:
    """The line of the first paragraph of `text` with more than `MAX_MARKS` Markdown or HTML
    marks (`\\ * _ [ ] ( ) < > & -`...), or None."""
    if len(text) <= MAX_MARKS:
        return None
    start = 0
    for paragraph in _PARAGRAPH_BREAK.split(text):
        if len(paragraph) > MAX_MARKS and len(_MARKS.findall(paragraph)) > MAX_MARKS:
            return text.count("\n", 0, text.find(paragraph, start)) + 1
        start += len(paragraph)
    return None


def misspelt_fields(meta: dict) -> list[tuple]:
    """Unknown fields that look like a misspelt canonical one; other unknown fields are legacy
    data that the site does not use, and are left alone."""
    problems = []
    for key in meta:
        if key in CANONICAL_FIELDS or key in LEGACY_FIELDS:
            continue
        close = difflib.get_close_matches(str(key), CANONICAL_FIELDS, n=1, cutoff=0.75)
        if close:
            problems.append((key, f"unknown field '{key}'", f"did you mean '{close[0]}'?"))
    return problems


def slugify(text: str) -> str:
    """A URL slug from a file name or title: `cio-%e2%89%a0-chief_x` -> `cio-chief-x`."""
    ascii_text = unicodedata.normalize("NFKD", unquote(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "post"


def plain_text(markup: str, limit: int = 300) -> str:
    """Readable text from Markdown or HTML, cut at a word boundary, for summaries. Long markup
    is read up to a paragraph break well past `limit` first: the same result, far cheaper."""
    head = markup[: limit * 10]
    if len(head) < len(markup) and (cut := head.rfind("\n\n")) > 0:
        text = _readable(head[:cut])
        if len(text) > limit:
            return text[:limit].rsplit(" ", 1)[0] + "…"
    text = _readable(markup)
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


def _readable(markup: str) -> str:
    text = _ANY_TAG.sub(" ", markup)
    while "](" in text:  # most paragraphs have no link: skip the pattern (and a Python call per link)
        text, count = _LINK.subn(lambda link: link.group(1), text)  # again for `[![image](src)](href)`
        if not count:
            break
    text = html.unescape(_EMPHASIS_MARKS.sub("", text))
    return " ".join(text.split())


def body_image_named(body: str, relative: str) -> str:
    """A body image whose file name matches a relative banner path (Medium reposts point
    `banner` at the old site's copy of the image that the body also shows)."""
    name = relative.rsplit("/", 1)[-1]
    for url in re.findall(r"""(?:\]\(|src=["'])(https?://[^)"'\s]+)""", body):
        if url.rsplit("/", 1)[-1] == name:
            return url
    return ""
