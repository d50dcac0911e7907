"""A sidecar: per-input metadata for a batch, as CSV or YAML, one row per input file.

    file,id,title,publisher,published,author,url,tags,origin,disclaimer
    baotou.txt,baotou-symposium,,Rare Earth Exchanges,2025-07-11,,,"magnets; policy",Baogang Daily:state-affiliated,

or in YAML, a mapping from file name to fields (or a list of rows with `file:`):

    baotou.txt:
      publisher: Rare Earth Exchanges
      published: 2025-07-11
      origin: [Baogang Daily:state-affiliated]

Rows are keyed by the input's file name (no folder). Empty cells are ignored. Every value
is the user's and is marked `user` in the article's provenance. Several tags, origins or
disclaimers in one CSV cell are separated by ";".
"""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path

from ..errors import ArticleError, Location, ReegenError
from . import Overrides
from .dates import parse_published
from .slugs import check_id

FIELDS = ("file", "id", "title", "publisher", "published", "author", "url", "tags", "origin", "disclaimer")
_ALIASES = {"tag": "tags", "origins": "origin", "disclaimers": "disclaimer", "date": "published", "authors": "author", "name": "file"}
#: the largest sidecar read
MAX_BYTES = 5_000_000


def parse_origin(value: str, where: str, location: Location | None = None) -> dict:
    """Return the origin entry of "NAME" or "NAME:KIND" (KIND one of the source kinds)."""
    from ..corpus import SOURCE_KINDS

    name, _, kind = str(value).rpartition(":") if ":" in str(value) else (str(value), "", "")
    name, kind = " ".join(name.split()), kind.strip()
    if not name:
        raise ArticleError(f"origin '{value}' ({where}) has no name", location, code="ingest.origin")
    if kind and kind not in SOURCE_KINDS:
        raise ArticleError(f"origin kind '{kind}' ({where}) is not one of {', '.join(SOURCE_KINDS)}", location, code="ingest.origin")
    return {"name": name, "kind": kind} if kind else {"name": name}


def load_sidecar(path: str | Path, base: Overrides | None = None) -> dict[str, Overrides]:
    """Return input file name -> `Overrides` read from the sidecar at `path` (CSV, or YAML by extension).

    Values from the command line in `base` apply where the row is silent.
    Raises `ArticleError` naming the file and line for an unreadable sidecar or a bad value.
    """
    path = Path(path)
    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"cannot read sidecar: {exc.strerror or exc}", Location(name), code="ingest.sidecar") from None
    if len(data) > MAX_BYTES:
        raise ArticleError(f"sidecar is over {MAX_BYTES // 1_000_000} MB", Location(name), code="ingest.sidecar")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ArticleError("sidecar is not UTF-8 text", Location(name), code="ingest.sidecar") from None
    rows = _yaml_rows(text, name) if path.suffix.lower() in (".yaml", ".yml") else _csv_rows(text, name)
    base = base or Overrides()
    out: dict[str, Overrides] = {}
    for line, row in rows:
        at = Location(name, line)
        key = Path(str(row.get("file") or "")).name
        if not key:
            raise ArticleError("row names no input file (column 'file')", at, code="ingest.sidecar")
        if key in out:
            raise ArticleError(f"'{key}' has two rows", at, code="ingest.sidecar")
        out[key] = _overrides(row, base, f"from sidecar {path.name}:{line}", at)
    return out


def _overrides(row: dict, base: Overrides, where: str, at: Location) -> Overrides:
    values: dict = {}
    for key in ("title", "publisher", "author", "url"):
        if row.get(key):
            values[key] = " ".join(str(row[key]).split())
    if row.get("id"):
        values["id"] = check_id(str(row["id"]).strip(), f"sidecar column 'id'", at)
    if row.get("published"):
        try:
            values["published"] = parse_published(str(row["published"]).strip())
        except ReegenError as exc:
            raise ArticleError(exc.message, at, code="ingest.sidecar") from None
    if row.get("tags"):
        values["tags"] = tuple(t.strip().lower() for t in _items(row["tags"]) if t.strip())
    if row.get("origin"):
        values["origins"] = base.origins + tuple(parse_origin(o, "sidecar", at) for o in _items(row["origin"]))
    if row.get("disclaimer"):
        values["disclaimers"] = base.disclaimers + tuple(_items(row["disclaimer"]))
    if not values:
        return base
    return dataclasses.replace(base, **values, where=where)


def _items(value) -> list[str]:
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v.strip() for v in str(value).split(";") if v.strip()]


def _column(key: str, name: str, line: int) -> str:
    key = str(key).strip().lower()
    key = _ALIASES.get(key, key)
    if key not in FIELDS:
        raise ArticleError(f"unknown sidecar column '{key}' (known: {', '.join(FIELDS)})", Location(name, line), code="ingest.sidecar")
    return key


def _csv_rows(text: str, name: str) -> list[tuple[int, dict]]:
    reader = csv.reader(io.StringIO(text))
    rows: list[tuple[int, dict]] = []
    header: list[str] | None = None
    for record in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if header is None:
            header = [_column(cell, name, line) for cell in record]
            if "file" not in header:
                raise ArticleError("the sidecar's first row must name the columns, 'file' among them", Location(name, line),
                                   code="ingest.sidecar")
            continue
        if len(record) > len(header):
            raise ArticleError(f"row has {len(record)} cells for {len(header)} columns", Location(name, line), code="ingest.sidecar")
        rows.append((line, {k: v.strip() for k, v in zip(header, record) if v.strip()}))
    return rows


def _yaml_rows(text: str, name: str) -> list[tuple[int, dict]]:
    from ..errors import SpecError
    from ..spec import parse_yaml

    try:
        data = parse_yaml(text, name)
    except SpecError as exc:
        raise ArticleError(exc.message, exc.location, code="ingest.sidecar") from None
    rows: list[tuple[int, dict]] = []
    if isinstance(data, dict):
        items = [(getattr(v, "line", 0) or data.line_of(k), {"file": k, **(v or {})}) if isinstance(v, (dict, type(None)))
                 else (data.line_of(k), None) for k, v in data.items()]
    elif isinstance(data, list):
        items = [(getattr(data, "item_lines", [1] * len(data))[i], v if isinstance(v, dict) else None) for i, v in enumerate(data)]
    else:
        raise ArticleError("a YAML sidecar maps file names to fields, or lists rows with 'file'", Location(name, 1), code="ingest.sidecar")
    for line, row in items:
        if row is None:
            raise ArticleError("each sidecar entry must be a mapping of fields", Location(name, line), code="ingest.sidecar")
        rows.append((line, {_column(k, name, line): v for k, v in row.items() if v not in (None, "")}))
    return rows
