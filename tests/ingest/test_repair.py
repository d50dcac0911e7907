"""Line repairs: ftfy settings, the "โ" stand-in, glued words, inline boilerplate."""

from __future__ import annotations

import pytest

from reegen.ingest.repair import STAND_IN, LineRepairer
from reegen.ingest.report import IngestReport


def repair(line: str, document: str | None = None) -> tuple[str, IngestReport]:
    report = IngestReport("x.txt")
    fixed = LineRepairer(document if document is not None else line, report).repair(line, 1)
    return fixed, report


@pytest.mark.parametrize("text", [
    "He said “no” and ‘yes’ — then left.",
    "你好，世界（测试）！",
    "Use &lt;script&gt; &amp; more",
    "Ｆｕｌｌ width stays",
])
def test_ftfy_keeps_curly_quotes_cjk_punctuation_width_and_escapes(text):
    fixed, report = repair(text)
    assert fixed == text
    assert not report.entries


def test_ftfy_repairs_cp1252_mojibake_and_reports_it():
    fixed, report = repair("The mayorâ€™s â€œbig dayâ€\x9d ended.")
    assert fixed == "The mayor’s “big day” ended."
    assert [e.kind for e in report] == ["mojibake"]


@pytest.mark.parametrize("damaged, expected", [
    (f"The mill{STAND_IN}s roof", "The mill’s roof"),
    (f"they didn{STAND_IN}t know", "they didn’t know"),
    (f"we{STAND_IN}ll see", "we’ll see"),
    (f"in 2019{STAND_IN}2021 alone", "in 2019–2021 alone"),
    (f"prices rose{STAND_IN}sharply", "prices rose—sharply"),
    (f"a {STAND_IN}fair price{STAND_IN} they said", "a “fair price” they said"),
    (f"(known as {STAND_IN}the yard{STAND_IN})", "(known as “the yard”)"),
    (f"the growers{STAND_IN} union", "the growers’ union"),
    (f"calm {STAND_IN} for now", "calm – for now"),
    (f"{STAND_IN}Quoted opening{STAND_IN}, she wrote", "“Quoted opening”, she wrote"),
])
def test_stand_in_becomes_apostrophe_quote_or_dash_from_context(damaged, expected):
    fixed, report = repair(damaged)
    assert fixed == expected
    assert len(report.of_kind("encoding")) == damaged.count(STAND_IN)


def test_stand_in_is_left_alone_in_real_thai_text():
    thai = "โรงงานแห่งนี้ผลิตแม่เหล็ก"
    fixed, report = repair(thai)
    assert fixed == thai and not report.of_kind("encoding")


@pytest.mark.parametrize("glued, expected, document_extra", [
    ("on thetwo-year mark", "on the two-year mark", " two people"),
    ("owned andstate-run firms", "owned and state-run firms", " the state said"),
    ("turned intoideological sites", "turned into ideological sites", " ideological work"),
    ("costs, andprojected output", "costs, and projected output", ""),
    ("it came with“quotes” attached", "it came with “quotes” attached", ""),
    ("a fragmented,market-led approach", "a fragmented, market-led approach", ""),
    ("the plant closed.Workers left", "the plant closed. Workers left", ""),
    ("Growth-But Risks Remain", "Growth—But Risks Remain", ""),
])
def test_glued_words_are_split_when_unambiguous(glued, expected, document_extra):
    fixed, report = repair(glued, glued + document_extra)
    assert fixed == expected
    assert report.entries


@pytest.mark.parametrize("line", [
    "within the zone and without delay",
    "therefore the theory holds",
    "they withdrew and withheld support",
    "intoxicated drivers and android phones",
    "there and then the theme changed",
    "mail me at someone@example.org,thanks",
    "see https://example.org/a,b.Html for more",
    "a stop-And-Go policy",
    "1,000 tonnes at 3.5 per cent",
])
def test_real_words_and_urls_are_not_split(line):
    fixed, report = repair(line, line + " out hold draw nation theory")
    assert fixed == line
    assert not report.of_kind("glue")


def test_opens_in_a_new_tab_is_removed_and_reported():
    fixed, report = repair("a ceremony (opens in a new tab) on Monday")
    assert fixed == "a ceremony on Monday"
    assert report.of_kind("boilerplate")[0].detail == "removed '(opens in a new tab)'"


def test_invisible_characters_inside_words_are_removed():
    fixed, report = repair("capa\u00adcity of the\u00a0spokes\u200bperson")
    assert fixed == "capacity of the spokesperson"
    assert report.of_kind("whitespace")


@pytest.mark.parametrize(("text", "date"), [
    ("Published Augu\u017ft 11, 2025 in Baotou", "2025-08-11"),  # long s matches "s" when case is ignored
    ("11 \u017fept 2025", "2025-09-11"),
    ("OCT 3, 2024", "2024-10-03"),
])
def test_dates_with_unicode_case_variants_of_month_names_are_read(text, date):
    from reegen.ingest.dates import find_date

    found = find_date(text)
    assert found is not None and found[0].isoformat() == date
