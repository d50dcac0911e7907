"""`ingest_paths`: files written once, unique ids, no silent overwrite, dry runs, speed."""

from __future__ import annotations

import functools
import shutil
from collections import Counter

import pytest

from reegen.errors import ArticleError, BuildFailed
import reegen.ingest as ingest
from reegen.ingest import Overrides, ingest_paths

from .conftest import FIXTURES, seed_path


def copy_fixture(tmp_path, name: str, as_name: str | None = None):
    target = tmp_path / "in" / (as_name or name)
    target.parent.mkdir(exist_ok=True)
    shutil.copy(FIXTURES / name, target)
    return target


def test_each_path_becomes_one_article_named_by_its_id(tmp_path):
    sources = [copy_fixture(tmp_path, "no_title.txt"), copy_fixture(tmp_path, "references.txt")]
    results = ingest_paths(sources, tmp_path / "articles")
    assert [r.status for r in results] == ["written", "written"]
    assert sorted(p.name for p in (tmp_path / "articles").iterdir()) == sorted(f"{r.article_id}.md" for r in results)
    assert results[1].target.read_text(encoding="utf-8") == results[1].text


def test_the_same_article_twice_in_one_call_gets_unique_ids(tmp_path):
    sources = [copy_fixture(tmp_path, "no_title.txt", f"copy{i}.txt") for i in range(3)]
    results = ingest_paths(sources, tmp_path / "articles")
    ids = [r.article_id for r in results]
    assert len(set(ids)) == 3 and ids[1] == ids[0] + "-2" and ids[2] == ids[0] + "-3"
    assert f"id: {ids[1]}\n" in results[1].text


def test_an_existing_article_is_not_overwritten_without_force(tmp_path):
    source = copy_fixture(tmp_path, "no_title.txt")
    out = tmp_path / "articles"
    [first] = ingest_paths([source], out)
    first.target.write_text("edited by hand\n", encoding="utf-8")
    with pytest.raises(BuildFailed) as info:
        ingest_paths([source], out)
    assert "already exists" in str(info.value) and "--force" in str(info.value)
    assert first.target.read_text(encoding="utf-8") == "edited by hand\n"
    [again] = ingest_paths([source], out, force=True)
    assert again.status == "written" and again.target.read_text(encoding="utf-8") == first.text


def test_the_other_inputs_are_written_when_one_of_several_fails(tmp_path):
    good = copy_fixture(tmp_path, "no_title.txt")
    with pytest.raises(BuildFailed) as info:
        ingest_paths([good, tmp_path / "missing.txt"], tmp_path / "articles")
    assert "cannot read" in str(info.value)
    [written] = info.value.results
    assert written.status == "written" and written.target.exists()
    assert [p.name for p in (tmp_path / "articles").iterdir()] == [written.target.name]


def test_reingesting_written_articles_in_place_leaves_them_unchanged(tmp_path):
    out = tmp_path / "articles"
    written = ingest_paths([copy_fixture(tmp_path, n) for n in ("page.html", "cjk.txt", "references.txt")], out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    again = ingest_paths([r.target for r in written], out)
    assert [r.status for r in again] == ["unchanged"] * 3
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_dry_run_writes_nothing(tmp_path):
    results = ingest_paths([copy_fixture(tmp_path, "no_title.txt")], tmp_path / "articles", dry_run=True)
    assert results[0].status == "dry-run" and results[0].text.startswith("---\nid: ")
    assert not (tmp_path / "articles").exists()


def test_an_id_override_with_several_paths_is_refused(tmp_path):
    sources = [copy_fixture(tmp_path, "no_title.txt"), copy_fixture(tmp_path, "references.txt")]
    with pytest.raises(ArticleError):
        ingest_paths(sources, tmp_path / "articles", overrides=Overrides(id="one"))


def test_a_thousand_raw_articles_are_each_read_parsed_and_written_once(tmp_path, monkeypatch):
    # Five articles two hundred times over: every copy gets an id of its own, and the work
    # grows with the inputs (one parse and one write each), however many share an id.
    inputs = tmp_path / "in"
    inputs.mkdir()
    for i in range(5):
        data = seed_path(f"{i:03d}").read_bytes()
        for n in range(200):
            (inputs / f"{i}-{n}.txt").write_bytes(data)
    calls = Counter()
    for name in ("parse_source", "write_atomic"):
        real = getattr(ingest, name)
        monkeypatch.setattr(ingest, name, functools.partial(_counted, calls, name, real))
    results = ingest_paths(sorted(inputs.iterdir()), tmp_path / "articles")
    assert len(results) == 1000 and len({r.article_id for r in results}) == 1000
    assert calls == {"parse_source": 1000, "write_atomic": 1000}
    assert len(list((tmp_path / "articles").iterdir())) == 1000


def _counted(calls: Counter, name: str, real, *args, **kwargs):
    calls[name] += 1
    return real(*args, **kwargs)
