"""Issue 24 as one tool: JSON whatever happens, one report format for validate and build, flags before the command."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys

import jsonschema
import pytest
from click.testing import CliRunner

from reegen.cli import cli
from reegen.machine import load_schema
from reegen.preview import Preview
from reegen.project import load_project
from tests.conftest import article_text

SPEC = "title: T\narticles: [a]\nsections: [{title: S, from: lead}]\n"


def run(*args, cwd=None):
    old = os.getcwd()
    if cwd:
        os.chdir(cwd)
    try:
        return CliRunner().invoke(cli, list(map(str, args)), catch_exceptions=False)
    finally:
        os.chdir(old)


def document_of(result, kind: str) -> dict:
    """Return the JSON document `result` printed, checked against the schema of `kind`."""
    document = json.loads(result.stdout)
    assert document["format"] == kind
    jsonschema.validate(document, load_schema(kind), format_checker=jsonschema.FormatChecker())
    return document


@pytest.fixture
def project(make_project):
    """Return the root of a project with two briefs over one article."""
    spec = make_project({"a": article_text("a")}, SPEC)
    (spec.parent / "second.yaml").write_text(SPEC.replace("T\n", "Second\n"), encoding="utf-8")
    return spec.parents[1]


@pytest.mark.parametrize("args, kind", [
    (("figures", "brief", "--json"), "reegen.figures"),
    (("figures", "nope", "--json"), "reegen.figures"),
    (("show", "nope", "--json"), "reegen.show"),
    (("validate", "nope", "--format", "json"), "reegen.validate"),
])
def test_a_failing_json_command_prints_its_document_with_the_problems_and_exits_1(project, args, kind):
    (project / "briefs" / "brief.yaml").write_text("title: [broken\narticles: [a]\n", encoding="utf-8")
    result = run(*args, cwd=project)
    assert result.exit_code == 1
    assert result.stderr == ""  # a tool reading stdout gets everything it needs there
    document = document_of(result, kind)
    assert document["ok"] is False
    assert document["problems"] and all(p["severity"] == "error" for p in document["problems"])
    if args[1] == "brief":
        first = document["problems"][0]
        assert (first["path"], first["line"], first["briefs"]) == ("briefs/brief.yaml", 1, ["briefs/brief.yaml"])


@pytest.mark.parametrize("args, kind", [(("list", "briefs", "--json"), "reegen.list"),
                                        (("validate", "--format", "json"), "reegen.validate"),
                                        (("figures", "brief", "--json"), "reegen.figures")])
def test_a_json_command_outside_a_project_says_so_in_json(tmp_path, args, kind):
    result = run(*args, cwd=tmp_path)
    assert result.exit_code == 1 and result.stderr == ""
    problem, = document_of(result, kind)["problems"]
    assert problem["code"] == "project.not-found" and "reegen init" in problem["hint"]


def test_validate_github_outside_a_project_is_an_annotation(tmp_path):
    result = run("validate", "--format", "github", cwd=tmp_path)
    assert result.exit_code == 1
    assert result.stdout.startswith("::error title=reegen project.not-found::not a reegen project")


def test_list_and_show_with_a_broken_article_list_the_rest_report_it_once_and_exit_1(project):
    (project / "articles" / "bad.md").write_text("---\nid: bad\ntitle: B\npublished: someday\n---\nText.\n",
                                                 encoding="utf-8")
    listed = run("list", "articles", "--json", cwd=project)
    assert listed.exit_code == 1 and listed.stderr == ""
    document = document_of(listed, "reegen.list")
    assert document["ok"] is False and [i["id"] for i in document["items"]] == ["a", "bad"]
    assert [(p["path"], p["line"], p["code"]) for p in document["problems"]] == [("articles/bad.md", 4, "article.date")]
    text = run("list", "articles", cwd=project)
    assert text.exit_code == 1 and text.stderr.count("article.date") == 1 and "bad" in text.stdout
    shown = run("show", "bad", "--json", cwd=project)
    assert shown.exit_code == 1 and shown.stderr == ""
    assert document_of(shown, "reegen.show")["article"]["id"] == "bad"


def test_a_failing_build_reports_like_validate_each_problem_once_naming_its_briefs(project):
    (project / "articles" / "a.md").write_text(article_text("a", published="someday"), encoding="utf-8")
    validated = run("validate", cwd=project)
    built = run("build", "-f", "md", cwd=project)
    assert built.exit_code == validated.exit_code == 1
    problem = ("articles/a.md:5: error: 'published' must be an ISO date such as 2025-07-03, not 'someday' "
               "[article.date]\n  briefs: briefs/brief.yaml, briefs/second.yaml\n")
    assert validated.stderr == problem
    assert built.stderr == problem + "2 of 2 briefs failed\n"
    one = run("build", "second", "-f", "md", cwd=project)
    assert one.stderr == problem.replace("briefs: briefs/brief.yaml, ", "brief: ")


def test_a_warning_several_briefs_share_is_told_once_by_a_parallel_build_as_by_validate(project):
    (project / "articles" / "a.md").write_text(article_text("a", body="Lead text [7].\n"), encoding="utf-8")
    built = run("build", "-j", "2", "-f", "md", cwd=project)
    assert built.exit_code == 0, built.output
    warnings = [line for line in built.stderr.splitlines() if ": warning: " in line]
    assert len(warnings) == 1
    # The briefs in the order of the specs, whichever process finished first.
    assert run("validate", cwd=project).stderr.startswith(built.stderr)  # validate adds advice after it
    assert "briefs: briefs/brief.yaml, briefs/second.yaml" in built.stderr


def test_project_quiet_and_verbose_also_go_before_the_command(project, tmp_path):
    listed = run("--project", project, "list", "briefs", cwd=tmp_path)
    assert listed.exit_code == 0 and listed.stdout.split() == ["briefs/brief.yaml", "briefs/second.yaml"]
    quiet = run("--project", project, "-q", "build", "-f", "md", cwd=tmp_path)
    assert quiet.exit_code == 0 and quiet.output == ""
    assert (project / "output" / "second.md").is_file()
    verbose = run("-v", "--project", project, "validate", cwd=tmp_path)
    assert f"project: {project}" in verbose.stderr
    assert run("-q", "validate", "-v", "--project", project).exit_code == 2  # -q with -v, wherever they are
    assert "--project DIR" in run("--help").stdout


def test_preview_says_a_warning_once_while_it_persists_and_again_when_it_comes_back(make_project):
    spec = make_project({"a": article_text("a", body="Lead text [7].\n")}, SPEC)
    root = spec.parents[1]
    console: list[str] = []
    preview = Preview(load_project(spec), echo=console.append)
    preview.build("brief")
    warning = [line for line in console if ": warning: " in line]
    assert len(warning) == 1
    (root / "articles" / "a.md").write_text(article_text("a", body="Lead text, changed [7].\n"), encoding="utf-8")
    preview.changed(["articles/a.md"])
    assert [line for line in console if ": warning: " in line] == warning
    assert console[-1].endswith("(1 warning as shown above)")
    (root / "articles" / "a.md").write_text(article_text("a", body="Lead text.\n"), encoding="utf-8")
    preview.changed(["articles/a.md"])
    (root / "articles" / "a.md").write_text(article_text("a", body="Lead text [7].\n"), encoding="utf-8")
    preview.changed(["articles/a.md"])
    assert len([line for line in console if ": warning: " in line]) == 2  # gone, then back: said again


def on_terminal(args: list[str], cwd) -> tuple[subprocess.CompletedProcess, bytes]:
    """Run `reegen ARGS` with stderr on a fresh pseudo-terminal; return the process and what it drew there."""
    leader, follower = pty.openpty()
    try:
        process = subprocess.run([sys.executable, "-m", "reegen", *args], cwd=cwd,
                                 stdout=subprocess.PIPE, stderr=follower, timeout=120)
        os.close(follower)
        follower = None
        drawn = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal is closed once everything written to it is read
                break
            if not chunk:
                break
            drawn += chunk
    finally:
        os.close(leader)
        if follower is not None:
            os.close(follower)
    return process, drawn


def test_the_progress_bar_is_drawn_on_a_real_terminal_even_one_nobody_gave_a_size(project):
    """A fresh pseudo-terminal (as `script` from a pipe makes) says 0x0; tqdm alone would draw nothing there."""
    process, drawn = on_terminal(["build", "-f", "md"], project)
    assert process.returncode == 0
    assert b"/2 [" in drawn and b"brief/s" in drawn
    assert process.stdout.decode().splitlines() == ["wrote output/brief.md", "wrote output/second.md"]


def test_a_single_brief_says_on_a_terminal_what_it_is_doing_then_clears_the_line(project):
    process, drawn = on_terminal(["build", "brief", "-f", "pdf,docx"], project)
    assert process.returncode == 0
    assert b"composing the brief" in drawn and b"laying out the PDF" in drawn
    *_, last, end = drawn.split(b"\r")
    assert end == b"" and last.strip() == b""  # the line is blanked out when the build ends
    assert process.stdout.decode().splitlines() == ["wrote output/brief.pdf", "wrote output/brief.docx"]
    # up to date: nothing is done, so nothing is said; -q: only problems
    for args in (["build", "brief", "-f", "pdf,docx"], ["-q", "build", "brief", "-f", "pdf,docx", "--force"]):
        process, drawn = on_terminal(args, project)
        assert process.returncode == 0 and drawn == b"", args


def test_preview_says_nothing_of_a_brief_a_change_did_not_affect(make_project):
    spec = make_project({"a": article_text("a"), "b": article_text("b")}, SPEC)
    console: list[str] = []
    preview = Preview(load_project(spec), echo=console.append)
    preview.build("brief")
    (spec.parent / "other.yaml").write_text(SPEC.replace("[a]", "[b]"), encoding="utf-8")
    preview.changed(["briefs/other.yaml"])
    assert console[-1].endswith("changed briefs/other.yaml")  # no "up to date" line for the untouched brief


@pytest.mark.parametrize("name", ["init", "schema"])
def test_commands_outside_any_project_list_quiet_and_verbose_in_their_help(name):
    text = run(name, "--help").stdout
    assert "-q, --quiet" in text and "-v, --verbose" in text and "--project" not in text


def test_quiet_preview_says_only_problems_and_failures(make_project):
    spec = make_project({"a": article_text("a", body="Lead [7].\n")}, SPEC)
    console: list[str] = []
    preview = Preview(load_project(spec), echo=console.append, quiet=True)
    preview.build("brief")
    spec.write_text(SPEC.replace("[a]", "[nope]"), encoding="utf-8")
    preview.changed(["briefs/brief.yaml"])
    assert not [line for line in console if "] built " in line or "] changed " in line]
    assert ["warning" in console[0], "unknown article 'nope'" in console[1], "] failed briefs/brief.yaml" in console[2]] == [
        True, True, True]
    assert len(console) == 3


def test_validate_warns_where_a_new_spec_still_has_the_skeletons_stand_in_text(project):
    assert run("new", "weekly", cwd=project).exit_code == 0
    spec = project / "briefs" / "weekly.yaml"
    result = run("validate", "weekly", cwd=project)
    assert result.exit_code == 0
    lines = spec.read_text(encoding="utf-8").splitlines()
    flagged = [int(line.split(":")[1]) for line in result.stderr.splitlines() if "[spec.placeholder]" in line]
    assert flagged and all("here" in lines[n - 1] for n in flagged)
    spec.write_text("\n".join(line.replace("State your judgement here and cite what it rests on", "Permits are fast")
                              .replace("Write the analysis here and cite its sources", "Our view")
                              for line in lines) + "\n", encoding="utf-8")
    assert "[spec.placeholder]" not in run("validate", "weekly", cwd=project).stderr
