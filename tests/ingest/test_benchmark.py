"""The plain-text benchmark's generator and scorer work end to end, and a small sample meets the targets."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).parents[2] / "benchmarks" / "ingest_text_quality.py"


def load():
    spec = importlib.util.spec_from_file_location("ingest_text_quality", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_scrapes_carry_their_truth_and_score_against_the_targets():
    bench = load()
    scrapes = bench.generate(24, seed=3)
    assert {s["half"] for s in scrapes} == {"dev", "held-out", "composed"}
    assert all(s["title"] in s["text"] and all(line in s["text"] for line in s["byline"]) for s in scrapes)
    figures = bench.measure(24, seed=3, compare=False)
    total = figures["all"]
    assert total["author_pct"] >= 90 and total["date_pct"] >= 95
    assert total["byline_left"] == 0 and not any(total["boilerplate_left"].values())
