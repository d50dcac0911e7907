"""Versioned JSON outputs, each checked against the schema reegen ships, and GitHub annotations (issue 24)."""

import json

import jsonschema
import pytest
from click.testing import CliRunner

from reegen import api
from reegen.cli import cli
from reegen.cli.validate import github_annotation
from reegen.errors import Diagnostic, Location
from reegen.machine import FORMATS, load_schema


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def check(document, kind):
    """Assert `document` is a `kind` document of format version 1 that its shipped schema accepts."""
    assert (document["format"], document["format_version"]) == (kind, 1)
    jsonschema.validate(document, load_schema(kind), format_checker=jsonschema.FormatChecker())


@pytest.mark.parametrize("kind", sorted(FORMATS))
def test_every_shipped_schema_is_a_valid_json_schema(kind):
    jsonschema.Draft202012Validator.check_schema(load_schema(kind))


def test_a_schema_rejects_a_document_of_another_version():
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"format": "reegen.validate", "format_version": 2, "ok": True, "specs": [], "errors": 0,
                             "warnings": 0, "problems": []}, load_schema("reegen.validate"))


def test_validate_json_matches_its_schema_with_problems_and_without(sample_project, monkeypatch):
    monkeypatch.chdir(sample_project)
    clean = run("validate", "--all", "--format", "json")
    document = json.loads(clean.stdout)
    check(document, "reegen.validate")
    assert document["ok"] is True and document["specs"] == ["briefs/baotou-dossier.yaml", "briefs/baotou-executive.yaml"]
    spec = sample_project / "briefs" / "baotou-executive.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("template: executive", "template: executive\nfromats: [pdf]"),
                    encoding="utf-8")
    broken = run("validate", "--all", "--format", "json")
    assert broken.exit_code == 1
    document = json.loads(broken.stdout)
    check(document, "reegen.validate")
    assert document["ok"] is False and document["errors"] == 1
    error = next(p for p in document["problems"] if p["severity"] == "error")
    assert error["code"] == "spec.unknown-key" and error["briefs"] == ["briefs/baotou-executive.yaml"]
    # The sample's unresolved citation markers are in an article both briefs use: each is told once, naming
    # the briefs that quote the paragraph it is in (the executive brief quotes only the first).
    markers = [p for p in document["problems"] if p["code"] == "citation.unresolved"]
    assert len({(p["path"], p["line"], p["message"]) for p in markers}) == len(markers)
    assert {tuple(p["briefs"]) for p in markers} == {("briefs/baotou-dossier.yaml", "briefs/baotou-executive.yaml"),
                                                     ("briefs/baotou-dossier.yaml",)}


def test_figures_list_and_show_json_match_their_schemas(sample_project, monkeypatch):
    monkeypatch.chdir(sample_project)
    spec = sample_project / "briefs" / "baotou-executive.yaml"
    for args in ((), ("--all",)):
        document = json.loads(run("figures", spec, "--json", *args).stdout)
        check(document, "reegen.figures")
        assert document["figures"] and document["all"] is bool(args)
    for what, key in (("articles", "id"), ("briefs", "path"), ("templates", "name")):
        document = json.loads(run("list", what, "--json").stdout)
        check(document, "reegen.list")
        assert document["what"] == what and all(key in item for item in document["items"])
    listed = json.loads(run("list", "articles", "--json").stdout)["items"]
    assert {i["id"] for i in listed} == {p.stem for p in (sample_project / "articles").glob("*.md")}
    document = json.loads(run("show", "baotou-high-tech-zone", "--json").stdout)
    check(document, "reegen.show")
    article = document["article"]
    assert article["path"] == "articles/baotou-high-tech-zone.md"
    assert article["provenance"] == {"publisher": "inferred"}  # shown as inferred, as the text output does
    assert [s["slug"] for s in article["sections"]][:2] == ["lead", "highlights"]


def test_the_manifest_matches_its_schema(sample_project):
    result = api.build(sample_project / "briefs" / "baotou-executive.yaml", formats=["md"])
    document = json.loads(result.manifest.read_text(encoding="utf-8"))
    check(document, "reegen.manifest")


def test_text_output_is_unchanged_without_json(sample_project, monkeypatch):
    monkeypatch.chdir(sample_project)
    assert run("list", "briefs").stdout.splitlines() == ["briefs/baotou-dossier.yaml", "briefs/baotou-executive.yaml"]
    assert run("show", "baotou-high-tech-zone").stdout.startswith("baotou-high-tech-zone: ")


def test_github_annotations_name_file_line_and_code_and_escape_per_github_rules(tmp_path):
    d = Diagnostic("error", "50% of 'a, b'\nsecond line", "spec.unknown-key", Location("briefs/x,y:z.yaml", 4, 2),
                   hint="use 'b'")
    line = github_annotation(d, root=tmp_path, workspace=tmp_path)
    assert line == ("::error file=briefs/x%2Cy%3Az.yaml,line=4,col=2,title=reegen spec.unknown-key"
                    "::50%25 of 'a, b'%0Asecond line%0Ahint: use 'b'")
    assert "\n" not in line


def test_github_annotation_paths_are_relative_to_the_workspace_and_name_the_briefs(tmp_path):
    d = Diagnostic("warning", "stale", "article.stale", Location("articles/a.md", 3), briefs=("briefs/one.yaml",))
    line = github_annotation(d, root=tmp_path / "docs", workspace=tmp_path)
    assert line == "::warning file=docs/articles/a.md,line=3,title=reegen article.stale::stale%0Abrief: briefs/one.yaml"
    assert github_annotation(Diagnostic("error", "no project", "project.error")) == \
        "::error title=reegen project.error::no project"


def test_validate_github_format_prints_one_annotation_per_problem_and_fails(make_project, monkeypatch):
    from tests.conftest import article_text

    path = make_project({"a": article_text("a")}, "title: T\nfromats: [pdf]\narticles: [b]\nsections: [{title: S, from: lead}]\n")
    monkeypatch.chdir(path.parents[1])
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    result = run("validate", path, "--format", "github")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "::error file=briefs/brief.yaml,line=2,title=reegen spec.unknown-key::unknown key 'fromats' in the brief spec; "
        "did you mean 'formats'?",
        "::error file=briefs/brief.yaml,line=3,title=reegen spec.unknown-article::unknown article 'b'",
    ]
