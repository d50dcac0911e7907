"""A cold load of many articles parsed by worker processes: the serial load's outcome, and a serial fallback."""

import concurrent.futures
import importlib.util
import multiprocessing
import os
import sqlite3
import types

import pytest

from reegen.cache import CACHE_DIR
from reegen.corpus import _parallel, load_corpus
from reegen.corpus.index import refresh
from reegen.errors import Report
from reegen.parse import parse_body
from tests.conftest import article_text

N = 60  # files; the test lowers the threshold and the chunk so that a few files make several chunks


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(_parallel, "PARALLEL_MIN", 10)
    monkeypatch.setattr(_parallel, "CHUNK", 7)
    monkeypatch.setattr(_parallel, "MAX_WORKERS", 2)
    monkeypatch.setattr(_parallel, "usable_cpus", lambda: 2)
    monkeypatch.setattr(_parallel, "runs", {"parallel": 0, "serial": 0})
    return _parallel.runs


def make(root):
    """A corpus of good files and bad ones (errors and warnings on known lines), and a duplicate id."""
    folder = root / "articles"
    folder.mkdir(parents=True)
    for i in range(N):
        name = f"a{i:03d}.md"
        if i % 11 == 3:
            text = "no front matter\n"
        elif i % 11 == 5:
            text = "---\ntitle: [unclosed\n---\nBody.\n"
        elif i % 11 == 7:
            text = article_text(f"a{i:03d}", extra="colour: blue\n", body=f"Lead {i}.\n")
        elif i == 20:
            text = article_text("a019", body="Same id as the file before.\n")
        else:
            text = article_text(f"a{i:03d}", title=f"Title {i}", body=f"Lead {i}.\n\n## Highlights\n- point {i}\n")
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "a008.md").write_bytes(b"---\nid: a008\ntitle: Bad \xff byte\n---\nBody.\n")
    return folder


def outcome(root, folder, cache=True):
    report = Report()
    corpus = load_corpus(folder, report, root=root, cache=cache)
    articles = [(a.id, a.title, a.path, a.key_lines, a.search_text, parse_body(a, Report()).sections) for a in corpus]
    rows = None
    if cache:
        with sqlite3.connect(root / CACHE_DIR / "corpus.sqlite") as db:
            rows = db.execute("SELECT path, size, sha256, article, diagnostics, search, id, tags, published, "
                              "publisher FROM files ORDER BY path").fetchall()
        # A row keeps its file's full path: the same but for the project's folder.
        rows = [tuple(v.replace(str(root), "<root>") if isinstance(v, str) else v for v in row) for row in rows]
    return [str(d) for d in report], articles, dict(corpus.failed), rows


@pytest.mark.parametrize("cache", [True, False], ids=["indexed", "no-cache"])
def test_workers_give_the_serial_load_s_rows_messages_and_order(tmp_path, small_chunks, monkeypatch, cache):
    serial_root, parallel_root = tmp_path / "serial", tmp_path / "parallel"
    make(serial_root), make(parallel_root)
    monkeypatch.setattr(_parallel, "usable_cpus", lambda: 1)
    serial = outcome(serial_root, serial_root / "articles", cache)
    assert small_chunks == {"parallel": 0, "serial": 1}
    monkeypatch.setattr(_parallel, "usable_cpus", lambda: 2)
    parallel = outcome(parallel_root, parallel_root / "articles", cache)
    assert small_chunks == {"parallel": 1, "serial": 1}  # the workers really parsed
    messages = parallel[0]
    assert any("articles/a003.md:1: error" in m for m in messages)
    assert any(m.startswith("articles/a005.md:2") for m in messages)
    assert any("articles/a007.md:" in m and "colour" in m for m in messages)
    assert any("articles/a020.md:" in m and "duplicate article id 'a019'" in m for m in messages)
    assert any(m.startswith("articles/a008.md") for m in messages)
    assert serial == parallel
    # The paths in rows and messages are the project's, whatever folder the workers ran in.
    assert str(parallel_root) not in "".join(messages)


def test_refresh_parses_with_workers_and_keeps_the_same_rows(tmp_path, small_chunks, monkeypatch):
    serial_root, parallel_root = tmp_path / "serial", tmp_path / "parallel"
    make(serial_root), make(parallel_root)
    monkeypatch.setattr(_parallel, "usable_cpus", lambda: 1)
    refresh(serial_root, serial_root / "articles").close()
    monkeypatch.setattr(_parallel, "usable_cpus", lambda: 2)
    refresh(parallel_root, parallel_root / "articles").close()
    assert small_chunks == {"parallel": 1, "serial": 1}
    # The loads that follow take every file from its row: same outcome both ways.
    assert outcome(serial_root, serial_root / "articles") == outcome(parallel_root, parallel_root / "articles")


def test_a_few_files_are_parsed_in_the_loading_process(tmp_path, small_chunks, monkeypatch):
    monkeypatch.setattr(_parallel, "PARALLEL_MIN", N + 10)
    make(tmp_path)
    outcome(tmp_path, tmp_path / "articles")
    assert small_chunks == {"parallel": 0, "serial": 1}


def test_one_cpu_parses_in_the_loading_process(tmp_path, small_chunks, monkeypatch):
    monkeypatch.setattr(_parallel, "usable_cpus", lambda: 1)
    make(tmp_path)
    outcome(tmp_path, tmp_path / "articles")
    assert small_chunks == {"parallel": 0, "serial": 1}


def _load_in_daemon(root, queue):
    _parallel.PARALLEL_MIN, _parallel.CHUNK = 10, 7
    _parallel.usable_cpus = lambda: 2
    report = Report()
    corpus = load_corpus(root / "articles", report, root=root)
    queue.put((dict(_parallel.runs), len(corpus), len(report.diagnostics)))


def test_a_daemonic_worker_parses_in_its_own_process(tmp_path, small_chunks):
    # As `build -j 2` runs builds: a daemonic process may not start children of its own.
    make(tmp_path)
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=_load_in_daemon, args=(tmp_path, queue), daemon=True)
    child.start()
    runs, count, problems = queue.get(timeout=60)
    child.join(60)
    assert runs == {"parallel": 0, "serial": 1}
    assert (count, problems) == (len(outcome(tmp_path, tmp_path / "articles")[1]), len(outcome(tmp_path, tmp_path / "articles")[0]))


def _load_in_worker(root):
    _parallel.PARALLEL_MIN, _parallel.CHUNK = 10, 7
    _parallel.usable_cpus = lambda: 2
    report = Report()
    corpus = load_corpus(root / "articles", report, root=root)
    return dict(_parallel.runs), len(corpus), len(report.diagnostics)


def test_a_build_j_worker_parses_in_its_own_process(tmp_path, small_chunks):
    # `build --all -j 2` builds in a ProcessPoolExecutor's workers (not daemonic): they share the CPUs already.
    make(tmp_path)
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        runs, count, problems = pool.submit(_load_in_worker, tmp_path).result(timeout=60)
    assert runs == {"parallel": 0, "serial": 1}
    serial = outcome(tmp_path, tmp_path / "articles")
    assert (count, problems) == (len(serial[1]), len(serial[0]))


def test_a_pool_that_cannot_start_leaves_the_parse_to_the_loading_process(tmp_path, small_chunks, monkeypatch):
    serial_root, failing_root = tmp_path / "serial", tmp_path / "failing"
    make(serial_root), make(failing_root)
    monkeypatch.setattr(_parallel, "usable_cpus", lambda: 1)
    serial = outcome(serial_root, serial_root / "articles")

    def refuse(*args, **kwargs):
        raise OSError("no processes left")

    monkeypatch.setattr(_parallel, "usable_cpus", lambda: 2)
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", refuse)
    assert outcome(failing_root, failing_root / "articles") == serial
    assert small_chunks == {"parallel": 0, "serial": 2}


def _die(jobs, encode):
    if any(path.endswith("a030.md") for path, _ in jobs):
        os._exit(3)  # as a worker killed by the system, after others parsed their chunks
    return _parallel._parse_chunk(jobs, encode)


def test_a_pool_that_breaks_midway_leaves_the_rest_to_the_loading_process(tmp_path, small_chunks, monkeypatch):
    serial_root, broken_root = tmp_path / "serial", tmp_path / "broken"
    make(serial_root), make(broken_root)
    monkeypatch.setattr(_parallel, "usable_cpus", lambda: 1)
    serial = outcome(serial_root, serial_root / "articles")
    monkeypatch.setattr(_parallel, "usable_cpus", lambda: 2)
    monkeypatch.setattr(_parallel, "_parse_chunk", _die)
    assert outcome(broken_root, broken_root / "articles") == serial
    assert small_chunks["parallel"] == 1


@pytest.mark.parametrize("script, importable", [
    ("import sys\nfrom reegen.cli import run\nif __name__ == '__main__':\n    sys.exit(run())\n", True),
    ('"""A tool."""\ndef main():\n    pass\n\nif __name__ == "__main__":\n    main()\n', True),
    ("from reegen.corpus import load_corpus\nload_corpus('articles', None)\n", False),
    ("corpus = 1\n", False),
    ("if __name__ != '__main__':\n    pass\n", False),
    ("def broken(:\n", False),
])
def test_a_main_script_that_would_run_again_in_a_worker_keeps_the_parse_in_its_process(tmp_path, script, importable):
    path = tmp_path / "tool.py"
    path.write_text(script, encoding="utf-8")
    main = types.ModuleType("__main__")
    main.__file__, main.__spec__ = str(path), None
    assert _parallel.main_is_importable(main) is importable


def test_a_package_run_with_dash_m_or_no_script_may_have_workers(tmp_path):
    main = types.ModuleType("__main__")
    main.__spec__ = importlib.util.find_spec("reegen.__main__")
    assert _parallel.main_is_importable(main)
    main.__spec__ = importlib.util.find_spec("reegen.corpus.parse")  # `python -m reegen.corpus.parse` runs it again
    assert not _parallel.main_is_importable(main)
    bare = types.ModuleType("__main__")  # python -c, a prompt
    bare.__spec__ = None
    assert _parallel.main_is_importable(bare)
    bare.__file__ = str(tmp_path / "gone.py")  # a main file that cannot be read again (stdin)
    assert not _parallel.main_is_importable(bare)


def test_a_load_under_such_a_script_parses_in_its_own_process(tmp_path, small_chunks, monkeypatch):
    monkeypatch.setattr(_parallel, "main_is_importable", lambda main: False)
    make(tmp_path)
    outcome(tmp_path, tmp_path / "articles")
    assert small_chunks == {"parallel": 0, "serial": 1}
