"""Brief spec validation: every problem in one pass, each with its line and a suggestion."""

import datetime as dt

from reegen.errors import Report
from reegen.spec import load_spec
from reegen.spec.load import parse_yaml
from reegen.spec.schema import parse_spec

GOOD = """\
title: A brief
date: 2025-07-20
formats: [pdf, docx]
articles:
  - one
  - select: {tags: [baotou], since: 2025-06-01, query: 'magnets "war room"', limit: 5, order: oldest}
sections:
  - title: Summary
    from: highlights
    max_items: 6
  - title: Developments
    from: [one#key-developments, two#lead]
    max_words: 300
  - title: Ours
    text: |
      Hello [@one].
caveats: {auto: false, extra: [Check prices.], stale_after_days: 180}
verification:
  one/f3: {status: verified, note: Matches the statement, grade: B2}
"""


def parse(text):
    report = Report()
    spec = parse_spec(parse_yaml(text, "briefs/x.yaml"), "briefs/x.yaml", "x", report)
    return spec, report


def test_a_valid_spec_becomes_typed_values():
    spec, report = parse(GOOD)
    assert not report.diagnostics
    assert spec.date == dt.date(2025, 7, 20)
    assert spec.articles[0].id == "one"
    select = spec.articles[1].select
    assert select.tags == ("baotou",) and select.limit == 5 and select.order == "oldest"
    assert select.since == dt.date(2025, 6, 1)
    assert [s.title for s in spec.sections] == ["Summary", "Developments", "Ours"]
    assert spec.sections[0].max_items == 6
    assert [(f.article_id, f.section) for f in spec.sections[1].from_] == [("one", "key-developments"), ("two", "lead")]
    assert spec.sections[2].text.startswith("Hello") and spec.sections[2].text_line == 16
    assert spec.caveats.auto is False and spec.caveats.extra == ("Check prices.",)
    assert spec.verification[0].status == "verified" and spec.verification[0].grade == "B2"


def test_every_problem_is_reported_in_one_pass_with_lines():
    text = """\
titel: Oops
date: 2025-02-30
formats: [pdf, doc]
articles: [one]
sections:
  - title: S
    from: highlights
    max_items: lots
  - title: T
    from: highlights
    text: both
"""
    _, report = parse(text)
    got = [(d.location.line, d.code) for d in report.errors]
    assert (1, "spec.unknown-key") in got
    assert (1, "spec.missing") in got  # title
    assert (2, "spec.date") in got
    assert (3, "spec.choice") in got
    assert (8, "spec.type") in got
    assert (9, "spec.section-kind") in got
    unknown = next(d for d in report.errors if d.code == "spec.unknown-key")
    assert "did you mean 'title'?" in unknown.message
    formats = next(d for d in report.errors if d.code == "spec.choice")
    assert "did you mean 'docx'?" in formats.message


def test_diagnostic_prints_like_sphinx():
    _, report = parse("title: T\narticles: [a]\nsections: []\nfromats: [pdf]\n")
    assert str(report.errors[0]) == "briefs/x.yaml:4: error: unknown key 'fromats' in the brief spec; did you mean 'formats'? [spec.unknown-key]"


def test_load_spec_reports_invalid_yaml_with_the_display_path(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("title: [unclosed\n", encoding="utf-8")
    report = Report()
    assert load_spec(path, report, display_path="briefs/x.yaml") is None
    assert report.errors[0].location.path == "briefs/x.yaml"
    assert report.errors[0].code == "yaml.syntax"


def test_a_section_template_path_cannot_leave_the_template_folder():
    _, report = parse("title: T\narticles: [a]\nsections:\n  - title: S\n    template: ../../etc/passwd\n")
    assert [d.code for d in report.errors] == ["spec.template"]


def test_language_is_a_language_tag_defaulting_to_english():
    spec, report = parse(GOOD)
    assert spec.language == "en"
    for tag in ("de-CH", "zh-Hans-CN", "sr-Latn", "es-419", "de-CH-1996"):
        spec, report = parse(GOOD.replace("date:", f"language: {tag}\ndate:"))
        assert not report.diagnostics and spec.language == tag
    for bad in ("english", "en_GB", "e", "'en-'"):
        spec, report = parse(GOOD.replace("date:", f"language: {bad}\ndate:"))
        assert [(d.location.line, d.code) for d in report.errors] == [(2, "spec.language")]
        assert spec.language == "en"


def test_the_json_schema_accepts_the_language_tags_the_validator_accepts():
    import jsonschema

    from reegen.spec.jsonschema import brief_schema

    schema = brief_schema()
    brief = {"title": "T", "articles": ["a"], "sections": [{"title": "S", "from": "highlights"}]}
    jsonschema.validate({**brief, "language": "pt-BR"}, schema)
    try:
        jsonschema.validate({**brief, "language": "Portuguese"}, schema)
    except jsonschema.ValidationError as exc:
        assert "language" in exc.json_path
    else:
        raise AssertionError("the schema accepted 'Portuguese' as a language tag")
