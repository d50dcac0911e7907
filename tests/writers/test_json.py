"""Tests for the JSON writer."""

from __future__ import annotations

import dataclasses
import json

import pytest
from hypothesis import HealthCheck, given, settings

from reegen import model
from reegen.errors import RenderError
from reegen.model import BulletList, Document, ListItem, Meta, Paragraph, Table, Text
from reegen.writers import WriteOptions, get_writer
from reegen.writers.json import JsonWriter
from tests.writers.test_markdown import BLOCKS


def write(document) -> bytes:
    return JsonWriter().write(document, WriteOptions())


def rebuild(data):
    """Return the model object JSON `data` describes (the inverse of the writer)."""
    if isinstance(data, list):
        return tuple(rebuild(item) for item in data)
    if isinstance(data, dict):
        cls = getattr(model, data["type"])
        return cls(**{k: rebuild(v) for k, v in data.items() if k != "type"})
    return data


def test_writer_is_registered_as_json():
    writer = get_writer("json")
    assert isinstance(writer, JsonWriter) and writer.name == "json"


def test_every_object_names_its_class_in_a_type_key(document):
    data = json.loads(write(document))
    assert data["type"] == "Document"
    assert data["meta"]["type"] == "Meta"

    def objects(value):
        if isinstance(value, dict):
            yield value
            for v in value.values():
                yield from objects(v)
        elif isinstance(value, list):
            for v in value:
                yield from objects(v)

    found = list(objects(data))
    assert all("type" in obj for obj in found)
    kinds = {obj["type"] for obj in found}
    assert {"Heading", "Paragraph", "BulletList", "ListItem", "Quote", "Table", "Rule", "SourcesList", "SourceEntry",
            "SourceRef", "Caveat", "Text", "Strong", "Emph", "Code", "Link", "LineBreak", "Ref", "Unresolved"} <= kinds


def test_output_has_sorted_keys_two_space_indent_and_one_trailing_newline(document):
    text = write(document).decode("utf-8")
    assert text == json.dumps(json.loads(text), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    assert text.startswith('{\n  "blocks": [\n')


def test_non_ascii_text_is_written_as_itself(document):
    text = write(document).decode("utf-8")
    assert "Baotou’s rare-earth magnet machine" in text
    assert "\\u2019" not in text


def test_the_json_describes_the_whole_document(document):
    assert rebuild(json.loads(write(document))) == document


def test_equal_documents_give_identical_bytes():
    def doc(width, ordered, number):
        table = Table(((Text("a"),),), (), widths=(width,))
        return Document(Meta("T"), (table, BulletList((ListItem(()),), ordered=ordered), Paragraph((), numbers=(number,))))

    first, second, third = doc(1, 1, 2), doc(1.0, True, 2.0), doc(-0.0 + 1, True, 2)
    assert first == second == third
    assert write(first) == write(second) == write(third)
    assert b'"widths": [\n        1.0\n      ]' in write(first)


def test_number_json_cannot_hold_raises_render_error():
    document = Document(Meta("T"), (Table(((Text("a"),),), (), widths=(float("nan"),)),))
    with pytest.raises(RenderError, match="not a finite number"):
        write(document)


def test_lone_surrogate_raises_render_error():
    with pytest.raises(RenderError):
        write(Document(Meta("T\ud800"), ()))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(BLOCKS)
def test_any_document_reads_back_from_its_json(blocks):
    document = Document(Meta("Title", date="2025-07-20"), blocks)
    data = write(document)
    assert rebuild(json.loads(data)) == document
    assert write(dataclasses.replace(document)) == data
