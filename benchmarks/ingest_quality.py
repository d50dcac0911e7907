"""Measure `reegen ingest` on real pages against the libraries people would use instead, in one run.

    .venv/bin/python benchmarks/ingest_quality.py [--realworld DIR] [--failures] [--json FILE]

On ../shared/realworld (pages nobody on this project wrote, with human-made truth):

  articles/  body word-F1 of reegen's article body against the person-marked body, beside
             `trafilatura.extract` (plain text, default settings) on the same bytes
  dates/     publication date right / wrong / missing, reegen beside
             `htmldate.find_date(original_date=True)`; a reegen miss or error is
             categorised by the signal that was missing or misleading (--failures lists them)

Then, when benchmarks/ingest_text_quality.py exists, the plain-text figures its `measure()`
returns. Uses only the project's own dependencies. Prints a table; --json writes the figures.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import gzip
import importlib.util
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reegen.ingest import parse_source  # noqa: E402
from reegen.ingest.writer import render_body  # noqa: E402

_WORD = re.compile(r"\w+")
_MARKUP = re.compile(r"^(?:#{1,6} |> |\s*- |\\)|\*\*|(?<=\|)\s*-{3,}\s*(?=\|)", re.MULTILINE)


def words(text: str) -> collections.Counter:
    """Return the bag of lower-cased words of `text` (Unicode word characters)."""
    return collections.Counter(_WORD.findall(text.casefold()))


def word_f1(found: str, truth: str) -> float:
    """Return the F1 of the words of `found` against those of `truth` (bags, so repeats count)."""
    a, b = words(found), words(truth)
    common = sum((a & b).values())
    if not common:
        return 0.0
    precision, recall = common / sum(a.values()), common / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def _pages(folder: Path) -> list[tuple[str, bytes, dict]]:
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    pages = []
    for name in sorted(truth):
        path = folder / f"{name}.gz"
        data = gzip.decompress(path.read_bytes()) if path.exists() else (folder / name).read_bytes()
        pages.append((name, data, truth[name]))
    return pages


def reegen_body(data: bytes, name: str) -> str:
    """Return the body text reegen writes for the page (Markdown markers removed), "" when refused."""
    try:
        draft, _ = parse_source(data, name, fmt="html")
    except Exception:  # a refusal counts as an empty body
        return ""
    return _MARKUP.sub(" ", render_body(draft))


def measure_bodies(folder: Path) -> dict:
    import trafilatura

    rows = []
    for name, data, truth in _pages(folder):
        ours = word_f1(reegen_body(data, name), truth["body"])
        theirs = word_f1(trafilatura.extract(data) or "", truth["body"])
        rows.append((name, ours, theirs))
    n = len(rows)
    return {"pages": n, "reegen_f1": sum(r[1] for r in rows) / n, "trafilatura_f1": sum(r[2] for r in rows) / n,
            "worse": sorted(((r[0], round(r[1], 3), round(r[2], 3)) for r in rows if r[1] < r[2] - 0.05),
                            key=lambda r: r[1] - r[2])}


def _verdict(found: dt.date | str | None, truth: str) -> str:
    """Return right / wrong / missing; on a page with no publication date (truth "nan"), no date is right."""
    undated = str(truth).lower() in ("nan", "none", "")
    if not found:
        return "right" if undated else "missing"
    return "right" if str(found)[:10] == truth else "wrong"


def measure_dates(folder: Path) -> dict:
    import htmldate

    counts = {"reegen": collections.Counter(), "htmldate": collections.Counter()}
    failures = []
    update_truths = 0
    categories: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for name, data, truth in _pages(folder):
        try:
            draft, report = parse_source(data, name, fmt="html")
            found = draft.published
            notes = [e.detail for e in report if "date" in e.detail or "published" in e.detail]
        except Exception as exc:  # refused: no date
            found, notes = None, [f"refused: {exc}"]
        ours = _verdict(found, truth["date"])
        counts["reegen"][ours] += 1
        theirs = _verdict(htmldate.find_date(data, original_date=True), truth["date"])
        counts["htmldate"][theirs] += 1
        category = _category(notes, found)
        categories[category][ours] += 1
        if ours == "wrong" and truth["date"] in _update_dates(data, name):
            update_truths += 1  # the person took the date the page gives as its last change
        if ours != "right":
            failures.append({"file": name, "url": truth["url"], "truth": truth["date"],
                             "reegen": str(found) if found else None, "category": category, "notes": notes})
    n = sum(counts["reegen"].values())
    return {"pages": n, **{who: {k: c[k] for k in ("right", "wrong", "missing")} for who, c in counts.items()},
            "categories": {k: dict(v) for k, v in sorted(categories.items())}, "failures": failures,
            "wrong_where_truth_is_the_update_date": update_truths}


def _update_dates(data: bytes, name: str) -> set[str]:
    """Return the dates the page states as its last change (meta tags, JSON-LD, microdata)."""
    from reegen.ingest.decode import decode_bytes
    from reegen.ingest.html import page_facts, parse_tree
    from reegen.ingest.report import IngestReport

    facts = page_facts(parse_tree(decode_bytes(data, IngestReport(name))))
    return {m.day.isoformat() for m in facts.modified}


def _category(notes: list[str], found) -> str:
    """Return which signal reegen's answer came from (or why it has none), from its report lines."""
    text = " ".join(n for n in notes if n.startswith(("published ", "refused")))
    if found:
        if "from the page's structured data" in text and "read in the time of the page's country" in text:
            return "structured data, UTC read as the country's day"
        for key, label in (("from the page's structured data", "structured data (JSON-LD, meta, microdata)"),
                           ("from the byline, which", "byline, confirmed by structured data"),
                           ("from the byline", "byline above the text (read_byline)"),
                           ("extensive search", "htmldate extensive search (inferred)"),
                           ("from the URL, which", "URL, confirmed by structured data"),
                           ("from the URL", "URL date"),
                           ("from the page's markup (htmldate), which", "htmldate markup, confirmed by structured data"),
                           ("from the page's markup", "htmldate markup alone (inferred)"),
                           ("dateline", "text dateline")):
            if key in text:
                return label
        return "other"
    if "refused" in text:
        return "none: page refused"
    if any("date conflict" in n and "none taken" in n for n in notes):
        return "none: signals conflict"
    if any("UTC" in n and "none taken" in n for n in notes):
        return "none: UTC time near midnight"
    return "none: no signal"


def measure_text() -> dict | None:
    path = Path(__file__).with_name("ingest_text_quality.py")
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location("ingest_text_quality", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.measure()


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f} %" if whole else "  -  "


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--realworld", type=Path, default=ROOT / ".." / "shared" / "realworld")
    parser.add_argument("--failures", action="store_true", help="list each date reegen got wrong or missed")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    figures: dict = {}
    bodies = figures["bodies"] = measure_bodies(args.realworld / "articles")
    print(f"Bodies ({bodies['pages']} pages): word F1 reegen {bodies['reegen_f1']:.3f}, "
          f"trafilatura.extract {bodies['trafilatura_f1']:.3f}")
    for name, ours, theirs in bodies["worse"]:
        print(f"  worse than trafilatura: {name} {ours} vs {theirs}")
    dates = figures["dates"] = measure_dates(args.realworld / "dates")
    n = dates["pages"]
    print(f"\nDates ({n} pages)      right      wrong    missing")
    for who in ("reegen", "htmldate"):
        c = dates[who]
        label = "reegen" if who == "reegen" else "htmldate (original_date)"
        print(f"  {label:<22}{_pct(c['right'], n)}  {_pct(c['wrong'], n)}  {_pct(c['missing'], n)}")
    print(f"\n  reegen by where its answer came from {'right':>12} {'wrong':>6} {'missing':>8}")
    for category, c in dates["categories"].items():
        print(f"  {category:<48} {c.get('right', 0):5} {c.get('wrong', 0):6} {c.get('missing', 0):8}")
    print(f"  of the wrong answers, {dates['wrong_where_truth_is_the_update_date']} are pages whose truth is the date "
          "the page states as its last update (reegen gives the stated publication date)")
    if args.failures:
        for f in dates["failures"]:
            print(f"\n  {f['file']} truth {f['truth']} reegen {f['reegen']} [{f['category']}]\n    {f['url']}")
            for note in f["notes"]:
                print(f"    - {note}")
    text = figures["text"] = measure_text()
    if text is not None:
        print("\nPlain text (benchmarks/ingest_text_quality.py):")
        for key, value in text.items():
            print(f"  {key}: {value}")
    print(f"\n({time.perf_counter() - start:.0f} s)")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
