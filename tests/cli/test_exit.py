"""How the `reegen` program ends: its status, its whole output, and a quick exit that loses nothing.

`reegen.cli.run` (the console script and `python -m reegen`) leaves with `os._exit`
once `main` has returned and stdout and stderr are flushed. These tests run the real
program in a subprocess, as a Makefile or a pre-commit hook would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from pypdf import PdfReader

from reegen.cli import cli
from tests.conftest import article_text

SPEC = "title: T\narticles: [a]\nsections: [{title: S, from: lead}]\n"


def reegen(*args: str, cwd: Path | None = None, prelude: str = "") -> subprocess.CompletedProcess:
    """Run the program as `python -m reegen` does, after `prelude` (Python run first in the same process)."""
    code = prelude + "\nfrom reegen.cli import run\nrun()\n"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # buffered, as a pipe usually is
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120)


def test_a_build_run_as_a_program_leaves_complete_outputs_and_says_so(make_project, tmp_path):
    path = make_project({"a": article_text("a", body="Lead text.\n\n" + "More text. " * 300 + "\n")}, SPEC)
    out = tmp_path / "out"
    result = reegen("build", str(path), "-o", str(out), cwd=path.parents[1])
    assert result.returncode == 0, result.stderr
    assert "brief.pdf" in result.stdout and "brief.docx" in result.stdout
    assert "More text." in PdfReader(out / "brief.pdf").pages[0].extract_text()
    manifest = json.loads((out / "brief.manifest.json").read_text(encoding="utf-8"))
    assert [o["path"].rsplit("/", 1)[-1] for o in manifest["outputs"]] == ["brief.pdf", "brief.docx"]


def test_exit_statuses_survive_the_quick_exit(make_project):
    path = make_project({"alpha": article_text("alpha")}, "title: T\narticles: [alpah]\nsections: [{title: S, from: lead}]\n")
    root = path.parents[1]
    failed = reegen("build", "briefs/brief.yaml", cwd=root)
    assert failed.returncode == 1
    assert failed.stderr.strip().splitlines() == [
        "briefs/brief.yaml:2: error: unknown article 'alpah'; did you mean 'alpha'? [spec.unknown-article]"]
    assert not (root / "output" / "brief.pdf").exists()
    assert reegen("build", "--no-such-option", cwd=root).returncode == 2
    assert reegen("validate", "briefs/brief.yaml", cwd=root).returncode == 1


def test_long_output_through_a_pipe_arrives_whole():
    # The schema is the longest thing reegen prints.
    expected = CliRunner().invoke(cli, ["schema"], catch_exceptions=False).stdout
    result = reegen("schema")
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected and expected.count("\n") > 100


def test_text_still_buffered_when_the_command_ends_is_flushed(tmp_path):
    # A command that fails prints only to stderr, so nothing flushes stdout on the way: the text
    # written first, unflushed, is still in its buffer when `main` returns, and must not be lost.
    prelude = "import sys\nsys.stdout.write('buffered\\n')"
    result = reegen("validate", str(tmp_path / "missing.yaml"), prelude=prelude)
    assert result.returncode in (1, 2), result.stderr
    assert result.stdout == "buffered\n"
    assert "missing.yaml" in result.stderr


def test_the_program_skips_interpreter_shutdown(tmp_path):
    # atexit handlers run only in a normal shutdown: the marker shows which exit was taken.
    marker = tmp_path / "shutdown-ran"
    prelude = f"import atexit, pathlib\natexit.register(pathlib.Path({str(marker)!r}).touch)"
    result = reegen("--version", prelude=prelude)
    assert result.returncode == 0 and "reegen" in result.stdout
    assert not marker.exists()


def test_a_tracer_or_a_running_thread_gets_the_normal_exit(tmp_path):
    # Coverage, debuggers and profilers write their results at shutdown; threads are joined then.
    # The thread lives until the interpreter's shutdown begins (which ends the main thread), however long the
    # command takes: a thread that slept a fixed time could end first on a loaded machine, and the test with it.
    for n, setup in enumerate(("import sys\nsys.settrace(lambda *a: None)",
                               "import threading\nthreading.Thread(target=threading.main_thread().join).start()")):
        marker = tmp_path / f"shutdown-ran-{n}"
        prelude = f"{setup}\nimport atexit, pathlib\natexit.register(pathlib.Path({str(marker)!r}).touch)"
        result = reegen("--version", prelude=prelude)
        assert result.returncode == 0, result.stderr
        assert marker.exists(), setup
