"""The cheap searches that settle most texts before ingest's costly patterns never skip a match."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reegen.ingest import junk, origins

# Pieces of code, of JavaScript notices and of attributions, among prose words and punctuation.
_PIECES = st.sampled_from([
    "return x", "import {", "document.body", "window.open", "console.log(", "a.b(", "=>", "==", "!=", "&&", "||",
    "function (", "if (", "var x =", "{", "}", ";", "(", ")", "[", "]", "JavaScript", "JAVASCRIPT", "enable",
    "javascript is required", "doesn't work without", "according to", "Reuters", "Xinhua News Agency", "reported",
    "said in a statement", "a report by", "The", "Daily", "citing", "quoting", "based on data from", "of", "and",
    "rose", "12%", "in", "2024.", ",", ".", " ", "\n", "Ünïcode", "包钢", "state media",
    "Chinese", "State-run", "state-owned and", "official", "Government", "news agency", "sources", "press", "-",
])
_TEXT = st.lists(_PIECES, max_size=30).map(" ".join)


@settings(max_examples=400)
@given(_TEXT)
def test_a_text_the_hint_passes_over_matches_no_pattern(text):
    if not junk._CODE_HINT.search(text):
        assert not junk._CODE_LINE.search(text)
    if not junk._JS_HINT.search(text):
        assert not junk._JS_NOTICE.search(text)
    for pattern, needed, _ in origins._PATTERNS:
        if not needed.search(text):
            assert not pattern.search(text)
    if not origins._STATE_HINT.search(text):
        assert not origins._GENERIC_STATE.search(text)


def test_the_hints_let_through_what_the_patterns_match():
    assert junk._CODE_LINE.search("console.log(x)") and junk._CODE_HINT.search("console.log(x)")
    notice = "This site doesn't work without JavaScript"
    assert junk._JS_NOTICE.search(notice) and junk._JS_HINT.search(notice)
    for text, name in (("Output rose by 12%, according to the Northfield Gazette, in May.", "Northfield Gazette"),
                       ("The Lakeside Herald reported that output rose.", "Lakeside Herald"),
                       ("Output rose, a report by the Valley Tribune says.", "Valley Tribune")):
        assert [found for found, _ in origins._named_outlets(text)] == [name]
    relayed = "Output rose, according to Chinese state-run media."
    assert origins._STATE_HINT.search(relayed) and origins._GENERIC_STATE.search(relayed)
