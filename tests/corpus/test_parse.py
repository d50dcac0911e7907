"""Article files: front matter, sections by `##`, markers, and located problems."""

import datetime as dt
from pathlib import Path

import pytest

from reegen.corpus import load_corpus, parse_article
from reegen.errors import Report
from reegen.parse import parse_bodies, parse_body
from reegen.model import BulletList, Marker, Paragraph, Quote, plain_text, walk

ARTICLE = """\
---
id: zone
title: The zone
publisher: Rare Earth Exchanges
published: 2025-07-03
origin:
  - {name: Baogang Daily, kind: state-affiliated, translated: true}
tags: [Baotou, magnets]
references:
  1: {title: Zone statement, publisher: Baotou High-Tech Zone, url: https://example.org/s, date: 2025-04-02}
disclaimers:
  - Figures come from state sources.
---
The lead paragraph [1, 2].

## Highlights
- first
  - nested

## Key developments
**Speed.** Approvals take hours.

> “A pull quote.”
"""


def parse(text=ARTICLE, path="articles/zone.md"):
    """Return the article in `text` with its body parsed (front matter, then the parse stage), and the problems."""
    report = Report()
    article = parse_article(text, path, report)
    return (parse_body(article, report) if article is not None else None), report


def test_reading_an_article_leaves_its_body_unparsed_until_the_parse_stage():
    report = Report()
    article = parse_article(ARTICLE, "articles/zone.md", report)
    assert article.sections is None and article.figures is None
    with pytest.raises(ValueError, match="not parsed"):
        article.section("lead")
    parsed = parse_body(article, report)
    assert parsed.slugs == ("lead", "highlights", "key-developments") and parsed.figures == ()
    assert article.sections is None  # a plain record: the stage returns a new one


def test_body_problems_go_to_the_parse_stage_report_not_the_front_matter_one():
    text = ARTICLE.replace("The lead paragraph [1, 2].", "The lead paragraph [1, 2]. See [site](ftp://example.org/x).")
    front = Report()
    article = parse_article(text, "articles/zone.md", front)
    assert not list(front)
    body = Report()
    parse_body(article, body)
    assert [(d.code, d.location.line) for d in body] == [("markdown.unsafe-link", 14)]


def test_front_matter_becomes_article_fields():
    article, report = parse()
    assert article.id == "zone" and article.title == "The zone"
    assert article.published == dt.date(2025, 7, 3)
    assert article.origin[0].name == "Baogang Daily" and article.origin[0].translated
    assert article.origin[0].kind == "state-affiliated"
    assert article.tags == ("baotou", "magnets")
    assert article.references["1"].url == "https://example.org/s"
    assert article.disclaimers == ("Figures come from state sources.",)
    assert not report.errors


def test_sections_are_cut_at_level_two_headings_with_their_lines():
    article, _ = parse()
    assert article.slugs == ("lead", "highlights", "key-developments")
    assert [s.line for s in article.sections] == [14, 16, 20]
    highlights = article.section("highlights")
    assert isinstance(highlights.blocks[0], BulletList)
    quote = article.section("key-developments").blocks[1]
    assert isinstance(quote, Quote)


def test_blocks_carry_their_article_section_and_file_line():
    article, _ = parse()
    para = article.section("key-developments").blocks[0]
    assert para.source.article_id == "zone"
    assert para.source.section == "key-developments"
    assert para.source.line == 21


def test_inline_markers_are_kept_for_attribution():
    article, _ = parse()
    lead = article.section("lead").blocks[0]
    markers = [n for n in lead.children if isinstance(n, Marker)]
    assert markers and markers[0].labels == ("1", "2")


def test_highlights_and_lead_always_exist():
    article, _ = parse("---\ntitle: T\npublished: 2025-01-01\n---\n## Other\ntext\n", "articles/t.md")
    assert article.id == "t"
    assert article.section("lead") is not None and article.section("highlights").blocks == ()


def test_missing_front_matter_is_an_error_naming_the_file():
    article, report = parse("# Just markdown\n", "articles/bad.md")
    assert article is None
    assert str(report.errors[0]).startswith("articles/bad.md:1: error:")


def test_bad_date_and_unknown_kind_are_located():
    text = "---\ntitle: T\npublished: 2025-02-30\norigin:\n  - {name: X, kind: state-run}\n---\nbody\n"
    _, report = parse(text, "articles/t.md")
    got = {(d.code, d.location.line) for d in report.errors}
    assert ("article.date", 3) in got
    assert ("article.source-kind", 5) in got
    kind = next(d for d in report.errors if d.code == "article.source-kind")
    assert "did you mean" in kind.message


def test_bom_and_crlf_do_not_hide_front_matter():
    article, report = parse("\ufeff---\r\ntitle: T\r\npublished: 2025-01-01\r\n---\r\nBody text.\r\n", "articles/t.md")
    assert article is not None and article.title == "T"
    assert plain_text(article.section("lead").blocks[0].children) == "Body text."


def test_control_characters_are_removed_and_reported_with_line_and_column():
    article, report = parse("---\ntitle: T\npublished: 2025-01-01\n---\nA\x0bB\n", "articles/t.md")
    assert plain_text(article.section("lead").blocks[0].children) == "AB"
    warning = next(d for d in report.warnings if d.code == "text.removed-character")
    assert (warning.location.line, warning.location.column) == (5, 2)
    assert "U+000B" in warning.message


def test_duplicate_ids_in_a_corpus_name_both_files(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for name in ("a.md", "b.md"):
        (folder / name).write_text("---\nid: same\ntitle: T\npublished: 2025-01-01\n---\nx\n", encoding="utf-8")
    report = Report()
    corpus = load_corpus(folder, report, root=tmp_path)
    assert len(corpus) == 1
    error = report.errors[0]
    assert error.code == "article.duplicate-id" and error.location.path == "articles/b.md"
    assert "articles/a.md" in error.message


def test_the_sample_corpus_loads_without_errors():
    root = Path(__file__).resolve().parents[2]
    report = Report()
    corpus = load_corpus(root / "articles", report, root=root)
    corpus = parse_bodies(corpus, corpus.articles, report)
    assert not report.errors and not report.warnings, [str(d) for d in report]
    assert len(corpus) == 5
    for article in corpus:
        assert any(isinstance(b, Paragraph) for b in walk(article.section("lead").blocks))


def test_origin_date_and_provenance_are_read_and_survive_the_index(tmp_path):
    """A relayed report's date and where each field came from reach the Article, also via the index."""
    from reegen.corpus.parse import load_article
    from reegen.errors import Report

    path = tmp_path / "a.md"
    path.write_text("---\ntitle: T\norigin:\n  - {name: Daily, kind: state-affiliated, date: 2025-07-11}\n"
                    "provenance: {title: derived, published: inferred}\n---\nBody.\n", encoding="utf-8")
    report = Report()
    article = load_article(path, report)
    assert article.origin[0].date.isoformat() == "2025-07-11"
    assert article.provenance == {"title": "derived", "published": "inferred"}
    from reegen.corpus.index import _article_from, _article_to
    import json
    back = _article_from(json.loads(json.dumps(_article_to(article))), "")
    assert back.origin == article.origin and back.provenance == article.provenance


def test_bad_origin_date_and_provenance_are_located_errors(tmp_path):
    from reegen.corpus.parse import load_article
    from reegen.errors import Report

    path = tmp_path / "a.md"
    path.write_text("---\ntitle: T\norigin:\n  - {name: Daily, date: last week}\nprovenance:\n  title: guessed\n---\nBody.\n",
                    encoding="utf-8")
    report = Report()
    load_article(path, report)
    text = "\n".join(str(d) for d in report.diagnostics)
    assert ":4:" in text and "origin's 'date'" in text
    assert ":6:" in text and "provenance of 'title'" in text


def test_the_parse_stage_reads_only_the_records_it_parses():
    """A corpus may make its records on demand (from the index): parsing two bodies must not make the rest."""
    from collections.abc import Mapping

    from reegen.corpus import Corpus

    records = {i: parse_article(ARTICLE.replace("id: zone", f"id: {i}"), f"articles/{i}.md", Report())
               for i in ("a", "b", "c")}
    made = []

    class OnDemand(Mapping):
        def __getitem__(self, key):
            made.append(key)
            return records[key]

        def __iter__(self):
            return iter(records)

        def __len__(self):
            return len(records)

    corpus = parse_bodies(Corpus(OnDemand()), ["a", "c"], Report())
    assert sorted(made) == ["a", "c"]
    assert [a.sections is not None for a in (corpus.get(i) for i in "abc")] == [True, False, True]
    assert list(corpus.articles) == ["a", "b", "c"]
