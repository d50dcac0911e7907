"""`reegen index`: the index brought up to date on demand, and `--watch` serving builds of the project."""

import os
from contextlib import contextmanager
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from reegen import api
from reegen.cli import cli
from reegen.corpus import watcher as watching
from tests.conftest import article_text

SELECT_SPEC = ("title: T\ndate: 2025-08-01\narticles: [{select: {tags: [baotou], limit: 2}}]\n"
               "sections: [{title: S, from: lead}]\n")


def settled_project(make_project, n=4):
    path = make_project({f"a{i}": article_text(f"a{i}", title=f"Title A{i}", published=f"2025-07-0{i + 1}")
                         for i in range(n)}, SELECT_SPEC)
    for file in (path.parents[1] / "articles").iterdir():
        st = file.stat()
        os.utime(file, ns=(st.st_atime_ns, st.st_mtime_ns - 3600 * 10**9))
    return path


def test_index_reports_what_it_indexed(make_project):
    path = settled_project(make_project)
    (path.parents[1] / "articles" / "bad.md").write_text("---\nid: bad\ntitle: [unclosed\n---\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--project", str(path.parents[1]), "index"])
    assert result.exit_code == 1
    assert "articles/bad.md:" in result.stderr and "error:" in result.stderr
    assert "indexed articles/: 4 articles, 1 file(s) not usable, 1 error(s); 5 file(s) in .reegen-cache/corpus.sqlite" \
        in result.stdout
    (path.parents[1] / "articles" / "bad.md").unlink()
    result = CliRunner().invoke(cli, ["--project", str(path.parents[1]), "index"])
    assert result.exit_code == 0, result.output
    assert "indexed articles/: 4 articles; 4 file(s)" in result.stdout and "a watcher" not in result.stdout


def test_index_watch_refuses_a_folder_it_cannot_trust(make_project, monkeypatch):
    path = settled_project(make_project)
    monkeypatch.setattr(watching, "why_not_watchable", lambda folder: "it is on a nfs4 file system")
    result = CliRunner().invoke(cli, ["--project", str(path.parents[1]), "index", "--watch"])
    assert result.exit_code == 1
    assert "cannot start a watcher" in result.stderr and "nfs4" in result.stderr


@contextmanager
def watcher_process(root: Path):
    """Run `reegen index --watch` on `root` until the block ends (killed then if still running)."""
    process = start_watcher(root)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        process.stdout.close()
        process.stderr.close()


def start_watcher(root: Path) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-m", "reegen", "--project", str(root), "index", "--watch"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stderr.readline()  # "watching articles/ ...", once it answers
    assert line.startswith("watching articles/"), line + process.stderr.read()
    return process


#: the tests that run a real watcher need Linux inotify on a local disk
needs_watcher = pytest.mark.skipif(watching.why_not_watchable(Path(__file__).parent) is not None,
                                   reason="no trusted watcher on this machine (not Linux inotify on a local disk)")


@needs_watcher
def test_builds_with_the_watcher_running_skip_the_listing_and_stay_correct(make_project, monkeypatch):
    import reegen.corpus
    import reegen.corpus.index

    monkeypatch.setattr(reegen.corpus.index, "WATCH_MIN", 0)  # four articles: asks as a large folder would
    path = settled_project(make_project)
    root = path.parents[1]
    with watcher_process(root) as process:
        assert "indexed articles/: 4 articles" in process.stdout.readline()
        calls = []
        real = reegen.corpus.index.listing_key
        monkeypatch.setattr(reegen.corpus.index, "listing_key", lambda *a: calls.append(1) or real(*a))
        monkeypatch.setattr(reegen.corpus, "listing_key", lambda *a: calls.append(1) or real(*a))
        first = api.build(path, formats=["md"], force=True)
        assert calls == []  # the watcher vouched for the listing `reegen index` kept
        assert "Title A3" in first.outputs["md"].read_text(encoding="utf-8")
        assert api.build(path, formats=["md"]).skipped and calls == []
        told = CliRunner().invoke(cli, ["--project", str(root), "index"])
        assert "a watcher (reegen index --watch) answers" in told.stdout and calls == []

        article = root / "articles" / "a3.md"
        st = article.stat()
        article.write_text(article_text("a3", title="Title B3", published="2025-07-04"), encoding="utf-8")
        os.utime(article, ns=(st.st_atime_ns, st.st_mtime_ns))  # its old time put back, the same size
        second = api.build(path, formats=["md"])
        assert not second.skipped and calls  # the watcher saw the write: listed, rebuilt
        assert "Title B3" in second.outputs["md"].read_text(encoding="utf-8")

        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
        assert not watching.socket_path(root).exists()


@needs_watcher
def test_a_killed_watcher_leaves_builds_correct_and_a_new_one_can_start(make_project):
    path = settled_project(make_project)
    root = path.parents[1]
    with watcher_process(root) as process:
        api.build(path, formats=["md"])
        assert watching.socket_path(root).exists()
        process.kill()  # no chance to remove its socket
        process.wait()
        (root / "articles" / "a3.md").write_text(article_text("a3", title="Title B3", published="2025-07-04"),
                                                 encoding="utf-8")
        result = api.build(path, formats=["md"])
        assert not result.skipped and "Title B3" in result.outputs["md"].read_text(encoding="utf-8")
    with watcher_process(root) as second:
        second.terminate()
        assert second.wait(timeout=10) == 0


@needs_watcher
def test_the_watcher_stops_when_its_socket_is_removed(make_project):
    """`rm -rf .reegen-cache` takes the socket: a watcher nobody can ask says so and stops."""
    import shutil

    path = settled_project(make_project)
    root = path.parents[1]
    with watcher_process(root) as process:
        shutil.rmtree(root / ".reegen-cache")
        assert process.wait(timeout=10) == 1
        assert "was removed" in process.stderr.read()


@needs_watcher
def test_the_watcher_stops_when_its_folder_is_replaced(make_project):
    path = settled_project(make_project)
    root = path.parents[1]
    with watcher_process(root) as process:
        (root / "articles").rename(root / "articles-old")
        (root / "articles").mkdir()
        assert process.wait(timeout=10) == 1
        assert "the watched folder is gone" in process.stderr.read()
