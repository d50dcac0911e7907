"""The CLI in a docs pipeline: many specs, parallel jobs, watch, init/new/schema, JSON diagnostics."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from reegen.cli import cli
from tests.conftest import article_text

SPEC = "title: T\narticles: [a]\nsections: [{title: S, from: lead}]\n"


def run(*args, cwd=None):
    old = os.getcwd()
    if cwd:
        os.chdir(cwd)
    try:
        return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    finally:
        os.chdir(old)


def test_parallel_builds_write_every_brief_and_report_failures(make_project):
    path = make_project({"a": article_text("a")}, SPEC)
    briefs = path.parent
    for name in ("two", "three"):
        (briefs / f"{name}.yaml").write_text(SPEC, encoding="utf-8")
    (briefs / "bad.yaml").write_text("title: T\narticles: [nope]\nsections: [{title: S, from: lead}]\n", encoding="utf-8")
    result = run("build", "--all", "-j", "2", cwd=briefs.parent)
    assert result.exit_code == 1
    assert "briefs/bad.yaml:2: error: unknown article 'nope'" in result.stderr
    assert "1 of 4 briefs failed" in result.stderr
    assert {p.name for p in (briefs.parent / "output").glob("*.pdf")} == {"brief.pdf", "two.pdf", "three.pdf"}


def test_a_second_build_reports_up_to_date(make_project):
    path = make_project({"a": article_text("a")}, SPEC)
    run("build", path)
    result = run("build", path)
    assert result.exit_code == 0 and "up to date" in result.stdout and "wrote" not in result.stdout


def test_quiet_build_prints_nothing_on_success(make_project):
    path = make_project({"a": article_text("a")}, SPEC)
    result = run("build", path, "-q")
    assert result.exit_code == 0 and result.stdout == "" and result.stderr == ""


def test_validate_json_gives_one_versioned_object_listing_every_problem(make_project):
    path = make_project({"a": article_text("a")}, "title: T\narticles: [b]\nsections: [{title: S, from: lead}]\n")
    result = run("validate", path, "--format", "json")
    assert result.exit_code == 1
    found = json.loads(result.stdout)
    assert found["format"] == "reegen.validate" and found["format_version"] == 1
    assert (found["ok"], found["errors"], found["warnings"]) == (False, 1, 0)
    assert found["problems"] == [{"severity": "error", "code": "spec.unknown-article", "message": "unknown article 'b'",
                                  "path": "briefs/brief.yaml", "line": 2, "column": None, "hint": None,
                                  "briefs": ["briefs/brief.yaml"]}]


def test_init_makes_a_project_that_builds_and_new_adds_a_valid_spec(tmp_path):
    project = tmp_path / "p"
    assert run("init", project).exit_code == 0
    built = run("build", project / "briefs" / "example.yaml")
    assert built.exit_code == 0, built.output
    assert (project / "output" / "example.pdf").is_file()
    assert run("new", "weekly", "--project", project).exit_code == 0
    assert run("validate", project / "briefs" / "weekly.yaml").exit_code == 0
    again = run("new", "weekly", "--project", project)
    assert again.exit_code == 1 and "spec already exists" in again.stderr
    assert run("init", project).exit_code == 1


def test_schema_accepts_the_sample_specs_and_rejects_typos():
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    from tests.conftest import REPO

    schema = json.loads(run("schema").stdout)
    for spec in (REPO / "briefs").glob("*.yaml"):
        # Editors read YAML 1.2, where a bare date is a string.
        data = json.loads(json.dumps(yaml.safe_load(spec.read_text(encoding="utf-8")), default=str))
        jsonschema.validate(data, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"title": "T", "articles": [], "sections": [], "fromats": ["pdf"]}, schema)


def test_validate_reports_every_spec_even_after_a_template_error(make_project):
    path = make_project({"a": article_text("a")}, "title: T\narticles: [a]\nsections:\n  - title: S\n    text: '{{ nope }}'\n")
    (path.parent / "second.yaml").write_text("title: T\narticles: [b]\nsections: [{title: S, from: lead}]\n", encoding="utf-8")
    result = run("validate", "--all", cwd=path.parents[1])
    assert result.exit_code == 1
    assert "briefs/brief.yaml:5: error: undefined: 'nope' is undefined [template.undefined]" in result.stderr
    assert "briefs/second.yaml:2: error: unknown article 'b'" in result.stderr
