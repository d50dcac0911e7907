"""HTML title and authors: a site name comes off the title only when it names the site; authors are people."""

from __future__ import annotations

import pytest

from reegen.ingest import parse_source
from reegen.ingest.html import author_names, join_names, site_keys, strip_site

_BODY = ("<p>Volunteers counted the herons nesting along the estuary for the sixth spring running and found more "
         "nests than in any year since the count began, mostly on the islands the council stopped mowing.</p>"
         "<p>The organisers said the rise owes much to a quieter shoreline, though one good year proves little "
         "and the count will go on for at least another decade before anyone draws firm conclusions.</p>")


def _page(title: str, head: str = "", url: str = "https://www.estuarywatch.example.org/news/herons") -> str:
    return (f'<!DOCTYPE html><html><head><title>{title}</title><link rel="canonical" href="{url}">{head}</head>'
            f"<body><article>{_BODY}</article></body></html>")


@pytest.mark.parametrize(("title", "expected"), [
    ("Heron nests reach a record | Estuary Watch", "Heron nests reach a record"),
    ("Heron nests reach a record – Estuary Watch", "Heron nests reach a record"),
    ("Heron nests reach a record - estuarywatch.example.org", "Heron nests reach a record"),
    ("Estuary Watch: Heron nests reach a record", "Heron nests reach a record"),
    # the part after the bar is a section, not the site: kept
    ("Heron nests reach a record | Wildlife", "Heron nests reach a record | Wildlife"),
    # a colon inside a headline is the headline's own
    ("Herons: a record spring on the estuary", "Herons: a record spring on the estuary"),
])
def test_a_site_name_is_stripped_from_the_title_only_when_it_names_the_site(title, expected):
    draft, report = parse_source(_page(title, '<meta property="og:site_name" content="Estuary Watch">'), "p.html")
    assert draft.title == expected
    assert bool(report.of_kind("title")) == (expected != title)


def test_the_domain_alone_names_the_site():
    keys = site_keys([], "https://www.harbourgazette.example.com/a/b")
    assert strip_site("Quay reopens | Harbour Gazette", keys) == ("Quay reopens", "Harbour Gazette")
    assert strip_site("Quay reopens | Port Authority", keys) == ("Quay reopens | Port Authority", None)


def test_a_site_name_with_its_own_tagline_comes_off_whole():
    keys = site_keys(["Tidings | The coast's own paper"], None)
    assert strip_site("Tidings | The coast's own paper: Ferry fares rise", keys, ("Tidings | The coast's own paper",)) \
        == ("Ferry fares rise", "Tidings | The coast's own paper")


def test_a_title_that_is_only_the_site_name_is_kept():
    assert strip_site("Estuary Watch", site_keys(["Estuary Watch"], None)) == ("Estuary Watch", None)


@pytest.mark.parametrize(("raw", "names"), [
    (["Mara Quill; Tobias Renn"], ["Mara Quill", "Tobias Renn"]),
    (["Mara Quill, Tobias Renn and Ines Vale"], ["Mara Quill", "Tobias Renn", "Ines Vale"]),
    (["By Mara Quill"], ["Mara Quill"]),
    (["Mara Quill, Senior Correspondent"], ["Mara Quill"]),
    (["Mara Quill Associated Press"], ["Mara Quill"]),
    (["Reuters"], []),
    (["Staff"], []),
    (["AP"], []),
    (["Estuary Watch"], []),  # the publisher
    (["Estuary Watch Staff"], []),
    (["https://www.facebook.com/estuarywatch"], []),
    (["MARA QUILL"], ["Mara Quill"]),
    (["Sarah E. Quill"], ["Sarah E. Quill"]),  # a middle initial is no list
    (["Tobias Renn", "Tobias K. Renn"], ["Tobias K. Renn"]),
    (["admin"], []),
])
def test_authors_are_people_only(raw, names):
    found, _ = author_names(raw, site_keys(["Estuary Watch"], "https://estuarywatch.example.org/"))
    assert found == names


def test_an_author_equal_to_the_publisher_is_dropped_and_reported():
    head = '<meta property="og:site_name" content="Estuary Watch"><meta name="author" content="Estuary Watch">'
    draft, report = parse_source(_page("Heron nests reach a record", head), "p.html")
    assert draft.publisher == "Estuary Watch" and draft.author is None
    assert any("not taken as author" in e.detail and "Estuary Watch" in e.detail for e in report)


def test_several_authors_from_json_ld_are_joined_as_a_reader_writes_them():
    ld = ('<script type="application/ld+json">{"@type": "NewsArticle", "author": [{"@type": "Person", "name": "Mara Quill"},'
          '{"@type": "Person", "name": "Tobias Renn"}, {"@type": "Organization", "name": "Reuters"}]}</script>')
    draft, _ = parse_source(_page("Heron nests reach a record", ld), "p.html")
    assert draft.author == "Mara Quill and Tobias Renn"
    assert join_names(["A B", "C D", "E F"]) == "A B, C D and E F"


def test_the_title_is_the_pages_headline_not_a_guess_from_the_title_element():
    # No og:title, one <h1>: the headline is the h1; the <title>'s "Site: ..." form never gives "Estuary Watch".
    page = _page("Estuary Watch: Heron nests reach a record").replace("<article>", "<article><h1>Heron nests reach a record</h1>")
    draft, _ = parse_source(page, "p.html")
    assert draft.title == "Heron nests reach a record"
    head = '<meta property="og:title" content="Herons&amp;#039; record spring">'
    draft, _ = parse_source(_page("x", head), "p.html")
    assert draft.title == "Herons' record spring"


def test_json_ld_authors_come_from_the_article_not_the_web_page_or_related_stories():
    ld = ('<script type="application/ld+json">{"@type": "WebPage", "url": "https://www.estuarywatch.example.org/news/herons",'
          ' "author": {"@type": "Organization", "name": "Estuary Watch"}}</script>'
          '<script type="application/ld+json">{"@type": "NewsArticle", "url": "https://www.estuarywatch.example.org/news/herons",'
          ' "author": [{"@type": "Person", "name": "Ines Vale"}]}</script>'
          '<script type="application/ld+json">{"@type": "NewsArticle", "url": "https://www.estuarywatch.example.org/news/otters",'
          ' "author": [{"@type": "Person", "name": "Tobias Renn"}]}</script>')
    draft, _ = parse_source(_page("Heron nests reach a record", ld), "p.html")
    assert draft.author == "Ines Vale"


@pytest.mark.parametrize(("line", "author"), [
    ("By Ines Vale", "Ines Vale"),
    ("By Ines Vale and Tobias Renn | 14 May 2025", "Ines Vale and Tobias Renn"),
    ("<strong>By INES VALE</strong> · Reuters", "Ines Vale"),
    ("By Reuters", None),  # an agency is no author, and the line stays
])
def test_a_byline_in_the_page_text_names_the_author_and_leaves_the_body(line, author):
    page = _page("Heron nests reach a record").replace("<article>", f"<article><p>{line}</p>")
    draft, _ = parse_source(page, "p.html")
    assert draft.author == author
    body = " ".join(b.text for b in draft.body_blocks())
    assert ("Ines Vale" in body) == (author is None and "Ines" in line)


def test_by_in_an_ordinary_sentence_is_no_byline():
    from reegen.ingest.html import byline_names

    assert byline_names("By the end of the spring the islands held more nests than ever") is None
