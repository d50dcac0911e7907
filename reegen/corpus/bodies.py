"""A cache of parsed article bodies: their sections, the problems found in them, and their figures.

Reading an article's body (Markdown into the document model) and finding its figures
is most of reegen's own work on a long brief: 0.4–0.6 s for the 500 articles of the
benchmark's large brief, against about 0.1 s to read them back from here. So the first
build that reads a body stores the result in `.reegen-cache/corpus.sqlite` (table
`bodies`, beside the front-matter index), and later builds read it back while the file
is unchanged.

A row is used only when all of these match what it was made from:

- the article's path, id, publication date and body text, compared by digest (not by
  the file's time: a file rewritten twice in one clock tick is still told apart);
- the code that makes it, by the cache package's one rule (`reegen.cache`): a database
  made by other reegen files or another markdown-it-py is emptied when opened. A changed
  parser, even uncommitted, never reads an old parse.

Rows are JSON, never pickle, so reading one cannot run code: only the model's own
classes are rebuilt from it, by name, with their fields in order, and the writers
still check every link target. A row that does not decode to sections (or figures) is
a miss, and the body is parsed again. A cache that cannot be opened or written costs
time, never the build. The cache is as trusted as the project folder that holds it:
whoever can rewrite it could as well rewrite the articles.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import fields, is_dataclass
from pathlib import Path

from .. import model
from ..cache import connect
from ..errors import Diagnostic
from .article import Section


def _classes() -> dict[str, type]:
    from ..claims import Figure

    found = {name: value for name, value in vars(model).items()
             if isinstance(value, type) and is_dataclass(value) and value.__module__ == model.__name__}
    found.update(Section=Section, Figure=Figure)
    return found


_CLASSES: dict[str, type] | None = None
_FIELDS: dict[type, tuple[str, ...]] = {}


def encode(value: object) -> object:
    """Return `value` (model dataclasses, tuples and plain values) as JSON-ready data."""
    if isinstance(value, tuple):
        return [encode(v) for v in value]
    if is_dataclass(value):
        cls = type(value)
        names = _FIELDS.get(cls)
        if names is None:
            names = _FIELDS[cls] = tuple(f.name for f in fields(cls))
        return {"@": cls.__name__, "f": [encode(getattr(value, name)) for name in names]}
    if value is None or type(value) in (str, int, float, bool):  # a subclass would come back as its base
        return value
    raise TypeError(f"cannot cache a {type(value).__name__}")


def decode(text: str) -> object:
    """Return what `encode` was given, from its JSON; raise ValueError (or TypeError) when it is not that."""
    global _CLASSES
    if _CLASSES is None:
        _CLASSES = _classes()
    classes = _CLASSES

    def rebuild(obj: dict) -> object:
        # JSON objects are decoded innermost first: a list here holds values already rebuilt.
        if "@" not in obj:
            return {k: _tuples(v) for k, v in obj.items()}
        cls = classes[obj["@"]]  # KeyError: not one of ours
        return cls(*[_tuples(v) if type(v) is list else v for v in obj["f"]])

    try:
        return _tuples(json.loads(text, object_hook=rebuild))
    except (KeyError, IndexError, RecursionError) as exc:
        raise ValueError(f"not a cached body: {exc!r}") from None


def _tuples(value: object) -> object:
    """The model holds tuples where JSON holds lists."""
    if type(value) is not list:
        return value
    for v in value:
        if type(v) is list:
            return tuple([_tuples(v) for v in value])
    return tuple(value)


_COLUMNS = {"sections": 0, "figures": 1}


class BodyCache:
    """Parsed bodies of one project's articles, read on demand and written back by `save`.

    A body's key is a digest of what its parse depends on: its path, id, first line,
    publication date (figures read years from it), and its text (the code that parses
    it is `reegen.cache`'s stamp on the whole database). Keyed by
    content rather than by file time, a rewritten file never reads an old parse, however
    quickly it was rewritten.
    """

    def __init__(self, db_path: Path, present: set[str] | None = None):
        self.db_path = db_path
        #: every article file's path: rows of other files are deleted by `save`
        self.present = present
        self.db: sqlite3.Connection | None = None
        self.failed = False
        #: path -> [key, sections JSON or None (the row has them), figures JSON or None]
        self.pending: dict[str, list] = {}
        #: ((path, key), (sections, figures) or None): the row read last
        self._row: tuple | None = None

    @staticmethod
    def key(path: str, article_id: str, body_start: int, published: object, lines: tuple[str, ...]) -> str:
        """Return the cache key of a body."""
        digest = hashlib.sha256()
        head = "\0".join((path, article_id, str(body_start), str(published or "")))
        digest.update(head.encode("utf-8", "surrogatepass") + b"\0")
        digest.update("\n".join(lines).encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def _open(self) -> sqlite3.Connection | None:
        if self.db is None and not self.failed:
            try:
                self.db = connect(self.db_path)
                if self.db is None:
                    raise OSError("no usable cache database")
                self.db.execute("CREATE TABLE IF NOT EXISTS bodies (path TEXT PRIMARY KEY, key TEXT, sections TEXT, "
                                "figures TEXT)")
            except (sqlite3.Error, OSError):
                self.close()
                self.failed = True
        return self.db

    def _stored(self, path: str, key: str, column: str) -> object:
        """Return the `column` ("sections" or "figures") of the row of `path` with `key`, or None.

        Both columns are read at once and the row kept until another is asked for: a body's
        sections and then its figures cost one query.
        """
        if self._row is None or self._row[0] != (path, key):
            db = self._open()
            if db is None:
                return None
            try:
                row = db.execute("SELECT sections, figures FROM bodies WHERE path = ? AND key = ?",
                                 (path, key)).fetchone()
            except sqlite3.Error:
                return None
            self._row = ((path, key), row)
        row = self._row[1]
        return row[_COLUMNS[column]] if row else None

    def sections(self, path: str, key: str) -> tuple[tuple[Section, ...], list[Diagnostic]] | None:
        """Return the cached sections and body problems of file `path` with body `key`, or None."""
        stored = self._stored(path, key, "sections")
        if not stored:
            return None
        try:
            data = decode(stored)
            sections = data["sections"]
            diagnostics = [Diagnostic.from_dict(d) for d in data["diagnostics"]]
        except (ValueError, TypeError, KeyError):
            return None
        if not isinstance(sections, tuple) or not all(isinstance(s, Section) for s in sections):
            return None
        return sections, diagnostics

    def figures(self, path: str, key: str) -> tuple | None:
        """Return the cached figures of file `path` with body `key`, or None."""
        from ..claims import Figure

        stored = self._stored(path, key, "figures")
        if not stored:
            return None
        try:
            figures = decode(stored)
        except (ValueError, TypeError):
            return None
        if not isinstance(figures, tuple) or not all(isinstance(f, Figure) for f in figures):
            return None
        return figures

    def store_sections(self, path: str, key: str, sections: tuple[Section, ...], diagnostics: list[Diagnostic]) -> None:
        """Remember the parse of a body (written by `save`)."""
        text = _json(lambda: {"sections": encode(sections), "diagnostics": [d.to_dict() for d in diagnostics]})
        if text is not None:
            self._entry(path, key)[1] = text

    def store_figures(self, path: str, key: str, figures: tuple) -> None:
        """Remember the figures of a body (written by `save`)."""
        text = _json(lambda: encode(figures))
        if text is not None:
            self._entry(path, key)[2] = text

    def _entry(self, path: str, key: str) -> list:
        entry = self.pending.get(path)
        if entry is None or entry[0] != key:
            entry = self.pending[path] = [key, None, None]
        return entry

    def save(self) -> None:
        """Write what was parsed since the last save, forget files that are gone, and close."""
        pending, self.pending = self.pending, {}
        if pending or self.present is not None:
            db = self._open()
            if db is not None:
                try:
                    self._write(db, pending)
                    db.commit()
                except (sqlite3.Error, UnicodeError, ValueError):
                    pass  # the cache only saves time; a failed write costs the next run a re-parse
        self.close()

    def _write(self, db: sqlite3.Connection, pending: dict[str, list]) -> None:
        for path, (key, sections, figures) in pending.items():
            if sections is not None:
                db.execute("INSERT OR REPLACE INTO bodies VALUES (?, ?, ?, ?)", (path, key, sections, figures))
            elif figures is not None:  # the sections came from this row: add the figures to it
                db.execute("UPDATE bodies SET figures = ? WHERE path = ? AND key = ?", (figures, path, key))
        if self.present is not None:
            gone = [(p,) for (p,) in db.execute("SELECT path FROM bodies") if p not in self.present]
            db.executemany("DELETE FROM bodies WHERE path = ?", gone)
            self.present = None

    def close(self) -> None:
        """Close the database."""
        self._row = None
        if self.db is not None:
            self.db.close()
            self.db = None


def _json(make) -> str | None:
    """Return what `make()` returns as JSON SQLite can store (UTF-8), or None when it cannot be."""
    try:
        text = json.dumps(make(), ensure_ascii=False, separators=(",", ":"))
        text.encode("utf-8")
    except (TypeError, ValueError, UnicodeEncodeError):
        return None
    return text

