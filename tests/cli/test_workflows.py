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
