"""Project conventions (issue 24): whole-project commands, the same flags everywhere, no work outside a project."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from reegen.cli import COMMANDS, cli
from tests.conftest import article_text

SPEC = "title: T\narticles: [a]\nsections: [{title: S, from: lead}]\n"


@pytest.fixture
def run():
    def invoke(*args, cwd=None):
        old = os.getcwd()
        if cwd:
            os.chdir(cwd)
        try:
            return CliRunner().invoke(cli, list(map(str, args)), catch_exceptions=False)
        finally:
            os.chdir(old)

    return invoke


@pytest.fixture
def project(make_project):
    """Return the root of a project with two briefs over one article."""
    spec = make_project({"a": article_text("a")}, SPEC)
    (spec.parent / "second.yaml").write_text(SPEC.replace("T\n", "Second\n"), encoding="utf-8")
    return spec.parents[1]


def test_build_with_no_spec_builds_every_brief_of_the_project(run, project):
    result = run("build", "-f", "md", cwd=project)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (project / "output").glob("*.md")) == ["brief.md", "second.md"]
    again = run("build", "-f", "md", cwd=project / "briefs")  # from a folder inside the project too
    assert again.exit_code == 0 and again.stdout.count("up to date") == 2


def test_validate_with_no_spec_checks_every_brief_and_names_the_broken_one(run, project):
    (project / "briefs" / "second.yaml").write_text("title: T\narticles: [b]\nsections: [{title: S, from: lead}]\n",
                                                  encoding="utf-8")
    result = run("validate", cwd=project)
    assert result.exit_code == 1
    assert "briefs/second.yaml:2: error: unknown article 'b'" in result.stderr
    assert "brief.yaml" not in result.stderr


def test_a_spec_can_be_named_by_its_name_in_briefs(run, project):
    result = run("build", "second", "-f", "md", "--project", project)
    assert result.exit_code == 0, result.output
    assert (project / "output" / "second.md").is_file() and not (project / "output" / "brief.md").exists()


@pytest.mark.parametrize("args", [("build",), ("validate",), ("list", "articles"), ("list", "briefs"), ("new", "foo"),
                                  ("show", "a"), ("template", "list"), ("ingest", "x.txt"), ("figures", "weekly"),
                                  ("build", "weekly"), ("preview",), ("template", "copy", "executive")])
def test_a_command_outside_a_project_exits_1_with_a_hint_and_creates_nothing(run, tmp_path, args):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "x.txt").write_text("Some text.\n", encoding="utf-8")
    result = run(*args, cwd=outside)
    assert result.exit_code == 1, result.output
    assert "not a reegen project" in result.stderr and "hint: " in result.stderr and "reegen init" in result.stderr
    assert sorted(p.name for p in outside.iterdir()) == ["x.txt"]  # no quiet ./briefs or ./articles


def test_project_option_names_the_project_from_anywhere(run, project, tmp_path):
    listed = run("list", "briefs", "--project", project, cwd=tmp_path)
    assert listed.exit_code == 0 and listed.stdout.split() == ["briefs/brief.yaml", "briefs/second.yaml"]
    assert run("new", "third", "--project", project, cwd=tmp_path).exit_code == 0
    assert (project / "briefs" / "third.yaml").is_file()
    # An explicit --project is that folder, not one found above it.
    inner = project / "articles"
    assert run("list", "briefs", "--project", inner, cwd=tmp_path).exit_code == 1


@pytest.mark.parametrize("name", sorted(set(COMMANDS) - {"init", "schema"}) + ["template list", "template copy"])
def test_every_project_command_takes_project_quiet_and_verbose(run, name):
    text = run(*name.split(), "--help").stdout
    assert "--project DIR" in text and "-q, --quiet" in text and "-v, --verbose" in text


def test_quiet_prints_only_problems_and_verbose_says_what_it_looked_at(run, project):
    quiet = run("build", "-q", "-f", "md", cwd=project)
    assert quiet.exit_code == 0 and quiet.stdout == "" and quiet.stderr == ""
    verbose = run("validate", "-v", cwd=project)
    assert verbose.exit_code == 0
    assert f"project: {project.resolve()}" in verbose.stderr
    assert "spec: briefs/brief.yaml" in verbose.stderr and "spec: briefs/second.yaml" in verbose.stderr
    assert run("validate", "-q", cwd=project).stdout == ""  # no "ok: …"
    assert run("init", "-q", project.parent / "fresh").stdout == ""


def test_quiet_and_verbose_together_are_a_usage_error(run, project):
    result = run("build", "-q", "-v", cwd=project)
    assert result.exit_code == 2 and "cannot be used together" in result.stderr


def test_defaults_table_is_merged_into_every_spec_and_the_spec_wins(run, make_project):
    config = ('[defaults]\nauthor = "Strategy desk"\nclassification = "Internal"\n'
              'caveats = { stale_after_days = 30, extra = ["Prices are unchecked."] }\n')
    spec = make_project({"a": article_text("a")}, SPEC + "classification: Restricted\ncaveats: {auto: false}\n",
                        config=config)
    result = run("build", spec, "-f", "json")
    assert result.exit_code == 0, result.output
    meta = json.loads((spec.parents[1] / "output" / "brief.json").read_text(encoding="utf-8"))["meta"]
    assert meta["author"] == "Strategy desk" and meta["classification"] == "Restricted"
    text = (spec.parents[1] / "output" / "brief.json").read_text(encoding="utf-8")
    assert "Prices are unchecked." in text  # caveats merged key by key: the spec's auto, the default extra


def test_a_spec_that_writes_a_key_empty_keeps_it_empty_rather_than_taking_the_default(make_project):
    from reegen import load_document

    spec = make_project({"a": article_text("a")}, SPEC + "author:\n", config='[defaults]\nauthor = "Strategy desk"\n')
    assert load_document(spec).meta.author is None
    spec.write_text(SPEC, encoding="utf-8")
    assert load_document(spec).meta.author == "Strategy desk"


def test_a_bad_defaults_table_is_reported_at_its_reegen_toml_lines(run, make_project):
    config = ('[project]\nformats = ["pdf"]\n\n[defaults]\ntitle = "Same for all"\n'
              'caveats = { require_verified = "maybe" }\npage_size = "A4"\n')
    spec = make_project({"a": article_text("a")}, SPEC, config=config)
    result = run("validate", spec)
    assert result.exit_code == 1
    lines = [l for l in result.stderr.splitlines() if ": error: " in l]
    assert lines[0].startswith("reegen.toml:5: error: 'title' cannot be a default (it belongs to one brief)")
    assert lines[1].startswith("reegen.toml:6: error: 'require_verified' must be true or false, not 'maybe'")
    assert lines[2].startswith("reegen.toml:7: error: 'page_size' is a project setting: set it in [project]")


def test_init_writes_the_schema_and_its_specs_name_it_for_editors(run, tmp_path):
    import jsonschema
    import yaml

    root = tmp_path / "new-project"
    assert run("init", root).exit_code == 0
    schema = json.loads((root / ".reegen-schema.json").read_text(encoding="utf-8"))
    assert schema == json.loads(run("schema").stdout)
    example = (root / "briefs" / "example.yaml").read_text(encoding="utf-8")
    assert example.startswith("# yaml-language-server: $schema=../.reegen-schema.json\n")
    jsonschema.validate(yaml.safe_load(example), schema)
    assert run("new", "weekly", cwd=root).exit_code == 0
    assert (root / "briefs" / "weekly.yaml").read_text(encoding="utf-8").startswith("# yaml-language-server: ")
    assert run("validate", cwd=root).exit_code == 0


def test_template_list_says_where_each_template_comes_from_and_copy_refuses_to_overwrite(run, project):
    assert run("template", "copy", "executive", cwd=project).exit_code == 0
    copied = project / "templates" / "executive" / "brief.md.j2"
    copied.write_text(copied.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
    again = run("template", "copy", "executive", cwd=project)
    assert again.exit_code == 1 and "templates/executive/brief.md.j2: error: " in again.stderr
    assert copied.read_text(encoding="utf-8").endswith("Edited.\n")  # nothing lost
    assert run("template", "copy", "executive", "house", cwd=project).exit_code == 0
    rows = {line.split()[0]: line for line in run("template", "list", cwd=project).stdout.splitlines()}
    assert "project over bundled" in rows["executive"] and "templates/executive/" in rows["executive"]
    assert rows["house"].split()[1:] == ["project", "templates/house/"]
    assert " bundled " in rows["dossier"]
    forced = run("template", "copy", "executive", "--force", cwd=project)
    assert forced.exit_code == 0 and not copied.read_text(encoding="utf-8").endswith("Edited.\n")
    unknown = run("template", "copy", "executiv", cwd=project)
    assert unknown.exit_code == 1 and "did you mean 'executive'" in unknown.stderr


def test_outputs_of_formats_no_longer_built_are_removed_with_their_manifest_entry(run, project):
    out = project / "output"
    assert run("build", "brief", "-f", "md,html", cwd=project).exit_code == 0
    assert run("build", "brief", "-f", "md", cwd=project).exit_code == 0
    assert not (out / "brief.html").exists()
    manifest = json.loads((out / "brief.manifest.json").read_text(encoding="utf-8"))
    assert [o["path"] for o in manifest["outputs"]] == ["output/brief.md"]


def test_a_stale_output_edited_since_is_kept_and_named(run, project):
    out = project / "output"
    assert run("build", "brief", "-f", "md,html", cwd=project).exit_code == 0
    (out / "brief.html").write_text("edited by hand", encoding="utf-8")
    result = run("build", "brief", "-f", "md", cwd=project)
    assert result.exit_code == 0
    assert (out / "brief.html").read_text(encoding="utf-8") == "edited by hand"
    assert "output/brief.html: warning: stale output from an earlier build, changed since, so kept" in result.stderr


def test_progress_bar_is_silent_when_stderr_is_not_a_terminal(run, project):
    """The bar is for people: a log or a pipe gets only problems and the `wrote` lines."""
    result = run("build", "-f", "md", cwd=project)
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout.splitlines() == ["wrote output/brief.md", "wrote output/second.md"]


def test_progress_bar_on_a_terminal_counts_the_briefs_and_quiet_silences_it(run, project, monkeypatch):
    from reegen.cli import build

    monkeypatch.setattr(build, "_on_terminal", lambda: True)
    result = run("build", "-f", "md", cwd=project)
    assert result.exit_code == 0
    assert "/2 [" in result.stderr and "brief/s" in result.stderr  # tqdm's bar over two briefs, on stderr
    assert result.stdout.splitlines() == ["wrote output/brief.md", "wrote output/second.md"]
    quiet = run("build", "-f", "md", "--force", "-q", cwd=project)
    assert quiet.exit_code == 0 and quiet.stderr == "" and quiet.stdout == ""
