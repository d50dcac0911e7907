"""Watching inputs: change batching, which paths count as inputs, and `watch` rebuilding as files change."""

from __future__ import annotations

import queue
import threading

import pytest

from reegen import watch as watch_module
from reegen.project import load_project
from reegen.watch import Batcher, input_filter
from tests.conftest import article_text

SPEC = "title: T\narticles: [a]\nsections: [{title: S, from: lead}]\n"
#: the longest a test waits for a file event to come through (a bound, not a measurement)
WAIT = 30


def test_a_burst_of_events_is_one_batch_once_the_files_are_quiet():
    batcher = Batcher(quiet=0.25, max_wait=2.0)
    batcher.add("a.md", now=10.0)
    batcher.add("a.md", now=10.1)
    batcher.add("b.md", now=10.2)
    assert batcher.due(now=10.3) is None  # still within the quiet time of the last event
    assert batcher.due(now=10.5) == {"a.md", "b.md"}
    assert batcher.due(now=20.0) is None  # handed on once


def test_a_file_written_without_pause_is_still_handed_on_after_the_longest_wait():
    batcher = Batcher(quiet=0.25, max_wait=2.0)
    for step in range(25):
        batcher.add("a.md", now=10.0 + step * 0.1)
        if step * 0.1 < 2.0:
            assert batcher.due(now=10.0 + step * 0.1) is None
    assert batcher.due(now=12.4) == {"a.md"}


def test_the_wait_time_is_what_is_left_of_the_quiet_time():
    batcher = Batcher(quiet=0.25, max_wait=2.0)
    assert batcher.wait_time(now=5.0) is None
    batcher.add("a.md", now=5.0)
    assert batcher.wait_time(now=5.1) == pytest.approx(0.15)
    assert batcher.wait_time(now=9.0) == 0.0


def test_inputs_are_articles_specs_templates_and_settings_not_outputs_caches_or_scratch_files(make_project):
    spec = make_project({"a": article_text("a")}, SPEC)
    root = spec.parents[1]
    is_input = input_filter(load_project(spec))
    for rel in ("articles/a.md", "briefs/brief.yaml", "templates/executive/layout.md.j2", "reegen.toml",
                "sources.yaml"):
        assert is_input(str(root / rel)), rel
    for rel in ("output/brief.pdf", "output/brief.manifest.json", ".reegen-cache/corpus.sqlite",
                ".reegen-cache/preview/html/brief.html", "articles/.a.md.swp", "articles/a.md~",
                "briefs/4913", "notes.txt", ".git/index"):
        assert not is_input(str(root / rel)), rel


def test_a_spec_kept_outside_briefs_is_an_input_when_named(make_project):
    spec = make_project({"a": article_text("a")}, SPEC)
    draft = spec.parents[1] / "drafts" / "draft.yaml"
    assert not input_filter(load_project(spec))(str(draft))
    assert input_filter(load_project(spec), (draft,))(str(draft))
    assert not input_filter(load_project(spec), (draft,))(str(draft.with_name("other.yaml")))


def _start(paths, **options):
    """Run `watch` in a thread; return its reports queue and the event that stops it."""
    reports: queue.Queue = queue.Queue()
    started = threading.Event()
    stop = threading.Event()
    thread = threading.Thread(target=watch_module.watch, args=(paths,),
                              kwargs={**options, "report": reports.put, "stop": stop,
                                      "on_start": lambda project: started.set()}, daemon=True)
    thread.start()
    assert started.wait(WAIT)
    return reports, stop, thread


def _next(reports: queue.Queue):
    return reports.get(timeout=WAIT)


def test_watch_rebuilds_on_a_change_reports_a_repeated_failure_once_and_builds_new_specs(make_project, tmp_path):
    # Regression (issue 24): errors printed every second, a stray "up to date" after each
    # rebuild, and a spec added while watching never built.
    spec = make_project({"a": article_text("a"), "b": article_text("b")}, SPEC)
    root = spec.parents[1]
    reports, stop, thread = _start([spec], formats=["md"], out_dir=tmp_path / "out", specs_dir=root / "briefs")
    try:
        first = _next(reports)
        assert first.changes == [] and [o.skipped for o in first.outcomes] == [False]

        (root / "articles" / "a.md").write_text(article_text("a", body="Changed lead.\n"), encoding="utf-8")
        changed = _next(reports)
        assert changed.changes == ["articles/a.md"]
        assert [(o.spec, o.skipped, o.errors) for o in changed.outcomes] == [(str(spec), False, [])]
        assert "Changed lead" in (tmp_path / "out" / "brief.md").read_text(encoding="utf-8")

        spec.write_text(SPEC.replace("articles: [a]", "articles: [nope]"), encoding="utf-8")
        broken = _next(reports)
        assert [str(d) for o in broken.outcomes for d in o.errors] == [
            "briefs/brief.yaml:2: error: unknown article 'nope' [spec.unknown-article]"]

        (root / "articles" / "b.md").write_text(article_text("b", body="Other.\n"), encoding="utf-8")
        again = _next(reports)
        assert again.outcomes == [] and again.still_failing == [str(spec)]

        new = root / "briefs" / "second.yaml"
        new.write_text(SPEC.replace("[a]", "[b]"), encoding="utf-8")
        added = _next(reports)
        assert [o.spec for o in added.outcomes] == [str(new)] and not added.outcomes[0].skipped
        assert (tmp_path / "out" / "second.md").is_file()
    finally:
        stop.set()
        thread.join(WAIT)
    assert not thread.is_alive()


def test_watch_stops_when_asked_after_the_first_build(make_project, tmp_path):
    spec = make_project({"a": article_text("a")}, SPEC)
    stop = threading.Event()
    stop.set()
    reports = []
    watch_module.watch([spec], formats=["md"], out_dir=tmp_path / "out", report=reports.append, stop=stop)
    assert [[o.skipped for o in r.outcomes] for r in reports] == [[False]]


def test_a_file_named_in_reegen_toml_after_watching_began_is_watched_too(make_project):
    from reegen.watch import Watcher

    spec = make_project({"a": article_text("a")}, SPEC)
    root = spec.parents[1]
    with Watcher(load_project(spec)) as watcher:
        (root / "reegen.toml").write_text('sources = "registry.yaml"\n', encoding="utf-8")
        assert watcher.next_batch(timeout=WAIT) == ["reegen.toml"]
        (root / "registry.yaml").write_text("{}\n", encoding="utf-8")
        assert watcher.next_batch(timeout=WAIT) == ["registry.yaml"]
