"""Figure extraction's shortcuts find what the plain scans they replace would find.

Each test holds the plain way (a scan of the whole sentence, a loop over every word) and checks
the shortcut in `reegen.figures` against it, on chosen cases and on generated text.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reegen import figures as F
from reegen.figures import figures_in_sentence, inline_text, split_sentences
from reegen.model import Emph, LineBreak, Text

#: pieces that clauses, numbers, qualifiers, cue words and sentence ends are made of
PIECES = [
    " ", " ", "  ", "\n", "\t", "\u00a0", "\u2003", ",", ", ", ";", ":", " — ", "—", " – ", "–", "-", "(", ")", "~", "≈",
    ".", ". ", "! ", "? ", "… ", "”", "’", "\"", "“", "5", "12", "2026", "1,234.5", "10%", " percent", "¥", "$", "US$",
    " million", "bn", "three days", "half a day", "double-digit", "more than ", "about ", "up to ", "in excess of ",
    "approximately ", "some", "Section ", "No. ", "July ", " July", "Sept.", "Q1 ", "FY", "and ", " and the ", " but ",
    "while ", "including ", "such as ", "targets", " aims to ", "by 2030", "will", "expected", "prices", "per tonne",
    "businesses", "projects", "workers", "plans", "the", "The", "a", "x", "U.S. ", "etc. ", "ſet to", "K", "İs to",
    "during 2025", "since 2019", "first-quarter", "2026 targets", "H1 2025", "rose", "so far", "at least",
]
SENTENCES = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
EXAMPLES = settings(max_examples=300, deadline=None)


# --------------------------------------------------------------------------- clauses


def scanned_clause_bounds(sentence: str, pos: int) -> tuple[int, int]:
    """Return the clause around `pos` by scanning the sentence from its start, as extraction used to."""
    start = max((m.end() for m in F._CLAUSE_GAP.finditer(sentence, 0, pos) if m.end() <= pos), default=0)
    nxt = F._CLAUSE_GAP.search(sentence, pos)
    return start, nxt.start() if nxt else len(sentence)


@pytest.mark.parametrize("sentence", [
    "", "plain", "a, b; c: d", "a ,  b", "a — b—c", "2026–2030 and a – b", ",,,", ", \n\t, ", "a —  — b", "x:\u00a0y",
])
def test_clause_bounds_found_once_match_a_scan_of_the_sentence(sentence):
    clauses = F._Clauses(sentence)
    for pos in range(len(sentence) + 1):
        assert (clauses.start(pos), clauses.end(pos)) == scanned_clause_bounds(sentence, pos), pos


@EXAMPLES
@given(SENTENCES)
def test_clause_bounds_of_any_text_match_a_scan(sentence):
    clauses = F._Clauses(sentence)
    for pos in range(len(sentence) + 1):
        assert (clauses.start(pos), clauses.end(pos)) == scanned_clause_bounds(sentence, pos)


# --------------------------------------------------------------------------- patterns


@EXAMPLES
@given(SENTENCES)
def test_patterns_searched_in_a_tail_find_what_a_search_of_the_whole_prefix_finds(sentence):
    months = re.compile(rf"\b(?:{F._MONTHS})\.?\s*$", re.I)
    for end in range(len(sentence) + 1):
        tail = F._end_word_from(sentence, end)
        for fast, whole in ((F._NUMBERED, F._NUMBERED), (F._QUALIFIER, F._QUALIFIER), (F._MONTH_BEFORE, months)):
            a, b = whole.search(sentence[:end]), fast.search(sentence, tail, end)
            assert (a and (a.span(), a.groups())) == (b and (b.span(), b.groups()))


def test_a_qualifier_far_behind_trailing_space_is_still_found():
    sentence = "more than" + " " * 100 + "5 plants opened"
    assert figures_in_sentence(sentence)[0]["qualifier"] == "more than"


def without_lookaheads(pattern: re.Pattern) -> re.Pattern:
    """Return `pattern` less the first-letter lookaheads that speed it up."""
    text = pattern.pattern.replace(r"(?=[\d¥$€£]|\b\w)", "")
    return re.compile(re.sub(r"\(\?=\[[a-z]+\]\)", "", text), pattern.flags)


@pytest.mark.parametrize("name", ["_FIGURE", "_TARGET", "_FORECAST", "_NUMBERED", "_QUALIFIER", "_MONTH_BEFORE",
                                  "_QUARTER_WORD", "_NO_DIGIT_FIGURE", "_INCLUDE_LEAD", "_INCLUDE_LEAD_TEXT"])
def test_lookaheads_change_no_match(name):
    fast = getattr(F, name)
    plain = without_lookaheads(fast)
    assert plain.pattern != fast.pattern
    texts = [" ".join(PIECES), "".join(PIECES), "ſix days, Kg, İs to, Ｔargets, ﬁrst quarter"] + PIECES
    for text in texts:
        assert [(m.span(), m.groups()) for m in fast.finditer(text)] == \
               [(m.span(), m.groups()) for m in plain.finditer(text)]


@EXAMPLES
@given(SENTENCES)
def test_figure_pattern_with_its_lookahead_matches_the_same(sentence):
    plain = without_lookaheads(F._FIGURE)
    assert [(m.span(), m.groupdict()) for m in F._FIGURE.finditer(sentence)] == \
           [(m.span(), m.groupdict()) for m in plain.finditer(sentence)]


@EXAMPLES
@given(SENTENCES)
def test_a_sentence_passed_over_for_having_no_digit_holds_no_figure(sentence):
    if F._DIGIT.search(sentence) is None and F._NO_DIGIT_FIGURE.search(sentence) is None:
        assert not any(F._hit(sentence, m, F._Clauses(sentence)) for m in F._FIGURE.finditer(sentence))


def test_figures_without_a_digit_are_still_found():
    assert [f["value"] for f in figures_in_sentence("The permit now takes three days, half a day less.")] == \
           ["3 days", "half a day"]
    assert figures_in_sentence("Growth stayed in double-digit territory.")[0]["unit"] == "%"
    assert figures_in_sentence("No number here, and none in words either.") == []


# --------------------------------------------------------------------------- words and sentences


def stripped_word_by_word(text: str) -> str:
    """Return `text` less its lead and trail words, trying every word longest first, as extraction used to."""
    lead = sorted(F._LEAD_WORDS, key=len, reverse=True)
    trail = sorted(F._TRAIL_WORDS, key=len, reverse=True)
    changed = True
    while changed and text:
        changed = False
        low = text.lower()
        for word in lead:
            if low.startswith(word + " ") or low == word:
                text, changed = text[len(word) + 1:], True
                break
        low = text.lower()
        for word in trail:
            if low.endswith(" " + word) or low == word:
                text, changed = text[: len(text) - len(word)].rstrip(" ,"), True
                break
    return text


WORDS = st.lists(st.sampled_from(F._LEAD_WORDS + F._TRAIL_WORDS + ("x", "Sales", "İ", "SO THAT", "up", "to", "far")),
                 max_size=8)


@EXAMPLES
@given(WORDS, st.lists(st.sampled_from([" ", "  ", ", ", ","]), min_size=8, max_size=8))
def test_lead_and_trail_words_strip_as_when_every_word_was_tried(words, gaps):
    text = "".join(w + g for w, g in zip(words, gaps))
    for candidate in (text, text.strip(), text.upper()):
        assert F._strip_words(candidate) == stripped_word_by_word(candidate)


def split_looking_behind(text: str) -> list[str]:
    """Return the sentences of `text` as found with the look-behind pattern extraction used to have."""
    gap_after_stop = re.compile(r"(?<=[.!?…])[\"”’)]*\s+(?=[A-Z“\"‘(¥$€£0-9])")
    out, start = [], 0
    for gap in gap_after_stop.finditer(text):
        head = text[start:gap.start()]
        last = head.rsplit(None, 1)[-1] if head.split() else ""
        if any(last.endswith(a) for a in F._ABBREVIATIONS) and not last.endswith(("etc.",)):
            continue
        out.append(text[start:gap.start()].strip())
        start = gap.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return [s for s in out if s]


@EXAMPLES
@given(SENTENCES)
def test_sentences_split_as_with_a_look_behind(text):
    assert split_sentences(text) == split_looking_behind(text)


def test_sentence_splitting_keeps_abbreviations_and_quotes():
    text = "Output rose 5%. “It works.” The U.S. firm agreed… Then etc. Next! (Aside.) 2026 ends."
    assert split_sentences(text) == split_looking_behind(text)
    # (a closing quote after the stop goes with the gap)
    assert split_sentences(text)[:3] == ["Output rose 5%.", "“It works.", "The U.S. firm agreed…"]


@EXAMPLES
@given(st.lists(st.sampled_from([" ", "\n", "\t", "\u00a0", "a", "word", ".", ",", ";", ":", "!", "?", ")", "("]),
                max_size=30).map("".join))
def test_inline_text_drops_space_before_punctuation_as_the_regex_did(text):
    nodes = (Text(text), LineBreak(), Emph((Text(text),)))
    joined = " ".join((text + " " + text).split())
    assert inline_text(nodes) == re.sub(r"\s+([.,;:!?)])", r"\1", joined)


# --------------------------------------------------------------------------- the cache


def test_figures_of_a_sentence_are_new_dicts_each_time():
    sentence = "The zone registered 793 new businesses in Q1 2025."
    first = figures_in_sentence(sentence, published_year=2025)
    first[0]["value"] = "changed"
    first.append({})
    again = figures_in_sentence(sentence, published_year=2025)
    assert len(again) == 1 and again[0]["value"] == "793"


def test_the_published_year_still_decides_a_target():
    sentence = "Output will reach 5,000 tonnes by 2026."
    assert figures_in_sentence(sentence, published_year=2025)[0]["kind"] == "target"
    assert figures_in_sentence(sentence, published_year=2027)[0]["kind"] == "forecast"


def period_of_every_pattern(text: str) -> str | None:
    """Return the period of `text`, trying every pattern whether it holds a year or not."""
    for pattern in F._PERIOD:
        m = pattern.search(text)
        if m:
            return " ".join(g for g in m.groups() if g)
    m = F._QUARTER_WORD.search(text)
    return "Q" + str(("first", "second", "third", "fourth").index(m.group(1).lower()) + 1) if m else None


@EXAMPLES
@given(SENTENCES)
def test_periods_are_found_as_when_every_pattern_was_tried(text):
    assert F._period(text) == period_of_every_pattern(text)
