"""`reegen validate` reports every problem of every stage in one run (issue 24), sorted and each once."""

import json
import re

from click.testing import CliRunner

from reegen.cli import cli
from tests.conftest import article_text

ZONE = article_text("zone", body="""\
    The zone registered 1,200 companies in 2025.

    ## Key developments

    Approvals now take 4 hours instead of 3 days.
    """)

#: one mistake (or more) in every stage: schema, ids and sections, templates, Jinja, figures, citations, grades
SPEC = """\
title: Every stage wrong
audiense: Board
template: mine
date: 2026-13-01
articles:
  - zone
  - zon
  - broken-date
judgements:
  - Approvals are fast [@zonee].
sections:
  - title: Highlights
    from: highlihgts
  - title: Developments
    from: [zone#key-developmnts]
  - title: Outlook
    template: outlook.md.j2
  - title: Broken
    template: broken.md.j2
  - title: Text
    text: |
      {{ brief.titel }} from {{ pol | length }} articles.
  - title: Figures
    figures: [zone/f99]
    max_words: lots
verification:
  zone/f1: {status: verified, grade: Z9}
  zone/f77: {status: verified}
"""

LAYOUT = """\
# {{ brief.subtitel }}

{% for section in sections %}
## {{ section.title }}

{{ section.body }}
{% endfor %}
"""

LINE = re.compile(r"^(?P<path>[^\s:]+):(?P<line>\d+)(?::\d+)?: (?P<severity>error|warning): (?P<message>.*) \[(?P<code>[\w.-]+)\]$")


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def make(make_project):
    path = make_project(
        {"zone": ZONE, "broken-date": article_text("broken-date", published="someday")},
        SPEC,
        templates={"mine/brief.md.j2": LAYOUT, "mine/broken.md.j2": "Text\n{{ pool | length }\n"},
    )
    (path.parent / "yaml.yaml").write_text("title: T\ntitle2: [broken\narticles: [zone]\nsections: []\n\n\n",
                                           encoding="utf-8")
    return path


def test_one_validate_run_reports_a_mistake_in_every_stage(make_project, monkeypatch):
    path = make(make_project)
    monkeypatch.chdir(path.parents[1])
    result = run("validate", path, path.parent / "yaml.yaml")
    assert result.exit_code == 1
    found = [LINE.match(line) for line in result.stderr.splitlines() if not line.startswith("  ")]
    assert all(found), result.stderr
    where = [(m["path"], int(m["line"]), m["code"]) for m in found]
    expected = {
        ("briefs/brief.yaml", 2, "spec.unknown-key"),
        ("briefs/brief.yaml", 4, "spec.date"),
        ("briefs/brief.yaml", 7, "spec.unknown-article"),
        ("articles/broken-date.md", 5, "article.date"),
        ("briefs/brief.yaml", 10, "cite.unknown-article"),
        ("briefs/brief.yaml", 13, "spec.unknown-section"),
        ("briefs/brief.yaml", 15, "spec.unknown-section"),
        ("briefs/brief.yaml", 16, "template.not-found"),
        ("templates/mine/broken.md.j2", 2, "template.syntax"),
        ("briefs/brief.yaml", 22, "template.undefined"),
        ("briefs/brief.yaml", 23, "spec.unknown-figure"),
        ("briefs/brief.yaml", 25, "spec.type"),
        ("briefs/brief.yaml", 27, "spec.grade"),
        ("briefs/brief.yaml", 28, "spec.unknown-figure"),
        ("templates/mine/brief.md.j2", 1, "template.undefined"),
        ("briefs/yaml.yaml", 2, "yaml.syntax"),
    }
    assert expected <= set(where), result.stderr
    assert len(where) >= 16
    # Sorted by file, then line; each problem once.
    assert where == sorted(where, key=lambda w: (w[0], w[1]))
    assert len(set(m.group(0) for m in found)) == len(found)


def test_every_undefined_name_is_reported_with_a_suggestion(make_project, monkeypatch):
    path = make(make_project)
    monkeypatch.chdir(path.parents[1])
    stderr = run("validate", path).stderr
    assert "briefs/brief.yaml:22: error: undefined: 'dict object' has no attribute 'titel'; did you mean 'title'?" in stderr
    assert "briefs/brief.yaml:22: error: undefined: 'pol' is undefined; did you mean 'pool'?" in stderr
    assert ("templates/mine/brief.md.j2:1: error: undefined: 'dict object' has no attribute 'subtitel'; "
            "did you mean 'subtitle'?") in stderr


def test_a_missing_section_template_names_its_spec_line_and_the_search_path(make_project, monkeypatch):
    path = make(make_project)
    monkeypatch.chdir(path.parents[1])
    stderr = run("validate", path).stderr
    assert "briefs/brief.yaml:16: error: template file 'outlook.md.j2' not found [template.not-found]" in stderr
    assert "  hint: template search path: templates/mine/" in stderr


def test_a_yaml_error_is_reported_where_the_user_opened_the_bracket(make_project, monkeypatch):
    path = make(make_project)
    monkeypatch.chdir(path.parents[1])
    stderr = run("validate", path.parent / "yaml.yaml").stderr
    assert stderr.startswith("briefs/yaml.yaml:2:9: error: invalid YAML: expected ',' or ']', but got ':' "
                             "(parsing a flow sequence that starts here; the parser stopped at line 3)")


def test_a_failing_build_reports_the_same_problems_as_validate(make_project, monkeypatch):
    path = make(make_project)
    monkeypatch.chdir(path.parents[1])
    built = run("build", path)
    checked = run("validate", path)
    assert built.exit_code == 1
    strip = lambda text: [line for line in text.splitlines() if not line.startswith("  brief")]  # noqa: E731
    assert strip(built.stderr) == strip(checked.stderr)
    assert not (path.parents[1] / "output").exists()


def test_an_article_problem_shared_by_two_briefs_is_told_once_naming_both(make_project, monkeypatch):
    bad = article_text("odd", published="someday")
    spec = "title: T\narticles: [zone, odd]\nsections: [{title: S, from: lead}]\n"
    first = make_project({"zone": ZONE, "odd": bad}, spec, name="one")
    second = make_project({}, spec, name="two")
    monkeypatch.chdir(first.parents[1])
    result = run("validate", first, second, "--format", "json")
    problems = [p for p in json.loads(result.stdout)["problems"] if p["path"] == "articles/odd.md"]
    assert len(problems) == 1
    assert problems[0]["briefs"] == ["briefs/one.yaml", "briefs/two.yaml"]
    text = run("validate", first, second).stderr
    assert text.count("articles/odd.md:") == 1
    assert "  briefs: briefs/one.yaml, briefs/two.yaml" in text


def test_problems_in_an_included_template_are_located_in_it_and_a_missing_include_at_its_line(make_project,
                                                                                               monkeypatch):
    layout = ("# {{ brief.title }}\n\n{% include 'part.md.j2' %}\n{% for s in sections %}\n{{ s.body }}\n{% endfor %}\n"
              "{% include 'nope.md.j2' %}\n")
    path = make_project({"zone": ZONE}, "title: T\ntemplate: mine\narticles: [zone]\nsections: [{title: S, from: lead}]\n",
                        templates={"mine/brief.md.j2": layout,
                                   "mine/part.md.j2": "Part {{ brif.title }}\n{% for a in pool %}{{ a.titl }}{% endfor %}\n"})
    monkeypatch.chdir(path.parents[1])
    result = run("validate", path)
    lines = [line for line in result.stderr.splitlines() if not line.startswith("  brief")]
    assert lines == [
        "templates/mine/brief.md.j2:7: error: template file 'nope.md.j2' not found [template.not-found]",
        "  hint: template search path: templates/mine/",
        "templates/mine/part.md.j2:1: error: undefined: 'brif' is undefined; did you mean 'brief'? [template.undefined]",
        "  hint: names a template can use are listed in the README",
        "templates/mine/part.md.j2:2: error: undefined: 'dict object' has no attribute 'titl'; did you mean 'title'? "
        "[template.undefined]",
    ]


def test_an_undefined_name_in_a_loop_is_reported_once_at_its_spec_line(make_project, monkeypatch):
    spec = ("title: T\narticles: [zone]\nsections:\n  - title: S\n    text: |\n      Intro.\n"
            "      {% for i in range(1000) %}{{ missing }}{% endfor %}\n")
    path = make_project({"zone": ZONE}, spec)
    monkeypatch.chdir(path.parents[1])
    problems = json.loads(run("validate", path, "--format", "json").stdout)["problems"]
    assert [(p["line"], p["message"]) for p in problems if p["severity"] == "error"] == [
        (7, "undefined: 'missing' is undefined")]


def test_an_unknown_template_folder_still_lets_spec_text_and_citations_be_checked(make_project, monkeypatch):
    spec = ("title: T\ntemplate: executiv\narticles: [zone]\njudgements: ['Fast [@nope].']\nsections:\n"
            "  - {title: S, from: lead}\n  - {title: T, template: x.md.j2}\n  - {title: U, text: '{{ pol }}'}\n")
    path = make_project({"zone": ZONE}, spec)
    monkeypatch.chdir(path.parents[1])
    problems = json.loads(run("validate", path, "--format", "json").stdout)["problems"]
    assert [(p["line"], p["code"]) for p in problems] == [
        (2, "spec.unknown-template"), (4, "cite.unknown-article"), (8, "template.undefined")]
    assert "did you mean 'executive'?" in problems[0]["message"]


def test_the_readme_strict_gate_transcript_is_what_validate_prints(sample_project, monkeypatch):
    from tests.conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    transcript = readme.split("```console\n$ reegen validate --all --strict\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(sample_project)
    result = run("validate", "--all", "--strict")
    assert result.exit_code == 1
    assert result.stderr == transcript
