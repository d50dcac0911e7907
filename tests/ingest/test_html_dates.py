"""HTML publication dates: structured data, the URL and htmldate weighed by a stated rule, conflicts reported."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from reegen.ingest import ingest_source, parse_source
from reegen.ingest.html import PageFacts, Stated, page_facts, parse_tree, publication_date, url_date

_BODY = "".join(f"<p>{s}</p>" for s in (
    "The harbour authority opened a second berth for bulk carriers on Monday, ending a queue of ships that had "
    "waited offshore for most of the month while the old quay was repaired.",
    "Port staff said the new berth can take vessels twice the size of those the town handled before, and that "
    "the dredging needed for them finished ahead of the schedule agreed with the regional council.",
    "Shipping agents welcomed the change but warned that the rail link inland still limits how much cargo can "
    "leave the port each day, whatever the number of berths.",
))


def _page(head: str = "", url: str = "") -> str:
    canonical = f'<link rel="canonical" href="{url}">' if url else ""
    return (f"<!DOCTYPE html><html><head><title>Second berth opens at the harbour</title>{canonical}{head}</head>"
            f"<body><article><h1>Second berth opens at the harbour</h1>{_BODY}</article></body></html>")


def _front(text: str) -> dict:
    return yaml.safe_load(text.split("---\n")[1])


def test_a_published_meta_tag_is_the_date_and_is_recorded_as_stated():
    result = ingest_source(_page('<meta property="article:published_time" content="2024-03-11T09:30:00+01:00">'), "p.html")
    assert result.draft.published == dt.date(2024, 3, 11)
    assert "published" not in _front(result.text).get("provenance", {})  # not listed: stated by the page


def test_json_ld_date_published_is_read_and_date_modified_is_not_the_publication_date():
    ld = ('<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",'
          '"datePublished": "2023-06-02", "dateModified": "2023-09-20T10:00:00Z"}</script>')
    draft, _ = parse_source(_page(ld), "p.html")
    assert draft.published == dt.date(2023, 6, 2)


def test_a_page_that_states_only_an_update_date_gets_no_publication_date():
    draft, report = parse_source(_page('<meta property="article:modified_time" content="2023-09-20T10:00:00Z">'), "p.html")
    assert draft.published is None
    assert any("only when it was updated" in e.detail for e in report.of_kind("missing"))


def test_structured_data_and_url_far_apart_is_a_reported_conflict_and_no_date():
    head = '<meta property="article:published_time" content="2021-02-03T08:00:00+00:00">'
    draft, report = parse_source(_page(head, "https://news.example.com/2019/11/20/berth-opens/"), "p.html")
    assert draft.published is None
    assert any("date conflict" in e.detail and "2019-11-20" in e.detail for e in report)


def test_the_url_day_wins_over_a_utc_timestamp_a_day_off():
    head = '<meta property="article:published_time" content="2022-05-07T01:40:00Z">'
    draft, _ = parse_source(_page(head, "https://news.example.com/2022/05/06/berth-opens/"), "p.html")
    assert draft.published == dt.date(2022, 5, 6)


def test_a_url_date_alone_is_taken():
    draft, _ = parse_source(_page("", "https://blog.example.net/2018/10/04/a-new-berth"), "p.html")
    assert draft.published == dt.date(2018, 10, 4)


def test_a_date_after_the_file_or_before_1995_is_never_taken(tmp_path):
    path = tmp_path / "p.html"
    path.write_text(_page('<meta name="pubdate" content="2031-01-05">'), encoding="utf-8")
    draft, report = parse_source(path.read_bytes(), str(path))
    assert draft.published is None
    assert any("after the file date" in e.detail for e in report)
    draft, _ = parse_source(_page('<meta name="pubdate" content="1989-04-01">'), "q.html")
    assert draft.published is None


def test_related_articles_in_json_ld_do_not_count_against_the_pages_own_date():
    items = ",".join(f'{{"@type": "NewsArticle", "url": "https://n.example.com/other-{i}", "datePublished": "2020-0{i}-01"}}'
                     for i in range(1, 4))
    ld = (f'<script type="application/ld+json">[{items}, {{"@type": "NewsArticle", "url": "https://n.example.com/berth",'
          f' "datePublished": "2020-08-14T12:00:00+02:00"}}]</script>')
    draft, report = parse_source(_page(ld, "https://n.example.com/berth"), "p.html")
    assert draft.published == dt.date(2020, 8, 14)
    assert not any("conflict" in e.detail for e in report)


@pytest.mark.parametrize("fragment", [
    '<time datetime="2019-02-14T10:00">14 February 2019</time>',
    '<span class="published">2019-02-14</span>',
])
def test_markup_dates_found_by_htmldate_are_marked_inferred(fragment):
    result = ingest_source(_page().replace("</article>", f"{fragment}</article>"), "p.html")
    assert result.draft.published == dt.date(2019, 2, 14)
    assert _front(result.text)["provenance"] == {"published": "inferred"}


@pytest.mark.parametrize(("url", "day"), [
    ("https://a.example/2024/07/02/story", dt.date(2024, 7, 2)),
    ("https://a.example/news/20240702/story.html", dt.date(2024, 7, 2)),
    ("https://a.example/2024-07-02-story", dt.date(2024, 7, 2)),
    ("https://a.example/news/120200622120908039/story", None),  # an id that merely starts like a date
    ("https://web.archive.org/web/20140226054445/http://b.example/2013/08/07/story/", dt.date(2013, 8, 7)),
    ("https://a.example/2024/07/story", None),
])
def test_url_dates_are_full_dates_in_the_path(url, day):
    assert url_date(url) == day


def test_published_dates_in_page_facts_come_with_where_they_were_found():
    tree = parse_tree(_page('<meta name="dc.date.issued" content="2017-12-01">'))
    facts = page_facts(tree)
    assert [(s.day, s.where) for s in facts.published] == [(dt.date(2017, 12, 1), "meta dc.date.issued")]


def test_stated_dates_that_disagree_without_confirmation_are_refused():
    facts = PageFacts(published=[Stated(dt.date(2020, 1, 5), "meta a"), Stated(dt.date(2020, 3, 9), "JSON-LD b")])
    choice = publication_date(facts, None, "<html></html>", latest=dt.date(2025, 1, 1))
    assert choice.value is None and "none taken" in choice.conflicts[-1]
    choice = publication_date(facts, "https://x.example/2020/03/09/a", "<html></html>", latest=dt.date(2025, 1, 1))
    assert choice.value == dt.date(2020, 3, 9)


@pytest.mark.parametrize(("lines", "day"), [
    (["# Berth opens", "14 March 2024 | Harbour news", "The harbour authority opened ..."], dt.date(2024, 3, 14)),
    (["22/11/2020 - 04:30 - Source: Port Office"], dt.date(2020, 11, 22)),
    (["Published: 2023-05-09"], dt.date(2023, 5, 9)),
    (["Updated 9 May 2023"], None),  # an update date is not the publication date
    (["On 3 March 2020 the council voted to extend the quay."], None),  # a sentence, not a dateline
    (["From 1 January 2024 fares rise by a fifth"], None),  # a date in a headline-like line, not a dateline
    (["Harbour desk · 2 June 2021 · 3 min read"], dt.date(2021, 6, 2)),
    (["One", "Two", "Three", "Four", "5 May 2021"], None),  # only the first four lines count
    (["Harbour Monthly 02/2022"], None),  # a month and year (an issue number) name no day
])
def test_a_dateline_is_a_short_line_near_the_top_with_a_full_date(lines, day):
    from reegen.ingest.html import text_dateline

    found = text_dateline(lines)
    assert (found[0] if found else None) == day


def test_a_dateline_dates_a_page_without_structured_data_and_is_stated():
    page = _page().replace("<article><h1>Second berth opens at the harbour</h1>",
                           "<article><h1>Second berth opens at the harbour</h1><p>8 October 2022 | Port news</p>")
    result = ingest_source(page, "p.html")
    assert result.draft.published == dt.date(2022, 10, 8)
    assert "published" not in _front(result.text).get("provenance", {})  # not listed: stated by the page


def test_a_dateline_that_contradicts_the_url_leaves_the_date_out():
    page = _page("", "https://n.example.com/2022/10/20/berth").replace(
        "<article><h1>Second berth opens at the harbour</h1>",
        "<article><h1>Second berth opens at the harbour</h1><p>8 October 2022 | Port news</p>")
    draft, report = parse_source(page, "p.html")
    assert draft.published is None
    assert any("dateline says 2022-10-08" in e.detail for e in report)


def test_a_date_given_on_the_command_line_is_recorded_as_the_users():
    from reegen.ingest import Overrides

    page = _page('<meta property="article:published_time" content="2024-03-11T09:30:00+01:00">')
    result = ingest_source(page, "p.html", overrides=Overrides(published=dt.date(2024, 3, 12)))
    assert _front(result.text)["provenance"] == {"published": "user"}


def _with_after_article(extra: str) -> str:
    return _page().replace("</article>", "</article>" + extra)


def test_a_lone_date_in_the_page_text_is_taken_as_inferred_when_nothing_else_dates_the_page():
    draft, report = parse_source(_with_after_article('<div><span>Harbour desk</span> <span>14.10.2020</span></div>'), "p.html")
    assert draft.published == dt.date(2020, 10, 14)
    assert draft.provenance["published"] == "inferred"
    assert any("extensive search" in e.detail for e in report)


def test_dates_in_the_page_text_that_disagree_leave_the_date_out():
    extra = ('<div><span>Harbour desk</span> <span>14.10.2020</span></div>'
             '<div><span>Reply</span> <span>02.11.2020</span></div>')
    draft, _ = parse_source(_with_after_article(extra), "p.html")
    assert draft.published is None


def test_a_copyright_year_is_not_a_publication_date():
    draft, _ = parse_source(_with_after_article("<footer>© 2019 Harbour News</footer>"), "p.html")
    assert draft.published is None


def _with_byline(byline: str, head: str = "", url: str = "") -> str:
    return _page(head, url).replace("</h1>", f"</h1><p>{byline}</p>")


def test_a_byline_under_the_headline_dates_the_page_and_leaves_the_body():
    result = ingest_source(_with_byline("By Mira Okafor | 9 April 2021, 08:15"), "p.html")
    assert result.draft.published == dt.date(2021, 4, 9)
    assert result.draft.author == "Mira Okafor"
    assert "Mira Okafor" not in result.text.split("---\n", 2)[2]  # not left in the body


def test_a_byline_update_date_is_never_the_publication_date():
    draft, report = parse_source(_with_byline("Updated: 12 May 2022"), "p.html")
    assert draft.published is None
    # ... even when the markup offers it as the page's date
    head = '<meta property="article:modified_time" content="2022-05-12">'
    draft, _ = parse_source(_with_byline("Published 3 May 2022 | Updated 12 May 2022", head), "p.html")
    assert draft.published == dt.date(2022, 5, 3)


def test_the_byline_date_wins_over_a_markup_reading_it_contradicts():
    # a <time> the markup reader finds, a day after the byline's own date
    page = _with_byline("By Mira Okafor · 13 Jan 2020, 22:10 GMT+10").replace(
        "</article>", '<p><time datetime="2020-01-15">Wed, 15 Jan 2020</time></p></article>')
    draft, report = parse_source(page, "p.html")
    assert draft.published == dt.date(2020, 1, 13)


def test_a_byline_a_day_from_a_utc_timestamp_names_the_local_day():
    head = '<meta property="article:published_time" content="2021-06-05T02:30:00Z">'
    draft, report = parse_source(_with_byline("4 June 2021 · 22:30 EDT", head), "p.html")
    assert draft.published == dt.date(2021, 6, 4)
    assert any("from the byline, which the page's structured data confirms" in e.detail for e in report)


def test_a_last_modified_footer_is_not_taken_as_the_publication_date():
    page = _page().replace("</article>", '</article><footer><p>This page was last modified on 4 November 2020, '
                                         'at 19:23.</p></footer>')
    draft, report = parse_source(page, "p.html")
    assert draft.published is None


def test_a_utc_time_is_read_as_the_day_of_the_pages_country_when_all_its_zones_agree():
    head = '<meta property="og:locale" content="en_US"><meta property="article:published_time" content="2021-05-02T02:54:00Z">'
    draft, report = parse_source(_page(head), "p.html")
    assert draft.published == dt.date(2021, 5, 1)  # the evening of 1 May in every US time zone
    # a country whose zones all put it on the UTC day, and a page with no country: the UTC day
    head_gb = head.replace("en_US", "en_GB")
    assert parse_source(_page(head_gb), "p.html")[0].published == dt.date(2021, 5, 2)


def test_a_page_stating_its_local_day_is_not_moved_by_its_country():
    head = ('<meta property="og:locale" content="en_US"><meta property="article:published_time" '
            'content="2021-05-02T02:54:00Z"><meta name="pubdate" content="2021-05-02">')
    assert parse_source(_page(head), "p.html")[0].published == dt.date(2021, 5, 2)


def test_a_url_day_no_time_zone_can_give_the_utc_time_does_not_override_it():
    # 10:04 UTC on 9 July is 9 July from UTC-10 to UTC+13: the URL's 8 July is the story's creation, not its publication
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2020-07-09T10:04:00Z"}'
            '</script>')
    draft, _ = parse_source(_page(head, "https://paper.example.com/2020/07/08/harbour-berth/"), "p.html")
    assert draft.published == dt.date(2020, 7, 9)


def test_a_slug_ending_in_a_compact_date_dates_the_url():
    assert url_date("https://news.example.org/world/berth-opens-at-the-harbour-20200113") == dt.date(2020, 1, 13)
    assert url_date("https://news.example.org/item/120200113999") is None  # digits inside an id are not a date
