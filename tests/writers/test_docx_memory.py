"""The DOCX writer's memory: the main document's XML is written into the package in pieces, never made whole.

python-docx's save makes each part's XML one string; a 1,000-page brief's document.xml
is 8 MB, about twice that with lxml's buffer, on top of its XML tree at the DOCX's peak.
"""

from __future__ import annotations

import io

from reegen.writers import WriteOptions, _docx_ooxml
from reegen.writers import docx as docx_writer

from .conftest import WHEN, make_document


def test_the_main_document_is_written_into_the_package_in_pieces_as_python_docx_would_save_it(monkeypatch):
    from docx.opc import part as docx_part

    serialized = []
    serialize = docx_part.serialize_part_xml

    def recorded(element):
        data = serialize(element)
        serialized.append(data)
        return data

    monkeypatch.setattr(docx_part, "serialize_part_xml", recorded)
    document = make_document(toc=True)
    builder = docx_writer._Builder(document, WriteOptions(source_date=WHEN))
    saved = builder.build(WHEN)
    assert builder.streams_document
    assert not any(b"<w:body" in data for data in serialized)  # python-docx saved a stand-in
    ours = _docx_ooxml.normalize_zip(saved, WHEN, {builder.document_name: builder.write_document})
    whole = io.BytesIO()
    builder.doc.save(whole)  # python-docx's own save of the same document, document.xml made whole
    assert any(b"<w:body" in data for data in serialized)
    assert ours == _docx_ooxml.normalize_zip(whole.getvalue(), WHEN)
    assert docx_writer.DocxWriter().write(document, WriteOptions(source_date=WHEN)) == ours


def test_the_docx_writer_leaves_nothing_of_python_docx_in_reference_cycles():
    # Any python-docx element or proxy left in a cycle keeps the whole XML tree (C memory) until
    # the collector runs, which the `reegen` program holds off during a build. (python-docx's
    # `iter_parts` leaves its parts in a cycle of its own on every call: emptied, they hold nothing.)
    from .test_pdf_memory import _left_in_cycles

    document = make_document(toc=True)
    left = _left_in_cycles(lambda: docx_writer.DocxWriter().write(document, WriteOptions(source_date=WHEN)))
    kept = {name: n for name, n in left.items()
            if name.startswith(("docx.", "lxml.", "reegen.writers.")) and not name.startswith(("docx.opc.part", "docx.parts."))}
    assert not kept, kept
    assert left["docx.parts.document.DocumentPart"] <= 1


def test_without_python_docx_s_root_attribute_the_docx_is_saved_python_docx_s_way_with_the_same_bytes(monkeypatch):
    document = make_document(toc=True)
    streamed = docx_writer.DocxWriter().write(document, WriteOptions(source_date=WHEN))
    monkeypatch.setattr(docx_writer, "_ROOT_ATTRIBUTE", "_no_such_attribute")  # a python-docx that keeps it elsewhere
    builder = docx_writer._Builder(document, WriteOptions(source_date=WHEN))
    builder.build(WHEN)
    assert not builder.streams_document
    assert docx_writer.DocxWriter().write(document, WriteOptions(source_date=WHEN)) == streamed
