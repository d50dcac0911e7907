"""The sample brief, end to end: built from the repository's corpus and read back from PDF and DOCX."""

from __future__ import annotations

import re

import docx
import pytest
from pypdf import PdfReader

from reegen import api
from reegen.model import Heading, Paragraph, Ref, plain_text, walk


def norm(text: str) -> str:
    # PDF text extraction breaks lines and may split words at hyphens; compare on folded white space.
    return " ".join(text.replace("\u00ad", "").split())


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from tests.conftest import copy_sample

    root = copy_sample(tmp_path_factory.mktemp("sample"))
    result = api.build(root / "briefs" / "baotou-executive.yaml")
    pdf_text = norm("\n".join(page.extract_text() for page in PdfReader(result.outputs["pdf"]).pages))
    document = docx.Document(str(result.outputs["docx"]))
    docx_text = norm("\n".join(p.text for p in document.paragraphs))
    return result, pdf_text, docx_text, document


def article_paragraphs(doc):
    return [b for b in walk(doc.blocks) if isinstance(b, Paragraph) and b.source is not None]


def test_outputs_land_where_the_spec_says(built):
    result, *_ = built
    assert result.outputs["pdf"].name == "baotou-executive.pdf"
    assert result.outputs["docx"].name == "baotou-executive.docx"
    assert result.manifest.name == "baotou-executive.manifest.json"
    assert result.outputs["pdf"].parent.name == "output"


def test_every_section_title_is_in_both_formats(built):
    result, pdf_text, docx_text, _ = built
    titles = [plain_text(b.children) for b in result.document.blocks if isinstance(b, Heading) and b.level == 1]
    assert titles == ["Key judgements", "What the sources report", "Key developments", "Market context", "Key figures", "What it means for us",
                      "Editor’s notes", "Verification caveats", "Sources"]
    for title in titles:
        assert title in pdf_text and title in docx_text


def test_docx_section_titles_use_heading_styles(built):
    *_, document = built
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert "Verification caveats" in headings and "Sources" in headings


def test_every_article_paragraph_ends_with_a_listed_source_number_in_both_formats(built):
    result, pdf_text, docx_text, _ = built
    listed = {e.number for e in result.document.sources}
    paragraphs = article_paragraphs(result.document)
    assert len(paragraphs) >= 10
    for para in paragraphs:
        if para not in result.document.blocks:
            continue  # list items: one marker per run of items, checked in the attribution tests
        refs = [n.numbers for n in para.children if isinstance(n, Ref)]
        assert refs and set(refs[-1]) <= listed and result.document.sources[refs[-1][-1] - 1].article_id == para.source.article_id
        ending = norm(plain_text(para.children).replace("\u00a0", " "))[-40:]
        assert ending in pdf_text, ending
        assert ending in docx_text, ending


def test_every_source_is_in_the_sources_list_of_both_formats(built):
    result, pdf_text, docx_text, _ = built
    assert len(result.document.sources) >= 5
    tail_pdf = pdf_text[pdf_text.rindex("Sources"):]
    tail_docx = docx_text[docx_text.rindex("Sources"):]
    for entry in result.document.sources:
        title = norm(plain_text(entry.children))[:60]
        assert title in tail_pdf and title in tail_docx


def test_the_caveats_section_names_state_affiliated_and_translated_sources(built):
    result, pdf_text, docx_text, _ = built
    kinds = {c.kind for c in result.document.caveats}
    assert {"state-affiliated", "translated", "disclaimer", "unresolved-citation"} <= kinds
    from reegen.transforms.caveats import IN_TABLE

    for caveat in result.document.caveats:
        if caveat.kind in IN_TABLE or caveat.kind == "single-source":
            continue  # the compact form says these in its table of sources (and "one outlet" in its headline)
        assert norm(caveat.text)[:50] in pdf_text
        assert norm(caveat.text)[:50] in docx_text
    headline = ("Of the five sources, four are from Rare Earth Exchanges (for two, the publisher is inferred) "
                "and one has no stated publisher")
    assert headline in pdf_text and headline in docx_text
    assert "Baogang Daily (state-affiliated)" in pdf_text  # a row of the table of sources


def test_a_sentence_from_each_selected_section_is_in_both_formats(built):
    result, pdf_text, docx_text, _ = built
    by_section: dict[tuple[str, str], str] = {}
    for para in article_paragraphs(result.document):
        by_section.setdefault((para.source.article_id, para.source.section), norm(plain_text(para.children)))
    assert len(by_section) >= 6
    for key, text in by_section.items():
        sentence = re.split(r"(?<=[.!?])\s", text)[0][:80]
        assert sentence in pdf_text, key
        assert sentence in docx_text, key


def test_the_manifest_lists_inputs_outputs_sources_and_caveats(built):
    import hashlib
    import json

    result, *_ = built
    manifest = json.loads(result.manifest.read_text(encoding="utf-8"))
    outputs = {o["path"]: o["sha256"] for o in manifest["outputs"]}
    for path in result.outputs.values():
        assert outputs[f"output/{path.name}"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert any(i["path"] == "briefs/baotou-executive.yaml" for i in manifest["inputs"])
    assert any(i["path"].startswith("articles/") for i in manifest["inputs"])
    assert len(manifest["sources"]) == len(result.document.sources)
    assert len(manifest["caveats"]) == len(result.document.caveats)


def test_the_title_block_and_classification_are_printed(built):
    _, pdf_text, docx_text, _ = built
    for text in (pdf_text, docx_text):
        assert "Baotou’s rare-earth magnet machine" in text
        assert "Internal — not for redistribution" in text
        assert "Executive leadership" in text


def test_the_dossier_builds_with_every_article(sample_project):
    result = api.build(sample_project / "briefs" / "baotou-dossier.yaml")
    cited = {e.article_id for e in result.document.sources if e.label is None}
    assert len(cited) == 5
    assert len(PdfReader(result.outputs["pdf"]).pages) >= 4
