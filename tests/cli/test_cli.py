"""The command line: exit statuses, located messages, no tracebacks without --debug."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from reegen.cli import cli
from tests.conftest import article_text

SPEC = "title: T\narticles: [a]\nsections: [{title: S, from: lead}]\n"


@pytest.fixture
def run():
    def invoke(*args, cwd=None):
        runner = CliRunner()
        old = os.getcwd()
        if cwd:
            os.chdir(cwd)
        try:
            return runner.invoke(cli, list(map(str, args)), catch_exceptions=False)
        finally:
            os.chdir(old)

    return invoke


def test_build_writes_pdf_and_docx_and_says_so(run, make_project):
    path = make_project({"a": article_text("a")}, SPEC)
    result = run("build", path)
    assert result.exit_code == 0, result.output
    assert "wrote" in result.stdout and "brief.pdf" in result.stdout and "brief.docx" in result.stdout
    assert (path.parents[1] / "output" / "brief.pdf").is_file()


def test_build_formats_and_out_dir_options(run, make_project, tmp_path):
    path = make_project({"a": article_text("a")}, SPEC)
    result = run("build", path, "-f", "pdf", "-o", tmp_path / "o")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "o").iterdir() if not p.name.startswith(".")) == ["brief.manifest.json", "brief.pdf"]


def test_a_content_problem_exits_1_with_one_located_line_and_no_traceback(run, make_project):
    path = make_project({"alpha": article_text("alpha")}, "title: T\narticles: [alpah]\nsections: [{title: S, from: lead}]\n")
    result = run("build", path)
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "briefs/brief.yaml:2: error: unknown article 'alpah'; did you mean 'alpha'? [spec.unknown-article]"]
    assert "Traceback" not in result.output


def test_every_spec_problem_is_reported_in_one_run(run, make_project):
    path = make_project({"a": article_text("a")}, "titel: T\narticles: [b]\nsections: [{title: S, from: lead, max_items: x}]\n")
    result = run("validate", path)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert any("briefs/brief.yaml:1: error: unknown key 'titel'" in l for l in lines)
    assert any("briefs/brief.yaml:3: error: 'max_items' must be a whole number" in l for l in lines)


def test_usage_errors_exit_2(run):
    assert run("build", "x.yaml", "--jobs", "0").exit_code == 2
    assert run("build", "x.yaml", "-f", "doc").exit_code == 2
    assert run("frobnicate").exit_code == 2


def test_missing_spec_file_exits_1_naming_it(run, tmp_path):
    result = run("build", tmp_path / "nope.yaml")
    assert result.exit_code == 1
    assert "nope.yaml: error: brief spec not found [spec.not-found]" in result.stderr


def test_internal_errors_hide_the_traceback_unless_debug(run, make_project, monkeypatch):
    from reegen import api

    def broken(*a, **k):
        raise ZeroDivisionError("bug")

    monkeypatch.setattr(api, "build", broken)
    path = make_project({"a": article_text("a")}, SPEC)
    result = run("build", path)
    assert result.exit_code == 70
    assert "internal error: ZeroDivisionError: bug; rerun with --debug" in result.stderr
    assert "Traceback" not in result.output
    with pytest.raises(ZeroDivisionError):
        run("--debug", "build", path)


def test_debug_shows_the_traceback_of_a_content_error(run, make_project):
    from reegen.errors import ReegenError

    path = make_project({"a": article_text("a")}, "title: T\narticles: [b]\nsections: [{title: S, from: lead}]\n")
    with pytest.raises(ReegenError):
        run("--debug", "build", path)


def test_the_cli_passes_its_options_to_the_library_unchanged(run, make_project, monkeypatch):
    from reegen import api

    calls = []

    class Result:
        outputs = {}
        warnings = ()
        skipped = False

    def fake(path, **kwargs):
        calls.append((str(path), kwargs))
        return Result()

    monkeypatch.setattr(api, "build", fake)
    run("build", "briefs/x.yaml", "-f", "pdf,md", "-o", "out", "--strict", "--force")
    # progress: a line on a terminal only (CliRunner's stderr is none)
    assert calls == [("briefs/x.yaml", {"formats": ["pdf", "md"], "out_dir": "out", "strict": True, "force": True,
                                        "progress": None})]


def test_strict_turns_warnings_into_errors(run, make_project):
    text = article_text("a", body="Claim [9].\n")
    path = make_project({"a": text}, SPEC)
    assert run("build", path).exit_code == 0
    result = run("build", path, "--strict")
    assert result.exit_code == 1
    assert "error: citation marker [9]" in result.stderr


def test_build_all_builds_every_spec_in_briefs(run, make_project):
    path = make_project({"a": article_text("a")}, SPEC)
    (path.parent / "second.yaml").write_text(SPEC, encoding="utf-8")
    result = run("build", "--all", cwd=path.parents[1])
    assert result.exit_code == 0, result.output
    assert {p.name for p in (path.parents[1] / "output").glob("*.pdf")} == {"brief.pdf", "second.pdf"}


def test_list_and_show_describe_the_project(run, make_project):
    path = make_project({"a": article_text("a", body="Lead.\n## Highlights\n- x\n")}, SPEC)
    root = path.parents[1]
    listed = run("list", "articles", cwd=root)
    assert listed.exit_code == 0 and listed.stdout.startswith("a\t2025-07-01\tRare Earth Exchanges\tA")
    assert run("list", "briefs", cwd=root).stdout.strip() == "briefs/brief.yaml"
    assert "executive" in run("list", "templates", cwd=root).stdout.split()
    shown = run("show", "a", cwd=root)
    assert shown.exit_code == 0 and "highlights" in shown.stdout and "1 bullets" in shown.stdout
    missing = run("show", "b", cwd=root)
    assert missing.exit_code == 1 and "unknown article 'b'" in missing.stderr


def test_python_dash_m_runs_the_cli():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "reegen", "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "build" in result.stdout
