"""Front matter in any of the posts' legacy dialects, normalised to the canonical `Post`
fields here and nowhere else. Each dialect is a small function that maps its own fields to
canonical ones; the build and the importer both read posts through `normalise_front_matter`."""

from __future__ import annotations

import difflib
import html
import re
import unicodedata
from urllib.parse import unquote, urlsplit

from ..text import plain_text, slugify
from ..urls import is_web_url
from .limits import DENSE_HINT, MAX_MARKS, NOT_TEXT_HINT, dense_markup, not_text
from .yamltext import parse_datetime

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
    "untagged",
    "layout",
)
LEGACY_FIELDS = (
    "category",
    "tag",
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
FILE_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})-(.+)$")
"""Jekyll's post file names: `2013-12-01-slug`, and `2013-12-1-slug` too, as Jekyll reads them."""
JEKYLL_SINGULARS = {"category": "categories", "tag": "tags"}
MORE_SEPARATOR = "<!--more-->"


def normalise_front_matter(meta: dict, file_name: str, body: str) -> tuple[dict, dict, list[tuple]]:
    """Canonical `Post` fields from front matter in any dialect, the source field each came
    from, and (source field, message, hint) problems. Canonical fields win over legacy ones;
    aliases from every dialect add up."""
    raw: dict[str, tuple[str | None, object]] = {}
    aliases: list[tuple[str, object]] = []
    for dialect in (from_jekyll, from_canonical, from_medium, from_wordpress, from_file_name):
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
    for name in ("title", "summary", "authors", "categories", "tags", "image", "original_url", "canonical_url"):
        texts = fields.get(name, ())
        texts = (texts,) if isinstance(texts, str) else texts
        if any(dense_markup(text) for text in texts):
            problems.append(
                (
                    raw[name][0],
                    f"'{raw[name][0]}' has more than {MAX_MARKS} Markdown marks or brackets left open",
                    DENSE_HINT,
                )
            )
        bad = next((not_text(text) for text in texts if not_text(text)), "")
        if bad:
            problems.append(
                (raw[name][0], f"'{raw[name][0]}' holds the character {bad}, which is not text", NOT_TEXT_HINT)
            )
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
    for name in JEKYLL_SINGULARS.values():  # Jekyll splits a plural written as one string on spaces
        if isinstance(meta.get(name), str):
            picked[name] = (name, meta[name].split())
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
    dated = file_date(stem)
    picked = {"slug": (None, slugify(dated[1] if dated else stem))}
    if dated:
        picked["published"] = (None, dated[0])
    return picked


def file_date(stem: str) -> tuple[str, str] | None:
    """(`YYYY-MM-DD`, slug) of a Jekyll post file name without its suffix, or None."""
    match = FILE_DATE.match(stem)
    if not match:
        return None
    year, month, day, slug = match.groups()
    return f"{year}-{int(month):02}-{int(day):02}", slug


def from_jekyll(meta: dict, file_name: str) -> dict:
    """Jekyll's singular `category:` and `tag:`, which it reads as `categories` and `tags` (ahead
    of them, when a post has both)."""
    return {plural: (singular, meta[singular]) for singular, plural in JEKYLL_SINGULARS.items() if singular in meta}


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
    "untagged": as_ids,
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
    """Old site paths as `/a/b/` (percent-escapes decoded, in Unicode's NFC form, so that `é` typed
    as one character or two is one path); refuse anything that leaves the site, a hidden path
    (`/.nojekyll`, `/.well-known/x`: hosts read those as settings) and a Markdown file (MkDocs
    would build it as a page)."""
    paths = []
    for item in as_texts(value):
        path = unquote(urlsplit(item).path) if "://" in item else unquote(item)
        path = unicodedata.normalize("NFC", path)
        segments = [s for s in path.split("/") if s]
        if not segments or any(s in (".", "..") for s in segments) or "\\" in path:
            raise ValueError(f"has '{item}', which is not a path on this site")
        if any(s.startswith(".") for s in segments):
            raise ValueError(f"has '{item}', a hidden path (a part starts with '.'), which hosts read as settings")
        if segments[-1].lower().endswith((".md", ".markdown")):
            raise ValueError(f"has '{item}', a Markdown file name, which MkDocs would build as a page")
        last = segments[-1]
        paths.append("/" + "/".join(segments) + ("" if "." in last else "/"))
    return tuple(paths)


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


def body_image_named(body: str, relative: str) -> str:
    """A body image whose file name matches a relative banner path (Medium reposts point
    `banner` at the old site's copy of the image that the body also shows)."""
    name = relative.rsplit("/", 1)[-1]
    for url in re.findall(r"""(?:\]\(|src=["'])(https?://[^)"'\s]+)""", body):
        if url.rsplit("/", 1)[-1] == name:
            return url
    return ""
