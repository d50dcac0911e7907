"""Hostile and broken input, one folder per case in tests/cases/.

Each case is a small project (reegen.toml, briefs/brief.yaml, articles/, maybe
templates/) plus `expected/`: `exit_code`, and optionally `stderr.txt` (lines that must
appear in stderr) and `text.txt` (lines that must appear in both the PDF and the DOCX).
An `args` file replaces the default command `build briefs/brief.yaml`.

Every case also checks what must always hold: no traceback; a failed run changes no
file in output/; a successful run's links use only http, https or mailto.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from reegen.cli import cli
from tests.conftest import REPO

CASES = sorted(p for p in (REPO / "tests" / "cases").iterdir() if p.is_dir())
SAFE = ("http://", "https://", "mailto:")


def snapshot(folder: Path) -> dict:
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
def test_case(case: Path, tmp_path, monkeypatch):
    work = tmp_path / case.name
    shutil.copytree(case, work, symlinks=True)
    expected = work / "expected"
    args = (work / "args").read_text(encoding="utf-8").split() if (work / "args").exists() else ["build", "briefs/brief.yaml"]
    before = snapshot(work / "output")
    monkeypatch.chdir(work)
    result = CliRunner().invoke(cli, args)
    want = int((expected / "exit_code").read_text())
    assert result.exit_code == want, f"stdout: {result.stdout}\nstderr: {result.stderr}\nexception: {result.exception!r}"
    assert "Traceback" not in result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    if (expected / "stderr.txt").exists():
        for line in (expected / "stderr.txt").read_text(encoding="utf-8").splitlines():
            if line.strip():
                assert line in result.stderr, f"missing: {line}\nstderr was:\n{result.stderr}"
    if want != 0:
        assert snapshot(work / "output") == before, "a failed run changed output/"
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
