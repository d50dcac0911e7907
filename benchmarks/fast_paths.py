"""What each of the PDF writer's fast paths saves: the writer timed with each one held off in turn.

    .venv/bin/python benchmarks/fast_paths.py                 # executive and large briefs, 7 rounds
    .venv/bin/python benchmarks/fast_paths.py --rounds 3 --keep /tmp/bench

The fast paths are reegen's ways through reportlab's internals (`reegen/writers/_rl_compat.py`).
Each round renders the brief's PDF (the `render_pdf` call alone, in one process, fonts
already registered) once with every fast path on, once with each one held off, and once
with all of them off, in turns, so that every variant sees the same load. It prints the
median CPU seconds of each and what holding one off costs, with the lines of code the path
takes. A script, not a test: nothing fails on a slow machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

import gen  # noqa: E402

from reegen import api  # noqa: E402
from reegen.writers import WriteOptions, _rl_compat as compat  # noqa: E402
from reegen.writers.pdf import render_pdf  # noqa: E402

#: fast path -> where its code is (for the lines column)
WHERE = {
    "frags": "writers/_pdf_frags.py",
    "lines": "writers/_pdf_lines.py",
    "draw": "writers/_pdf_draw.py",
    "subset": "writers/_pdf_fonts.py: SubsetFont",
    "links": "writers/pdf.py: _Link, _Destination",
}


def _options(project: Path) -> WriteOptions:
    import datetime as dt

    return WriteOptions(source_date=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), page_size="A4",
                        base_dir=project)


def _time(document, options, paths: tuple[str, ...]) -> float:
    with compat.without(*paths) if paths else _nothing():
        start = time.process_time()
        render_pdf(document, options)
        return time.process_time() - start


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def measure(name: str, spec: Path, project: Path, rounds: int) -> list[tuple[str, float]]:
    document = api.load_document(spec)
    options = _options(project)
    variants = [("all on", ())] + [(f"{p} off", (p,)) for p in compat.FAST_PATHS] + [("all off", compat.FAST_PATHS)]
    render_pdf(document, options)  # warm: fonts registered, modules imported
    times: dict[str, list[float]] = {label: [] for label, _ in variants}
    for round_ in range(rounds):
        for label, paths in variants:
            times[label].append(_time(document, options, paths))
        print(f"{name}: round {round_ + 1}/{rounds}", file=sys.stderr)
    return [(label, statistics.median(times[label])) for label, _ in variants]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="folder for the generated large corpus (kept)")
    args = parser.parse_args(argv)
    if not compat.active():
        print("the fast paths are off with this reportlab: nothing to compare", file=sys.stderr)
        return 1
    work = args.keep or Path(tempfile.mkdtemp(prefix="reegen-fast-"))
    large = work / "large"
    if not (large / "articles").is_dir():
        gen.corpus(large / "articles", 500)
    gen.large_spec(large / "briefs" / "large.yaml")
    (large / "reegen.toml").write_text("")
    import reportlab

    print(f"reportlab {reportlab.Version}, median CPU seconds of render_pdf over {args.rounds} rounds\n")
    print("| brief | variant | CPU s | cost of holding it off |")
    print("| --- | --- | ---: | ---: |")
    for name, spec, project in (("executive", REPO / "briefs" / "baotou-executive.yaml", REPO),
                                ("large", large / "briefs" / "large.yaml", large)):
        results = measure(name, spec, project, args.rounds)
        base = results[0][1]
        for label, seconds in results:
            cost = "" if label == "all on" else f"{seconds - base:+.3f} s"
            print(f"| {name} | {label} | {seconds:.3f} | {cost} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
