"""`build_many`: briefs built in a row share what each would open again."""

from __future__ import annotations

import threading

from reegen import api, batch
from reegen.cache import _store
from tests.conftest import article_text

SPEC = "title: T\narticles: [a]\nsections: [{title: S, from: lead}]\n"


def _specs(make_project, n: int):
    first = make_project({"a": article_text("a")}, SPEC)
    specs = [first]
    for i in range(1, n):
        other = first.with_name(f"brief{i}.yaml")
        other.write_text(SPEC.replace("title: T", f"title: T{i}"), encoding="utf-8")
        specs.append(other)
    return specs


def _counting_connects(monkeypatch) -> list:
    opened = []
    real = _store.connect

    def counting(db_path, **kwargs):
        opened.append(db_path)
        return real(db_path, **kwargs)

    monkeypatch.setattr(_store, "connect", counting)
    return opened


def test_a_row_of_no_op_builds_opens_the_yaml_cache_once(make_project, monkeypatch):
    specs = _specs(make_project, 4)
    batch.build_many(specs, formats=["md"])
    opened = _counting_connects(monkeypatch)
    outcomes = batch.build_many(specs, formats=["md"])
    assert [o.skipped for o in outcomes] == [True] * 4
    assert len(opened) == 1
    assert api._kept == {}  # closed when the row ended


def test_builds_in_a_row_still_read_each_spec_as_it_is_now(make_project):
    specs = _specs(make_project, 3)
    batch.build_many(specs, formats=["md"])
    with api.keeping_caches_open():
        assert api.build(specs[1], formats=["md"]).skipped
        specs[1].write_text(SPEC.replace("title: T", "title: Changed"), encoding="utf-8")
        rebuilt = api.build(specs[1], formats=["md"])
        assert not rebuilt.skipped and rebuilt.document.meta.title == "Changed"
        assert api.build(specs[1], formats=["md"]).skipped


def test_another_thread_opens_its_own(make_project, monkeypatch):
    specs = _specs(make_project, 2)
    batch.build_many(specs, formats=["md"])
    opened = _counting_connects(monkeypatch)
    results = []
    with api.keeping_caches_open():
        api.build(specs[0], formats=["md"])
        worker = threading.Thread(target=lambda: results.append(api.build(specs[1], formats=["md"]).skipped))
        worker.start()
        worker.join()
        api.build(specs[1], formats=["md"])
    assert results == [True]
    assert len(opened) == 2  # the kept one, and the other thread's own (closed after its build)
