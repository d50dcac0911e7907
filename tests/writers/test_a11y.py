"""What the DOCX and HTML writers share for accessibility: the brief's language, its outline, link names."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as hst

from reegen.model import (
    BulletList, Document, Emph, Heading, Link, ListItem, Meta, Ref, SourceEntry, SourcesList, Text,
)
from reegen.writers._a11y import (
    MAX_LABEL, language_runs, language_tag, outline_levels, script_languages, source_label, source_labels,
)


@pytest.mark.parametrize("value, expected", [
    ("en", "en"), ("en-GB", "en-GB"), (" de-AT ", "de-AT"), ("zh-Hans-CN", "zh-Hans-CN"),
    ("", "en"), ("english please", "en"), ('en" x="y', "en"), (None, "en"), (3, "en"),
])
def test_language_tag_takes_a_bcp47_tag_or_falls_back_to_english(value, expected):
    assert language_tag(Document(Meta("T", language=value), ())) == expected


def test_outline_levels_never_skip_a_level_and_may_go_back_up():
    headings = [Heading(level, (Text(str(i)),)) for i, level in enumerate((2, 3, 1, 3, 3, 1, 2, 3, 2))]
    levels = outline_levels(headings)
    assert [levels[id(h)] for h in headings] == [1, 2, 1, 2, 2, 1, 2, 3, 2]


def test_outline_levels_count_headings_inside_lists_in_reading_order():
    inner = Heading(3, (Text("inside"),))
    blocks = (Heading(1, (Text("a"),)), BulletList((ListItem((inner,)),)), Heading(3, (Text("after"),)))
    levels = outline_levels(blocks)
    assert levels[id(inner)] == 2 and levels[id(blocks[2])] == 2  # siblings, the first inside a list


def test_a_source_label_is_the_title_with_its_qualifier():
    stated = SourceEntry(1, (Text("Acme, Inc."), Text(", "), Emph((Text("Zone, plans and targets"),)),
                             Text(" (title inferred)"), Text(", undated.")))
    derived = SourceEntry(2, (Text("Rare Earth Exchanges (publisher inferred)"), Text(", "),
                              Text("title not stated (summary: "), Emph((Text("A plan"),)), Text(")"), Text(", undated.")))
    assert source_label(stated) == "Source 1: Zone, plans and targets (title inferred)"
    assert source_label(derived) == "Source 2: title not stated (summary: A plan)"


def test_a_source_without_a_title_is_named_by_its_first_sentence():
    reference = SourceEntry(4, (Text("Reference 2."), Text(" "), Text("Cited as [2] by source "), Ref((1,)), Text(".")))
    dated = SourceEntry(5, (Text("Zone office"), Text(", "), Text("2 May 2025"), Text("."), Text(" More.")))
    linked = SourceEntry(6, (Link("https://example.org", (Text("https://example.org"),)),))
    assert source_label(reference) == "Source 4: Reference 2"
    assert source_label(dated) == "Source 5: Zone office, 2 May 2025"
    assert source_label(linked) == "Source 6"


def test_a_long_source_label_is_cut_at_a_word():
    label = source_label(SourceEntry(7, (Emph((Text("magnet " * 40),)),)))
    assert len(label) <= MAX_LABEL and label.endswith("magnet…") and label.startswith("Source 7: magnet")


def test_source_labels_cover_every_entry_of_the_sources_list():
    entries = (SourceEntry(1, (Emph((Text("One"),)),)), SourceEntry(3, (Emph((Text("Three"),)),)))
    document = Document(Meta("T"), (SourcesList(entries),))
    assert source_labels(document) == {1: "Source 1: One", 3: "Source 3: Three"}


@pytest.mark.parametrize("text, expected", [
    ("plain", (None, None)), ("café", (None, None)), ("包头", ("zh", None)), ("漢字とかな", ("ja", None)),
    ("한국어", ("ko", None)), ("שלום", (None, "he")), ("مرحبا", (None, "ar")), ("包头 שלום", ("zh", "he")),
    ("हिन्दी", (None, None)), ("Привет", (None, None)),
])
def test_script_languages_name_the_language_of_each_script_slot(text, expected):
    assert script_languages(text) == expected


def test_language_runs_split_text_at_the_other_script_and_keep_every_character():
    text = "Baotou (包头, “稀土”) and שלום עולם, then 한국어 and カタカナ."
    runs = language_runs(text)
    assert "".join(piece for piece, _ in runs) == text
    assert [(p, t) for p, t in runs if t] == [("包头, “稀土", "zh"), ("שלום עולם", "he"), ("한국어", "ko"),
                                              ("カタカナ", "ja")]


def test_language_runs_leave_the_briefs_own_script_alone():
    assert language_runs("包头稀土", "zh-Hans") == [("包头稀土", None)]
    assert language_runs("שלום and 包头", "he") == [("שלום and ", None), ("包头", "zh")]


@given(hst.text())
def test_language_runs_never_lose_or_add_a_character(text):
    assert "".join(piece for piece, _ in language_runs(text)) == text


@given(hst.text(), hst.text(min_size=1))
def test_a_source_label_is_never_longer_than_the_limit(before, title):
    label = source_label(SourceEntry(9, (Text(before), Emph((Text(title),)))))
    assert label.startswith("Source 9") and len(label) <= MAX_LABEL
