"""A few real pages from ../shared/realworld (other people's text, read in place, never copied):
the charset, the date and the body come out as the person-made truth says."""

from __future__ import annotations

import gzip
import importlib.util
import json
from pathlib import Path

from reegen.ingest import ingest_source

REALWORLD = (Path(__file__).parents[2] / ".." / "shared" / "realworld").resolve()


def _truth(folder: str) -> dict:
    path = REALWORLD / folder / "truth.json"
    assert path.exists(), f"realworld pages not found at {REALWORLD} (shared/ is kept beside the checkout)"
    return json.loads(path.read_text(encoding="utf-8"))


def _page(folder: str, name: str) -> bytes:
    return gzip.decompress((REALWORLD / folder / f"{name}.gz").read_bytes())


def _benchmark():
    spec = importlib.util.spec_from_file_location("ingest_quality", Path(__file__).parents[2] / "benchmarks" / "ingest_quality.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_real_gbk_page_comes_out_in_chinese_with_its_date():
    truth = _truth("dates")
    names = [n for n in sorted(truth) if "xinhuanet" in n]
    assert names, "the GBK page of the dates set is missing"
    result = ingest_source(_page("dates", names[0]), names[0])
    assert "\ufffd" not in result.text
    assert sum("\u4e00" <= ch <= "\u9fff" for ch in result.text) > 200
    assert any("gbk" in e.detail for e in result.report.of_kind("decoding"))
    assert str(result.draft.published) == truth[names[0]]["date"]


def test_the_first_real_pages_of_the_dates_set_get_their_true_date():
    truth = _truth("dates")
    for name in sorted(truth)[:6]:
        result = ingest_source(_page("dates", name), name)
        assert str(result.draft.published) == truth[name]["date"], name


def test_real_article_bodies_score_as_well_as_trafilatura():
    import trafilatura

    truth = _truth("articles")
    bench = _benchmark()
    for name in sorted(truth)[:3]:
        data = _page("articles", name)
        ours = bench.word_f1(bench.reegen_body(data, name), truth[name]["body"])
        theirs = bench.word_f1(trafilatura.extract(data) or "", truth[name]["body"])
        assert ours >= theirs - 0.02, name
