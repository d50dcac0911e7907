"""The garbage collector is paused while a brief is built when the program asks, and always comes back as it was."""

from __future__ import annotations

import gc
import threading

import pytest

from reegen import api, collector
from tests.conftest import article_text

SPEC = "title: T\narticles: [a, b]\nsections: [{title: S, from: lead}]\n"


@pytest.fixture(autouse=True)
def collector_state():
    """Every test starts with the collector on, nothing held and pauses asked for, and leaves it on."""
    assert gc.isenabled()
    collector.pause_builds()
    yield
    collector.release()
    collector.pause_builds(False)
    gc.enable()


def test_a_pause_turns_the_collector_off_and_back_on():
    with collector.paused():
        assert not gc.isenabled()
        with collector.paused():  # nested, as a build's preparation is inside the build
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_failing_block_still_turns_it_back_on():
    with pytest.raises(ValueError), collector.paused():
        raise ValueError("a build failed")
    assert gc.isenabled()


def test_a_collector_turned_off_by_the_program_stays_off():
    gc.disable()
    with collector.paused():
        pass
    assert not gc.isenabled()


def test_overlapping_pauses_in_threads_resume_when_the_last_ends():
    first_in, second_done = threading.Event(), threading.Event()
    seen = []

    def first():
        with collector.paused():
            first_in.set()
            second_done.wait(5)
            seen.append(gc.isenabled())  # the other thread's pause has ended by now

    thread = threading.Thread(target=first)
    thread.start()
    first_in.wait(5)
    with collector.paused():
        pass
    second_done.set()
    thread.join(5)
    assert seen == [False]  # still off for the pause that had not ended
    assert gc.isenabled()


def test_held_it_stays_off_after_a_pause_until_released():
    collector.hold()
    with collector.paused():
        pass
    assert not gc.isenabled()
    with collector.paused():
        collector.release()  # a command that goes on building, released during a build
        assert not gc.isenabled()
    assert gc.isenabled()
    collector.hold()
    collector.release()
    assert gc.isenabled()


def test_unasked_a_pause_leaves_the_collector_alone():
    collector.pause_builds(False)  # a program that embeds reegen and never asked
    with collector.paused():
        assert gc.isenabled()
    gc.disable()
    with collector.paused():
        assert not gc.isenabled()
    gc.enable()


def collector_while_writing(path, tmp_path, monkeypatch) -> list[bool]:
    """Build spec `path` as a PDF; return whether the collector was on each time the writer ran."""
    seen = []
    render = api.get_writer("pdf").write

    def writing(document, options):
        seen.append(gc.isenabled())
        return render(document, options)

    monkeypatch.setattr(api, "get_writer", lambda fmt: type("W", (), {"write": staticmethod(writing)})())
    api.build(path, formats=["pdf"], out_dir=tmp_path / "out", force=True)
    return seen


def test_a_library_build_leaves_the_collector_alone(make_project, tmp_path, monkeypatch):
    collector.pause_builds(False)
    path = make_project({"a": article_text("a"), "b": article_text("b")}, SPEC)
    seen = collector_while_writing(path, tmp_path, monkeypatch)
    assert seen == [True] and gc.isenabled()


def test_a_build_pauses_it_and_leaves_it_on(make_project, tmp_path, monkeypatch):
    path = make_project({"a": article_text("a"), "b": article_text("b")}, SPEC)
    seen = collector_while_writing(path, tmp_path, monkeypatch)
    assert seen == [False] and gc.isenabled()
    with pytest.raises(api.ReegenError):
        api.build(tmp_path / "missing.yaml")
    assert gc.isenabled()
    api.validate([path])
    assert gc.isenabled()


def test_builds_one_after_another_leave_nothing_behind(make_project, tmp_path):
    # What one build leaves in reference cycles is freed once the pause ends, not kept.
    path = make_project({"a": article_text("a", body="Lead. " * 400), "b": article_text("b")}, SPEC)
    api.build(path, out_dir=tmp_path / "out", force=True)
    gc.collect()
    api.build(path, out_dir=tmp_path / "out", force=True)
    assert gc.collect() < 50  # already freed by the collection the pause's end allowed (a build leaves 400)


def test_commands_that_go_on_building_release_it(make_project, tmp_path):
    from reegen import batch, watch

    path = make_project({"a": article_text("a"), "b": article_text("b")}, SPEC)
    collector.hold()
    batch.build_many([path, path], out_dir=tmp_path / "many", force=True)
    assert gc.isenabled()
    collector.hold()
    batch.build_many([path], out_dir=tmp_path / "one", force=True)  # one build: the program ends after it
    assert not gc.isenabled()
    stop = threading.Event()
    stop.set()  # the first build only
    watch.watch([path], out_dir=tmp_path / "watched", stop=stop)
    assert gc.isenabled()
