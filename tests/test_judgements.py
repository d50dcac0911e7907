"""Key judgements: the analyst's bottom line, first in an executive brief, and a warning when it is missing."""

import json

from click.testing import CliRunner

from reegen import api
from reegen.cli import cli
from reegen.errors import Report
from reegen.model import BulletList, Heading, Ref, plain_text
from reegen.spec import load_spec
from reegen.spec.jsonschema import brief_schema
from tests.conftest import article_text

ARTICLES = {
    "zone": article_text("zone", body="Approvals take hours.\n\n## Highlights\n- Approvals take hours.\n"),
    "plan": article_text("plan", body="The plan sets targets.\n\n## Highlights\n- The plan sets targets.\n"),
}
SPEC = """\
title: T
articles: [zone, plan]
judgements:
  - Approvals are fast **by design** [@zone].
  - >-
    Demand is being built at home
    [@plan; @zone].
sections:
  - title: Evidence
    from: highlights
"""


def test_judgements_open_the_executive_brief_as_a_cited_list(make_project):
    doc = api.load_document(make_project(ARTICLES, SPEC))
    first = doc.blocks[0]
    assert isinstance(first, Heading) and plain_text(first.children) == "Key judgements"
    judgements = doc.blocks[1]
    assert isinstance(judgements, BulletList) and len(judgements.items) == 2
    texts = [plain_text(i.blocks[0].children) for i in judgements.items]
    assert texts[0].startswith("Approvals are fast by design") and texts[1].startswith("Demand is being built at home")
    refs = [n.numbers for i in judgements.items for n in i.blocks[0].children if isinstance(n, Ref)]
    assert refs == [(1,), (2, 1)]
    headings = [plain_text(b.children) for b in doc.blocks if isinstance(b, Heading) and b.level == 1]
    assert headings.index("Key judgements") < headings.index("Evidence")


def test_without_judgements_the_brief_has_no_empty_heading(make_project):
    spec = SPEC.split("judgements:")[0] + "sections:" + SPEC.split("sections:")[1]
    doc = api.load_document(make_project(ARTICLES, spec))
    assert not any(isinstance(b, Heading) and plain_text(b.children) == "Key judgements" for b in doc.blocks)


def test_judgements_are_parsed_with_their_lines(make_project):
    report = Report()
    spec = load_spec(make_project(ARTICLES, SPEC), report)
    assert not report.has_errors()
    assert spec.judgements == ("Approvals are fast **by design** [@zone].", "Demand is being built at home [@plan; @zone].")
    assert spec.judgement_lines == (4, 5)


def test_a_judgement_citing_an_unknown_article_is_located_at_its_line(make_project):
    spec = SPEC.replace("[@zone].\n", "[@zome].\n", 1)
    report = api.validate([make_project(ARTICLES, spec)])
    (error,) = [d for d in report.errors if d.code == "cite.unknown-article"]
    assert (error.location.path, error.location.line) == ("briefs/brief.yaml", 4)


def test_a_judgement_that_is_not_text_is_an_error(make_project):
    report = api.validate([make_project(ARTICLES, SPEC.replace("  - Approvals", "  - {a: 1}\n  - Approvals"))])
    assert [d.code for d in report.errors] == ["spec.type"] and report.errors[0].location.line == 4


def test_the_json_schema_describes_judgements():
    schema = brief_schema()
    assert schema["properties"]["judgements"]["type"] == "array"
    assert "Key judgements" in schema["properties"]["judgements"]["description"]


def _validate(path, *args):
    return CliRunner().invoke(cli, ["validate", *args, str(path)], catch_exceptions=False)


def test_validate_warns_when_an_executive_brief_has_no_judgements(make_project, monkeypatch):
    spec = SPEC.split("judgements:")[0] + "sections:" + SPEC.split("sections:")[1]
    path = make_project(ARTICLES, spec)
    monkeypatch.chdir(path.parents[1])
    result = _validate(path)
    assert result.exit_code == 0
    assert "briefs/brief.yaml:1: warning:" in result.stderr and "[spec.no-judgements]" in result.stderr
    assert _validate(path, "--strict").exit_code == 1
    found = json.loads(_validate(path, "--format", "json").stdout)
    assert [d["code"] for d in found["problems"]] == ["spec.no-judgements"]


def test_validate_is_quiet_about_judgements_when_they_are_given_or_the_brief_is_a_dossier(make_project, monkeypatch):
    path = make_project(ARTICLES, SPEC)
    monkeypatch.chdir(path.parents[1])
    assert "no-judgements" not in _validate(path).output
    dossier = make_project(ARTICLES, "title: T\ntemplate: dossier\narticles: [zone]\nsections: [{title: S, from: lead}]\n", name="d")
    assert "no-judgements" not in _validate(dossier).output
