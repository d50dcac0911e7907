"""`reegen figures` and the figures of `reegen show` (issue 4)."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from reegen.cli import cli


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


def test_figures_prints_an_aligned_table_of_what_the_brief_carries(run, sample_project):
    result = run("figures", sample_project / "briefs" / "baotou-executive.yaml")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["id", "value", "kind", "status", "source", "what", "it", "measures"]
    start = lines[0].index("value")
    rows = [l for l in lines[1:] if l.startswith("baotou-")]
    assert all(l[start - 2:start] == "  " and l[start] != " " for l in rows)  # one column edge for every row
    text = result.stdout
    assert "baotou-high-tech-zone/f7" in text and "more than ¥110 million (~$15.2 million)" in text
    assert "price-move" in text and "44%" in text
    assert "baotou-innovation-plan/f5 (=f3)" in text
    assert "reported, unverified (C3): the zone’s Q" in text
    # the eleven the selected material holds
    assert lines[-1] == "11 figures: 0 verified, 0 disputed, 11 unverified"


def test_figures_json_is_for_tools(run, sample_project):
    result = run("figures", "--json", sample_project / "briefs" / "baotou-executive.yaml")
    assert result.exit_code == 0
    found = json.loads(result.stdout)
    assert (found["format"], found["format_version"], found["all"]) == ("reegen.figures", 1, False)
    items = found["figures"]
    by_value = {i["value"]: i for i in items}
    assert by_value["793"]["id"] == "baotou-high-tech-zone/f9" and by_value["793"]["grade"] == "C3"
    assert by_value["150+"]["kind"] == "target" and by_value["150+"]["source"] == 2
    assert by_value["44%"]["kind"] == "price-move" and by_value["44%"]["article"] == "baotou-circular-chain"


def test_figures_pool_lists_every_figure_of_the_pool_and_says_which_are_carried(run, sample_project):
    result = run("figures", "--pool", "--json", sample_project / "briefs" / "baotou-executive.yaml")
    items = {i["id"]: i for i in json.loads(result.stdout)["figures"]}
    assert items["baotou-high-tech-zone/f3"]["carried"] is False  # 140 acres: the lead is not in the brief
    assert items["baotou-innovation-plan/f1"]["carried"] is True  # the same claim as f4, which is
    table = run("figures", "--pool", sample_project / "briefs" / "baotou-executive.yaml").stdout
    assert table.splitlines()[0].split()[:3] == ["id", "carried", "value"]


def test_figures_all_is_the_deprecated_name_of_pool_and_says_so(run, sample_project):
    """Issue 24: `--all` means "every spec" on build and validate, so figures calls its option --pool."""
    spec = sample_project / "briefs" / "baotou-executive.yaml"
    old = run("figures", "--all", spec)
    assert old.exit_code == 0
    assert "figures --all is deprecated; use --pool" in old.stderr
    assert old.stdout == run("figures", "--pool", spec).stdout


def test_a_ledger_id_matching_no_figure_is_reported_and_fails_with_strict(run, sample_project):
    spec = sample_project / "briefs" / "baotou-executive.yaml"
    spec.write_text(spec.read_text(encoding="utf-8") + "  baotou-high-tech-zone/f99: verified\n", encoding="utf-8")
    result = run("figures", spec)
    assert result.exit_code == 0
    line = next(l for l in result.stderr.splitlines() if "f99" in l)
    assert line.startswith("briefs/baotou-executive.yaml:") and "warning: ledger entry 'baotou-high-tech-zone/f99' " \
        "matches no figure" in line and "has f1–f11" in line
    strict = run("figures", "--strict", spec)
    assert strict.exit_code == 1 and "error: ledger entry 'baotou-high-tech-zone/f99'" in strict.stderr
    assert "Traceback" not in strict.output


def test_show_lists_an_articles_figures(run, sample_project):
    result = run("show", "baotou-high-tech-zone", cwd=sample_project)
    assert result.exit_code == 0, result.output
    tail = result.stdout.split("  figures:", 1)[1]
    assert "f9   line 35   793" in tail and "New businesses registered in the zone (Q1 2025)" in tail


def test_show_marks_what_the_text_did_not_state(run, sample_project):
    """A summary title and a relayed report's date are shown as such, not as the publisher's own."""
    (sample_project / "articles" / "derived.md").write_text(
        "---\ntitle: Our summary of a plant opening\norigin:\n  - {name: City Daily, kind: state-affiliated, date: 2024-03-02}\n"
        "provenance: {title: derived}\n---\nA plant opened.\n", encoding="utf-8")
    result = run("show", "derived", cwd=sample_project)
    assert result.exit_code == 0, result.output
    assert "derived: Our summary of a plant opening (derived)" in result.stdout
    assert "published:  (not stated)" in result.stdout
    assert "origin:     City Daily (state-affiliated, report of 2024-03-02)" in result.stdout
