"""The Key figures table as it grows: CPU time and layout work per row, rows x1, x2, x4.

    python benchmarks/table_rows.py [--rows N] [--runs R]

Lays out a PDF holding one four-column table of N, 2N and 4N generated rows (the shape of
a brief's Key figures table: a figure, its value, a date and a source number; the text is
generated, not news) and prints, for each size, the median CPU time per row and two
counts of the layout's work, each divided by the rows:

- cell measurements: the cells reportlab asked to be measured (`Table._listCellGeom`);
  reegen's memo answers all but the first of each at a width (`_pdf_story.BriefTable`);
- rows handed to tables: the rows of every table reportlab built, the first one and
  each remainder it makes when it splits the table at a page foot.

Linear layout keeps every figure flat as the rows double. The counts are taken by
wrapping reportlab's methods in this process, a benchmark's measurement only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from reportlab.platypus import tables  # noqa: E402

from reegen.model import Document, Heading, Meta, Table, Text  # noqa: E402
from reegen.writers import WriteOptions  # noqa: E402
from reegen.writers._pdf_story import BriefTable  # noqa: E402
from reegen.writers.pdf import render_pdf  # noqa: E402

_WHEN = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)

#: what the wrapped methods counted in the last layout
counts: Counter = Counter()


def table_document(rows: int) -> Document:
    """A document holding one generated four-column table of `rows` rows under its header."""
    body = tuple(((Text(f"Generated figure {i}: measure {i % 37} of unit {i % 11}"),), (Text(f"{i * 3.7:.1f} t"),),
                  (Text(f"row {i}"),), (Text(f"[{i % 50 + 1}]"),)) for i in range(rows))
    table = Table(header=((Text("Figure"),), (Text("Value"),), (Text("Row"),), (Text("Source"),)), rows=body)
    return Document(Meta(title="Generated table"), (Heading(1, (Text("Key figures"),), "key-figures"), table))


def _count() -> None:
    init, geom = tables.Table.__init__, BriefTable._listCellGeom

    def counted_init(self, data, *args, **kwargs):
        counts["table rows"] += len(data)
        return init(self, data, *args, **kwargs)

    def counted_geom(self, *args, **kwargs):
        counts["cell measurements"] += 1
        return geom(self, *args, **kwargs)

    tables.Table.__init__ = counted_init
    BriefTable._listCellGeom = counted_geom


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1000, help="the smallest table's rows (default 1000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each size (default 3)")
    args = parser.parse_args(argv)
    _count()
    options = WriteOptions(source_date=_WHEN)
    results = []
    for rows in (args.rows, 2 * args.rows, 4 * args.rows):
        document = table_document(rows)
        cpu = []
        for _ in range(args.runs):
            counts.clear()
            start = time.process_time()
            render_pdf(document, options)
            cpu.append(time.process_time() - start)
        results.append((rows, statistics.median(cpu), Counter(counts)))
    base = results[0][1] / results[0][0]
    print("| rows | CPU s | ms a row | against the smallest | cell measurements a cell | rows handed to tables a row |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for rows, seconds, found in results:
        per = seconds / rows
        print(f"| {rows} | {seconds:.2f} | {1000 * per:.3f} | {per / base:.2f}x | "
              f"{found['cell measurements'] / (4 * (rows + 1)):.2f} | {found['table rows'] / rows:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
