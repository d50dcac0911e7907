"""Start-up stays small: help imports none of the heavy libraries, and commands import only what they use.

How fast `reegen --help` is gets measured by `python benchmarks/run.py --only help`
(target < 150 ms), not here: these tests check what a command loads, which is what the
time depends on, and which does not vary with the machine's load.
"""

from __future__ import annotations

import json
import subprocess
import sys

from reegen.cli import COMMANDS

#: libraries that cost tens of milliseconds each to import
HEAVY = ("jinja2", "reportlab", "docx", "yaml", "markdown_it", "lxml", "trafilatura", "nupunkt", "tqdm",
         "multiprocessing", "concurrent.futures", "watchdog", "http.server", "jsonschema")

_PROBE = """
import json, sys
from reegen.cli import cli
loaded = {}
for args in json.loads(sys.argv[1]):
    try:
        cli.main(args=args, prog_name="reegen", standalone_mode=False)
    except SystemExit:
        pass
    loaded[" ".join(args)] = sorted(m for m in json.loads(sys.argv[2]) if m in sys.modules)
print(json.dumps(loaded))
"""


def loaded_by(commands: list[list[str]], cwd=None) -> dict[str, list[str]]:
    """Return, after running each of `commands` in turn in one fresh interpreter, the heavy modules then loaded."""
    result = subprocess.run([sys.executable, "-c", _PROBE, json.dumps(commands), json.dumps(HEAVY)],
                            capture_output=True, text=True, cwd=cwd, check=True)
    return json.loads(result.stdout.splitlines()[-1])


def test_help_of_reegen_and_of_every_command_imports_no_heavy_library():
    commands = [["--help"], *([name, "--help"] for name in COMMANDS), ["template", "list", "--help"],
                ["--project", ".", "-q", "preview", "--help"], ["template", "copy", "--help"]]
    loaded = loaded_by(commands)
    assert loaded["--help"] == []
    assert loaded[" ".join(commands[-1])] == []  # cumulative: no command's help loaded one either


def test_listing_commands_import_no_renderer_or_parser(sample_project):
    loaded = loaded_by([["list", "briefs"], ["template", "list"], ["new", "weekly"]], cwd=sample_project)
    assert loaded["new weekly"] == []


def test_validate_imports_no_writer_library(sample_project):
    loaded = loaded_by([["validate", "-q"]], cwd=sample_project)["validate -q"]
    assert not {"reportlab", "docx", "tqdm", "multiprocessing"} & set(loaded), loaded


def test_machine_output_imports_no_writer_server_or_watcher(sample_project):
    commands = [["list", "briefs", "--json"], ["validate", "--format", "json"], ["validate", "--format", "github"]]
    loaded = loaded_by(commands, cwd=sample_project)
    for command, modules in loaded.items():
        assert not {"reportlab", "docx", "tqdm", "multiprocessing", "watchdog", "http.server", "jsonschema"} & set(modules), (
            command, modules)
