"""Parse article files: YAML front matter, then a Markdown body cut into `##` sections."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from ..errors import ArticleError, Location, Report, SpecError, did_you_mean
from ..markdown import parse_markdown
from ..model import slugify
from ..spec import YamlList, YamlMap, parse_date, parse_yaml
from ..text import decode_text, read_bytes, sanitize_text
from .article import Article, Origin, Reference, Section

#: source kinds an origin or the registry may name (SPEC "Source kinds")
SOURCE_KINDS = (
    "state-owned", "state-affiliated", "government", "company", "industry-press",
    "wire", "academic", "analysis", "unknown",
)
_KEYS = ("id", "title", "publisher", "published", "url", "author", "origin", "tags", "references", "disclaimers", "provenance")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_H2 = re.compile(r"^ {0,3}##[ \t]+(.+?)[ \t#]*$")
_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
#: a section with more lines than this is refused (a brief quotes news articles, not data dumps)
MAX_SECTION_LINES = 5_000
#: an article file larger than this is refused before it is read
MAX_ARTICLE_BYTES = 2_000_000


def parse_article(text: str, path: str, report: Report, *, default_id: str | None = None,
                  file: str | None = None) -> Article | None:
    """Return the article in `text` read from `path`, recording problems in `report`.

    Returns None when the file cannot be used at all (no front matter, invalid YAML,
    no title); the reason is in `report`.
    """
    text = text.removeprefix("\ufeff")
    text, changes = sanitize_text(text)
    for change in changes:
        report.warning(f"character {change.describe()} (not allowed in documents)", "text.removed-character",
                       Location(path, change.line, change.column))
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        report.error("an article must start with YAML front matter between '---' lines", "article.no-front-matter",
                     Location(path, 1), hint="see the article format in the README")
        return None
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
    except StopIteration:
        report.error("front matter is not closed with a '---' line", "article.front-matter", Location(path, 1))
        return None
    try:
        meta = parse_yaml("\n".join(lines[1:end]), path, line_offset=1)
    except SpecError as exc:
        report.error(exc.message, "article.front-matter", exc.location, exc.hint)
        return None
    if meta is None:
        meta = YamlMap()
        meta.line, meta.key_lines = 2, {}
    if not isinstance(meta, YamlMap):
        report.error("front matter must be a mapping of keys such as id, title, publisher", "article.front-matter", Location(path, 2))
        return None
    fields = _front_matter(meta, path, report, default_id or Path(path).stem)
    if fields is None:
        return None
    body_start = end + 2  # 1-based line of the first body line
    body = lines[end + 1:]
    search_text = (fields["title"] + "\n" + "\n".join(body)).lower()
    return Article(path=path, search_text=search_text, key_lines=dict(meta.key_lines), body_lines=tuple(body),
                   body_start=body_start, file=file, **fields)


def _front_matter(meta: YamlMap, path: str, report: Report, default_id: str) -> dict | None:
    at = lambda key: Location(path, meta.line_of(key))  # noqa: E731
    for key in meta:
        if key not in _KEYS:
            hint = did_you_mean(key, _KEYS)
            report.warning(f"unknown front-matter key '{key}'" + (f"; {hint}" if hint else ""), "article.unknown-key", at(key))

    def text(key: str, required: bool = False) -> str | None:
        value = meta.get(key)
        if value is None:
            if required:
                report.error(f"front matter needs '{key}'", "article.missing", at(key))
            return None
        if not isinstance(value, str):
            report.error(f"'{key}' must be text", "article.type", at(key))
            return None
        return " ".join(value.split())

    article_id = text("id") or default_id
    if not _ID.match(article_id):
        report.error(f"article id '{article_id}' must be a lowercase slug (letters, digits, - _ .)", "article.id", at("id"))
        return None
    title = text("title", required=True)
    if title is None:
        return None
    published = None
    raw_date = meta.get("published")
    # No date is no problem: many pages state none, and reegen never makes one up. The
    # brief says "undated" in its Sources list and caveats (with the relayed report's
    # date, when an origin has one), so there is nothing to warn about here.
    if raw_date is not None:
        published = parse_date(raw_date) if isinstance(raw_date, str) else None
        if published is None:
            report.error(f"'published' must be an ISO date such as 2025-07-03, not '{raw_date if isinstance(raw_date, str) else raw_date.__class__.__name__}'",
                         "article.date", at("published"))
    tags = meta.get("tags")
    if tags is None:
        tags = ()
    elif isinstance(tags, str):
        tags = tuple(t.strip() for t in tags.split(",") if t.strip())
    elif isinstance(tags, YamlList) and all(isinstance(t, str) for t in tags):
        tags = tuple(tags)
    else:
        report.error("'tags' must be a list of words", "article.type", at("tags"))
        tags = ()
    return {
        "id": article_id,
        "title": title,
        "publisher": text("publisher"),
        "published": published,
        "url": text("url"),
        "author": text("author"),
        "origin": _origins(meta.get("origin"), path, meta.line_of("origin"), report),
        "tags": tuple(t.lower() for t in tags),
        "references": _references(meta.get("references"), path, meta.line_of("references"), report),
        "disclaimers": _disclaimers(meta.get("disclaimers"), path, meta.line_of("disclaimers"), report),
        "provenance": _provenance(meta.get("provenance"), path, meta.line_of("provenance"), report),
    }


def _origins(value: object, path: str, line: int, report: Report) -> tuple[Origin, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, YamlList) else [value]
    out = []
    for i, item in enumerate(items):
        item_line = value.item_lines[i] if isinstance(value, YamlList) else line
        if isinstance(item, str):
            out.append(Origin(" ".join(item.split())))
            continue
        if not isinstance(item, YamlMap) or not isinstance(item.get("name"), str):
            report.error("each origin needs a name, e.g. {name: Baogang Daily, kind: state-affiliated, translated: true}",
                         "article.origin", Location(path, item_line))
            continue
        kind = item.get("kind") or "unknown"
        if kind not in SOURCE_KINDS:
            hint = did_you_mean(str(kind), SOURCE_KINDS)
            report.error(f"unknown source kind '{kind}'" + (f"; {hint}" if hint else f" (one of {', '.join(SOURCE_KINDS)})"),
                         "article.source-kind", Location(path, item.line_of("kind")))
            kind = "unknown"
        translated = str(item.get("translated") or "false").lower() in ("true", "yes", "on")
        date = None
        if item.get("date") is not None:
            date = parse_date(item["date"]) if isinstance(item["date"], str) else None
            if date is None:
                report.error(f"an origin's 'date' must be an ISO date such as 2025-07-11, not '{item['date']}'",
                             "article.date", Location(path, item.line_of("date")))
        out.append(Origin(" ".join(item["name"].split()), kind, translated, date))
    return tuple(out)


#: how a front-matter field came to be (see `Article.provenance`)
PROVENANCE = ("stated", "derived", "inferred", "user")


def _provenance(value: object, path: str, line: int, report: Report) -> dict:
    if value is None:
        return {}
    if not isinstance(value, YamlMap):
        report.error("'provenance' must map field names to stated, derived, inferred or user",
                     "article.provenance", Location(path, line))
        return {}
    out = {}
    for key, how in value.items():
        if key not in _KEYS or key == "provenance":
            report.warning(f"provenance names '{key}', which is no front-matter field", "article.provenance",
                           Location(path, value.line_of(key)))
        elif how not in PROVENANCE:
            report.error(f"provenance of '{key}' must be one of {', '.join(PROVENANCE)}, not '{how}'",
                         "article.provenance", Location(path, value.line_of(key)))
        else:
            out[key] = how
    return out


def _references(value: object, path: str, line: int, report: Report) -> dict:
    if value is None:
        return {}
    if not isinstance(value, YamlMap):
        report.error("'references' must map numbers to {title, publisher, url, date}", "article.references", Location(path, line))
        return {}
    out = {}
    for label, ref in value.items():
        where = Location(path, value.line_of(label))
        if isinstance(ref, str):
            out[label] = Reference(label, title=ref)
        elif isinstance(ref, YamlMap):
            get = lambda k: " ".join(ref[k].split()) if isinstance(ref.get(k), str) else None  # noqa: E731
            out[label] = Reference(label, get("title"), get("publisher"), get("url"), get("date"))
        else:
            report.error(f"reference {label} must be a title or a mapping", "article.references", where)
    return out


def _disclaimers(value: object, path: str, line: int, report: Report) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (" ".join(value.split()),)
    if isinstance(value, YamlList) and all(isinstance(v, str) for v in value):
        return tuple(" ".join(v.split()) for v in value)
    report.error("'disclaimers' must be a list of sentences", "article.type", Location(path, line))
    return ()


def parse_sections(lines: list[str], first_line: int, path: str, article_id: str, report: Report) -> tuple[Section, ...]:
    """Cut the body at `##` headings (outside code fences) and parse each part.

    A part longer than `MAX_SECTION_LINES` is not parsed: it is reported as an error
    and left empty, so one absurd article cannot stall a build.
    """
    chunks: list[tuple[str, str, int, list[str]]] = [("lead", "Lead", first_line, [])]
    in_fence = False
    for offset, line in enumerate(lines):
        if _FENCE.match(line):
            in_fence = not in_fence
        match = None if in_fence else _H2.match(line)
        if match:
            title = match.group(1).strip()
            chunks.append((slugify(title) or "section", title, first_line + offset, []))
        else:
            chunks[-1][3].append(line)
    sections: list[Section] = []
    seen: set[str] = set()
    for slug, title, start, body in chunks:
        base, n = slug, 2
        while slug in seen:
            slug, n = f"{base}-{n}", n + 1
        seen.add(slug)
        # The lead's text starts on its first line; a section's on the line after its heading.
        offset = start - 1 if slug == "lead" else start
        if len(body) > MAX_SECTION_LINES:
            report.error(f"section '{slug}' has {len(body):,} lines; reegen reads at most {MAX_SECTION_LINES:,} per section",
                         "article.too-large", Location(path, start), hint="split the article, or shorten this section")
            sections.append(Section(slug, title, (), start))
            continue
        blocks = parse_markdown("\n".join(body), path=path, line_offset=offset,
                                article_id=article_id, section=slug, report=report)
        sections.append(Section(slug, title, blocks, start))
    if "highlights" not in seen:
        sections.insert(1, Section("highlights", "Highlights", (), first_line))
    return tuple(sections)


def load_article(path: str | os.PathLike, report: Report, *, display_path: str | None = None) -> Article | None:
    """Return the article in the file at `path`, or None (with the reason in `report`)."""
    return _read(path, report, display_path, digest=False)[0]


def read_article(path: str | os.PathLike, report: Report, *,
                 display_path: str | None = None) -> tuple[Article | None, str | None]:
    """Return the article in the file at `path` (or None) and the hex SHA-256 of the bytes it was read from.

    The digest is of the very bytes parsed, read once (the corpus index keeps it with the
    parse); None when the file could not be read.
    """
    return _read(path, report, display_path, digest=True)


def _read(path: str | os.PathLike, report: Report, display_path: str | None, *,
          digest: bool) -> tuple[Article | None, str | None]:
    shown = display_path or str(path)
    path = os.fspath(path)
    sha = None
    try:
        data = read_bytes(path, max_bytes=MAX_ARTICLE_BYTES)
        if digest:
            sha = hashlib.sha256(data).hexdigest()
        text = decode_text(data, path)
    except SpecError as exc:
        report.error(exc.message, "article.unreadable", Location(shown, exc.location.line if exc.location else None), exc.hint)
        return None, sha
    name = os.path.basename(path)
    dot = name.rfind(".")
    stem = name[:dot] if 0 < dot < len(name) - 1 else name  # `Path.stem`, without making a Path
    return parse_article(text, shown, report, default_id=stem, file=path), sha


def raise_for(report: Report) -> None:
    """Raise `ArticleError` for the first error in `report` (for callers that want one article)."""
    if report.has_errors():
        first = report.errors[0]
        raise ArticleError(first.message, first.location, first.hint, code=first.code)
