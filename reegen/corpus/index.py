"""A cache of parsed front matter, so a large corpus loads in a fraction of a second.

The index lives in `.reegen-cache/corpus.sqlite` under the project root, under the cache
package's one invalidation rule (`reegen.cache`). Each row holds one article file's facts
(size, modification time, SHA-256 of its bytes), its parsed front matter, the diagnostics
parsing it produced and its search text, keyed by path. A row is used while the file's
size and modification time match; a file whose facts changed is hashed again, and parsed
again only when its bytes changed. Each content change takes the next number of a
counter kept with the index (`position`), so "which articles changed since that build"
is one query (`changed_since`), and the up-to-date check of a `select:` brief reads only
those rows. A load that finds the folder listed exactly as the last load that took every
file from a fresh row (names, sizes and times, every file settled) takes that load's
outcome from one kept `listing` instead of reading every row's facts. Parsed bodies live
beside it in table `bodies` (`reegen.corpus.bodies`). The index is derived data: delete
the folder at any time. Where it cannot be written, reegen parses every file as before.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import operator
import os
import secrets
import sqlite3
import time
from array import array
from collections.abc import Mapping
from pathlib import Path

from ..cache import CACHE_FILE, connect
from ..errors import Diagnostic
from .article import Article, Origin, Reference

#: joins an article's tags in the index's `tags` column (a character no tag can hold: tags are words)
_TAG_SEP = "\x1f"


def file_sha256(path: str | os.PathLike) -> str | None:
    """Return the hex SHA-256 of the file at `path`, or None when it cannot be read."""
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def encode_parse(article: Article | None, diagnostics: list[Diagnostic]) -> tuple[str, str]:
    """Return the index's text of a file's parse: its article (empty for none) and its diagnostics, as JSON."""
    return (json.dumps(_article_to(article), ensure_ascii=False) if article else "",
            json.dumps([d.to_dict() for d in diagnostics], ensure_ascii=False) if diagnostics else "[]")


class CorpusIndex:
    """The SQLite index of one project's articles (paths relative to `root`, the project root)."""

    def __init__(self, db_path: Path):
        self.db_path = db_path
        #: the project root: the index lives in its `.reegen-cache` folder
        self.root = db_path.parent.parent
        self.db: sqlite3.Connection | None = None
        #: path -> (mtime_ns, size, sha256, changed, id, has problems, verified_ns, ctime_ns); the rest is read
        #: when asked for
        self.rows: dict[str, tuple] = {}
        #: whether `rows` holds every row (`read_facts`); if not, `row` reads one when asked
        self.complete = False
        self.pending: list[tuple] = []
        #: files whose rows `store` took (written by `save` or `flush`)
        self.stored: set[str] = set()
        #: facts of files whose bytes were found unchanged by hashing: path -> (mtime_ns, size, verified_ns, ctime_ns)
        self.touched: dict[str, tuple[int, int]] = {}
        #: path -> (article, diagnostics, search) as stored, read at the first `lookup`
        self.data: dict[str, tuple] | None = None
        #: files whose rows `fresh_row` could not decode (counted once in `dropped`)
        self.damaged: set[str] = set()
        #: rows `lookup` could not decode (parsed again and replaced)
        self.dropped = 0
        #: which index this is (made anew with its table) and its change counter as last read or written
        self.epoch = ""
        self.counter = 0
        #: the listing key `refresh` found kept (the folder as the last load left it), else None
        self.listed: str | None = None
        #: "token\nlisting key": a watcher's token and the key of a listing taken after it (`listed_now`)
        self._watched: str | None = None
        #: whether `listed_now` took the listing from a watcher instead of listing the folder
        self.from_watcher = False

    def open(self, *, facts: bool = True) -> bool:
        """Open (or create) the index and read its rows' file facts; return False when it cannot be used.

        With `facts` False the facts are left for `read_facts` (a load answered by `listing` needs none).
        """
        self.db = connect(self.db_path, create=True)
        if self.db is None:
            return False
        try:
            db = self.db
            db.execute("CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, mtime_ns INTEGER, size INTEGER, "
                       "sha256 TEXT, changed INTEGER, article TEXT, diagnostics TEXT, search TEXT, "
                       "id TEXT, tags TEXT, published TEXT, publisher TEXT, verified_ns INTEGER, ctime_ns INTEGER)")
            # For `IndexedArticles.chosen`: its count, and a `select:` with a `limit` read in its order until
            # enough rows pass (at 100,000 rows, 0.2 s of scan and sort each became a few ms; a tag no row has
            # still reads them all, through the index: about 1.5x the plain scan).
            db.execute("CREATE INDEX IF NOT EXISTS files_id ON files (id)")
            db.execute("CREATE INDEX IF NOT EXISTS files_oldest ON files (published IS NULL, published, path)")
            db.execute("CREATE INDEX IF NOT EXISTS files_newest ON files (published IS NULL, published DESC, path)")
            # For `changed_since`, which every up-to-date check of a `select:` brief asks: a scan of 100,000 rows
            # was 0.1 s, a sixth of a no-op build.
            db.execute("CREATE INDEX IF NOT EXISTS files_changed ON files (changed)")
            meta = dict(db.execute("SELECT key, value FROM meta WHERE key IN ('epoch', 'counter', 'watched')"))
            if "epoch" not in meta:
                with db:
                    db.execute("DELETE FROM files")  # rows of unknown age cannot say what changed since when
                    db.execute("DELETE FROM meta WHERE key IN ('listing_key', 'listing', 'listing_rows', 'watched')")
                    meta = {"epoch": secrets.token_hex(8), "counter": "0"}
                    db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", meta.items())
            self.epoch, self.counter = meta["epoch"], int(meta["counter"])
            self._watched = meta.get("watched")
        except (sqlite3.Error, OSError, ValueError):
            self.close()
            return False
        return self.read_facts() if facts else True

    def read_facts(self) -> bool:
        """Read every row's file facts into `rows`; return False (and close) when the index cannot be read."""
        try:
            # The hash and the problems are read when needed (`_sha`, `fresh_row`): at 100,000 rows,
            # reading them all was a third of a warm load. 0 stands for "no problems".
            self.rows = {row[0]: row[1:] for row in self.db.execute(
                "SELECT path, mtime_ns, size, NULL, changed, id, diagnostics != '[]', verified_ns, ctime_ns FROM files")}
            self.complete = True
            return True
        except (sqlite3.Error, OSError, ValueError, AttributeError):
            self.close()
            return False

    def has_listing(self, key: str) -> bool:
        """Return whether the last load that took every file from a fresh row listed the folder as `key`."""
        try:
            found = self.db.execute("SELECT value FROM meta WHERE key = 'listing_key'").fetchone()
        except (sqlite3.Error, AttributeError):
            return False
        return found is not None and found[0] == f"{self.epoch}:{key}"

    def listing(self, key: str) -> tuple[dict, str] | None:
        """Return what the last load of the folder listed as `key` found (see `load_corpus`), or None.

        That is the outcome (`count`, `failed`, `diagnostics`) and, as JSON text left for
        `IndexedArticles` to decode if it must, its articles' rows: at 100,000 articles a
        tenth of a second that a `select:` with a `limit` does not need.
        """
        try:
            found = self.db.execute("SELECT (SELECT value FROM meta WHERE key = 'listing_key'), "
                                    "(SELECT value FROM meta WHERE key = 'listing'), "
                                    "(SELECT value FROM meta WHERE key = 'listing_rows')").fetchone()
            if found[0] != f"{self.epoch}:{key}" or found[1] is None or not isinstance(found[2], str):
                return None
            stored = json.loads(found[1])
            if hashlib.sha256(found[2].encode("utf-8")).hexdigest() != stored["rows_sha256"]:
                return None  # damaged: the load goes the long way and keeps a new listing
        except (sqlite3.Error, ValueError, TypeError, AttributeError, RecursionError, KeyError, UnicodeError):
            return None
        return stored, found[2]

    def keep_listing(self, key: str, outcome: dict, rows: list) -> None:
        """Remember `outcome` and `rows`, what a load found in the folder listed as `key`, for `listing`."""
        try:
            rows_text = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
            # The rows are decoded later, if at all: their digest lets `listing` refuse damaged ones now.
            outcome = {**outcome, "rows_sha256": hashlib.sha256(rows_text.encode("utf-8")).hexdigest()}
            text = json.dumps(outcome, ensure_ascii=False, separators=(",", ":"))
            with self.db:  # one transaction: a reader sees the old listing or the new one
                self.db.execute("INSERT OR REPLACE INTO meta VALUES ('listing_key', ?)", (f"{self.epoch}:{key}",))
                self.db.execute("INSERT OR REPLACE INTO meta VALUES ('listing', ?)", (text,))
                self.db.execute("INSERT OR REPLACE INTO meta VALUES ('listing_rows', ?)", (rows_text,))
        except (sqlite3.Error, UnicodeError, ValueError, AttributeError):
            pass  # the next load lists the folder the long way

    def listed_now(self, folder: Path, prefix: str) -> tuple[str, bool] | None:
        """Return `listing_key` of `folder` as it is now: a watcher's word for it when one vouches for it.

        When `reegen index --watch` runs (`watcher.ask`), and says that no `*.md` file in
        the folder changed since the token kept with the last listing, that listing's key
        is the folder's without visiting a file. Otherwise the folder is listed; the
        watcher's token, taken before the listing, is kept with its key, so any change
        made while listing shows up in the next answer. A folder last listed with fewer
        than `WATCH_MIN` entries is listed without asking: that costs less than an answer.
        """
        from . import watcher

        token, key, size = ((self._watched or "").split("\n") + ["", "", ""])[:3]
        small = bool(key) and size.isdigit() and int(size) < WATCH_MIN
        answer = None if small else watcher.ask(self.root, folder, token or None)
        if answer is not None and answer.unchanged and key:
            self.from_watcher = True
            return key, True
        entries = 0

        def counted(found):
            nonlocal entries
            for entries, entry in enumerate(found, 1):
                yield entry

        with os.scandir(folder) as found:
            listed = listing_key(counted(found), prefix)
        if answer is not None and answer.token is not None and listed is not None:
            self._keep_watched(f"{answer.token}\n{listed[0]}\n{entries}")
        elif small and (listed is None or entries >= WATCH_MIN):
            self._keep_watched("")  # grown (or not listable): the next load asks again
        return listed

    def _keep_watched(self, value: str) -> None:
        try:
            with self.db:
                self.db.execute("INSERT OR REPLACE INTO meta VALUES ('watched', ?)", (value,))
            self._watched = value
        except (sqlite3.Error, AttributeError):
            pass  # the next build lists the folder again

    @property
    def position(self) -> str:
        """Return where the index's change counter stands: `changed_since` takes it back."""
        return f"{self.epoch}:{self.counter}"

    def row(self, shown: str) -> tuple | None:
        """Return the file facts of `shown` as `rows` holds them, read alone when `read_facts` was not called."""
        row = self.rows.get(shown)
        if row is None and not self.complete and self.db is not None:
            try:
                found = self.db.execute("SELECT mtime_ns, size, NULL, changed, id, diagnostics != '[]', verified_ns, ctime_ns "
                                        "FROM files WHERE path = ?", (shown,)).fetchone()
            except sqlite3.Error:
                found = None
            if found is not None:
                row = self.rows[shown] = tuple(found)
        return row

    def is_fresh(self, shown: str, stat: os.stat_result) -> bool:
        """Return whether the row of file `shown` was made from the file as `stat` describes it.

        Size, modification and status-change times must match. They are not enough when the row's bytes were read less than two
        seconds after that time: a later write in the same tick of a coarse file-system
        clock would leave both as they were. Such a row is checked by hashing
        (`is_same`) until its file is older than that.
        """
        return _is_fresh(self.row(shown), stat)

    def sha256(self, shown: str, stat: os.stat_result) -> str | None:
        """Return the stored SHA-256 of file `shown` when its row is fresh, else None."""
        return self._sha(shown) if self.is_fresh(shown, stat) else None

    def _sha(self, shown: str) -> str | None:
        """Return the stored SHA-256 of file `shown` (None when it has no row)."""
        row = self.row(shown)
        if row is None or row[2] is not None:
            return row and row[2]
        try:
            found = self.db.execute("SELECT sha256 FROM files WHERE path = ?", (shown,)).fetchone()
        except (sqlite3.Error, AttributeError):
            return None
        return found[0] if found else None

    def lookup(self, shown: str, stat: os.stat_result) -> tuple[Article | None, list[Diagnostic]] | None:
        """Return the cached (article, diagnostics) for file `shown` when its bytes are those parsed.

        A file whose time or size changed is hashed: unchanged bytes keep their row (with
        the new facts), changed ones give None and are parsed again.
        """
        row = self.rows.get(shown)
        if row is None or shown in self.damaged:
            return None
        if not _is_fresh(row, stat) and not self.is_same(shown, stat):
            return None
        return self._decode(shown)

    def is_same(self, shown: str, stat: os.stat_result) -> bool:
        """Return whether file `shown`, whose row is not fresh, still has the bytes of its row (noted for `save`)."""
        row = self.rows.get(shown)
        now = time.time_ns()  # before the read: what the bytes are known to be from then on
        if row is None or row[1] != stat.st_size or file_sha256(self.root / shown) != self._sha(shown):
            return False
        self.touched[shown] = (stat.st_mtime_ns, stat.st_size, now, stat.st_ctime_ns)
        return True

    def _decode(self, shown: str) -> tuple[Article | None, list[Diagnostic]] | None:
        if self.data is None:
            # One query for all: a load that asks for one row asks for nearly all of them.
            try:
                self.data = {row[0]: row[1:] for row in self.db.execute("SELECT path, article, diagnostics, search FROM files")}
            except sqlite3.Error:
                self.data = {}
        try:
            found = self.data.pop(shown)
            article = _article_from(json.loads(found[0]), found[2]) if found[0] else None
            return article, [Diagnostic.from_dict(d) for d in json.loads(found[1])]
        except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
            # A damaged row costs a re-parse, which `store` then writes over it; `load_corpus` says so once.
            self.dropped += 1
            return None

    def store(self, shown: str, stat: os.stat_result, article: Article | None, diagnostics: list[Diagnostic],
              sha: str | None = None, read_ns: int | None = None, encoded: tuple[str, str] | None = None) -> bool:
        """Remember the parse of file `shown` (written to disk by `save`).

        `sha` is the SHA-256 of the bytes parsed (`read_article`); without it the file is
        hashed here. `read_ns` is when the bytes were read (`time.time_ns()` just before;
        now when not given): see `is_fresh`. `encoded` is `encode_parse` of the article and
        diagnostics when a worker made it already. Returns False when the row cannot be
        kept (text SQLite cannot store).
        """
        if read_ns is None:
            read_ns = time.time_ns()
        if sha is None:
            sha = file_sha256(os.path.join(self.root, shown))
        old = self.rows.get(shown)
        # Parsed again but the same bytes (a damaged row): no brief needs to know. A change
        # is numbered by `save`, inside its write, so two builds never share a number.
        changed = old[3] if old is not None and sha is not None and self._sha(shown) == sha else None
        article_text, diagnostics_text = encoded or encode_parse(article, diagnostics)
        row = (
            shown, stat.st_mtime_ns, stat.st_size, sha, changed, article_text, diagnostics_text,
            article.search_text if article else "",
            article.id if article else None,
            _TAG_SEP.join(article.tags) if article else None,
            article.published.isoformat() if article and article.published else None,
            article.publisher if article else None,
            read_ns,
            stat.st_ctime_ns,
        )
        try:
            # SQLite stores UTF-8: a row that cannot be encoded is simply not cached.
            for value in row:
                if isinstance(value, str):
                    value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        self.pending.append(row)
        self.stored.add(shown)
        return True

    def fresh_row(self, shown: str, stat: os.stat_result) -> tuple[str | None, list[Diagnostic]] | None:
        """Return (article id, diagnostics) of file `shown` when its row still holds its bytes, else None.

        The article itself is not made: `IndexedArticles` makes it when asked for.
        """
        if not (self.is_fresh(shown, stat) or self.is_same(shown, stat)):
            return None
        row = self.rows[shown]
        try:
            text = row[5]
            if text == 1:  # it has problems: read them
                text = self.db.execute("SELECT diagnostics FROM files WHERE path = ?", (shown,)).fetchone()[0]
            diagnostics = [] if text in (0, "[]") else [Diagnostic.from_dict(d) for d in json.loads(text)]
        except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError, sqlite3.Error):
            self.dropped += 1
            self.damaged.add(shown)
            return None
        return row[4], diagnostics

    def id_line(self, shown: str) -> int:
        """Return the line of the `id` key in file `shown`'s front matter, from its row (1 when unknown)."""
        try:
            row = self.db.execute("SELECT article FROM files WHERE path = ?", (shown,)).fetchone()
            return int(json.loads(row[0])["key_lines"].get("id", 1))
        except (sqlite3.Error, ValueError, TypeError, KeyError, AttributeError):
            return 1

    def flush(self) -> None:
        """Write the rows stored so far (a cold load of a large corpus keeps memory flat)."""
        self.save(None, keep_open=True)

    def save(self, present: set[str] | None, *, keep_open: bool = False) -> None:
        """Write pending rows and new file facts, forget files not in `present` (None: forget none), and close
        (unless `keep_open`)."""
        gone = [] if present is None else [(p,) for p in self.rows if p not in present]
        if self.db is None or not (self.pending or self.touched or gone):
            if not keep_open:
                self.close()
            return
        try:
            db = self.db
            db.execute("BEGIN IMMEDIATE")  # the counter is read and moved on by one writer at a time
            try:
                counter = int(db.execute("SELECT value FROM meta WHERE key = 'counter'").fetchone()[0])
                rows = []
                for row in self.pending:
                    if row[4] is None:
                        counter += 1
                        row = (*row[:4], counter, *row[5:])
                    rows.append(row)
                db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
                db.executemany("UPDATE files SET mtime_ns = ?, size = ?, verified_ns = ?, ctime_ns = ? WHERE path = ?",
                               [(m, s, v, c, p) for p, (m, s, v, c) in self.touched.items()])
                db.executemany("DELETE FROM files WHERE path = ?", gone)
                db.execute("UPDATE meta SET value = ? WHERE key = 'counter'", (str(counter),))
                db.commit()
                self.counter = counter
                for row in rows:
                    self.rows[row[0]] = (*row[1:5], row[8], row[6], row[12], row[13])
                for path, (mtime_ns, size, verified_ns, ctime_ns) in self.touched.items():
                    self.rows[path] = (mtime_ns, size, *self.rows[path][2:6], verified_ns, ctime_ns)
                for (path,) in gone:
                    del self.rows[path]
            except BaseException:
                db.rollback()
                raise
        except (sqlite3.Error, UnicodeError, ValueError):
            pass  # the cache only saves time; a failed write costs the next run a re-parse
        self.pending = []
        self.touched = {}
        if not keep_open:
            self.close()

    def changed_since(self, position: str) -> list[Article] | None:
        """Return the articles whose bytes changed after `position` (unreadable ones left out).

        None when `position` is of another index (made anew since): then anything may have changed.
        """
        epoch, _, counter = position.partition(":")
        if epoch != self.epoch or not counter.isdigit() or int(counter) > self.counter:
            return None
        found = []
        try:
            for text, search in self.db.execute("SELECT article, search FROM files WHERE changed > ? AND article != ''",
                                                (int(counter),)):
                found.append(_article_from(json.loads(text), search))
        except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError, sqlite3.Error):
            return None
        return found

    def close(self) -> None:
        """Close the database."""
        if self.db is not None:
            self.db.close()
            self.db = None


#: a folder of fewer entries is listed without asking a watcher: at about 4 µs an entry, listing it costs
#: less than an answer (1-3 ms of wall time, its cookie's round trip through inotify)
WATCH_MIN = 1000
#: sorts `os.scandir` entries by file name
by_name = operator.attrgetter("name")
#: a listing is remembered, and a row trusted by its file's size and time, only when the file was this much
#: older than the moment it was listed or read (file-system clocks are coarse: two seconds on FAT)
_SETTLED_NS = 2_000_000_000


def _is_fresh(row: tuple | None, stat: os.stat_result) -> bool:
    """Return whether index row `row` holds the bytes of the file `stat` describes, by size and times alone.

    The status-change time is compared too: a write whose old modification time was put
    back (`touch -d`, `cp -p` over it) still sets it, so such a file is hashed again.
    """
    return (row is not None and row[0] == stat.st_mtime_ns and row[1] == stat.st_size
            and row[7] == stat.st_ctime_ns and stat.st_mtime_ns < (row[6] or 0) - _SETTLED_NS)


def listing_key(entries, prefix: str) -> tuple[str, bool] | None:
    """Return a digest of the `*.md` files `entries` (name, size, times, inode), and whether all are settled.

    `entries` are `os.scandir` entries (or a scandir iterator) in the folder's own order:
    a folder that did not change lists in the same order, and one whose order changed
    only costs a load the long way. A folder listed alike loads alike: `load_corpus` then
    takes what the last load found (`CorpusIndex.listing`) instead of comparing each file
    with its row, and `refresh` has nothing to bring up to date. Settled: every file was
    last changed two seconds before now, so a later write in the same clock tick cannot
    hide behind an unchanged time. None when a file is a link, not a regular file, or
    cannot be read: those are checked one by one.

    One pass, with the facts in arrays: at 100,000 files this is the `stat` of each and
    little else (the sorted listing and a line of text a file cost as much again). The
    status-change time and the inode come with the same `stat`: an edit whose old
    modification time was put back (`touch -d`, `cp -p`) or two files exchanging names
    still changes the digest.
    """
    now = time.time_ns()
    names, times, sizes, changes, inodes = [], array("q"), array("q"), array("q"), array("Q")
    try:
        for entry in entries:
            name = entry.name
            if not name.endswith(".md"):
                continue
            if entry.is_symlink() or not entry.is_file():
                return None
            stat = entry.stat()
            names.append(name)
            times.append(stat.st_mtime_ns)
            sizes.append(stat.st_size)
            changes.append(stat.st_ctime_ns)
            inodes.append(stat.st_ino)
    except (OSError, OverflowError):  # a time past 2262 does not fit the array: checked one by one
        return None
    # The count first, and each name ended by NUL (no name holds one): no two listings hash the same bytes.
    digest = hashlib.sha256(f"{prefix}\0{len(names)}\0".encode("utf-8", "surrogateescape"))
    digest.update("".join([name + "\0" for name in names]).encode("utf-8", "surrogateescape"))
    for facts in (times, sizes, changes, inodes):
        digest.update(facts)
    return digest.hexdigest(), max(times, default=0) < now - _SETTLED_NS


def refresh(root: Path, folder: Path) -> CorpusIndex | None:
    """Return the index of `root`'s articles in `folder`, brought up to date with the files, and open.

    What `load_corpus` does to the index, without making an article of every row: a file
    whose size and time are unchanged costs a `stat`, a changed one is hashed and, when its
    bytes changed, parsed. None when there is no usable index.
    """
    from ..errors import Report
    from . import _parallel
    from .parse import read_article

    index = CorpusIndex(root.resolve() / CACHE_FILE)
    if not folder.is_dir() or not index.open(facts=False):
        return None
    boundary = index.root
    prefix = os.path.relpath(folder, root)
    listed = index.listed_now(folder, prefix)
    if listed is not None and index.has_listing(listed[0]):
        # Listed as when every file came from a fresh row: nothing to bring up to date. `rows` stays
        # empty, so an input's hash is read from its file (a brief's few) rather than the index.
        index.listed = listed[0]
        return index
    if not index.read_facts():
        return None
    entries = sorted((e for e in os.scandir(folder) if e.name.endswith(".md")), key=by_name)
    present = set()
    # Files with no row (all of them, the first time) are read and parsed by workers when there are many.
    jobs = []
    # Only where enough files can lack a row for workers to start (a warm refresh saves the looking).
    for entry in entries if len(entries) - len(index.rows) >= _parallel.PARALLEL_MIN else ():
        shown = f"{prefix}/{entry.name}" if prefix not in ("", ".") else entry.name
        try:
            if not entry.is_symlink() and entry.is_file() and index.row(shown) is None:
                jobs.append((entry.path, shown))
        except OSError:
            continue
    parsed = _parallel.prefetch(jobs, encode=encode_parse)
    for entry in entries:
        shown = f"{prefix}/{entry.name}" if prefix not in ("", ".") else entry.name
        present.add(shown)
        try:
            if entry.is_symlink() and boundary not in Path(entry.path).resolve().parents or not entry.is_file():
                continue
            stat = entry.stat()
        except OSError:
            continue
        if index.is_fresh(shown, stat) or index.is_same(shown, stat):
            continue
        done = parsed.take(entry.path)
        if done is None:
            own, read_ns = Report(), time.time_ns()
            article, sha = read_article(entry.path, own, display_path=shown)
            done = (article, own.diagnostics, sha, read_ns, None)
        article, diagnostics, sha, read_ns, encoded = done
        index.store(shown, stat, article, diagnostics, sha, read_ns, encoded)
        if len(index.pending) >= 1000:
            index.flush()
    parsed.close()
    index.save(present, keep_open=True)
    return index


class IndexedArticles(Mapping):
    """A corpus's articles by id, in file order; one held in the index is made from its row when asked for.

    A brief over 100,000 articles uses a few of them: decoding every row into an
    `Article` was most of a warm build. `matching` answers a `select:` query from the
    index's light columns (tags, date, publisher, then search text) and makes only the
    articles that pass.
    """

    def __init__(self, db_path: Path, *, rows_text: str | None = None, count: int = 0):
        self.db_path = db_path
        if rows_text is None:
            #: id -> (path, mtime_ns, size) of an article to make from its row, or None when it is in `made`
            self.rows: dict[str, tuple | None] = {}
        #: a kept listing's rows as JSON (`CorpusIndex.listing`), decoded into `rows` when first needed
        self._rows_text = rows_text
        #: how many articles that listing holds (`chosen` needs no more of it)
        self._count = count
        #: id -> (path, mtime_ns, size) of the articles `chosen` found while `rows` was not decoded
        self._found: dict[str, tuple] = {}
        #: the articles made so far, by id
        self.made: dict[str, Article] = {}
        self._db: sqlite3.Connection | None = None

    def __getattr__(self, name: str):
        # Only for `rows` not yet decoded (a normal attribute once set): a kept listing's rows, read when needed.
        if name != "rows" or self.__dict__.get("_rows_text") is None:
            raise AttributeError(name)
        self.rows = {row[0]: (row[1], row[2], row[3]) for row in json.loads(self._rows_text)}
        self._rows_text = None
        return self.rows

    def add(self, article: Article) -> None:
        """Hold `article`, already made."""
        self.rows[article.id] = None
        self.made[article.id] = article

    def add_row(self, article_id: str, shown: str, stat: os.stat_result) -> None:
        """Hold the article `article_id` of index row `shown`, made when asked for."""
        self.rows[article_id] = (shown, stat.st_mtime_ns, stat.st_size)

    def __getitem__(self, article_id: str) -> Article:
        found = self.made.get(article_id)
        if found is None:
            where = self._found.get(article_id) or self.rows[article_id]  # KeyError for an unknown id, as a dict
            found = self.made[article_id] = self._make(article_id, where)
        return found

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self.rows

    def get(self, article_id, default=None):
        try:
            return self[article_id]
        except KeyError:  # unknown, or its file went away since the load
            return default

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            self._db = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=5)
        return self._db

    def _make(self, article_id: str, where: tuple) -> Article:
        shown, mtime_ns, size = where
        article = None
        try:
            row = self._connection().execute("SELECT article, search FROM files WHERE path = ? AND mtime_ns = ? "
                                             "AND size = ?", (shown, mtime_ns, size)).fetchone()
            if row is not None and row[0]:
                article = _article_from(json.loads(row[0]), row[1])
        except (sqlite3.Error, ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
            article = None
        if article is None or article.id != article_id:
            # The row changed or broke since the load (another build, a damaged file): read the file
            # again. Its problems were reported at load, from the row.
            from ..errors import Report
            from .parse import load_article

            root = self.db_path.parent.parent
            own = Report()
            article = load_article(root / shown, own, display_path=shown)
            if article is None or article.id != article_id:
                raise KeyError(article_id)
            _replace_row(self.db_path, shown, root / shown, article, own.diagnostics)
        return article

    def chosen(self, q) -> list | None:
        """Return the facts of the articles `select:` query `q` keeps, in its order, from SQL alone; or None.

        Used when the index holds every article of the corpus as it is now and SQLite can
        state every filter exactly (tags, dates, query words): then the
        query touches only the rows it keeps, however large the corpus. None when it
        cannot answer (no `limit`, a `publisher`, an article the index does not hold): `matching` does.
        """
        if not q.limit or q.publisher:
            return None  # a publisher is compared casefolded, which SQLite's lower() cannot do
        lazy = self._rows_text is not None  # a kept listing's: every article is a row, none made yet
        if not lazy and any(where is None for where in self.rows.values()):
            return None
        from ..text import query_terms

        clauses, params = ["id IS NOT NULL"], []
        for tag in q.tags:
            clauses.append("instr(char(31) || tags || char(31), char(31) || ? || char(31)) > 0")
            params.append(tag.lower())
        if q.any_tags:
            clauses.append("(" + " OR ".join(["instr(char(31) || tags || char(31), char(31) || ? || char(31)) > 0"]
                                              * len(q.any_tags)) + ")")
            params += [t.lower() for t in q.any_tags]
        if q.since:
            clauses.append("published >= ?")
            params.append(q.since.isoformat())
        if q.until:
            clauses.append("published <= ?")
            params.append(q.until.isoformat())
        for term in query_terms(q.query) if q.query else ():
            clauses.append("instr(search, ?) > 0")
            params.append(term)
        order = "published ASC" if q.order == "oldest" else "published DESC"
        try:
            db = self._connection()
            found = db.execute(f"SELECT path, mtime_ns, size, id, tags, published, publisher, verified_ns, ctime_ns FROM files "
                               f"WHERE {' AND '.join(clauses)} ORDER BY published IS NULL, {order}, path LIMIT ?",
                               (*params, q.limit)).fetchall()
            # Every article must be in the index as it is now, and no row of a file left out (a duplicate id).
            count = db.execute("SELECT count(*) FROM files WHERE id IS NOT NULL").fetchone()[0]
        except (sqlite3.Error, ValueError):
            return None
        if count != (self._count if lazy else len(self.rows)):
            return None
        facts = []
        for path, mtime_ns, size, article_id, tags, published, publisher, verified_ns, ctime_ns in found:
            if lazy:
                # Rows not decoded: each row kept must hold its file as it is now (as a load would check it).
                try:
                    stat = os.stat(self.db_path.parent.parent / path)
                except OSError:
                    return None
                if not _is_fresh((mtime_ns, size, None, None, None, None, verified_ns, ctime_ns), stat):
                    return None
                self._found[article_id] = (path, mtime_ns, size)
            elif self.rows.get(article_id) != (path, mtime_ns, size):
                return None
            facts.append(_Facts(db, article_id, path, tuple(tags.split(_TAG_SEP)) if tags else (),
                                _dt.date.fromisoformat(published) if published else None, publisher))
        return facts

    def matching(self, test) -> list:
        """Return what passes `test`, in file order: articles made, and the index's facts of the others.

        `test` reads `tags`, `published`, `publisher` and `search_text`; rows not yet made are
        tested on the index's columns (their search text read only when the rest passed), and
        come back as facts with an `id` and `published`: `self[facts.id]` makes the article.
        So a query with a `limit` makes only the articles it keeps.
        """
        pending = {where[0]: article_id for article_id, where in self.rows.items() if where is not None}
        facts: dict[str, _Facts] = {}
        if pending:
            try:
                db = self._connection()
                for path, mtime_ns, size, tags, published, publisher in db.execute(
                        "SELECT path, mtime_ns, size, tags, published, publisher FROM files"):
                    article_id = pending.get(path)
                    if article_id is not None and self.rows[article_id][1:] == (mtime_ns, size):
                        facts[article_id] = _Facts(db, article_id, path, tuple(tags.split(_TAG_SEP)) if tags else (),
                                                   _dt.date.fromisoformat(published) if published else None, publisher)
            except (sqlite3.Error, ValueError):
                facts = {}
        found = []
        for article_id in self.rows:
            candidate = self.made.get(article_id) or facts.get(article_id) or self[article_id]
            if test(candidate):
                found.append(candidate)
        return found


def _replace_row(db_path: Path, shown: str, path: Path, article: Article, diagnostics) -> None:
    """Write the row of file `shown` anew (its old one could not be read)."""
    index = CorpusIndex(db_path)
    try:
        stat = path.stat()
    except OSError:
        return
    if index.open():
        index.store(shown, stat, article, diagnostics)
        index.save(set(index.rows) | {shown})


class _Facts:
    """What a `select:` query reads of an article not yet made: its index row's columns."""

    __slots__ = ("_db", "id", "_path", "tags", "published", "publisher", "_search")

    def __init__(self, db, article_id, path, tags, published, publisher):
        self._db, self.id, self._path = db, article_id, path
        self.tags, self.published, self.publisher = tags, published, publisher
        self._search = None

    @property
    def search_text(self) -> str:
        if self._search is None:
            row = self._db.execute("SELECT search FROM files WHERE path = ?", (self._path,)).fetchone()
            self._search = row[0] if row and row[0] else ""
        return self._search


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
