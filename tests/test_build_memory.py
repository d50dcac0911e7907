"""A build's render order (the DOCX first, its memory given back, then the PDF) and the progress it tells."""

from __future__ import annotations

import pytest

from reegen import api, collector
from reegen.writers import docx as docx_writer
from reegen.writers import pdf as pdf_writer


def test_the_docx_is_rendered_first_its_memory_given_back_and_the_outputs_are_the_same(
        sample_project, pinned_date, monkeypatch):
    spec = sample_project / "briefs" / "baotou-executive.yaml"
    out = sample_project / "out"
    events = []
    write_docx, write_pdf = docx_writer.DocxWriter.write, pdf_writer.PdfWriter.write_file
    monkeypatch.setattr(docx_writer.DocxWriter, "write",
                        lambda self, *a: events.append("docx") or write_docx(self, *a))
    monkeypatch.setattr(pdf_writer.PdfWriter, "write_file",
                        lambda self, *a: events.append("pdf") or write_pdf(self, *a))
    monkeypatch.setattr(api, "_give_back_freed_memory", lambda: events.append("given back"))
    result = api.build(spec, formats=["pdf", "docx"], out_dir=out, force=True)
    assert events == ["docx", "given back", "pdf"]
    files = {path.name: path.read_bytes() for path in (*result.outputs.values(), result.manifest)}

    # The same files as a build rendering in the asked order (the PDF, then the DOCX).
    events.clear()
    monkeypatch.setattr(api, "_render_order", list)
    result = api.build(spec, formats=["pdf", "docx"], out_dir=out, force=True)
    assert events == ["pdf", "docx"]
    assert {path.name: path.read_bytes() for path in (*result.outputs.values(), result.manifest)} == files


def test_the_docx_comes_first_and_the_other_formats_keep_their_order():
    assert api._render_order(("md", "docx", "html")) == ["docx", "md", "html"]
    assert api._render_order(("pdf",)) == ["pdf"]


@pytest.mark.parametrize("asked", [True, False])
def test_freed_memory_is_handed_back_only_in_a_program_that_asked(asked, monkeypatch):
    trims = []
    monkeypatch.setattr(api, "_malloc_trim", lambda: trims.append)
    collector.pause_builds(asked)
    try:
        api._give_back_freed_memory()
    finally:
        collector.pause_builds(False)
    assert trims == ([0] if asked else [])


def test_a_build_tells_its_progress_stage_by_stage_and_the_pdf_page_by_page(sample_project, pinned_date):
    from pypdf import PdfReader

    spec = sample_project / "briefs" / "baotou-executive.yaml"
    told = []
    result = api.build(spec, formats=["pdf", "docx"], out_dir=sample_project / "out", force=True,
                       progress=lambda stage, page: told.append((stage, page)))
    pages = len(PdfReader(result.outputs["pdf"]).pages)
    assert told == [("prepare", 0), ("docx", 0), ("pdf", 0), *(("pdf", n) for n in range(1, pages + 1))]
    told.clear()
    again = api.build(spec, formats=["pdf", "docx"], out_dir=sample_project / "out",
                      progress=lambda stage, page: told.append((stage, page)))
    assert again.skipped and told == []
