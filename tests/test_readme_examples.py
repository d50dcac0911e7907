"""Docs as tests: every command and Python snippet the README shows runs as pasted.

Each fenced block of README.md is judged by its fence's info string (the words after the
opening ```), so a new section's examples are checked without touching this file:

* ```sh, ```bash, ```shell: commands. Each line (a trailing backslash joins it with the
  next; blank lines and `#` comment lines are skipped) runs with bash in a fresh copy of the
  sample project (articles/, briefs/, templates/, reegen.toml when there is one), in order,
  with reegen's Python environment first on PATH. It must exit 0, or with the status its
  comment states: `# … exits 1 …`.
* ```python: a snippet, run as a script with this Python in a fresh copy of the sample.
* A runnable block whose info string also says `setup` (```sh setup) installs things (a
  virtual environment, packages from the index): it is not run here; CI runs it itself
  (see `.ci/run` and tests/test_docs.py).
* Anything else is not run: ```console (a transcript: commands with their output),
  ```text, ```yaml, ```markdown, ```toml, ```make, ```json, and fences without a language.

Commands must stay inside the project folder and need no network, so that they run here.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

README = REPO / "README.md"
SHELL = {"sh", "bash", "shell"}
PYTHON = {"python", "py", "python3"}
FENCE = re.compile(r"^(?P<indent>[ \t]*)```(?P<info>[^`\n]*)\n(?P<body>.*?)^(?P=indent)```[ \t]*$", re.M | re.S)
EXITS = re.compile(r"#.*\bexits (\d+)\b")
TIMEOUT = 180


def blocks(text: str) -> list[tuple[int, str, str]]:
    """Return the README's runnable blocks as (line, language, body), body dedented."""
    found = []
    for m in FENCE.finditer(text):
        words = m["info"].strip().split()
        if not words or words[0] not in SHELL | PYTHON or "setup" in words[1:]:
            continue
        indent = len(m["indent"])
        body = "".join(line[indent:] if line[:indent].isspace() else line for line in m["body"].splitlines(True))
        found.append((text.count("\n", 0, m.start()) + 1, "python" if words[0] in PYTHON else "sh", body))
    return found


def commands(body: str) -> list[tuple[str, int]]:
    """Return a shell block's commands with the exit status each is expected to end with."""
    out, pending = [], ""
    for line in body.splitlines():
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        line, pending = pending + line, ""
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        expected = EXITS.search(line)
        out.append((line, int(expected.group(1)) if expected else 0))
    return out


def fresh_sample(root: Path) -> Path:
    """Copy the sample project (what a user gets in a checkout) into `root`."""
    root.mkdir(parents=True)
    for name in ("articles", "briefs", "templates"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name)
    if (REPO / "reegen.toml").is_file():
        shutil.copy2(REPO / "reegen.toml", root / "reegen.toml")
    return root


def environment(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REEGEN_", "SOURCE_DATE_EPOCH"))}
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env["HOME"] = str(tmp_path / "home")  # nothing a command writes lands in the user's home
    env["PYTHONPATH"] = str(REPO)  # the reegen under test, even without an editable install
    return env


BLOCKS = blocks(README.read_text(encoding="utf-8"))


def test_the_readme_has_runnable_examples():
    """Guards the parser: the README's command list and its Python API example are found."""
    languages = {language for _, language, _ in BLOCKS}
    assert languages == {"sh", "python"}
    assert any("reegen.build(" in body for _, _, body in BLOCKS)
    assert any("reegen validate" in body for _, _, body in BLOCKS)


@pytest.mark.parametrize("line, language, body", BLOCKS, ids=[f"README.md:{b[0]}" for b in BLOCKS])
def test_a_readme_example_runs_in_a_fresh_sample_project(line, language, body, tmp_path):
    project = fresh_sample(tmp_path / "sample")
    env = environment(tmp_path)
    (tmp_path / "home").mkdir()
    if language == "python":
        script = tmp_path / "example.py"
        script.write_text(body, encoding="utf-8")
        run = subprocess.run([sys.executable, str(script)], cwd=project, env=env, capture_output=True, text=True,
                             timeout=TIMEOUT)
        assert run.returncode == 0, f"README.md:{line}: the Python example fails:\n{run.stderr[-3000:]}"
        return
    for command, expected in commands(body):
        try:
            run = subprocess.run(["bash", "-c", command], cwd=project, env=env, capture_output=True, text=True,
                                 timeout=TIMEOUT, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            pytest.fail(f"README.md:{line}: `{command}` did not end within {TIMEOUT} s")
        assert run.returncode == expected, (
            f"README.md:{line}: `{command}` exited {run.returncode}, the README says {expected}:\n"
            f"{run.stdout[-1500:]}\n{run.stderr[-1500:]}")


def test_the_parser_follows_the_convention():
    text = (
        "```sh setup\npip install x\n```\n"
        "```console\n$ reegen build x\nwrote x\n```\n"
        "* item\n\n  ```sh\n  reegen list articles \\\n    --help\n  # a comment\n  reegen validate --all --strict   # exits 1 here\n  ```\n"
        "```python\nimport reegen\n```\n"
    )
    found = blocks(text)
    assert [(language, body.splitlines()[0]) for _, language, body in found] == [
        ("sh", "reegen list articles \\"), ("python", "import reegen")]
    assert commands(found[0][2]) == [("reegen list articles    --help", 0),
                                     ("reegen validate --all --strict   # exits 1 here", 1)]
