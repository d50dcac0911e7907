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


def _yaml_table_kind(spec) -> str:
    """The kind of YAML cache table a build of `spec` gets (run in a forked worker)."""
    from reegen.project import load_project

    return type(api._yaml_cache(load_project(spec))).__name__


def test_a_process_forked_inside_the_block_does_not_use_its_parents_connection(make_project):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    specs = _specs(make_project, 2)
    batch.build_many(specs, formats=["md"])
    with api.keeping_caches_open():
        api.build(specs[0], formats=["md"])  # the connection is open now
        assert _yaml_table_kind(specs[0]) == "_KeptTable"
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
            assert pool.submit(_yaml_table_kind, specs[0]).result() == "CacheTable"
        outcomes = batch.build_many(specs, formats=["md"], jobs=2)
    assert [o.skipped for o in outcomes] == [True, True] and not any(o.errors for o in outcomes)


def test_parallel_builds_report_a_format_no_writer_serves_brief_by_brief(make_project):
    specs = _specs(make_project, 2)
    outcomes = batch.build_many(specs, formats=["nope"], jobs=2)
    assert [[d.code for d in o.errors] for o in outcomes] == [["build.unknown-format"]] * 2
