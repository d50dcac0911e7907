"""Derived data kept between builds in `.reegen-cache/corpus.sqlite`, under one invalidation rule.

Everything here only saves time: a database that cannot be opened, read or written costs
the next build the work, never the build. Values are text (JSON), never pickle, so
reading one cannot run code.

The rule: the database carries a stamp (`stamp`) of the code that made its contents, a
digest of every installed reegen file but the fonts and of the versions of the packages
whose behaviour shapes what is stored (PyYAML, markdown-it-py, Jinja2, MarkupSafe), with
Python's version and Unicode database. When a reegen opens a database stamped otherwise
(another version, an edited module, an upgraded parser), every table in it is dropped and
rebuilt from the files: no entry made by other code is ever read. A file that is not a
SQLite database is deleted and made again; a row that does not decode is a miss, parsed
again and written over. Keys inside a table therefore say only what an entry was made
from (a path, a body's text, a template's data), never which code made it.
"""

from __future__ import annotations

from ._stamp import stamp
from ._store import CACHE_DIR, CACHE_FILE, CacheTable, connect, digest

__all__ = ["CACHE_DIR", "CACHE_FILE", "CacheTable", "connect", "digest", "stamp"]
