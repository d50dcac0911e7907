"""How figure finding's time grows on hostile lines: 8 KB and 64 KB of the same line, side by side.

    python benchmarks/figures_hostile.py [--runs N]

A line such as `1%1%1%…` holds a figure every two characters and no clause break. Eight
times the text should take about eight times as long (linear work), not sixty-four times
(each figure read against the whole line). Prints, for each line, the median CPU time of
finding its figures at each size, the figures found and the ratio of the two times.
`tests/test_figures_hostile_lines.py` checks what keeps it linear (one scan of a sentence,
not one per figure) without timing anything.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reegen.figures import _sentence_figures, split_sentences  # noqa: E402

#: lines that hold a figure (or a near miss) every few characters, as in the test
HOSTILE = ["1%", "$1", "1,", "150+", "U.S. ", "by 2030 1% and "]
SIZES = (8192, 65536)


def measure(unit: str, size: int, runs: int) -> tuple[float, int]:
    """Return the median CPU seconds to find the figures of `unit` repeated to `size` characters, and how many."""
    line = (unit * (size // len(unit) + 1))[:size]
    times, count = [], 0
    for _ in range(runs):
        began = time.process_time()
        count = sum(len(_sentence_figures(sentence, None)) for sentence in split_sentences(line))
        times.append(time.process_time() - began)
    return statistics.median(times), count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"{'line':<18}{'8 KB s':>9}{'64 KB s':>9}{'figures':>9}{'ratio':>8}   (linear about 8, quadratic 64)")
    for unit in HOSTILE:
        (small, _), (large, count) = (measure(unit, size, args.runs) for size in SIZES)
        ratio = large / small if small else float("nan")
        print(f"{unit!r:<18}{small:>9.3f}{large:>9.3f}{count:>9}{ratio:>8.1f}")


if __name__ == "__main__":
    main()
