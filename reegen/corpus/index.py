"""A cache of parsed front matter, so a large corpus loads in a fraction of a second.

The index lives in `.reegen-cache/corpus.sqlite` under the project root. Each row holds
one article file's parsed front matter, the diagnostics parsing it produced and its
search text, keyed by path and checked against the file's size and modification time
(and reegen's version) on every load: a changed file is parsed again. Parsed bodies
live beside it in table `bodies` (`reegen.corpus.bodies`). The index is derived data:
delete the folder at any time. Where it cannot be written, reegen parses every file as
before.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import sqlite3
from pathlib import Path

from .. import __version__
from ..errors import Diagnostic, Location
from .article import Article, Origin, Reference

_SCHEMA = 3


class CorpusIndex:
    """The SQLite index of one articles folder."""

    def __init__(self, db_path: Path):
        self.db_path = db_path
        self.db: sqlite3.Connection | None = None
        self.rows: dict[str, tuple] = {}
        self.pending: list[tuple] = []
        #: rows `lookup` could not decode (parsed again and replaced)
        self.dropped = 0

    def open(self) -> bool:
        """Open (or create) the index and read its rows; return False when it cannot be used."""
        try:
            self.db_path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.db_path, timeout=5)
            db = self.db
            db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            version = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
            stamp = f"{__version__}/{_SCHEMA}"
            if version is None or version[0] != stamp:
                db.execute("DROP TABLE IF EXISTS files")
                db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (stamp,))
            db.execute("CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, mtime_ns INTEGER, size INTEGER, "
                       "article TEXT, diagnostics TEXT, search TEXT)")
            db.commit()
            self.rows = {row[0]: row[1:] for row in
                         db.execute("SELECT path, mtime_ns, size, article, diagnostics, search FROM files")}
            return True
        except (sqlite3.Error, OSError):
            self.close()
            return False

    def lookup(self, shown: str, stat: os.stat_result) -> tuple[Article | None, list[Diagnostic]] | None:
        """Return the cached (article, diagnostics) for file `shown` when its size and mtime still match."""
        row = self.rows.get(shown)
        if row is None or row[0] != stat.st_mtime_ns or row[1] != stat.st_size:
            return None
        try:
            article = _article_from(json.loads(row[2]), row[4]) if row[2] else None
            return article, [diagnostic_from(d) for d in json.loads(row[3])]
        except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
            # A damaged row costs a re-parse, which `store` then writes over it; `load_corpus` says so once.
            self.dropped += 1
            return None

    def store(self, shown: str, stat: os.stat_result, article: Article | None, diagnostics: list[Diagnostic]) -> None:
        """Remember the parse of file `shown` (written to disk by `save`)."""
        row = (
            shown, stat.st_mtime_ns, stat.st_size,
            json.dumps(_article_to(article), ensure_ascii=False) if article else "",
            json.dumps([d.to_dict() for d in diagnostics], ensure_ascii=False),
            article.search_text if article else "",
        )
        try:
            # SQLite stores UTF-8: a row that cannot be encoded is simply not cached.
            for value in row:
                if isinstance(value, str):
                    value.encode("utf-8")
        except UnicodeEncodeError:
            return
        self.pending.append(row)

    def save(self, present: set[str]) -> None:
        """Write pending rows and forget files that are gone."""
        if self.db is None:
            return
        try:
            self.db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?)", self.pending)
            gone = [(p,) for p in self.rows if p not in present]
            self.db.executemany("DELETE FROM files WHERE path = ?", gone)
            self.db.commit()
        except (sqlite3.Error, UnicodeError, ValueError):
            pass  # the cache only saves time; a failed write costs the next run a re-parse
        self.pending = []
        self.close()

    def close(self) -> None:
        """Close the database."""
        if self.db is not None:
            self.db.close()
            self.db = None


def _article_to(a: Article) -> dict:
    return {
        "id": a.id, "title": a.title, "path": a.path, "publisher": a.publisher,
        "published": a.published.isoformat() if a.published else None, "url": a.url, "author": a.author,
        "origin": [[o.name, o.kind, o.translated, o.date.isoformat() if o.date else None] for o in a.origin], "tags": list(a.tags),
        "references": {k: [r.label, r.title, r.publisher, r.url, r.date] for k, r in a.references.items()},
        "disclaimers": list(a.disclaimers), "provenance": a.provenance, "key_lines": a.key_lines, "body_start": a.body_start, "file": a.file,
    }


def _article_from(d: dict, search: str) -> Article:
    return Article(
        id=d["id"], title=d["title"], path=d["path"], publisher=d["publisher"],
        published=_dt.date.fromisoformat(d["published"]) if d["published"] else None, url=d["url"], author=d["author"],
        origin=tuple(Origin(o[0], o[1], o[2], _dt.date.fromisoformat(o[3]) if o[3] else None) for o in d["origin"]), tags=tuple(d["tags"]),
        references={k: Reference(*r) for k, r in d["references"].items()}, disclaimers=tuple(d["disclaimers"]),
        provenance=d["provenance"],
        key_lines=d["key_lines"], body_lines=None, body_start=d["body_start"], file=d["file"],
        search_text=search,
    )


def diagnostic_from(d: dict) -> Diagnostic:
    """Return the diagnostic `Diagnostic.to_dict` gave `d`."""
    location = Location(d["path"], d["line"], d["column"]) if d["path"] else None
    return Diagnostic(d["severity"], d["message"], d["code"], location, d["hint"])
