"""The compact caveats: the one fact that matters most, a row per source, then only what adds something."""

from __future__ import annotations

import datetime as dt

from reegen import api
from reegen.model import BulletList, Heading, Paragraph, Strong, Table, plain_text
from reegen.transforms.caveats import pool_basis
from tests.conftest import article_text

STATE_RELAY = "origin:\n  - {name: Harbour Daily, kind: state-owned, translated: true%s}\n"


def relay(article_id: str, published: str | None, *, origin_date: str | None = None, disclaimer: str | None = None,
          publisher: str | None = "Metals Wire", body: str = "The port moved 40 ships.\n") -> str:
    extra = STATE_RELAY % (f", date: {origin_date}" if origin_date else "")
    if disclaimer:
        extra += f"disclaimers:\n  - {disclaimer}\n"
    return article_text(article_id, published=published, publisher=publisher, extra=extra, body=body)


SPEC = """\
title: T
date: 2026-06-01
articles: [%s]
sections:
  - title: Leads
    from: lead
caveats:
  stale_after_days: 200
"""


def section(doc) -> list:
    at = next(i for i, b in enumerate(doc.blocks) if isinstance(b, Heading) and b.anchor == "verification-caveats")
    end = next(i for i, b in enumerate(doc.blocks) if i > at and isinstance(b, Heading) and b.level == 1)
    return list(doc.blocks[at + 1:end])


def build(make_project, articles: dict[str, str], extra_spec: str = ""):
    return api.load_document(make_project(articles, SPEC % ", ".join(articles) + extra_spec))


def test_one_outlet_relaying_state_media_leads_the_caveats(make_project):
    doc = build(make_project, {
        "a": relay("a", None, disclaimer="Everything here comes from official sources and was not checked by us."),
        "b": relay("b", None), "c": relay("c", None)})
    lead, table, *rest = section(doc)
    assert isinstance(lead, Paragraph) and isinstance(lead.children[0], Strong)
    assert plain_text(lead.children) == ("All three sources are one outlet, Metals Wire, relaying state media "
                                         "(Harbour Daily). All are translated and none states its publication date. "
                                         "None of the three figures has been independently verified.")
    assert isinstance(table, Table)
    # One outlet: the headline names it, so the table has no Outlet and Kind columns to repeat it.
    # A translated relay says so in its Relays cell: no yes/no column taking a wrapping column's room.
    assert [plain_text(h) for h in table.header] == ["No.", "Relays", "Its own warning", "Date"]
    first = [plain_text(c) for c in table.rows[0]]
    assert first == ["[1]", "Harbour Daily (state-owned), translated",
                     "“Everything here comes from official sources and was not …”", "undated"]
    # What the table says is not said again below it.
    text = " ".join(plain_text(p.children) for b in rest if isinstance(b, BulletList) for i in b.items
                    for p in i.blocks)
    for said in ("Harbour Daily", "translated", "publication date", "official sources"):
        assert said not in text


def test_counts_and_dates_are_right_for_a_mix_of_publishers_and_dates(make_project):
    articles = {
        "a": relay("a", "2026-05-01", publisher="Metals Wire"),
        "b": relay("b", "2026-05-20", publisher="Metals Wire"),
        "c": relay("c", None, publisher="Port Review", origin_date="2025-07-11"),
        "d": article_text("d", published=None, publisher=None),
    }
    doc = build(make_project, articles)
    lead, table, *rest = section(doc)
    assert plain_text(lead.children).startswith(
        "Of the four sources, two are from Metals Wire, one is from Port Review and one has no stated publisher. "
        "Three of the four rest on state media. Three are translated and two state no publication date.")
    assert [plain_text(h) for h in table.header][:2] == ["No.", "Outlet (kind)"]
    dates = [plain_text(row[-1]) for row in table.rows]
    assert dates == ["1 May 2026", "20 May 2026", "undated; relays a report of 11 July 2025", "undated"]
    assert plain_text(table.rows[3][1]) == "not stated"
    # The relayed report bounds the undated article's age: older than 200 days, so possibly stale.
    stale = next(c for c in doc.caveats if c.kind == "stale")
    assert stale.numbers == (3,)
    assert "no earlier than 11 July 2025" in stale.text and "possibly stale" in stale.text

    from types import SimpleNamespace as A
    pool = [A(publisher="Metals Wire", published=dt.date(2026, 5, 1)),
            A(publisher="Metals Wire", published=dt.date(2026, 5, 20)),
            A(publisher="Port Review", published=None), A(publisher=None, published=None)]
    assert pool_basis(pool) == ("Based on four articles: two from Metals Wire, one from Port Review and one without "
                                "a stated publisher; two dated (1 May 2026 to 20 May 2026), two undated.")
    assert pool_basis(pool[:2]) == "Based on two articles, both from Metals Wire; published 1 May 2026 to 20 May 2026."
    assert pool_basis(pool[2:3]) == "Based on one article from Port Review; undated."
    assert pool_basis(pool[3:]) == "Based on one article, with no stated publisher or date."


def test_a_publisher_reegen_inferred_is_marked_so_in_the_headline_and_the_table(make_project):
    guessed = "provenance: {publisher: inferred}\n"
    articles = {
        "a": relay("a", None, publisher="Metals Wire"),
        "b": article_text("b", published=None, publisher="Metals Wire", extra=guessed),
        "c": article_text("c", published=None, publisher="Port Review", extra=guessed),
    }
    doc = build(make_project, articles)
    lead, table, *rest = section(doc)
    assert plain_text(lead.children).startswith(
        "Of the three sources, two are from Metals Wire (for one, the publisher is inferred) and one is from "
        "Port Review (publisher inferred).")
    outlets = [plain_text(row[1]) for row in table.rows]
    assert outlets[0] == "Metals Wire" and "publisher inferred" in outlets[1] and "publisher inferred" in outlets[2]
    # The long form marks it too.
    lead = plain_text(section(build(make_project, articles, "  form: list\n"))[0].children)
    assert "2 from Metals Wire (publisher inferred for 1), 1 from Port Review (publisher inferred)" in lead


def test_nothing_is_said_twice_and_no_two_bullets_share_a_label(make_project):
    body = "Exports reached 40 ships [1].\n\nThe port aims for 90 ships by 2030 [2].\n"
    articles = {"a": relay("a", "2024-01-01", body=body), "b": relay("b", "2024-02-01", body=body)}
    doc = build(make_project, articles, "  extra: [Ship counts were not checked against port records.]\n")
    blocks = section(doc)
    bullets = next(b for b in blocks if isinstance(b, BulletList))
    labels = [plain_text(i.blocks[0].children[:1]) for i in bullets.items]
    assert len(labels) == len(set(labels))
    assert {"Dated reporting.", "Untraced citations.", "Targets and plans.", "Analyst’s note."} <= set(labels)
    everything = " ".join(plain_text(b.children) for b in blocks if isinstance(b, Paragraph)) + " " + \
        " ".join(plain_text(p.children) for i in bullets.items for p in i.blocks)
    assert everything.count("independently verified") == 1
    assert "A single report cannot confirm" not in everything  # one outlet: the headline says it already


def test_the_long_form_is_kept_for_a_dossier_or_on_request(make_project):
    articles = {"a": relay("a", None), "b": relay("b", None)}
    doc = build(make_project, articles, "  form: list\n")
    blocks = section(doc)
    assert not any(isinstance(b, Table) for b in blocks)
    assert plain_text(blocks[0].children).startswith("This brief draws on 2 articles")


def test_the_long_form_says_each_kind_once_and_counts_an_unnamed_publisher_plainly(make_project):
    warned = "disclaimers:\n  - Figures come from the port authority alone.\n"
    articles = {"a": relay("a", None, disclaimer="Nothing here was checked by us."),
                "b": article_text("b", published=None, publisher="Port Review", extra=warned),
                "c": article_text("c", published=None, publisher=None)}
    doc = build(make_project, articles, "  form: list\n")
    blocks = section(doc)
    lead = plain_text(blocks[0].children)
    assert "1 without a stated publisher" in lead and "from no stated publisher" not in lead
    bullets = next(b for b in blocks if isinstance(b, BulletList))
    texts = [plain_text(i.blocks[0].children) for i in bullets.items]
    labels = [t.split(".")[0] for t in texts]
    assert len(labels) == len(set(labels))  # two sources' own warnings: one bullet
    warning = next(t for t in texts if t.startswith("The source’s own warning"))
    assert "checked by us" in warning and "port authority alone" in warning
    undated = next(t for t in texts if t.startswith("Undated source"))
    assert "how current they are cannot be judged" in undated
