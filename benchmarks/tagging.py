"""What the PDF's tags cost: the PDF writer timed with and without them, side by side.

    python benchmarks/tagging.py [--runs N] [--keep DIR]

Writes the ~230-page generated brief (500 articles, see gen.py) and the two sample
briefs, alternating tagged and untagged runs of the PDF writer on the same document
model, and prints the median CPU time of each and the tagging's share: of the PDF
writer's time, and of a build's (the writer's plus loading, selecting and composing the
document once, from the cache where the project has one). The goal is under 15 % of the
writer's time, the stricter measure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import gen  # noqa: E402

from reegen import api  # noqa: E402
from reegen.writers import WriteOptions  # noqa: E402
from reegen.writers.pdf import render_pdf  # noqa: E402

#: a pinned date, as SOURCE_DATE_EPOCH gives a build, so runs write the same bytes
_WHEN = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each kind per brief (default 5)")
    parser.add_argument("--keep", metavar="DIR", help="generate the large brief's project into DIR and keep it")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(args.keep or scratch)
        (work / "reegen.toml").write_text("", encoding="utf-8")
        gen.corpus(work / "articles", 500)
        briefs = {"large (generated)": gen.large_spec(work / "briefs" / "large.yaml"),
                  "baotou-executive": REPO / "briefs" / "baotou-executive.yaml",
                  "baotou-dossier": REPO / "briefs" / "baotou-dossier.yaml"}
        print(f"{'brief':<20} {'pages':>5} {'compose s':>9} {'untagged s':>11} {'tagged s':>9} {'of writer':>9} "
              f"{'of build':>8}")
        worst = 0.0
        for name, spec in briefs.items():
            start = time.process_time()
            document = api.load_document(spec)  # load, select, compose: the rest of a build (cached after the first)
            compose = time.process_time() - start
            options = WriteOptions(source_date=_WHEN, base_dir=spec.parent.parent)
            times: dict[bool, list[float]] = {True: [], False: []}
            render_pdf(document, options)  # warm: fonts, caches, imports
            for _ in range(args.runs):
                for tagged in (False, True):
                    start = time.process_time()  # CPU time: the machine may be busy with other work
                    data = render_pdf(document, options, tagged=tagged)
                    times[tagged].append(time.process_time() - start)
            plain, tagged = statistics.median(times[False]), statistics.median(times[True])
            share = (tagged - plain) / tagged
            worst = max(worst, share)
            print(f"{name:<20} {data.count(b'/Type /Page') - data.count(b'/Type /Pages'):>5} {compose:>9.3f} "
                  f"{plain:>11.3f} {tagged:>9.3f} {share:>9.1%} {(tagged - plain) / (compose + tagged):>8.1%}")
        print(f"tagging's largest share of the PDF writer's time: {worst:.1%} (goal: under 15 %)")
    return 0

if __name__ == "__main__":
    sys.exit(main())
