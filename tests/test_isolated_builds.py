"""Builds from programs with threads (`build --watch`, `reegen preview`) keep a template's limits."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

from reegen.batch import IsolatedBuilder

CASES = Path(__file__).resolve().parent / "cases"


def test_a_memory_bomb_is_refused_when_the_caller_has_threads(tmp_path):
    # In this process a template's memory limit is off once another thread runs; the worker keeps it.
    project = tmp_path / "case"
    shutil.copytree(CASES / "template-string-doubling", project, ignore=shutil.ignore_patterns("expected"))
    other = threading.Event()
    helper = threading.Thread(target=other.wait)
    helper.start()
    try:
        assert threading.active_count() > 1
        with IsolatedBuilder() as builder:
            outcome = builder.build(str(project / "briefs" / "brief.yaml"), ["md"], str(tmp_path / "out"), False, True)
            again = builder.build(str(project / "briefs" / "brief.yaml"), ["md"], str(tmp_path / "out"), False, True)
    finally:
        other.set()
        helper.join()
    assert [d.code for d in outcome.errors] == ["template.memory"]
    assert [d.code for d in again.errors] == ["template.memory"]  # the same worker, still usable
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


# `build --all -j N`: workers forked from a process that loaded the writers and fonts once.

_PROBE = """
import json, sys
from concurrent.futures import ProcessPoolExecutor
from reegen import batch
from tests.test_isolated_builds import loaded_in_worker

context = batch._worker_context(["pdf"])
with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
    loaded = pool.submit(loaded_in_worker).result()
print(json.dumps({"method": context.get_start_method(), "loaded": loaded}))
"""


def loaded_in_worker() -> dict:
    """What a worker has loaded before it builds anything (run in the worker)."""
    import sys

    fonts = sys.modules.get("reegen.writers._pdf_fonts")
    return {"pdf writer": "reegen.writers.pdf" in sys.modules, "fonts": fonts is not None and fonts._bundled is not None}


def test_parallel_workers_start_with_the_pdf_writer_and_fonts_loaded():
    # A fresh single-threaded program (as `reegen build --all -j 2` is): the workers are forked
    # from it once it has loaded them, instead of each loading them again.
    import json
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-c", _PROBE], cwd=root, capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == {"method": "fork", "loaded": {"pdf writer": True, "fonts": True}}


def test_with_another_thread_running_workers_are_not_forked_from_it():
    helper, stop = _helper_thread()
    try:
        from reegen import batch

        assert batch._worker_context(["md"]).get_start_method() != "fork"
    finally:
        stop.set()
        helper.join()


def _helper_thread():
    stop = threading.Event()
    helper = threading.Thread(target=stop.wait)
    helper.start()
    return helper, stop


_BOMB_BATCH = """
import json, sys
from reegen import batch
outcomes = batch.build_many(sys.argv[1:3], formats=["md"], out_dir=sys.argv[3], force=True, jobs=2)
print(json.dumps([[d.code for d in o.errors] for o in outcomes] + [len(o.outputs) for o in outcomes]))
"""


def test_a_memory_bomb_is_refused_in_parallel_workers(tmp_path):
    # Forked from the program (no other thread) or, with a thread running, from the forkserver:
    # each worker keeps a template's memory limit, and the brief beside the bomb is built.
    import json
    import subprocess
    import sys

    project = tmp_path / "case"
    shutil.copytree(CASES / "template-string-doubling", project, ignore=shutil.ignore_patterns("expected"))
    plain = project / "briefs" / "plain.yaml"
    plain.write_text("title: T\narticles: [a]\nsections: [{title: Lead, from: lead}]\n", encoding="utf-8")
    specs = [str(project / "briefs" / "brief.yaml"), str(plain)]
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-c", _BOMB_BATCH, *specs, str(tmp_path / "forked")], cwd=root,
                          capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == [["template.memory"], [], 0, 1]

    from reegen import batch

    helper, stop = _helper_thread()
    try:
        outcomes = batch.build_many(specs, formats=["md"], out_dir=str(tmp_path / "served"), force=True, jobs=2)
    finally:
        stop.set()
        helper.join()
    assert [[d.code for d in o.errors] for o in outcomes] == [["template.memory"], []]
    assert len(outcomes[1].outputs) == 1


def test_the_progress_bar_starts_no_thread_that_would_stop_the_workers_being_forked():
    from reegen.cli.build import _progress_bar

    before = threading.active_count()
    bar = _progress_bar(3)
    try:
        assert threading.active_count() == before
    finally:
        bar.close()
