"""Figure extraction: the numbers of the sample corpus, their kinds, ids and what they measure (issue 4)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reegen.corpus import load_corpus
from reegen.corpus.parse import parse_article as read_article
from reegen.errors import Report
from reegen.figures import extract_figures, figures_in_sentence, split_sentences
from reegen.parse import parse_bodies, parse_body
from tests.conftest import REPO, article_text


def parse_article(text, path, report):
    """Return the article in `text` with its body parsed, as the parse stage gives it to the figure finder."""
    return parse_body(read_article(text, path, report), report)


@pytest.fixture(scope="module")
def corpus():
    corpus = load_corpus(REPO / "articles", Report(), root=REPO, cache=False)
    return parse_bodies(corpus, corpus.articles, Report())


@pytest.fixture(scope="module")
def figures(corpus):
    return {f.id: f for a in corpus for f in extract_figures(a)}


def find(figures, article_id, value):
    hits = [f for f in figures.values() if f.article_id == article_id and f.value == value]
    assert hits, f"{value} not found in {article_id}: {[f.value for f in figures.values() if f.article_id == article_id]}"
    return hits[0]


def test_the_sample_corpus_figures_are_found_with_their_kind_and_source(figures):
    price = find(figures, "baotou-circular-chain", "44%")
    assert price.kind == "price-move" and price.unit == "%" and price.period == "Q2"
    loans = find(figures, "baotou-high-tech-zone", "more than ¥110 million (~$15.2 million)")
    assert loans.kind == "result" and loans.unit == "CNY" and loans.amount == 110e6
    assert loans.conversion == "~$15.2 million" and "loans" in loans.measure
    businesses = find(figures, "baotou-high-tech-zone", "793")
    assert businesses.unit == "businesses" and businesses.kind == "result" and businesses.period == "Q1 2025"
    assert businesses.measure == "New businesses registered in the zone"
    growth = find(figures, "baotou-high-tech-zone", "43.7%")
    assert growth.kind == "result" and growth.measure == "Private enterprise growth"
    licences = find(figures, "baotou-high-tech-zone", "24,800")
    assert licences.unit == "licenses" and licences.amount == 24800 and licences.measure == "Active business licenses"
    rd = find(figures, "baotou-innovation-plan", "above 10%")
    assert rd.kind == "target" and rd.period == "2026" and rd.measure == "R&D spending growth"
    projects = [f for f in figures.values() if f.article_id == "baotou-innovation-plan" and f.value == "150+"]
    assert len(projects) == 2 and all(f.kind == "target" and f.unit == "projects" for f in projects)


def test_a_conversion_in_brackets_is_part_of_its_figure_not_a_second_one(figures):
    values = [f.value for f in figures.values() if f.article_id == "baotou-high-tech-zone"]
    assert not any(v.startswith(("~$15.2", "$15.2")) for v in values)
    assert "¥8 million" in values


def test_years_dates_quarters_ordinals_and_names_are_not_figures(figures):
    values = {f.value for f in figures.values()}
    for not_a_figure in ("2024", "2025", "2026", "2023", "10", "15", "80", "1", "2", "3"):
        assert not_a_figure not in values


def test_ids_count_every_figure_of_the_article_in_file_order(figures):
    zone = sorted((f for f in figures.values() if f.article_id == "baotou-high-tech-zone"), key=lambda f: f.number)
    assert [f.id for f in zone] == [f"baotou-high-tech-zone/f{n}" for n in range(1, len(zone) + 1)]
    # Figures in digits in file order; counts in words ("two new bases") after them all.
    from reegen.figures import _COUNTED

    words = [f for f in zone if f.unit in _COUNTED and not any(ch.isdigit() for ch in f.value)]
    digits = [f for f in zone if f not in words]
    assert [f.line for f in digits] == sorted(f.line for f in digits)
    assert all(w.number > d.number for w in words for d in digits)
    assert figures["baotou-high-tech-zone/f9"].value == "793"


def test_ids_stay_the_same_while_the_text_is_unchanged(corpus):
    article = corpus.get("baotou-high-tech-zone")
    again = parse_article(Path(REPO / article.path).read_text(encoding="utf-8"), article.path, Report())
    assert [(f.id, f.value) for f in extract_figures(article)] == [(f.id, f.value) for f in extract_figures(again)]


def test_a_figure_added_later_in_the_article_keeps_earlier_ids_unchanged():
    body = "Output rose 12% in 2024.\n\n## Outlook\n\nThe firm aims to hire 300 engineers by 2027.\n"
    before = extract_figures(parse_article(article_text("a", body=body), "a.md", Report()))
    after = extract_figures(parse_article(article_text("a", body=body + "\nExports fell 4%.\n"), "a.md", Report()))
    assert [(f.id, f.value) for f in before] == [(f.id, f.value) for f in after[:len(before)]]
    assert [f.kind for f in after] == ["result", "target", "result"]


@pytest.mark.parametrize("sentence, expected", [
    ("Sales grew 5% last year and the company aims to double output by 2030.", [("5%", "result")]),
    ("Prices are expected to rise 12% in 2026.", [("12%", "forecast")]),
    ("The firm plans to hire 300 engineers by 2027.", [("300", "target")]),
    ("Chinese producers reported a 9% price increase.", [("9%", "price-move")]),
    ("On July 10, 2025, Section 3 of the 15th Five-Year Plan marked the 80th anniversary.", []),
    ("The F-35 and 5G networks appeared in Q1 2025 at 10:30.", []),
    ("Two years to the day after the 2023 visit, four bodies met.", []),
    ("It costs RMB 500 million (about US$70 million) to build.", [("RMB 500 million (about US$70 million)", "result")]),
    ("A six-acre dispute was resolved in three days.", [("6 acres", "result"), ("3 days", "result")]),
])
def test_figures_in_a_sentence(sentence, expected):
    found = [(f["value"], f["kind"]) for f in figures_in_sentence(sentence, published_year=2025)]
    assert found == expected


def test_sentences_do_not_split_after_abbreviations():
    assert split_sentences("The U.S. Geological Survey counts 12 mines. Output rose 3%.") == [
        "The U.S. Geological Survey counts 12 mines.", "Output rose 3%."]


def test_citation_markers_are_not_read_as_numbers():
    article = parse_article(article_text("a", body="Producers reported a 44% rise [3].\n"), "a.md", Report())
    assert [f.value for f in extract_figures(article)] == ["44%"]
    assert extract_figures(article)[0].sentence == "Producers reported a 44% rise."


@pytest.mark.parametrize(("sentence", "value"), [
    ("It took \u017fix days to clear the permits.", "6 days"),  # long s: "six" under case-insensitive matching
    ("Output rose 5% in the \u017fecond quarter of 2024.", "5%"),
    ("The line runs for \u017feven months a year.", "7 months"),
])
def test_unicode_case_variants_of_number_words_are_read_not_a_crash(sentence, value):
    # The patterns ignore case, so Python matches U+017F as "s"; the lookups must fold case the same way.
    assert value in [f["value"] for f in figures_in_sentence(sentence)]
