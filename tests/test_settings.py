"""Settings: formats and page sizes named once, and a wrong reegen.toml setting reported when the project is read."""

from __future__ import annotations

import pytest

from reegen import api
from reegen.errors import ReegenError
from reegen.formats import FORMATS, PAGE_SIZES, page_size_name
from reegen.writers import REGISTRY
from tests.conftest import article_text

SPEC = "title: T\narticles: [a]\nformats: [md]\nsections:\n  - {title: Lead, from: lead}\n"


def test_every_format_has_a_writer_and_every_writer_is_a_format():
    assert tuple(REGISTRY) == FORMATS


def test_page_sizes_are_the_paper_sizes_in_points():
    mm = 72 / 25.4
    assert [round(v / mm, 6) for v in PAGE_SIZES["A4"]] == [210, 297]
    assert PAGE_SIZES["Letter"] == (612, 792)
    assert page_size_name(" letter ") == "Letter" and page_size_name("A5") is None and page_size_name(4) is None


@pytest.mark.parametrize("setting, line, message", [
    ('page_size = "A5"', 3, "'page_size' in reegen.toml must be one of A4, Letter, not 'A5'"),
    ("page_size = 4", 3, "'page_size' in reegen.toml must be one of A4, Letter, not a number"),
    ('formats = ["md", "docs"]', 3, "'formats' in reegen.toml names 'docs', which reegen does not write; "
                                    "did you mean 'docx'?"),
    ("formats = []", 3, "'formats' in reegen.toml must be a list of formats"),
])
def test_a_wrong_setting_is_reported_at_its_line_when_the_project_is_read(make_project, setting, line, message):
    # The spec writes Markdown only: no writer that uses the page size runs, and the setting is wrong all the same.
    spec = make_project({"a": article_text("a")}, SPEC, config=f"[project]\noutput_dir = \"out\"\n{setting}\n")
    report = api.validate([spec])
    [problem] = report.errors
    assert (str(problem.location), problem.code) == (f"reegen.toml:{line}", "config.bad-value")
    assert problem.message.startswith(message)


def test_settings_are_kept_in_their_usual_form(make_project):
    spec = make_project({"a": article_text("a")}, SPEC.replace("formats: [md]\n", ""),
                        config='page_size = "letter"\nformats = ["MD", "json", "md"]\n')
    from reegen.project import load_project

    project = load_project(spec)
    assert (project.config["page_size"], project.config["formats"]) == ("Letter", ("md", "json"))
    result = api.build(spec)
    assert sorted(result.outputs) == ["json", "md"]


def test_a_format_the_caller_asks_for_is_checked_before_anything_is_built(make_project):
    spec = make_project({"a": article_text("a")}, SPEC)
    with pytest.raises(ReegenError, match="cannot write format 'docs'") as raised:
        api.build(spec, formats=["docs"])
    assert raised.value.code == "build.unknown-format"
    assert not (spec.parent.parent / "output").exists()


@pytest.mark.parametrize("brand, message", [
    ('accent = "green"', "[brand] accent must be a colour written '#RRGGBB'"),
    ('logo = "brand/missing.png"', "[brand] logo"),
])
def test_a_wrong_brand_setting_is_reported_at_its_line_before_anything_is_composed(make_project, monkeypatch,
                                                                                    brand, message):
    # A Markdown brief uses no brand, and a wrong one is reported all the same, by `validate` and by `build`.
    spec = make_project({"a": article_text("a")}, SPEC, config=f"[project]\noutput_dir = \"out\"\n\n[brand]\n{brand}\n")
    [problem] = api.validate([spec]).errors
    assert str(problem.location) == "reegen.toml:5" and problem.message.startswith(message)
    monkeypatch.setattr(api, "compose", lambda *a, **k: pytest.fail("composed before the check"))
    with pytest.raises(ReegenError) as raised:
        api.build(spec)
    assert raised.value.message == problem.message
