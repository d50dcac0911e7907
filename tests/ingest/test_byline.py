"""Bylines and datelines under a title: authors, dates and publisher read, and the lines gone from the body."""

from __future__ import annotations

import datetime as dt

import pytest

from reegen.ingest import ingest_source
from reegen.ingest.byline import bare_name, parse_byline_line, read_byline

D = dt.date

BODY = ("The harbour authority approved a second container berth on Monday after a two-year review. "
        "Officials said construction would start in the spring and take about eighteen months.\n"
        "Local shipping firms welcomed the decision but warned that dredging costs remain unclear.\n")


def article(*head: str) -> str:
    return "\n".join(head) + "\n" + BODY


def ingest(text: str, name: str = "story.txt"):
    return ingest_source(text.encode("utf-8"), name)


# (byline line, authors, published, updated, publisher)
LAYOUTS = [
    ("By Marta Kowal | 14 May 2025", ["Marta Kowal"], D(2025, 5, 14), None, None),
    ("12 March 2025 — By Ibrahim Sesay", ["Ibrahim Sesay"], D(2025, 3, 12), None, None),
    ("2025-07-02 · Harbour Weekly", [], D(2025, 7, 2), None, "Harbour Weekly"),
    ("Published: 19 February 2023, 10:32 BST", [], D(2023, 2, 19), None, None),
    ("Posted on July 2, 2024 by Lena Fischer", ["Lena Fischer"], D(2024, 7, 2), None, None),
    ("Jan 10, 2024 · 5 min read", [], D(2024, 1, 10), None, None),
    ("By GRETA LINDQVIST", ["Greta Lindqvist"], None, None, None),
    ("By Tomás Ruiz and Aiko Mori", ["Tomás Ruiz", "Aiko Mori"], None, None, None),
    ("By Tomás Ruiz, Aiko Mori and Dev Patel", ["Tomás Ruiz", "Aiko Mori", "Dev Patel"], None, None, None),
    ("Tuesday, 2 July 2024 at 2:15 p.m. EDT", [], D(2024, 7, 2), None, None),
    ("By Nora Quist, Senior Markets Correspondent", ["Nora Quist"], None, None, None),
    ("By NORA QUIST and Paul Etxeberria, Senior Reporters", ["Nora Quist", "Paul Etxeberria"], None, None, None),
    ("By Nora Quist and Paul Etxeberria, Reuters", ["Nora Quist", "Paul Etxeberria"], None, None, None),
    ("Updated: 4 June 2024 09:00 GMT | Published: 3 June 2024", [], D(2024, 6, 3), D(2024, 6, 4), None),
    ("Written by Ama Owusu in Accra · 2024/11/30", ["Ama Owusu"], D(2024, 11, 30), None, None),
    ("Author: Pieter van der Berg — Thu 5 Sept 2024", ["Pieter van der Berg"], D(2024, 9, 5), None, None),
    ("21/10/2024 | Coastal Times", [], D(2024, 10, 21), None, "Coastal Times"),
    ("By Lena Fischer, Staff Writer | Coastal Times | October 3rd, 2024", ["Lena Fischer"], D(2024, 10, 3), None, "Coastal Times"),
]


@pytest.mark.parametrize("line, authors, published, updated, publisher", LAYOUTS, ids=[row[0] for row in LAYOUTS])
def test_each_byline_layout_gives_its_fields(line, authors, published, updated, publisher):
    found = read_byline([line])
    assert found.consumed == [0]
    assert found.authors == authors
    assert found.published == published
    assert found.updated == updated
    assert found.publisher == publisher


@pytest.mark.parametrize("line", [row[0] for row in LAYOUTS])
def test_a_byline_under_the_title_leaves_the_body_and_never_becomes_a_heading(line):
    result = ingest(article("Harbour Board Approves Second Berth", line))
    assert result.draft.title == "Harbour Board Approves Second Berth"
    assert line not in result.text
    assert all(section.title != line for section in result.draft.sections)
    assert result.report.of_kind("byline")


def test_byline_fields_reach_the_front_matter():
    result = ingest(article("Harbour Board Approves Second Berth", "By Tomás Ruiz and Aiko Mori | 14 May 2025"))
    assert result.draft.author == "Tomás Ruiz and Aiko Mori"
    assert result.draft.published == D(2025, 5, 14)
    assert "author: Tomás Ruiz and Aiko Mori\n" in result.text and "published: 2025-05-14\n" in result.text


@pytest.mark.parametrize("line", [
    "By 2030, the port expects to handle twice the traffic.",
    "By the end of the year the berth should be dredged",
    "Officials said the plan is on track",
    "Harbour Weekly",
    "Strategic Implications, Meanings",
])
def test_prose_and_headings_are_never_read_as_bylines(line):
    assert parse_byline_line(line) is None


def test_ambiguous_numeric_dates_are_refused_and_reported_not_guessed():
    found = read_byline(["03/04/2025"])
    assert found.published is None and found.consumed == [0]
    assert any("ambiguous" in note for _, note in found.notes)
    assert read_byline(["04/23/2025"]).published == D(2025, 4, 23)  # no 23rd month: one reading
    assert read_byline(["23.04.2025"]).published == D(2025, 4, 23)


def test_agencies_titles_staff_and_the_publisher_are_never_authors():
    assert read_byline(["By Staff | 3 May 2024"]).authors == []
    assert read_byline(["By Harbour Weekly | 3 May 2024"], publisher="Harbour Weekly").authors == []
    assert read_byline(["By AP"]).authors == []
    found = read_byline(["By Dev Patel, Bureau Chief, and Associated Press"])
    assert found.authors == ["Dev Patel"]


def test_an_update_date_is_never_the_publication_date():
    result = ingest(article("Harbour Board Approves Second Berth", "Updated 4 June 2024"))
    assert result.draft.published is None
    assert any("revision date" in e.detail for e in result.report.of_kind("byline"))


def test_a_labelled_published_date_wins_over_an_unlabelled_one_and_the_conflict_is_reported():
    found = read_byline(["9 June 2024", "Published: 3 June 2024"])
    assert found.published == D(2024, 6, 3)
    assert any("disagree" in note for _, note in found.notes)


def test_a_title_ending_in_a_full_stop_or_question_mark_is_kept_when_a_byline_follows():
    for title in ("The harbour gets its berth.", "Will the harbour get its berth?"):
        result = ingest(article(title, "By Marta Kowal | 14 May 2025"))
        assert result.draft.title == title


def test_a_bare_name_beside_a_dateline_is_the_author():
    result = ingest(article("Harbour Board Approves Second Berth", "Marta Kowal", "14 May 2025"))
    assert result.draft.author == "Marta Kowal"
    assert "Marta Kowal\n" not in result.text.split("---", 2)[2]
    assert bare_name("Key Developments:") is None


def test_markdown_body_bylines_are_read_too():
    text = "# Harbour Board Approves Second Berth\n\n*By Marta Kowal | 14 May 2025*\n\n" + BODY
    result = ingest_source(text.encode(), "story.md")
    assert result.draft.author == "Marta Kowal" and result.draft.published == D(2025, 5, 14)


@pytest.mark.parametrize("line, authors, publisher", [
    ("Reporting by Ama Owusu; Editing by Dev Patel", ["Ama Owusu"], None),
    ("By Dr. Ines Costa", ["Ines Costa"], None),
    ("Ines Costa | Valley Courier | 1 July 2024", ["Ines Costa"], "Valley Courier"),
    ("By Ines Costa Published 1 July 2024", ["Ines Costa"], None),
    ("Kestrel Bay | 1 July 2024", [], None),  # a place or a section is not a publisher
])
def test_credits_honorifics_and_unlabelled_pieces(line, authors, publisher):
    found = read_byline([line])
    assert found.consumed == [0]
    assert found.authors == authors and found.publisher == publisher


@pytest.mark.parametrize("line, authors, published", [
    ("Posted by Ines Costa on Sunday, February 6, 2022", ["Ines Costa"], D(2022, 2, 6)),
    ("Posted: Fri 6:45 PM, Feb 16, 2018", [], D(2018, 2, 16)),
    ("Published 11:11 PM EST Nov 19, 2019", [], D(2019, 11, 19)),
    ("21/05/2020 16h56", [], D(2020, 5, 21)),
    ("Veröffentlicht am 06.10.2023", [], D(2023, 10, 6)),  # dotted dates are day-first
    ("18.03.2020 13:15 Uhr Autor/in: Ines Costa", ["Ines Costa"], D(2020, 3, 18)),
    ("By Ines Costa and Kofi Mensah Reuters", ["Ines Costa", "Kofi Mensah"], None),
    ("By Ines Costa, CNN", ["Ines Costa"], None),
    ("By VALLEY COURIER STAFF", [], None),
    ("By Staff Reports -", [], None),
    ("⋅ November 22, 2011 ⋅ Email this post", [], D(2011, 11, 22)),
    ("By Ines Costa | ines.costa@example.org | Valley Courier", ["Ines Costa"], None),
])
def test_layouts_seen_on_real_pages(line, authors, published):
    found = read_byline([line])
    assert found.consumed == [0]
    assert found.authors == authors and found.published == published


def test_sign_up_prompts_are_not_bylines():
    assert parse_byline_line("By signing up you agree to our Terms of Use and Privacy Policy") is None


@pytest.mark.parametrize("line, published", [
    ("Veröffentlicht am 5. März 2024, 14:09", D(2024, 3, 5)),
    ("Dienstag, 28. April 2020", D(2020, 4, 28)),
    ("martes 17 de marzo de 2020", D(2020, 3, 17)),
    ("mercredi, 04 novembre 2020 19:19:27", D(2020, 11, 4)),
    ("Domenica 19 Aprile 2020", D(2020, 4, 19)),
])
def test_datelines_in_other_languages_use_month_names_from_dateparser(line, published):
    assert read_byline([line]).published == published


def test_foreign_abbreviations_that_are_english_words_are_not_months():
    from reegen.ingest.dates import scan_dates

    assert scan_dates("set 5 2020 ago") == []


def test_an_outlet_or_agency_line_beside_the_byline_is_consumed_too():
    found = read_byline(["Harbour Board Approves Second Berth", "Harbour Weekly",
                         "Updated 12/14/2023, By Ama Owusu and Dev Patel, Posted December 2, 2023", "Reuters"])
    assert found.consumed == [1, 2, 3]
    assert found.publisher == "Harbour Weekly" and found.authors == ["Ama Owusu", "Dev Patel"]
    assert found.published == D(2023, 12, 2) and found.updated == D(2023, 12, 14)


def test_the_first_candidate_is_never_taken_for_a_name_or_outlet():
    found = read_byline(["Harbour Board Approves Berth", "14 May 2025"])
    assert found.consumed == [1] and found.authors == []


def test_a_comma_separated_byline_keeps_its_name_list_together():
    found = read_byline(["Reuters, Written by Ama Owusu, Dev Patel and Ines Costa"])
    assert found.authors == ["Ama Owusu", "Dev Patel", "Ines Costa"]
    assert read_byline(["BY SVEN VAN DIJK AND TARIQ O'CONNELL"]).authors == ["Sven van Dijk", "Tariq O'Connell"]


def test_a_reading_time_after_a_comma_separated_name_list_ends_the_list():
    found = read_byline(["Written by Ama Owusu and Dev Patel, Reading time: 7 minutes"])
    assert found.authors == ["Ama Owusu", "Dev Patel"]
    found = read_byline(["By Ama Owusu, Senior Reporter, 9 min read, 2024-01-13"])
    assert found.authors == ["Ama Owusu"] and found.published == D(2024, 1, 13)


def test_a_short_headline_ending_in_a_full_stop_is_the_title_without_a_byline():
    result = ingest("Regulators clear the second berth.\n" + BODY)
    assert result.draft.title == "Regulators clear the second berth."
    assert "provenance" not in result.text
    result = ingest("The board met. It approved the berth.\n" + BODY)  # two sentences: a paragraph, not a title
    assert result.draft.provenance.get("title") == "derived"


def test_a_closing_wire_credit_names_the_author_and_leaves_the_body():
    result = ingest("Harbour Board Approves Second Berth\n" + BODY + "Reporting by Ama Owusu; Editing by Dev Patel\n")
    assert result.draft.author == "Ama Owusu"
    assert "Editing by" not in result.text


def test_an_ambiguous_dateline_and_disagreeing_dates_need_attention():
    result = ingest(article("Harbour Board Approves Second Berth", "03/04/2025"))
    assert [e.kind for e in result.report.attention() if "03/04/2025" in e.detail] == ["date"]
    result = ingest(article("Harbour Board Approves Second Berth", "9 June 2024", "Published: 3 June 2024"))
    assert any(e.kind == "conflict" for e in result.report.attention())
