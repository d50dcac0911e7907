"""Selection: the pool from ids and queries, and each section's material."""

import datetime as dt

from reegen.corpus import Corpus, parse_article
from reegen.errors import Report
from reegen.parse import parse_body
from reegen.select import query, select
from reegen.spec.load import parse_yaml
from reegen.spec.schema import SelectSpec, parse_spec
from tests.conftest import article_text


def corpus(*texts):
    report = Report()
    articles = {}
    for i, text in enumerate(texts):
        a = parse_body(parse_article(text, f"articles/{i}.md", report), report)
        articles[a.id] = a
    assert not report.errors
    return Corpus(articles)


CORPUS = corpus(
    article_text("old", published="2025-01-10", tags=("baotou", "policy"), body="Magnets and the war room.\n## Highlights\n- one\n"),
    article_text("new", published="2025-08-01", tags=("baotou", "magnets"), body="Magnet plants.\n## Highlights\n- two\n- three\n"),
    article_text("mid", published="2025-05-05", tags=("inner-mongolia",), publisher="Xinhua", body="Nothing about it.\n"),
)


def spec(text):
    report = Report()
    s = parse_spec(parse_yaml(text, "briefs/x.yaml"), "briefs/x.yaml", "x", report)
    assert not report.errors, [str(d) for d in report.errors]
    return s


def test_query_filters_by_tags_dates_words_and_publisher():
    assert [a.id for a in query(CORPUS, SelectSpec(tags=("baotou",)))] == ["new", "old"]
    assert [a.id for a in query(CORPUS, SelectSpec(any_tags=("policy", "inner-mongolia")))] == ["mid", "old"]
    assert [a.id for a in query(CORPUS, SelectSpec(since=dt.date(2025, 5, 5)))] == ["new", "mid"]
    assert [a.id for a in query(CORPUS, SelectSpec(until=dt.date(2025, 5, 5)))] == ["mid", "old"]
    assert [a.id for a in query(CORPUS, SelectSpec(query='"war room" MAGNETS'))] == ["old"]
    assert [a.id for a in query(CORPUS, SelectSpec(publisher="xinhua"))] == ["mid"]


def test_query_orders_newest_first_unless_oldest_and_limits():
    assert [a.id for a in query(CORPUS, SelectSpec(limit=2))] == ["new", "mid"]
    assert [a.id for a in query(CORPUS, SelectSpec(order="oldest", limit=2))] == ["old", "mid"]


def test_an_article_chosen_twice_keeps_its_first_place():
    s = spec("title: T\narticles: [old, {select: {tags: [baotou]}}]\nsections: [{title: S, from: highlights}]\n")
    selection = select(s, CORPUS, Report())
    assert [a.id for a in selection.pool] == ["old", "new"]


def test_from_a_slug_takes_that_section_of_every_pool_article_in_pool_order():
    s = spec("title: T\narticles: [new, old, mid]\nsections: [{title: S, from: highlights}]\n")
    plan = select(s, CORPUS, Report()).sections[0]
    assert [m.article.id for m in plan.material] == ["new", "old"]


def test_unknown_article_and_section_are_errors_with_suggestions():
    s = spec("title: T\narticles: [nwe]\nsections:\n  - title: S\n    from: [old#highlight]\n")
    report = Report()
    select(s, CORPUS, report)
    messages = [(d.location.line, d.message) for d in report.errors]
    assert (2, "unknown article 'nwe'; did you mean 'new'?") in messages
    assert (5, "article 'old' has no section 'highlight'; did you mean 'highlights'?") in messages


def test_an_empty_selection_is_a_warning_or_with_strict_an_error():
    s = spec("title: T\narticles: [{select: {tags: [nothing]}}]\nsections: [{title: S, from: highlights}]\n")
    report = Report()
    select(s, CORPUS, report)
    assert [d.code for d in report.warnings] == ["spec.empty-selection"]
    strict = Report()
    select(s, CORPUS, strict, strict=True)
    assert [d.code for d in strict.errors] == ["spec.empty-selection"]
