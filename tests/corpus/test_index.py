"""The corpus index: same articles as parsing, re-parsed when a file changes, never required."""

import os

import pytest
from dataclasses import fields

from reegen.corpus import load_corpus
from reegen.cache import CACHE_DIR
from reegen.errors import Report
from reegen.parse import parse_body
from tests.conftest import article_text

COMPARED = [f.name for f in fields(__import__("reegen").corpus.Article) if f.name not in ("body_lines", "sections", "figures")]


def make(tmp_path, n=3):
    folder = tmp_path / "articles"
    folder.mkdir()
    for i in range(n):
        (folder / f"a{i}.md").write_text(article_text(f"a{i}", body=f"Lead {i} [7].\n\n## Highlights\n- point {i}\n",
                                                      extra="origin:\n  - {name: Baogang Daily, kind: state-affiliated, translated: true}\n"),
                                         encoding="utf-8")
    (folder / "bad.md").write_text("no front matter\n", encoding="utf-8")
    return folder


def load(tmp_path, folder, cache=True):
    report = Report()
    corpus = load_corpus(folder, report, root=tmp_path, cache=cache)
    return corpus, [str(d) for d in report]


def test_a_cached_load_gives_the_same_articles_sections_and_diagnostics(tmp_path):
    folder = make(tmp_path)
    plain, plain_diags = load(tmp_path, folder, cache=False)
    first, first_diags = load(tmp_path, folder)
    assert (tmp_path / CACHE_DIR / "corpus.sqlite").is_file()
    second, second_diags = load(tmp_path, folder)
    assert plain_diags == first_diags == second_diags and plain_diags
    for a in plain:
        cached = second.get(a.id)
        assert cached.body_lines is None  # really from the index
        assert [getattr(a, f) for f in COMPARED] == [getattr(cached, f) for f in COMPARED]
        assert parse_body(a, Report()).sections == parse_body(cached, Report()).sections
        assert a.search_text == cached.search_text


def test_a_changed_file_is_parsed_again(tmp_path):
    folder = make(tmp_path)
    load(tmp_path, folder)
    path = folder / "a1.md"
    path.write_text(article_text("a1", title="New title", body="New lead.\n"), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    corpus, _ = load(tmp_path, folder)
    assert corpus.get("a1").title == "New title"
    assert parse_body(corpus.get("a1"), Report()).section("lead").blocks[0].children[0].text == "New lead."


def test_a_removed_file_leaves_the_corpus(tmp_path):
    folder = make(tmp_path)
    load(tmp_path, folder)
    (folder / "a2.md").unlink()
    corpus, _ = load(tmp_path, folder)
    assert corpus.get("a2") is None and len(corpus) == 2


def test_an_unwritable_cache_is_skipped_not_fatal(tmp_path):
    folder = make(tmp_path)
    (tmp_path / CACHE_DIR).write_text("a file where the cache folder should be", encoding="utf-8")
    corpus, diags = load(tmp_path, folder)
    assert len(corpus) == 3 and any("front matter" in d for d in diags)


# ----------------------------------------------------------------------------- rows made lazily


def test_a_warm_load_makes_no_article_until_one_is_asked_for(tmp_path):
    folder = make(tmp_path)
    load(tmp_path, folder)
    corpus, _ = load(tmp_path, folder)
    assert sorted(corpus.articles) == ["a0", "a1", "a2"] and corpus.articles.made == {}
    assert corpus.get("a1").title == make_title(1)
    assert list(corpus.articles.made) == ["a1"]


def make_title(i):
    return f"a{i}".replace("-", " ").title()


def test_a_select_query_makes_only_the_articles_it_matches(tmp_path):
    from reegen.select import query
    from reegen.spec import SelectSpec

    folder = tmp_path / "articles"
    folder.mkdir()
    for i, tags in enumerate([("copper",), ("tin",), ("copper", "tin")]):
        (folder / f"a{i}.md").write_text(article_text(f"a{i}", tags=tags, body=f"Lead {i} about smelters.\n"),
                                         encoding="utf-8")
    load(tmp_path, folder)
    corpus, _ = load(tmp_path, folder)
    found = query(corpus, SelectSpec(tags=("copper",), query="smelters"))
    assert sorted(a.id for a in found) == ["a0", "a2"]
    assert sorted(corpus.articles.made) == ["a0", "a2"]  # the index answered for a1
    plain, _ = load(tmp_path, folder, cache=False)
    assert [a.id for a in query(plain, SelectSpec(tags=("copper",), query="smelters"))] == [a.id for a in found]


def test_a_duplicate_id_is_reported_from_the_index_too(tmp_path):
    folder = make(tmp_path)
    (folder / "z.md").write_text(article_text("a0"), encoding="utf-8")
    _, first = load(tmp_path, folder)
    corpus, second = load(tmp_path, folder)
    assert first == second and any("duplicate article id 'a0'" in d for d in second)
    assert corpus.failed["articles/z.md"] == "a0" and corpus.get("a0").path == "articles/a0.md"


def test_a_query_with_a_limit_makes_only_the_articles_it_keeps(tmp_path):
    from reegen.select import query
    from reegen.spec import SelectSpec

    folder = tmp_path / "articles"
    folder.mkdir()
    for i, day in enumerate(["2025-03-01", "2025-01-01", "2025-02-01"]):
        (folder / f"a{i}.md").write_text(article_text(f"a{i}", published=day), encoding="utf-8")
    load(tmp_path, folder)
    corpus, _ = load(tmp_path, folder)
    assert [a.id for a in query(corpus, SelectSpec(tags=("baotou",), order="oldest", limit=2))] == ["a1", "a2"]
    assert sorted(corpus.articles.made) == ["a1", "a2"]


QUERIES = [
    dict(tags=("copper",), limit=2),
    dict(tags=("copper",), order="oldest", limit=2),
    dict(any_tags=("tin", "zinc"), limit=3),
    dict(tags=("baotou",), since="2025-02-01", until="2025-04-30", limit=5),
    dict(tags=("baotou",), query='smelter "new line"', limit=5),
    dict(tags=("baotou",), query="Ünïcode", limit=5),
    dict(tags=("baotou",), limit=1),
]


@pytest.mark.parametrize("from_listing", [False, True], ids=["rows", "listing"])
@pytest.mark.parametrize("fields", QUERIES)
def test_a_query_with_a_limit_is_answered_by_the_index_as_the_articles_would_answer_it(tmp_path, fields, monkeypatch,
                                                                                      from_listing):
    import datetime as dt

    from reegen.corpus.index import IndexedArticles
    from reegen.select import query
    from reegen.spec import SelectSpec

    folder = tmp_path / "articles"
    folder.mkdir()
    rows = [(("copper",), "2025-03-01", "A smelter opens a new line."), (("tin",), "2025-01-01", "Tin smelter."),
            (("copper", "tin"), "2025-03-01", "New line, one smelter, Ünïcode."), (("zinc",), "", "Undated."),
            (("copper",), "2025-05-01", "Smelter news: new line."), (("lead",), "2024-12-31", "Lead.")]
    for i, (tags, day, body) in enumerate(rows):
        (folder / f"a{i}.md").write_text(article_text(f"a{i}", tags=("baotou", *tags), published=day, body=body + "\n"),
                                         encoding="utf-8")
    fields = {k: dt.date.fromisoformat(v) if k in ("since", "until") else v for k, v in fields.items()}
    q = SelectSpec(**fields)
    plain, _ = load(tmp_path, folder, cache=False)
    expected = [a.id for a in query(plain, q)]
    if from_listing:  # settled files: the second load keeps the listing, the third is answered from it
        settle(folder)
        load(tmp_path, folder)
    load(tmp_path, folder)
    corpus, _ = load(tmp_path, folder)
    assert ("rows" in corpus.articles.__dict__) is not from_listing
    answered = []
    original = IndexedArticles.chosen
    monkeypatch.setattr(IndexedArticles, "chosen", lambda self, q: answered.append(original(self, q)) or answered[-1])
    assert [a.id for a in query(corpus, q)] == expected
    assert answered and answered[0] is not None  # SQLite answered it, not the row-by-row scan
    assert sorted(corpus.articles.made) == sorted(expected)
    if from_listing:
        assert "rows" not in corpus.articles.__dict__  # the listing's 100,000 rows (here 6) never decoded
        assert list(corpus.articles) == [a.id for a in plain]  # and decoded when asked for all


def test_a_file_changed_after_a_load_from_the_listing_is_not_answered_from_its_old_row(tmp_path):
    from reegen.spec import SelectSpec

    folder = make(tmp_path)
    settle(folder)
    load(tmp_path, folder)
    load(tmp_path, folder)
    corpus, _ = load(tmp_path, folder)  # from the listing, rows not decoded
    assert "rows" not in corpus.articles.__dict__
    path = folder / "a1.md"
    path.write_text(article_text("a1", title="Changed since the load"), encoding="utf-8")
    # The row-by-row way then, as for a corpus whose rows were decoded: the load's snapshot, checked row by row.
    assert corpus.articles.chosen(SelectSpec(tags=("baotou",), limit=5)) is None


def test_a_damaged_listing_is_not_used(tmp_path):
    import sqlite3

    folder = make(tmp_path)
    settle(folder)
    load(tmp_path, folder)
    expected, expected_diags = load(tmp_path, folder)
    with sqlite3.connect(tmp_path / CACHE_DIR / "corpus.sqlite") as db:
        db.execute("UPDATE meta SET value = replace(value, 'a1', 'zz') WHERE key = 'listing_rows'")
    corpus, diags = load(tmp_path, folder)
    assert "rows" in corpus.articles.__dict__  # loaded the long way
    assert list(corpus.articles) == list(expected.articles) and diags == expected_diags


def settle(folder, seconds=60):
    """Date every file of `folder` `seconds` back, as files of a corpus nobody touched for a while."""
    for path in folder.iterdir():
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - seconds * 1_000_000_000))


def test_an_unchanged_settled_folder_is_loaded_from_its_listing_with_the_same_result(tmp_path, monkeypatch):
    """A folder listed alike loads as the last time, without reading every row's facts; problems and all."""
    from reegen.corpus.index import CorpusIndex

    folder = make(tmp_path)
    (folder / "z.md").write_text(article_text("a0"), encoding="utf-8")  # a duplicate id: an error at load
    settle(folder)
    load(tmp_path, folder)  # parses and indexes
    by_rows, by_rows_diags = load(tmp_path, folder)  # every file from a fresh row: the listing is kept
    read = []
    real = CorpusIndex.read_facts
    monkeypatch.setattr(CorpusIndex, "read_facts", lambda self: read.append(1) or real(self))
    listed, listed_diags = load(tmp_path, folder)
    assert read == []  # the fast path ran
    assert listed_diags == by_rows_diags and any("duplicate article id 'a0'" in d for d in listed_diags)
    assert list(listed.articles) == list(by_rows.articles) == ["a0", "a1", "a2"]
    assert listed.failed == by_rows.failed == {"articles/bad.md": "bad", "articles/z.md": "a0"}
    assert listed.get("a1").title == by_rows.get("a1").title and listed.get("a1").path == "articles/a1.md"


@pytest.mark.parametrize("change", ["edit", "in place", "time put back", "add", "remove", "rename", "swap"])
def test_a_change_to_the_folder_is_not_answered_from_the_listing(tmp_path, change, monkeypatch):
    from reegen.corpus.index import CorpusIndex

    folder = make(tmp_path)
    settle(folder)
    path, other = folder / "a1.md", folder / "a2.md"
    before = path.stat().st_mtime_ns
    os.utime(other, ns=(before, before - 5_000_000_000))  # a1 and a2: one size, times apart
    load(tmp_path, folder)
    load(tmp_path, folder)  # the listing is kept
    if change == "edit":  # same size, still settled, a time one second later: only that time tells
        path.write_text(path.read_text(encoding="utf-8").replace("A1", "B1"), encoding="utf-8")
        os.utime(path, ns=(before, before + 1_000_000_000))
    elif change == "in place":  # the same file written again, longer, its old time put back: only the size tells
        with open(path, "r+", encoding="utf-8") as handle:
            text = handle.read().replace("A1", "Longer B1")
            handle.seek(0)
            handle.write(text)
        os.utime(path, ns=(before, before))
    elif change == "time put back":  # same size, its old time put back (touch -d): only the status-change time tells
        path.write_text(path.read_text(encoding="utf-8").replace("A1", "B1"), encoding="utf-8")
        os.utime(path, ns=(before, before))
    elif change == "add":
        (folder / "a3.md").write_text(article_text("a3"), encoding="utf-8")
    elif change == "remove":
        (folder / "a2.md").unlink()
    elif change == "rename":  # same bytes, same time, another name: only the name tells
        path.rename(folder / "c1.md")
    else:  # two files' names exchanged, both of one size: only which name has which time tells
        path.rename(folder / "tmp.md")
        other.rename(path)
        (folder / "tmp.md").rename(other)
    kept = []
    real = CorpusIndex.keep_listing
    monkeypatch.setattr(CorpusIndex, "keep_listing", lambda self, *a: kept.append(1) or real(self, *a))
    corpus, _ = load(tmp_path, folder)
    expected = {"edit": ["a0", "a1", "a2"], "in place": ["a0", "a1", "a2"], "time put back": ["a0", "a1", "a2"],
                "add": ["a0", "a1", "a2", "a3"],
                "remove": ["a0", "a1"], "rename": ["a0", "a2", "a1"], "swap": ["a0", "a2", "a1"]}[change]
    assert list(corpus.articles) == expected
    if change in ("edit", "in place", "time put back"):
        assert corpus.get("a1").title.endswith("B1")
    if change in ("rename", "swap"):
        assert corpus.get("a1").path == ("articles/c1.md" if change == "rename" else "articles/a2.md")
    assert kept == []  # the new state is not remembered until every file comes from a fresh row


def test_an_edit_whose_old_time_was_put_back_changes_the_listing(tmp_path):
    # Same name, size and modification time: the status-change time (set by the write and by utime) tells.
    from reegen.corpus.index import listing_key

    folder = make(tmp_path)
    settle(folder)
    key = listing_key(os.scandir(folder), "articles")
    path = folder / "a1.md"
    stat = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("A1", "B1"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns
    assert listing_key(os.scandir(folder), "articles") != key


def test_a_folder_changed_within_two_seconds_is_not_remembered(tmp_path):
    """A write in the same clock tick as a file's recorded time would not change it: such a listing is not kept."""
    from reegen.corpus.index import CorpusIndex

    folder = make(tmp_path)
    load(tmp_path, folder)
    load(tmp_path, folder)
    index = CorpusIndex(tmp_path / CACHE_DIR / "corpus.sqlite")
    assert index.open(facts=False)
    try:
        assert index.db.execute("SELECT count(*) FROM meta WHERE key = 'listing'").fetchone()[0] == 0
    finally:
        index.close()


def test_a_first_load_keeps_the_hash_of_the_bytes_it_parsed_without_reading_them_again(tmp_path, monkeypatch):
    import hashlib
    import sqlite3

    from reegen.corpus import index as index_module

    folder = make(tmp_path)
    (folder / "latin1.md").write_bytes(b"---\ntitle: caf\xe9\n---\n")  # not UTF-8: unusable, yet hashed
    monkeypatch.setattr(index_module, "file_sha256", lambda path: pytest.fail(f"{path} read a second time"))
    load(tmp_path, folder)
    with sqlite3.connect(tmp_path / CACHE_DIR / "corpus.sqlite") as db:
        stored = dict(db.execute("SELECT path, sha256 FROM files"))
    assert stored == {f"articles/{p.name}": hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


def test_a_row_read_within_the_clock_tick_of_its_file_is_checked_by_its_bytes(tmp_path, monkeypatch):
    # Size and time alone cannot tell a same-size write in the same tick of a coarse clock: such a row is hashed.
    from reegen.corpus import index as index_module

    folder = make(tmp_path)
    load(tmp_path, folder)  # every file written moments ago
    path = folder / "a1.md"
    stat = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("A1", "B1"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # what a coarse clock would have left
    corpus, _ = load(tmp_path, folder)
    assert corpus.get("a1").title == "B1"
    settle(folder)  # older than two seconds when read: trusted by size and time, no file hashed
    load(tmp_path, folder)
    monkeypatch.setattr(index_module, "file_sha256", lambda p: pytest.fail(f"{p} hashed"))
    corpus, _ = load(tmp_path, folder)
    assert corpus.get("a1").title == "B1"


def test_what_changed_since_a_build_is_read_through_an_index_not_a_scan(tmp_path):
    from reegen.corpus.index import CorpusIndex

    folder = make(tmp_path)
    load(tmp_path, folder)
    index = CorpusIndex(tmp_path / CACHE_DIR / "corpus.sqlite")
    assert index.open()
    try:
        position = index.position
        statements = []
        index.db.set_trace_callback(statements.append)
        assert index.changed_since(position) == []
        index.db.set_trace_callback(None)
        plans = [" ".join(str(row[-1]) for row in index.db.execute("EXPLAIN QUERY PLAN " + sql))
                 for sql in statements if sql.lstrip().upper().startswith("SELECT")]
        assert plans and all("files_changed" in plan for plan in plans)
    finally:
        index.close()
