"""`reegen ingest` as a Click command: options go to the library, output is the report."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

import reegen.ingest
from reegen.cli.ingest import ingest_command
from reegen.errors import BuildFailed

from .conftest import FIXTURES


@pytest.fixture
def runner():
    return CliRunner()


def fixture_copy(tmp_path, name):
    target = tmp_path / name
    shutil.copy(FIXTURES / name, target)
    return str(target)


def test_ingest_writes_the_article_and_prints_the_report(runner, tmp_path):
    source = fixture_copy(tmp_path, "thai_stand_in.txt")
    out = tmp_path / "articles"
    result = runner.invoke(ingest_command, [source, "-d", str(out)])
    assert result.exit_code == 0, result.output
    target = out / "valley-plant-restarts-after-long.md"  # about five words of the title
    assert target.exists()
    lines = result.output.splitlines()
    assert lines[0] == f"wrote {target} (from {source})"
    assert f"{source}:3: encoding: 'โ' -> '’' (apostrophe) in 'The plant’s owners res…'" in lines
    assert f"{source}: missing: publisher: no clear signal in the text; left out (give --publisher)" in lines
    assert lines[-1] == "1 written, 0 unchanged"


def test_dry_run_prints_the_article_and_report_and_writes_nothing(runner, tmp_path):
    source = fixture_copy(tmp_path, "no_title.txt")
    result = runner.invoke(ingest_command, [source, "-d", str(tmp_path / "articles"), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "\n---\nid: a-small-magnet-workshop" in result.output
    assert f"{source}:1: title: no title in the text; derived" in result.output
    assert not (tmp_path / "articles").exists()


def test_overrides_reach_the_article(runner, tmp_path):
    source = fixture_copy(tmp_path, "no_title.txt")
    result = runner.invoke(ingest_command, [
        source, "-d", str(tmp_path), "--id", "valley-workshop", "--title", "Valley workshop exports motors",
        "--publisher", "Field Desk", "--published", "2025-03-09", "--tag", "Motors", "--tag", "trade", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert ("id: valley-workshop\ntitle: Valley workshop exports motors\npublisher: Field Desk\n"
            "published: 2025-03-09\ntags:\n- motors\n- trade\n") in result.output
    assert "missing: publisher" not in result.output


def test_a_bad_published_date_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(ingest_command, [fixture_copy(tmp_path, "no_title.txt"), "--published", "9 March"])
    assert result.exit_code == 2
    assert "not an ISO date" in result.output


def test_id_with_several_paths_is_a_usage_error(runner, tmp_path):
    paths = [fixture_copy(tmp_path, "no_title.txt"), fixture_copy(tmp_path, "references.txt")]
    result = runner.invoke(ingest_command, [*paths, "--id", "x"])
    assert result.exit_code == 2


def test_refusing_to_overwrite_raises_a_reegen_error_for_the_group_boundary(runner, tmp_path):
    source = fixture_copy(tmp_path, "no_title.txt")
    out = tmp_path / "articles"
    assert runner.invoke(ingest_command, [source, "-d", str(out)]).exit_code == 0
    next(out.iterdir()).write_text("changed\n", encoding="utf-8")
    result = runner.invoke(ingest_command, [source, "-d", str(out)])
    assert result.exit_code == 1 and isinstance(result.exception, BuildFailed)
    assert "already exists" in str(result.exception)
    assert runner.invoke(ingest_command, [source, "-d", str(out), "--force"]).exit_code == 0


def test_the_command_passes_its_options_to_the_library_unchanged(runner, tmp_path, monkeypatch):
    seen = {}

    def fake_ingest_paths(paths, directory, *, overrides, dry_run, force):
        seen.update(paths=paths, directory=directory, overrides=overrides, dry_run=dry_run, force=force)
        return []

    monkeypatch.setattr(reegen.ingest, "ingest_paths", fake_ingest_paths)
    result = runner.invoke(ingest_command, ["a.txt", "b.html", "-d", "out", "--force", "--publisher", "P"])
    assert result.exit_code == 0, result.output
    assert seen["paths"] == ("a.txt", "b.html") and seen["directory"] == "out"
    assert seen["force"] is True and seen["dry_run"] is False
    assert seen["overrides"].publisher == "P" and seen["overrides"].tags == ()
