"""The DOCX writer's style index answers as python-docx's own lookups do."""

from __future__ import annotations

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE

from reegen.writers import _docx_styles as st
from reegen.writers._docx_styles import _Styles


def test_every_template_style_is_found_as_python_docx_finds_it():
    document = docx.Document()
    index = _Styles(document)
    names = [s.name for s in document.styles]
    assert len(names) > 100
    for name in names + ["heading 1", "Default Paragraph Font"]:
        assert index[name].element is document.styles[name].element, name


def test_unknown_names_and_duplicates_are_refused_as_python_docx_refuses_them():
    document = docx.Document()
    index = _Styles(document)
    with pytest.raises(KeyError):
        index["No Such Style"]
    added = index.add_style("Source Entry", WD_STYLE_TYPE.PARAGRAPH)
    assert document.styles["Source Entry"].element is added.element
    assert index["Source Entry"].element is added.element
    with pytest.raises(ValueError, match="already contains"):
        index.add_style("Source Entry", WD_STYLE_TYPE.PARAGRAPH)
    with pytest.raises(ValueError):
        index.add_style("Heading 1", WD_STYLE_TYPE.PARAGRAPH)  # a built-in, by its UI name


def test_styles_are_set_up_once_each():
    document = docx.Document()
    st.setup_styles(document)
    names = [s.name for s in document.styles]
    assert len(names) == len(set(names))
    for name in (st.SOURCE_ENTRY, st.SOURCE_NUMBER, st.NOTE, st.TABLE_TEXT, *st.TOC_LEVELS):
        assert name in names
    assert document.styles[st.SOURCE_ENTRY].base_style.name == "Normal"
