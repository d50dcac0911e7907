"""Site furniture in plain-text scrapes: every family removed from the body and named in the report."""

from __future__ import annotations

import pytest

from reegen.ingest import ingest_source
from reegen.ingest.boilerplate import boilerplate_family

PROSE = ("Grain silos along the river were refilled this week after the late harvest came in above forecasts. "
         "Traders said barge rates fell for the first time since spring.")

# (line as a scrape shows it, family) — written for these tests, in several variants each
LINES = [
    ("We use cookies to improve your experience on our site. By continuing you agree to our cookie policy.", "cookies"),
    ("This website uses cookies", "cookies"),
    ("Accept all cookies", "cookies"),
    ("Reject all", "cookies"),
    ("Manage preferences", "cookies"),
    ("Comments", "comments"),
    ("27 Comments", "comments"),
    ("View all 14 comments", "comments"),
    ("READ MORE: Barge operators brace for low water", "related"),
    ("Related: River freight in numbers", "related"),
    ("Also read — Why silo prices jumped", "related"),
    ("Story continues below advertisement", "advertisement"),
    ("Article continues after this advertisement", "advertisement"),
    ("Advertisement", "advertisement"),
    ("ADVERTISEMENT", "advertisement"),
    ("Listen to this article · 4 min", "audio"),
    ("Listen to this story (6 minutes)", "audio"),
    ("shared 1,234 times", "share"),
    ("2.1K shares", "share"),
    ("Facebook | Twitter | Email", "share"),
    ("Have a tip? Email us at desk@example.org", "tip"),
    ("Got a news tip? Send it to our newsroom securely.", "tip"),
    ("Sign up for our newsletter", "newsletter"),
    ("Subscribe to our free weekly newsletter for more river news", "newsletter"),
    ("Get the best stories delivered to your inbox every morning", "newsletter"),
    ("Follow us on Telegram", "follow"),
    ("Skip to main content", "navigation"),
]


@pytest.mark.parametrize("line, family", LINES, ids=[row[0][:40] for row in LINES])
def test_each_family_is_recognised(line, family):
    assert boilerplate_family(line) == family


@pytest.mark.parametrize("line, family", LINES, ids=[row[0][:40] for row in LINES])
def test_each_family_leaves_the_body_of_a_scrape_and_is_reported(line, family):
    text = f"Silos Refilled After Late Harvest\n{PROSE}\n{line}\n{PROSE.replace('week', 'month')}\n"
    result = ingest_source(text.encode("utf-8"), "grain.txt")
    body = result.text.split("---", 2)[2]
    assert line not in body
    assert any(family in e.detail for e in result.report.of_kind("boilerplate"))
    assert "barge rates fell" in body


@pytest.mark.parametrize("line", [
    "Comments from the minister drew criticism across the river towns.",
    "Readers who follow us on this story will know the silos were nearly empty in May.",
    "Advertisement spending by grain firms rose 4% last year, the survey found.",
    "Related industries, from trucking to milling, also gained.",
    "The cooperative said it will accept all offers above the floor price.",
])
def test_prose_that_mentions_the_same_words_stays(line):
    assert boilerplate_family(line) is None
