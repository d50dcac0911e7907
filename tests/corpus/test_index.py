"""The corpus index: same articles as parsing, re-parsed when a file changes, never required."""

import os
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
