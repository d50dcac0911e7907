"""Ingest: scraped text, saved web pages and Markdown in, SPEC article files out.

The readers (pandoc's "Readers") turn each input into a `Draft`; `render_article` writes
it. Every change is recorded in an `IngestReport` printable as `path:line: kind: detail`.

    results = ingest_paths(["seeds/001.txt"], "articles")
    for line in results[0].report.lines():
        print(line)
"""

from __future__ import annotations

import datetime as _dt
import os
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Literal

from ..errors import ArticleError, Location, ProjectError, Report
from ..model import slugify
from .dates import parse_published
from .decode import decode_bytes, normalize_characters, sniff_format
from .draft import Block, Draft, Section
from .readers import read_html, read_markdown, read_text
from .report import KINDS, IngestReport, Repair
from .structure import check_citations, derive_title, is_highlights
from .writer import render_article

__all__ = [
    "KINDS", "Block", "Draft", "IngestReport", "IngestResult", "Overrides", "Repair", "Section",
    "ingest_paths", "ingest_source", "parse_published", "parse_source", "render_article",
]

Status = Literal["written", "unchanged", "dry-run"]
_ID_MAX = 60


@dataclass(frozen=True, slots=True)
class Overrides:
    """Fields given on the command line; each replaces what ingest found in the text."""

    id: str | None = None
    title: str | None = None
    publisher: str | None = None
    published: _dt.date | None = None
    #: replaces the article's tags when not empty
    tags: tuple[str, ...] = ()


@dataclass(slots=True)
class IngestResult:
    """One input turned into one article: where from, where to, the text and the report."""

    source: str
    article_id: str
    text: str
    report: IngestReport
    draft: Draft
    #: the article file (None until `ingest_paths` chose it)
    target: Path | None = None
    status: Status = "dry-run"


def parse_source(data: bytes | str, name: str, *, overrides: Overrides | None = None,
                 fmt: str | None = None) -> tuple[Draft, IngestReport]:
    """Return the draft article read from `data` (the contents of file `name`) and what was changed.

    `fmt` is "text", "markdown" or "html"; by default it comes from the name and the content.
    Raises `ArticleError` when the input cannot be read as an article at all.
    """
    report = IngestReport(name)
    text = decode_bytes(data, report) if isinstance(data, bytes) else data
    text = normalize_characters(text, report)
    fmt = fmt or sniff_format(name, text)
    if fmt == "html":
        draft = read_html(text, report, name)
    elif fmt == "markdown":
        draft = read_markdown(text, report, name)
    elif fmt == "text":
        draft = read_text(text, report)
    else:
        raise ArticleError(f"unknown input format '{fmt}' (text, markdown or html)", Location(name), code="ingest.format")
    _finish(draft, report, overrides or Overrides(), name)
    return draft, report


def ingest_source(data: bytes | str, name: str, *, overrides: Overrides | None = None,
                  fmt: str | None = None) -> IngestResult:
    """Return the article file text for input `data` read from `name`, with its report; writes nothing."""
    draft, report = parse_source(data, name, overrides=overrides, fmt=fmt)
    return IngestResult(name, draft.id or "article", render_article(draft), report, draft)


def _finish(draft: Draft, report: IngestReport, overrides: Overrides, name: str) -> None:
    """Apply overrides, derive what can be derived, and name what is missing."""
    for key in ("title", "publisher", "published"):
        value = getattr(overrides, key)
        if value is not None:
            setattr(draft, key, value)
            report.add("override", None, f"{key} set to '{value}' from the command line")
            if isinstance(draft.extra.get("provenance"), dict) and key in draft.extra["provenance"]:
                draft.extra["provenance"][key] = "user"  # what the page said no longer stands
    if overrides.tags:
        draft.tags = list(dict.fromkeys(overrides.tags))
        report.add("override", None, f"tags set to {', '.join(draft.tags)} from the command line")
    if not draft.title:
        source, title = _title_source(draft)
        if source is None:
            raise ArticleError("no text to take a title from", Location(name), code="ingest.empty",
                               hint="is the file empty, or all boilerplate? give --title to name it anyway")
        draft.title = title
        where = "first highlight" if draft.highlights and source is draft.highlights[0] else "first paragraph"
        report.add("title", source.line, f"no title in the text; derived from the {where}: '{title}' (give --title to choose one)")
    if overrides.id:
        draft.id = overrides.id
        report.add("override", None, f"id set to '{overrides.id}' from the command line")
    elif not draft.id:
        draft.id = make_id(draft.title, name)
    check_citations(draft, report)
    for key, why in (("publisher", "give --publisher"), ("published", "give --published YYYY-MM-DD")):
        if getattr(draft, key) in (None, ""):
            report.add("missing", None, f"{key}: no clear signal in the text; left out ({why})")
    missing = [key for key in ("url", "author") if not getattr(draft, key)]
    if missing:
        report.add("missing", None, f"{' and '.join(missing)}: not stated in the text; left out")


def _title_source(draft: Draft) -> tuple[Block | None, str]:
    """Return the block a title can be derived from, and that title (never "Highlights")."""
    candidates = list(draft.highlights[:1]) + [b for b in draft.lead if b.kind == "para"]
    candidates += [b for s in draft.sections for b in s.blocks if b.kind in ("para", "bullet")]
    candidates += [b for b in draft.lead if b.kind != "para"] + draft.highlights[1:]
    for block in candidates:
        title = derive_title(block.text)
        if title.strip(" …") and not is_highlights(title):
            return block, title
    return None, ""


def make_id(title: str, name: str) -> str:
    """Return a lowercase ASCII slug for an article titled `title` (from file `name` if the title has none)."""
    def ascii_slug(text: str) -> str:
        text = unicodedata.normalize("NFKD", text.replace("’", "").replace("'", ""))
        return slugify("".join(ch for ch in text if ch.isascii()))

    slug = ascii_slug(title)
    if not slug:
        slug = ascii_slug(Path(name).stem) or "article"
    if len(slug) > _ID_MAX:
        cut = slug[:_ID_MAX + 1]
        slug = cut[:cut.rfind("-")] if "-" in cut[:_ID_MAX] else slug[:_ID_MAX]
    return slug


def ingest_paths(paths: Iterable[str | os.PathLike], out_dir: str | os.PathLike = "articles", *,
                 overrides: Overrides | None = None, dry_run: bool = False, force: bool = False) -> list[IngestResult]:
    """Ingest each of `paths` into `out_dir`/<id>.md and return one result per input.

    Ids are made unique within the call. Nothing is written when any input fails or when
    an existing article would be overwritten without `force`; a file whose content would
    not change is left alone ("unchanged"). With `dry_run` nothing is written at all.
    Raises `BuildFailed` carrying every problem found.
    """
    paths = [Path(p) for p in paths]
    overrides = overrides or Overrides()
    if overrides.id and len(paths) > 1:
        raise ArticleError("--id names one article; give it with a single path", code="ingest.id")
    problems = Report()
    results: list[IngestResult] = []
    used: set[str] = set()
    out = Path(out_dir)
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as exc:
            problems.error(f"cannot read '{path}': {exc.strerror or exc}", "ingest.read", Location(str(path)))
            continue
        try:
            draft, report = parse_source(data, str(path), overrides=overrides)
        except ArticleError as exc:
            problems.diagnostics.extend(exc.diagnostics)
            continue
        base, n = draft.id or "article", 2
        while draft.id in used:
            draft.id = f"{base}-{n}"
            n += 1
        if draft.id != base:
            report.add("metadata", None, f"id '{base}' already taken in this run; using '{draft.id}'")
        result = IngestResult(str(path), draft.id, render_article(draft), report, draft)
        used.add(result.article_id)
        result.target = out / f"{result.article_id}.md"
        results.append(result)
    for result in results:
        target = result.target
        if target.exists():
            try:
                same = target.read_bytes() == result.text.encode("utf-8")
            except OSError:
                same = False
            if same:
                result.status = "unchanged"
            elif not force and not dry_run:
                problems.error(f"'{target}' already exists; not overwritten (use --force to replace it)",
                               "ingest.exists", Location(result.source))
    problems.raise_if_errors()
    if dry_run:
        return results
    if out.exists() and not out.is_dir():
        raise ProjectError(f"'{out}' is not a folder", Location(str(out)), code="ingest.out-dir")
    out.mkdir(parents=True, exist_ok=True)
    for result in results:
        if result.status == "unchanged":
            continue
        _write_atomic(result.target, result.text.encode("utf-8"))
        result.status = "written"
    return results


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


