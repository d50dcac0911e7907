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
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Literal

from ..errors import ArticleError, BuildFailed, Location, ProjectError, Report
from ..output import write_atomic
from .dates import parse_published
from .decode import decode_bytes, normalize_characters, sniff_format
from .draft import Block, Draft, DraftSection
from .readers import read_html, read_markdown, read_text
from .report import KINDS, IngestReport, Repair
from .junk import MAX_INPUT_BYTES, check_input_bytes, check_not_article
from .origins import add_origin, find_attributions
from .slugs import check_id, make_id, printable as _printable, safe_id
from .structure import check_citations, derive_title, is_highlights
from .writer import render_article

__all__ = [
    "KINDS", "Block", "Draft", "IngestReport", "IngestResult", "Overrides", "Repair", "DraftSection",
    "ingest_paths", "ingest_source", "parse_published", "parse_source", "render_article",
]

Status = Literal["written", "unchanged", "dry-run"]


@dataclass(frozen=True, slots=True)
class Overrides:
    """Fields given on the command line; each replaces what ingest found in the text."""

    id: str | None = None
    title: str | None = None
    publisher: str | None = None
    published: _dt.date | None = None
    author: str | None = None
    url: str | None = None
    #: replaces the article's tags when not empty
    tags: tuple[str, ...] = ()
    #: origin entries to add ({name, kind?, date?}), e.g. from `--origin NAME[:KIND]`
    origins: tuple[dict, ...] = ()
    #: disclaimers to add (`--disclaimer TEXT`)
    disclaimers: tuple[str, ...] = ()
    #: where these values came from, for the report ("from the command line", "from sidecar x.csv row 3")
    where: str = "from the command line"


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
                 fmt: str | None = None, reference: _dt.date | None = None) -> tuple[Draft, IngestReport]:
    """Return the draft article read from `data` (the contents of file `name`) and what was changed.

    `fmt` is "text", "markdown" or "html"; by default it comes from the name and the content.
    `reference` is the latest date the article can carry (when the file was saved; today
    by default). Raises `ArticleError` when the input cannot be read as an article at all
    (code `ingest.not-article` for binary files, script, JavaScript notices, navigation).
    """
    report = IngestReport(name)
    if isinstance(data, bytes):
        check_input_bytes(data, name)
    elif len(data) > MAX_INPUT_BYTES:
        check_input_bytes(data.encode("utf-8", "surrogatepass"), name)
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
    _finish(draft, report, overrides or Overrides(), name, reference=reference)
    return draft, report


def ingest_source(data: bytes | str, name: str, *, overrides: Overrides | None = None,
                  fmt: str | None = None) -> IngestResult:
    """Return the article file text for input `data` read from `name`, with its report; writes nothing."""
    draft, report = parse_source(data, name, overrides=overrides, fmt=fmt)
    return IngestResult(name, draft.id or "article", render_article(draft), report, draft)


#: dates before this are refused as not credible for a news text (placeholders such as
#: 1970-01-01 and 1900-01-01 are what usually lands here)
EARLIEST = _dt.date(1980, 1, 1)


def _finish(draft: Draft, report: IngestReport, overrides: Overrides, name: str, *,
            reference: _dt.date | None = None) -> None:
    """Apply overrides, derive what can be derived, and name what is missing."""
    for key in ("title", "publisher", "published", "author", "url"):
        value = getattr(overrides, key, None)
        if value is not None:
            setattr(draft, key, value)
            draft.provenance[key] = "user"
            report.add("override", None, f"{key} set to '{value}' {overrides.where}")
    if overrides.tags:
        draft.tags = list(dict.fromkeys(overrides.tags))
        draft.provenance["tags"] = "user"
        report.add("override", None, f"tags set to {', '.join(draft.tags)} {overrides.where}")
    for origin in overrides.origins:
        add_origin(draft, report, dict(origin), None, f"given {overrides.where}", provenance="user")
    for text in overrides.disclaimers:
        if text not in draft.disclaimers:
            draft.disclaimers.append(text)
            draft.provenance["disclaimers"] = "user"
            report.add("override", None, f"disclaimer added {overrides.where}: '{text[:60]}'")
    find_attributions(draft, report)
    _choose_published(draft, report, reference or _dt.date.today(), user=overrides.published is not None)
    if not draft.title:
        source, title = _title_source(draft)
        if source is None:
            raise ArticleError("no text to take a title from", Location(name), code="ingest.empty",
                               hint="is the file empty, or all boilerplate? give --title to name it anyway")
        draft.title = title
        draft.provenance["title"] = "derived"
        where = "first highlight" if draft.highlights and source is draft.highlights[0] else "first paragraph"
        report.add("title", source.line, f"no title in the text; derived from the {where}: '{title}' (give --title to choose one)")
    check_not_article(draft, name)
    if overrides.id:
        draft.id = check_id(overrides.id, f"--id" if overrides.where == "from the command line" else overrides.where)
        draft.provenance.pop("id", None)
        report.add("override", None, f"id set to '{draft.id}' {overrides.where}")
    elif draft.id:
        safe = safe_id(draft.id)
        if safe != draft.id:
            report.add("metadata", None, f"id '{_printable(draft.id)}' is not a slug (lowercase letters, digits, '-'); using '{safe}'")
            draft.id = safe
    else:
        draft.id = make_id(draft.title, name)
    check_citations(draft, report)
    for key, why in (("publisher", "give --publisher"), ("published", "give --published YYYY-MM-DD")):
        if getattr(draft, key) in (None, ""):
            report.add("missing", None, f"{key}: no clear signal in the text; left out ({why})")
    missing = [key for key in ("url", "author") if not getattr(draft, key)]
    if missing:
        report.add("missing", None, f"{' and '.join(missing)}: not stated in the text; left out")
    draft.provenance = {k: draft.provenance[k] for k in PROVENANCE_ORDER if draft.provenance.get(k) not in (None, "stated")
                        and getattr(draft, k, None) not in (None, "", [], {})}


PROVENANCE_ORDER = ("title", "publisher", "published", "url", "author", "origin", "tags", "references", "disclaimers")


def _choose_published(draft: Draft, report: IngestReport, reference: _dt.date, *, user: bool) -> None:
    """Settle the publication date by the stated rule and report every disagreement.

    The rule: a date the user gave wins; then the front matter's; then the byline's
    (labelled "Published" before unlabelled, earliest first). A date after the file was
    saved (or after today) or before 1980 is refused. An update date is never taken as
    the publication date. A relayed report's date (an origin's `date`) only bounds it.
    """
    latest = reference + _dt.timedelta(days=1)  # a day's grace for time zones
    chosen_from = "the command line or sidecar" if user else ("the front matter" if draft.published else None)
    for where, value, line in draft.found_dates:
        if draft.published is None:
            if not _plausible(value, latest, report, line, f"{where} date"):
                continue
            draft.published = value
            chosen_from = f"the {where}"
            report.add("metadata", line, f"published {value.isoformat()} from the {where}")
        elif value != draft.published:
            report.add("conflict", line, f"the {where} says {value.isoformat()} but {chosen_from} gives "
                                         f"{draft.published.isoformat()}; kept {draft.published.isoformat()}")
    if draft.published is not None and not user and not _plausible(draft.published, latest, report, None, "published date"):
        draft.published = None
        draft.provenance.pop("published", None)
    if draft.updated is not None:
        report.add("byline", None, f"updated {draft.updated.isoformat()}: a revision date, not the publication date; "
                                   "not written (the article format has no field for it)")
    for origin in draft.origin:
        value = origin.get("date")
        if isinstance(value, _dt.date) and not _plausible(value, latest, report, None, f"date of origin '{origin.get('name')}'"):
            del origin["date"]
        elif isinstance(value, _dt.date) and draft.published and draft.published < value:
            report.add("conflict", None, f"published {draft.published.isoformat()} is before the date of the report it relays "
                                         f"('{origin.get('name')}', {value.isoformat()}); both kept as stated")


def _plausible(value: _dt.date, latest: _dt.date, report: IngestReport, line: int | None, what: str) -> bool:
    if value > latest:
        report.add("date", line, f"{what} {value.isoformat()} is after the file was saved ({latest - _dt.timedelta(days=1)}); left out")
        return False
    if value < EARLIEST:
        report.add("date", line, f"{what} {value.isoformat()} is before {EARLIEST.year}, not credible for a news text; left out")
        return False
    return True


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


def ingest_paths(paths: Iterable[str | os.PathLike], out_dir: str | os.PathLike = "articles", *,
                 overrides: Overrides | None = None, dry_run: bool = False, force: bool = False,
                 sidecar: dict | None = None) -> list[IngestResult]:
    """Ingest each of `paths` into `out_dir`/<id>.md and return one result per input written.

    Ids are made unique within the call. An input that cannot be read, is not an article,
    or whose article file exists and would change (without `force`) is refused; every other
    input is still written. A file whose content would not change is left alone
    ("unchanged"). With `dry_run` nothing is written at all. `sidecar` maps input file
    names to `Overrides` (see `reegen.ingest.sidecar`).

    When anything was refused, raises `BuildFailed` after writing the rest, carrying every
    problem and, as `.results`, what was written.
    """
    paths = [Path(p) for p in paths]
    overrides = overrides or Overrides()
    if overrides.id and len(paths) > 1:
        raise ArticleError("--id names one article; give it with a single path", code="ingest.id")
    if overrides.id:
        check_id(overrides.id, "--id")
    problems = Report()
    results: list[IngestResult] = []
    used: set[str] = set()
    out = Path(out_dir)
    for path in paths:
        try:
            if path.stat().st_size > MAX_INPUT_BYTES:
                check_input_bytes(b" " * (MAX_INPUT_BYTES + 1), str(path))
            data = path.read_bytes()
            saved = _dt.date.fromtimestamp(path.stat().st_mtime)
        except OSError as exc:
            problems.error(f"cannot read '{path}': {exc.strerror or exc}", "ingest.read", Location(str(path)))
            continue
        except ArticleError as exc:
            problems.diagnostics.extend(exc.diagnostics)
            continue
        try:
            these = sidecar.get(path.name, overrides) if sidecar else overrides
            draft, report = parse_source(data, str(path), overrides=these, reference=min(saved, _dt.date.today()))
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
        target = out / f"{result.article_id}.md"
        if not _inside(target, out):  # an id is a slug by now; this is the last line of defence
            problems.error(f"article file '{target}' would be outside '{out}'", "ingest.id", Location(str(path)))
            continue
        used.add(result.article_id)
        result.target = target
        results.append(result)
    kept: list[IngestResult] = []
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
                continue
        kept.append(result)
    results = kept
    if not dry_run and results:
        if out.exists() and not out.is_dir():
            raise ProjectError(f"'{out}' is not a folder", Location(str(out)), code="ingest.out-dir")
        out.mkdir(parents=True, exist_ok=True)
        for result in results:
            if result.status == "unchanged":
                continue
            write_atomic(result.target, result.text.encode("utf-8"))
            result.status = "written"
    if problems.errors:
        failure = BuildFailed(problems)
        failure.results = results
        raise failure
    return results


def _inside(target: Path, folder: Path) -> bool:
    try:
        return target.resolve().parent == folder.resolve()
    except OSError:
        return False
