"""Docs as tests: the README tells the truth about the commands."""

import re

from click.testing import CliRunner

from reegen.cli import COMMANDS, cli
from reegen.cli._reference import END, START
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_the_cli_reference_in_the_readme_matches_help():
    import subprocess
    import sys

    assert START in README and END in README
    current = README.split(START, 1)[1].split(END, 1)[0].strip()
    # A fresh interpreter: click caches help options on command objects other tests have run.
    fresh = subprocess.run([sys.executable, "-m", "reegen.cli._reference", "--print"], capture_output=True,
                           text=True, check=True).stdout
    assert current == fresh.strip(), "run: python -m reegen.cli._reference README.md"


def test_every_command_has_help_with_an_example_and_a_readme_entry():
    runner = CliRunner()
    for name in COMMANDS:
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Example" in result.output, name
        assert f"reegen {name}" in README.split(START)[0], name


def test_quick_start_has_exactly_two_commands():
    block = re.search(r"## Quick start\n\n```sh[^\n]*\n(.*?)```", README, re.S).group(1)
    lines = [l for l in block.splitlines() if l.strip()]
    assert len(lines) == 2
    assert "reegen build briefs/baotou-executive.yaml" in lines[0]
    assert "pytest" in lines[1]


def test_ci_runs_the_readme_test_command():
    block = re.search(r"## Quick start\n\n```sh[^\n]*\n(.*?)```", README, re.S).group(1)
    test_command = [l for l in block.splitlines() if l.strip()][1].strip()
    assert test_command in (REPO / ".ci" / "run").read_text(encoding="utf-8")


def test_shell_completion_script_is_offered():
    import os
    import subprocess
    import sys

    env = {**os.environ, "_REEGEN_COMPLETE": "bash_source"}
    out = subprocess.run([sys.executable, "-c", "from reegen.cli import main; main()"], env=env,
                         capture_output=True, text=True)
    assert "complete" in out.stdout and "_REEGEN_COMPLETE" in out.stdout
    assert "_REEGEN_COMPLETE=bash_source reegen" in README


def test_the_pre_commit_hook_runs_a_real_command(sample_project):
    import os

    import yaml

    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    entry = hooks[0]["entry"].split()
    assert hooks[0]["id"] == "reegen-validate" and entry[:2] == ["reegen", "validate"]
    old = os.getcwd()
    os.chdir(sample_project)
    try:
        result = CliRunner().invoke(cli, entry[1:])
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output
    assert "ok: 2 specs valid" in result.output
