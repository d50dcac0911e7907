"""Hostile and broken input, one folder per case in tests/cases/.

Each case is a small project (reegen.toml, briefs/brief.yaml, articles/, maybe
templates/) plus `expected/`: `exit_code`, and optionally `stderr.txt` (lines that must
appear in stderr), `stdout.txt` (the same for stdout) and `text.txt` (lines that must
appear in both the PDF and the DOCX).
An `args` file replaces the default command `build briefs/brief.yaml` (the PDF and DOCX
checks apply to `build` only); a `prepare.py`
runs first (in the case's copy, with this Python) to set up what a folder cannot hold,
such as a damaged cache; `expected/absent.txt` lists glob patterns that must match no file
after the run, `expected/present.txt` patterns that must each match one.

Each case runs the real program (`python -m reegen`) in its own process, under a 1 GiB
address-space limit, and must finish within 10 s of CPU time and 500 MB of memory
(resident set, measured by the kernel for that process alone), so a stall or a memory
bomb fails its case instead of hanging the suite.

Every case also checks what must always hold: no traceback; a failed run changes no
file in output/; a successful run's links use only http, https or mailto.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from tests.conftest import REPO

CASES = sorted(p for p in (REPO / "tests" / "cases").iterdir() if p.is_dir())
SAFE = ("http://", "https://", "mailto:")
#: what one case may use: CPU seconds (a budget the kernel enforces), resident megabytes; and the guards
#: that stop a runaway
CPU_SECONDS = 10.0
RESIDENT_MB = 500
ADDRESS_SPACE = 1024**3
WALL_SECONDS = 60.0


def run_bounded(args: list[str], cwd: Path) -> tuple[int, str, str, float, float]:
    """Run `python -m reegen ARGS` in `cwd`; return (status, stdout, stderr, CPU seconds, peak resident MB).

    The child's own resource usage comes from wait4, so nothing else this test process
    started is counted. Past WALL_SECONDS the child is killed (status -9).
    """
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
        # a budget, not a measurement: past it the kernel stops the child (SIGXCPU, then SIGKILL)
        resource.setrlimit(resource.RLIMIT_CPU, (int(CPU_SECONDS), int(CPU_SECONDS) + 1))

    out, err = cwd.parent / (cwd.name + ".stdout"), cwd.parent / (cwd.name + ".stderr")
    with out.open("wb") as fo, err.open("wb") as fe:
        proc = subprocess.Popen([sys.executable, "-m", "reegen", *args], cwd=cwd, stdout=fo, stderr=fe,
                                stdin=subprocess.DEVNULL, preexec_fn=limit)
        deadline = time.monotonic() + WALL_SECONDS
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.01)
        proc.returncode = os.waitstatus_to_exitcode(status)
    # ru_maxrss is in kilobytes on Linux
    return (proc.returncode, out.read_text(encoding="utf-8", errors="replace"),
            err.read_text(encoding="utf-8", errors="replace"), usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def snapshot(folder: Path) -> dict:
    if folder.is_symlink():
        return {"<link>": folder.readlink()}
    if not folder.exists() or not folder.is_dir():
        return {"<file>": folder.read_bytes()} if folder.is_file() else {}
    return {p.name: (p.readlink() if p.is_symlink() else p.read_bytes()) for p in sorted(folder.iterdir())}


def fold(text: str) -> str:
    return " ".join(text.split())


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return fold("\n".join(parts))


def link_targets(pdf: Path, docx_path: Path) -> list[str]:
    targets = []
    for page in PdfReader(pdf).pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action and action.get("/URI"):
                targets.append(str(action["/URI"]))
    with zipfile.ZipFile(docx_path) as z:
        rels = z.read("word/_rels/document.xml.rels").decode("utf-8")
    import re

    targets += re.findall(r'Target="([^"]+)"\s+TargetMode="External"', rels)
    return targets


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case: Path, tmp_path):
    work = tmp_path / case.name
    shutil.copytree(case, work, symlinks=True, ignore=shutil.ignore_patterns(".reegen-cache"))  # a case starts cold
    expected = work / "expected"
    args = (work / "args").read_text(encoding="utf-8").split() if (work / "args").exists() else ["build", "briefs/brief.yaml"]
    if (work / "prepare.py").exists():
        subprocess.run([sys.executable, "prepare.py"], cwd=work, check=True, timeout=WALL_SECONDS)
    before = snapshot(work / "output")
    status, stdout, stderr, _, resident = run_bounded(args, work)
    want = int((expected / "exit_code").read_text())
    assert status not in (-signal.SIGXCPU, -signal.SIGKILL), f"stopped: past its budget of {CPU_SECONDS:.0f} s of CPU"
    assert status == want, f"stdout: {stdout}\nstderr: {stderr}"
    assert resident <= RESIDENT_MB, f"used {resident:.0f} MB"
    assert "Traceback" not in stdout + stderr
    if (expected / "stderr.txt").exists():
        for line in (expected / "stderr.txt").read_text(encoding="utf-8").splitlines():
            if line.strip():
                assert line in stderr, f"missing: {line}\nstderr was:\n{stderr}"
    if (expected / "stdout.txt").exists():
        for line in (expected / "stdout.txt").read_text(encoding="utf-8").splitlines():
            if line.strip():
                assert line in stdout, f"missing: {line}\nstdout was:\n{stdout}"
    if (expected / "present.txt").exists():
        for pattern in (expected / "present.txt").read_text(encoding="utf-8").split():
            assert list(work.glob(pattern)), f"{pattern} matches no file"
    if (expected / "absent.txt").exists():
        for pattern in (expected / "absent.txt").read_text(encoding="utf-8").split():
            assert not list(work.glob(pattern)), f"{pattern} still matches {list(work.glob(pattern))}"
    if want != 0:
        assert snapshot(work / "output") == before, "a failed run changed output/"
        return
    if args[0] != "build":  # another command (ingest): its expected files say what it must do
        return
    pdf, docx_path = work / "output" / "brief.pdf", work / "output" / "brief.docx"
    assert pdf.is_file() and docx_path.is_file()
    pdf_text = fold("\n".join(page.extract_text() for page in PdfReader(pdf).pages))
    word_text = docx_text(docx_path)
    if (expected / "text.txt").exists():
        for line in (expected / "text.txt").read_text(encoding="utf-8").splitlines():
            if line.strip():
                assert fold(line) in pdf_text, f"PDF lacks: {line}"
                assert fold(line) in word_text, f"DOCX lacks: {line}"
    for target in link_targets(pdf, docx_path):
        assert target.lower().startswith(SAFE), target


def test_there_are_at_least_fifty_cases():
    assert len(CASES) >= 50
