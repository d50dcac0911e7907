"""Derived data kept between builds in `.reegen-cache/corpus.sqlite`, beside the corpus index.

Everything here only saves time: a table that cannot be opened, read or written costs
the next build the work, never the build. Values are text (JSON), never pickle, so
reading one cannot run code. A value is found by a key that digests everything it was
made from, the code that made it included (`code_stamp`), so a changed input or a
changed reegen never reads an old value.
"""

from __future__ import annotations

import hashlib
import importlib.util
import sqlite3
import sys
import time
import unicodedata
from pathlib import Path

from . import __version__

#: the folder of derived data, under the project root
CACHE_DIR = ".reegen-cache"
#: the file the corpus index and these tables live in, under the project root
CACHE_FILE = Path(CACHE_DIR) / "corpus.sqlite"

_STAMPS: dict[tuple, str] = {}


def code_stamp(modules: tuple[str, ...], packages: tuple[str, ...] = ()) -> str:
    """Return a digest of reegen's `modules` (paths in the package) and `packages`' versions.

    With reegen's version and Python's version and Unicode database: the code that decides a cached result.
    """
    stamp = _STAMPS.get((modules, packages))
    if stamp is None:
        package = Path(__file__).resolve().parent
        files = [package / name for name in modules]
        for name in packages:
            # A package by the file that holds its version: importing markdown-it or Jinja to ask
            # would cost the very build that finds everything here.
            found = importlib.util.find_spec(name)
            files.append(Path(found.origin) if found and found.origin else package / "?")
        digest = hashlib.sha256()
        for path in files:
            digest.update(path.name.encode() + b"\0")
            try:
                digest.update(path.read_bytes())
            except OSError:
                digest.update(b"?")
        digest.update("\0".join((__version__, sys.version, unicodedata.unidata_version)).encode())
        stamp = _STAMPS[(modules, packages)] = digest.hexdigest()[:32]
    return stamp


def digest(*parts: str) -> str:
    """Return the hex SHA-256 of `parts`, kept apart from one another."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return h.hexdigest()


class CacheTable:
    """One table of values by key, read on demand and written by `save`, which keeps the newest `keep`."""

    _COLUMNS = ["key", "made", "value"]

    def __init__(self, db_path: Path, table: str, keep: int):
        self.db_path = db_path
        self.table = table
        self.keep = keep
        self.db: sqlite3.Connection | None = None
        self.failed = False
        #: key -> value, written by `save`
        self.pending: dict[str, str] = {}

    def _open(self) -> sqlite3.Connection | None:
        if self.db is None and not self.failed:
            try:
                if not self.db_path.parent.is_dir():
                    raise OSError("no cache folder yet")  # the corpus index makes it; this table never does
                self.db = sqlite3.connect(self.db_path, timeout=5)
                columns = [row[1] for row in self.db.execute(f"PRAGMA table_info({self.table})")]
                if columns and columns != self._COLUMNS:  # made by another reegen: start again
                    self.db.execute(f"DROP TABLE {self.table}")
                self.db.execute(f"CREATE TABLE IF NOT EXISTS {self.table} (key TEXT PRIMARY KEY, made REAL, value TEXT)")
            except (sqlite3.Error, OSError):
                self.close()
                self.failed = True
        return self.db

    def get(self, key: str) -> str | None:
        """Return the value stored under `key`, or None."""
        db = self._open()
        if db is None:
            return None
        try:
            row = db.execute(f"SELECT value FROM {self.table} WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            return None
        return row[0] if row else None

    def put(self, key: str, value: str) -> None:
        """Remember `value` under `key` (written by `save`)."""
        try:
            value.encode("utf-8")  # SQLite stores UTF-8: a lone surrogate cannot be kept
        except UnicodeEncodeError:
            return
        self.pending[key] = value

    def save(self) -> None:
        """Write the values put since the last save, keep the newest `keep` rows, and close."""
        pending, self.pending = self.pending, {}
        if pending:
            db = self._open()
            if db is not None:
                try:
                    now = time.time()
                    db.executemany(f"INSERT OR REPLACE INTO {self.table} VALUES (?, ?, ?)",
                                   [(key, now, value) for key, value in pending.items()])
                    db.execute(f"DELETE FROM {self.table} WHERE key NOT IN "
                               f"(SELECT key FROM {self.table} ORDER BY made DESC LIMIT ?)", (self.keep,))
                    db.commit()
                except sqlite3.Error:
                    pass  # the cache only saves time; a failed write costs the next build the work
        self.close()

    def close(self) -> None:
        """Close the database."""
        if self.db is not None:
            self.db.close()
            self.db = None
