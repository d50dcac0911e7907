"""The cache package's one rule: a database holds only what this reegen's code made, and a bad one is rebuilt."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import reegen.corpus.parse
from reegen.cache import CACHE_DIR, _stamp, connect, stamp
from reegen.corpus import load_corpus
from reegen.errors import Report
from tests.conftest import article_text


def make(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for i in range(2):
        (folder / f"a{i}.md").write_text(article_text(f"a{i}", title=f"Title {i}", body=f"Lead {i}.\n"), encoding="utf-8")
    return folder


@pytest.fixture
def parses(monkeypatch):
    """Count the article files actually parsed (not read back from the index)."""
    calls = []
    for name in ("load_article", "read_article"):  # read_article: a parse whose bytes the index keeps the hash of
        original = getattr(reegen.corpus.parse, name)
        counted = lambda *a, _original=original, **k: calls.append(str(a[0])) or _original(*a, **k)  # noqa: E731
        monkeypatch.setattr(reegen.corpus, name, counted)
        monkeypatch.setattr(reegen.corpus.parse, name, counted)
    return calls


def load(tmp_path: Path, folder: Path) -> dict:
    corpus = load_corpus(folder, Report(), root=tmp_path)
    return {a.id: a.title for a in corpus}


def database(tmp_path: Path) -> Path:
    return tmp_path / CACHE_DIR / "corpus.sqlite"


def test_an_unchanged_corpus_is_read_from_the_index(tmp_path, parses):
    folder = make(tmp_path)
    load(tmp_path, folder)
    assert len(parses) == 2
    assert load(tmp_path, folder) == {"a0": "Title 0", "a1": "Title 1"}
    assert len(parses) == 2  # the second load parsed nothing


def test_a_file_that_is_not_a_database_is_replaced_and_the_build_goes_on(tmp_path, parses):
    folder = make(tmp_path)
    load(tmp_path, folder)
    database(tmp_path).write_bytes(b"this is not SQLite\0" * 100)
    assert load(tmp_path, folder) == {"a0": "Title 0", "a1": "Title 1"}
    assert len(parses) == 4  # parsed again ...
    with sqlite3.connect(database(tmp_path)) as db:  # ... and stored in a database made anew
        assert db.execute("SELECT count(*) FROM files").fetchone() == (2,)
    load(tmp_path, folder)
    assert len(parses) == 4


def test_a_database_made_by_other_code_is_emptied_not_read(tmp_path, parses):
    folder = make(tmp_path)
    load(tmp_path, folder)
    with sqlite3.connect(database(tmp_path)) as db:
        # Another reegen's rows: same paths and file facts, other titles, another stamp.
        db.execute("UPDATE files SET article = replace(article, 'Title', 'Foreign')")
        db.execute("UPDATE meta SET value = 'another reegen' WHERE key = 'stamp'")
        db.execute("CREATE TABLE leftovers (x)")
    assert load(tmp_path, folder) == {"a0": "Title 0", "a1": "Title 1"}
    assert len(parses) == 4
    with sqlite3.connect(database(tmp_path)) as db:
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "leftovers" not in tables
        assert db.execute("SELECT value FROM meta WHERE key = 'stamp'").fetchone() == (stamp(),)


def test_changed_code_invalidates_every_table(tmp_path, parses, monkeypatch):
    folder = make(tmp_path)
    load(tmp_path, folder)
    monkeypatch.setattr(_stamp, "_stamp", "the stamp of edited code")
    load(tmp_path, folder)
    assert len(parses) == 4


def test_a_damaged_row_is_parsed_again_and_replaced(tmp_path, parses):
    folder = make(tmp_path)
    load(tmp_path, folder)
    with sqlite3.connect(database(tmp_path)) as db:
        db.execute("UPDATE files SET article = '{\"id\": [garbage' WHERE path = 'articles/a1.md'")
    assert load(tmp_path, folder) == {"a0": "Title 0", "a1": "Title 1"}
    assert parses[2:] == [str(folder / "a1.md")]  # only the damaged row's file was read again
    load(tmp_path, folder)
    assert len(parses) == 3


def test_the_stamp_follows_the_package_files_and_the_shaping_versions(tmp_path, monkeypatch):
    package = tmp_path / "pkg"
    (package / "corpus").mkdir(parents=True)
    (package / "corpus" / "parse.py").write_text("X = 1\n", encoding="utf-8")
    (package / "data" / "fonts").mkdir(parents=True)
    (package / "data" / "fonts" / "Big.ttf").write_bytes(b"font")
    monkeypatch.setattr(_stamp, "_PACKAGE", package)

    def fresh() -> str:
        monkeypatch.setattr(_stamp, "_stamp", None)
        return _stamp.stamp()

    first = fresh()
    assert fresh() == first
    (package / "data" / "fonts" / "Big.ttf").write_bytes(b"another font")  # fonts shape no cached value
    assert fresh() == first
    (package / "corpus" / "parse.py").write_text("X = 2\n", encoding="utf-8")
    edited = fresh()
    assert edited != first
    monkeypatch.setattr(_stamp, "version_of", lambda module, distribution: "99" if module == "yaml" else "1")
    assert fresh() != edited


def test_versions_are_read_from_the_installed_metadata():
    import importlib.metadata

    for module, distribution in _stamp.SHAPING:
        assert _stamp.version_of(module, distribution) == importlib.metadata.version(distribution)
    assert _stamp.version_of("no_such_module_here", "nothing") == "absent"


def test_without_a_cache_folder_no_table_makes_one(tmp_path):
    assert connect(tmp_path / CACHE_DIR / "corpus.sqlite") is None
    assert not (tmp_path / CACHE_DIR).exists()
