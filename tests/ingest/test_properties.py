"""Invariants a user relies on, over generated input (hypothesis)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reegen.errors import ArticleError
from reegen.ingest import ingest_source
from reegen.ingest.repair import STAND_IN

# Lines built from pieces that exercise the guesses: headings, bullets, quotes, markers,
# boilerplate, stand-ins, glue, metadata lines and odd characters.
_PIECES = st.sampled_from([
    "Highlights", "Key Developments:", "Market Context", "- ", "  • ", "> ", "**Bold**", "Source: Wire Desk",
    "Disclaimer: check it.", "Leave a Reply", "[1]", "[2, 3]", "References", "[1] Desk, “Title”, 2025-01-02",
    f"plant{STAND_IN}s", f"{STAND_IN}quoted{STAND_IN}", "thetwo-year", "with“x", "a,b", "Translated and reported by Desk.",
    "©️ 2025 Desk", "Administrative VelocityGovernment approvals are quick now", "---", "#", "## ", "1. ",
    "“A pull quote”", "\u00a0", "\u200b", "\u00ad", "\r\n", "\t", "é", "你好，世界", "&lt;b&gt;", "<b>", "*", "_",
])
_WORDS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
_LINE = st.lists(st.one_of(_PIECES, _WORDS), min_size=0, max_size=8).map(" ".join)
_DOCUMENT = st.lists(_LINE, min_size=1, max_size=14).map("\n".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_DOCUMENT)
def test_any_text_ingests_or_fails_cleanly_and_reingests_to_the_same_bytes(text):
    try:
        first = ingest_source(text, "generated.txt")
    except ArticleError:
        return
    assert first.text.startswith("---\n")
    again = ingest_source(first.text.encode("utf-8"), "generated.md")
    assert again.text == first.text
