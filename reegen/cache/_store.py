"""Opening the cache database under the stamp rule, and a table of values by key."""

from __future__ import annotations

import hashlib
import sqlite3
import time
from pathlib import Path

from ._stamp import stamp

#: the folder of derived data, under the project root
CACHE_DIR = ".reegen-cache"
#: the file the corpus index and every cache table live in, under the project root
CACHE_FILE = Path(CACHE_DIR) / "corpus.sqlite"


def connect(db_path: Path, *, create: bool = False) -> sqlite3.Connection | None:
    """Return a connection to the cache database at `db_path` holding only what this reegen made, or None.

    A database stamped by other code has every table dropped; a file that is not a
    database is deleted and made again. Without `create`, a missing cache folder gives
    None (the corpus index makes the folder; the other tables never do).
    """
    try:
        if create:
            db_path.parent.mkdir(parents=True, exist_ok=True)
        elif not db_path.parent.is_dir():
            return None
    except OSError:
        return None
    for attempt in (1, 2):
        db = None
        try:
            db = sqlite3.connect(db_path, timeout=5)
            # No fsync: what a crash could damage here is derived data, and a damaged file is remade
            # (below). With it, each write cost a no-op build about 20 ms on this machine's disk.
            db.execute("PRAGMA synchronous = OFF")
            _claim(db)
            return db
        except sqlite3.DatabaseError as exc:
            if db is not None:
                db.close()
            if attempt == 2 or isinstance(exc, sqlite3.OperationalError) and not _is_damage(exc):
                return None  # locked, read-only or out of room: this build goes without the cache
            _remove(db_path)
        except OSError:
            if db is not None:
                db.close()
            return None
    return None


def _claim(db: sqlite3.Connection) -> None:
    """Make `db` this reegen's: when its stamp is another's, drop every table and stamp it anew."""
    db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
    found = db.execute("SELECT value FROM meta WHERE key = 'stamp'").fetchone()
    current = stamp()
    if found is not None and found[0] == current:
        return
    with db:  # one transaction: another build sees the old tables or none
        for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'meta'").fetchall():
            db.execute(f'DROP TABLE IF EXISTS "{table}"')
        db.execute("DELETE FROM meta")
        db.execute("INSERT INTO meta VALUES ('stamp', ?)", (current,))


def _is_damage(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "not a database" in text or "malformed" in text or "corrupt" in text


def _remove(db_path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        try:
            Path(str(db_path) + suffix).unlink()
        except FileNotFoundError:
            pass
        except OSError:
            return


def digest(*parts: str) -> str:
    """Return the hex SHA-256 of `parts`, kept apart from one another."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return h.hexdigest()


class CacheTable:
    """One table of values by key, read on demand and written by `save`, which keeps the newest `keep`."""

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
            self.db = connect(self.db_path)
            try:
                if self.db is None:
                    raise OSError("no usable cache database")
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
