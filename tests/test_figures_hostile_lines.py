"""Figure finding does work in proportion to the text, however hostile the line.

A line such as `1%1%1%…` holds a figure every two characters and no clause break; each
figure used to be read against the whole line, so 8 KB took minutes. What makes it linear
is that a sentence's cue words and periods are found once per sentence (`_Scan`,
`_Matches`), not once per figure: the first test counts that. The time it takes, on 8 KB
and 64 KB lines side by side, is measured by `benchmarks/figures_hostile.py`. The
shortcuts are checked against the plain scans they replace.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter

import pytest
from hypothesis import given

from reegen import figures as F
from reegen.figures import figures_in_sentence
from tests.conftest import article_text
from tests.test_figures_shortcuts import EXAMPLES, SENTENCES

#: lines that hold a figure (or a near miss) every few characters (benchmarks/figures_hostile.py has the same)
HOSTILE = ["1%", "$1", "1,", "150+", "U.S. ", "by 2030 1% and "]


def test_a_hostile_line_is_scanned_once_per_sentence_not_once_per_figure(monkeypatch):
    built = Counter()

    class Scan(F._Scan):
        __slots__ = ()

        def __init__(self, *args, **kwargs):
            built["scans"] += 1
            super().__init__(*args, **kwargs)

    class Matches(F._Matches):
        __slots__ = ()

        def __init__(self, *args, **kwargs):
            built["pattern passes"] += 1
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(F, "_Scan", Scan)
    monkeypatch.setattr(F, "_Matches", Matches)
    found = {}
    for unit in HOSTILE:
        line = (unit * (16384 // len(unit) + 1))[:16384]
        built.clear()
        sentences = F.split_sentences(line)
        found[unit] = sum(len(F._sentence_figures(sentence, None)) for sentence in sentences)
        # one scan of each sentence with figures, five pattern passes each: none per figure
        assert built["scans"] <= len(sentences), unit
        assert built["pattern passes"] == 5 * built["scans"], unit
    assert found["1%"] == found["$1"] == 8192  # every figure is still found: the count is not met by finding none
    assert found["by 2030 1% and "] > 1000


def test_a_hostile_article_validates_and_builds_in_bounded_time(make_project):
    spec = make_project({"a": article_text("a", body="The zone grew 5% in a year.\n\n" + "1%" * 8192 + "\n")},
                        """\
                        title: T
                        articles: [a]
                        sections:
                          - title: Lead
                            from: lead
                          - title: Key figures
                            figures: auto
                        """)
    for command in ("validate", "build"):
        # Before, 8 KB of this line took over 100 s; 16 KB now takes a few seconds.
        run = subprocess.run([sys.executable, "-m", "reegen", command, str(spec)], capture_output=True, text=True,
                             timeout=120, cwd=spec.parent.parent)
        assert run.returncode == 0, run.stderr


def test_a_figure_of_a_very_long_sentence_keeps_only_the_words_around_it():
    sentence = "Output rose " + "very " * 400 + "sharply to 5,000 tonnes in the year " + "and more " * 300 + "at last."
    fig, = figures_in_sentence(sentence)
    assert fig["value"] == "5,000 tonnes"
    assert len(fig["sentence"]) <= 1010 and "sharply to 5,000 tonnes in the year" in fig["sentence"]
    assert fig["sentence"].startswith("… very") and fig["sentence"].endswith(" …")
    short = "Output rose to 5,000 tonnes in the year."
    assert figures_in_sentence(short)[0]["sentence"] == short


# --------------------------------------------------------------------------- the shortcuts


@EXAMPLES
@given(SENTENCES)
def test_cue_words_found_once_match_a_search_of_each_stretch(sentence):
    shortcuts = {F._FORECAST: F._Matches(F._FORECAST, sentence), F._PRICE: F._Matches(F._PRICE, sentence),
                 F._JOINED: F._Matches(F._JOINED, sentence, overlapping=True),
                 F._HALVES: F._Matches(F._HALVES, sentence, overlapping=True),
                 F._NEW_STATEMENT: F._Matches(F._NEW_STATEMENT, sentence, overlapping=True)}
    # Stretches start after a clause break or a figure and end at one (white space, punctuation, an end).
    bounds = sorted({0, len(sentence)} | {m.end() for m in re.finditer(r"[\s,;:—–]", sentence)}
                    | {m.start() for m in re.finditer(r"[\s,;:—–]", sentence)})
    for pattern, found in shortcuts.items():
        for lo in bounds:
            for hi in bounds:
                if hi < lo:
                    continue
                plain = pattern.search(sentence, lo, hi)
                fast = found.first(lo, hi)
                assert (plain and plain.span()) == (fast and fast.span()), (pattern.pattern, lo, hi)


@EXAMPLES
@given(SENTENCES)
def test_periods_of_a_prefix_found_once_match_a_search_of_the_prefix(sentence):
    scan = F._Scan(sentence, [], None)
    for end in sorted({0, len(sentence)} | {m.start() for m in re.finditer(r"[\s,;:]", sentence)}):
        assert scan.period(end) == F._period(sentence[:end]), end


@EXAMPLES
@given(SENTENCES)
def test_lead_up_to_including_dropped_as_the_anchored_pattern_did(sentence):
    for text in (sentence, "such as " + sentence, sentence + " including x", "a\nincluding b"):
        assert F._drop_lead(F._INCLUDE_WORD, text) == F._INCLUDE_LEAD.sub("", text)
        assert F._drop_lead(F._INCLUDE_WORD_TEXT, text) == F._INCLUDE_LEAD_TEXT.sub("", text)


@EXAMPLES
@given(SENTENCES)
def test_last_words_read_back_match_every_word_of_the_stretch(sentence):
    long = sentence + " " + "x" * 300 + " " + sentence
    for text in (sentence, long):
        for hi in range(0, len(text) + 1, 7):
            for lo in (0, hi // 2):
                assert F._last_words(text, lo, hi, 5) == F._WORD.findall(text, lo, hi)[-5:]


@pytest.mark.parametrize("sentence, expected", [
    ("Sales grew 5% and 6 projects opened, and the firm aims to add 7 plants by 2030.",
     [("5%", "result", "Sales grew 5%", None), ("6", "result", "Projects opened", None),
      ("7", "target", "Firm aims to add 7 plants by 2030", "2030")]),
    ("Output of 5 tonnes and 6 tonnes and 7 tonnes was reported.",
     [("5 tonnes", "result", "Output of 5 tonnes", None), ("6 tonnes", "result", "6 tonnes", None),
      ("7 tonnes", "result", "7 tonnes was reported", None)]),
    ("Its targets for 2026 include 10% growth and 150+ projects, while prices rose 3%.",
     [("10%", "target", "Its targets for 2026 include 10% growth", "2026"),
      ("150+", "target", "150+ projects", "2026"), ("3%", "target", "While prices rose 3%", "2026")]),
])
def test_figures_of_ordinary_sentences_are_unchanged_by_the_shortcuts(sentence, expected):
    # What the finder reported before it was made linear: each figure's halves, kinds and periods.
    found = figures_in_sentence(sentence, published_year=2025)
    assert [(f["value"], f["kind"], f["measure"], f["period"]) for f in found] == expected


# --------------------------------------------------------------------------- counts in words


def test_counts_written_in_words_are_figures():
    found = figures_in_sentence("The group opened two new bases and hired several hundred engineers.")
    assert [(f["value"], f["amount"], f["unit"]) for f in found] == [("two", 2.0, "bases"),
                                                                      ("several hundred", None, "engineers")]
    assert found[0]["quote"] == "The group opened two new bases"
    assert [f["value"] for f in figures_in_sentence("Layoffs hit hundreds of workers and a dozen rare-earth plants.")] \
        == ["hundreds", "a dozen"]
    # A name, a measure already found and a number that counts nothing named are not counts.
    assert figures_in_sentence("Two years on, the “Two Rare Earth Bases” strategy met four times.") == []
    assert [f["value"] for f in figures_in_sentence("It took three days.")] == ["3 days"]


def test_counts_in_words_are_numbered_after_the_figures_in_digits(make_project):
    from reegen import api

    body = "The port opened two new plants.\n\nIt handled 40 ships and 5% more cargo.\n"
    path = make_project({"a": article_text("a", body=body)}, "title: T\narticles: [a]\nsections: [{title: S, from: lead}]\n")
    prepared = api._prepare(path, strict=False)
    figures = prepared.figures.pool
    # The ids a verification ledger already names ("a/f1" for 40 ships) stay what they were.
    assert {f.figure.value: f.figure.id for f in figures} == {"40": "a/f1", "5%": "a/f2", "two": "a/f3"}
