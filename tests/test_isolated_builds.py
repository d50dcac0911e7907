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
