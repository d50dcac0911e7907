"""Plain public reportlab writes the same brief: the fallback of the PDF writer's fast paths.

These tests also run in CI against the oldest reportlab reegen supports (`.ci/run`, the
`fallback` marker), where every fast path is off. There `REEGEN_REFERENCE_PDFS` names a
folder of the sample briefs' PDFs written by the pinned reportlab with its fast paths,
and the briefs written here must read the same.
"""

from __future__ import annotations

import ast
import io
import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from pypdf import PdfReader

from reegen import api
from reegen.model import Document, Meta, Paragraph, Text
from reegen.writers import _pdf_draw, _rl_compat as compat

from .conftest import REPO, write_pdf
from .test_pdf_internals import body_words

pytestmark = pytest.mark.fallback

BRIEFS = ["baotou-executive", "baotou-dossier"]


def pages_text(pdf: bytes) -> list[str]:
    """The text of each page, white space folded: what a reader copies, whatever the line breaks."""
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(autouse=True)
def outside_the_range_it_is_said_once():
    """With a reportlab outside the fast paths' range, the first PDF of the process warns; these tests expect it.

    (The tests below that are about the warning catch it themselves.)
    """
    with warnings.catch_warnings():
        if not compat.active():
            warnings.simplefilter("ignore", compat.FallbackWarning)
        yield


@pytest.fixture
def fresh_switch(monkeypatch):
    """The fast paths as the installed reportlab allows them, with no warning given yet; restored after."""
    monkeypatch.setattr(compat, "_warned", set())
    monkeypatch.setattr(compat, "_off_reason", compat._off_reason)
    monkeypatch.setattr(compat, "_internals_off", compat._internals_off)


def _sample(brief: str):
    return api.load_document(REPO / "briefs" / f"{brief}.yaml")


def _reference(brief: str, document) -> bytes:
    """The brief as the pinned reportlab writes it with its fast paths (CI), else as this one writes it."""
    folder = os.environ.get("REEGEN_REFERENCE_PDFS")
    if folder:
        return (Path(folder) / f"{brief}.pdf").read_bytes()
    before = sum(compat.ran.values())
    pdf = write_pdf(document, base_dir=REPO)
    if compat.active():
        assert sum(compat.ran.values()) > before  # the reference really took the fast paths
    return pdf


@pytest.mark.parametrize("brief", BRIEFS)
def test_the_sample_briefs_read_the_same_on_plain_reportlab(brief):
    document = _sample(brief)
    reference = _reference(brief, document)
    before = {name: compat.ran[name] for name in compat.FAST_PATHS}
    with compat.without():  # the fast paths (the internals have tests of their own: test_pdf_internals.py)
        public = write_pdf(document, base_dir=REPO)
    assert {name: compat.ran[name] for name in compat.FAST_PATHS} == before  # no fast path ran
    assert public.startswith(b"%PDF-") and b"/Type /Catalog" in public
    assert pages_text(public) == pages_text(reference)


def test_a_fast_path_meeting_unknown_internals_falls_back_once_with_the_same_text(monkeypatch, fresh_switch):
    if not compat.active():
        pytest.skip(f"the fast paths are off with reportlab {'.'.join(map(str, compat.VERSION))}")
    document = _sample("baotou-executive")
    reference = write_pdf(document, base_dir=REPO)
    calls = []
    draw = _pdf_draw._draw_paragraph

    def reshaped(para):  # as if reportlab had renamed an attribute: fails after some paragraphs are drawn
        calls.append(para)
        if len(calls) > 10:
            raise AttributeError("'Paragraph' object has no attribute 'blPara'")
        return draw(para)

    monkeypatch.setattr(_pdf_draw, "_draw_paragraph", reshaped)
    with pytest.warns(compat.FallbackWarning, match="'draw' fast path failed") as caught:
        fallback = write_pdf(document, base_dir=REPO)
    assert len(caught) == 1 and len(calls) == 11
    assert not compat.active()  # for the rest of the process
    assert pages_text(fallback) == pages_text(reference)
    with warnings.catch_warnings(record=True) as again:
        warnings.simplefilter("always")
        assert pages_text(write_pdf(document, base_dir=REPO)) == pages_text(reference)
    assert again == [] and len(calls) == 11  # said once; the fast path is not tried again


def test_a_missing_private_name_turns_every_fast_path_off_with_one_warning(fresh_switch):
    if not compat.active():
        pytest.skip("the fast paths are already off")
    assert compat.private("reportlab.platypus.paragraph", "_doLink", "_no_such_name") == (None, None)
    assert not compat.active()
    with pytest.warns(compat.FallbackWarning, match="_no_such_name") as caught:
        assert not compat.fast("draw") and not compat.fast("lines")
    assert len(caught) == 1


def test_plain_reportlab_draws_a_devanagari_title_in_the_running_header():
    # Shaped text on the canvas (`drawString(..., shaping=True)`) is why reegen needs reportlab 4.4 or later.
    blocks = tuple(Paragraph((Text("क्षेत्र में परमिट घंटों में मिलते हैं। " * 20),)) for _ in range(12))
    with compat.without():
        pdf = write_pdf(Document(Meta(title="क्षेत्र रिपोर्ट"), blocks))
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) > 1  # the header is drawn from the second page on
    fonts = {str(f.get_object()["/BaseFont"]) for page in reader.pages[1:]
             for f in (page["/Resources"].get("/Font") or {}).values()}
    assert any("Devanagari" in name for name in fonts), fonts


_OUTSIDE = r'''
import io, json, pathlib, sys, warnings
import reportlab
reportlab.Version = sys.argv[1]  # the version the writer is told it runs on
warnings.simplefilter("always")
with warnings.catch_warnings(record=True) as caught:
    from reegen import api
    from reegen.writers import WriteOptions, get_writer, _rl_compat as compat
    from tests.writers.conftest import WHEN
    document = api.load_document("briefs/baotou-executive.yaml")
    pdfs = [get_writer("pdf").write(document, WriteOptions(source_date=WHEN, base_dir=pathlib.Path.cwd())) for _ in range(2)]
from tests.writers.test_pdf_fallback import pages_text
print(json.dumps({"warnings": [f"{w.category.__name__}: {w.message}" for w in caught],
                  "fast paths ran": sum(compat.ran[name] for name in compat.FAST_PATHS),
                  "internals ran": sum(compat.ran[name] for name in compat.INTERNALS), "text": pages_text(pdfs[0]),
                  "same both times": pdfs[0] == pdfs[1]}))
'''


@pytest.mark.parametrize("version", ["4.4.0", "5.2.0", "6.0.0"])
def test_outside_the_tested_range_the_writer_warns_once_and_writes_the_same_text(version):
    result = subprocess.run([sys.executable, "-c", _OUTSIDE, version], capture_output=True, text=True,
                            timeout=300, cwd=REPO)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert [w.split(":")[0] for w in out["warnings"]] == ["FallbackWarning"]
    assert f"reportlab {version} is outside" in out["warnings"][0]
    assert out["fast paths ran"] == 0 and out["same both times"]
    reference = pages_text(_reference("baotou-executive", _sample("baotou-executive")))
    if version == "4.4.0":  # inside the internals' range: the same pages
        assert out["internals ran"] > 0
        assert out["text"] == reference
    else:  # reportlab's own keep-together may break pages elsewhere: the same words
        assert out["internals ran"] == 0
        assert body_words(out["text"]) == body_words(reference)



def test_every_private_reportlab_name_the_writer_imports_goes_through_the_compatibility_module():
    found = []
    for path in sorted((REPO / "reegen" / "writers").glob("*.py")):
        if path.name == "_rl_compat.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("reportlab"):
                found += [f"{path.name}: {node.module}.{a.name}" for a in node.names if a.name.startswith("_")]
    assert found == []


def write_reference_pdfs(folder: str) -> None:
    """Write the sample briefs' PDFs into `folder`, as `REEGEN_REFERENCE_PDFS` expects them (`.ci/run`)."""
    for brief in BRIEFS:
        (Path(folder) / f"{brief}.pdf").write_bytes(_reference(brief, _sample(brief)))
