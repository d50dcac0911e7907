"""The README's project workflows, run as a user runs them: the real `reegen` program in a fresh folder (issue 24)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def reegen(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run `python -m reegen ARGS` (what the `reegen` script runs) in `cwd`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("REEGEN_")}
    return subprocess.run([sys.executable, "-m", "reegen", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=180, stdin=subprocess.DEVNULL)


def test_start_a_project_share_defaults_build_it_whole_and_change_its_formats(tmp_path):
    made = reegen("init", "desk", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    root = tmp_path / "desk"
    assert "created desk/.reegen-schema.json" in made.stdout.splitlines()

    # A brief of one's own, and what every brief shares said once in reegen.toml.
    assert reegen("new", "weekly", cwd=root).returncode == 0
    with (root / "reegen.toml").open("a", encoding="utf-8") as config:
        config.write('\n[defaults]\nauthor = "Strategy desk"\nclassification = "Internal"\n')
    checked = reegen("validate", cwd=root / "briefs")  # from inside the project, any folder
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.strip().startswith("ok: 2 specs valid")

    built = reegen("build", "-f", "json,docx", cwd=root)
    assert built.returncode == 0, built.stderr
    assert sorted(p.name for p in (root / "output").iterdir() if p.suffix in (".json", ".docx")) == [
        "example.docx", "example.json", "example.manifest.json", "weekly.docx", "weekly.json", "weekly.manifest.json"]
    meta = json.loads((root / "output" / "weekly.json").read_text(encoding="utf-8"))["meta"]
    assert meta["author"] == "Strategy desk" and meta["classification"] == "Internal"

    # Fewer formats: the DOCX of the earlier build goes, with its manifest entry.
    again = reegen("build", "weekly", "-f", "json", "-q", cwd=root)
    assert again.returncode == 0 and again.stdout == "" and again.stderr == ""
    assert not (root / "output" / "weekly.docx").exists() and (root / "output" / "example.docx").exists()
    manifest = json.loads((root / "output" / "weekly.manifest.json").read_text(encoding="utf-8"))
    assert [o["path"] for o in manifest["outputs"]] == ["output/weekly.json"]

    # A bundled template, copied to make the project's own.
    assert reegen("template", "copy", "executive", "house", cwd=root).returncode == 0
    listed = reegen("template", "list", cwd=root).stdout
    assert any(line.split()[:3] == ["house", "project", "templates/house/"] for line in listed.splitlines())
    refused = reegen("template", "copy", "executive", "house", cwd=root)
    assert refused.returncode == 1 and "hint: pass --force" in refused.stderr


def test_outside_a_project_every_command_says_so_and_exits_1(tmp_path):
    for args in (("build",), ("list", "articles"), ("new", "foo")):
        result = reegen(*args, cwd=tmp_path)
        assert result.returncode == 1, args
        assert "error: not a reegen project" in result.stderr and "reegen init DIR" in result.stderr
    assert list(tmp_path.iterdir()) == []


ARTICLE = """\
---
id: example-port-dredging
title: An example port plans to deepen its main channel
publisher: Example Harbour Gazette
tags: [ports]
---
The fictional Example Port Authority says it will deepen its main channel so that larger ships can call.

## Highlights
- The authority says the work will take two seasons.

## Funding
The authority says it will pay for half of the work from its reserves.
"""


def test_write_a_brief_on_another_topic_from_scratch_and_read_it_as_a_tool_would(tmp_path):
    assert reegen("init", "port", "-q", cwd=tmp_path).returncode == 0
    root = tmp_path / "port"
    for path in [*(root / "articles").iterdir(), *(root / "briefs").iterdir()]:
        path.unlink()
    (root / "articles" / "example-port-dredging.md").write_text(ARTICLE, encoding="utf-8")
    assert reegen("new", "port-watch", "-q", cwd=root).returncode == 0
    spec = root / "briefs" / "port-watch.yaml"

    # The skeleton builds, but its stand-in text is flagged, and --strict refuses it.
    assert "[spec.placeholder]" in reegen("validate", cwd=root).stderr
    assert reegen("validate", "--strict", "-q", cwd=root).returncode == 1
    text = spec.read_text(encoding="utf-8")
    text = text.replace("State your judgement here and cite what it rests on, e.g.",
                        "The dredging plan is the authority's own account; nobody has checked it")
    text = text.replace("Write the analysis here and cite its sources, e.g.", "Watch for the second season's start")
    text = text.replace("from: lead\n", "from: lead\n  - title: Funding\n    from: fundng\n")  # a typo
    spec.write_text(text, encoding="utf-8")

    # CI sees the typo as an annotation on its line, with the fix suggested.
    annotations = reegen("validate", "--format", "github", cwd=root)
    line = text.splitlines().index("    from: fundng") + 1
    assert f"file=briefs/port-watch.yaml,line={line}," in annotations.stdout and "'funding'" in annotations.stdout
    spec.write_text(text.replace("fundng", "funding"), encoding="utf-8")
    assert reegen("validate", "--strict", "-q", cwd=root).returncode == 0

    built = reegen("build", "-f", "md", cwd=root)
    assert built.returncode == 0, built.stderr
    brief = (root / "output" / "port-watch.md").read_text(encoding="utf-8")
    assert "## Funding" in brief and "Example Harbour Gazette" in brief

    # What a tool reads: one JSON document per command, with a version.
    listed = json.loads(reegen("list", "articles", "--json", cwd=root).stdout)
    assert (listed["format"], listed["ok"], [i["id"] for i in listed["items"]]) == (
        "reegen.list", True, ["example-port-dredging"])
    shown = json.loads(reegen("show", "example-port-dredging", "--json", cwd=root).stdout)
    assert [s["slug"] for s in shown["article"]["sections"]] == ["lead", "highlights", "funding"]
    figures = json.loads(reegen("figures", "port-watch", "--json", cwd=root).stdout)
    assert (figures["format"], figures["ok"], figures["spec"]) == ("reegen.figures", True, "briefs/port-watch.yaml")
    missing = reegen("figures", "port-wach", "--json", cwd=root)
    assert missing.returncode == 1 and json.loads(missing.stdout)["problems"][0]["code"] == "spec.not-found"
