"""Measure reegen against the renderers' own floor: whole processes, medians, one run.

    .venv/bin/python benchmarks/run.py [--runs N] [--quick] [--keep DIR] [--json FILE] [--only NAME,...]

Builds, each as a separate process timed from spawn to exit (median of N runs, peak
resident memory from the kernel's rusage of that process):

  help       `reegen --help`                                     target < 150 ms
  executive  the sample executive brief, PDF and DOCX            target <= 1.3x the floor
             (and, for information, both in one build against both floor scripts)
  dossier    the sample dossier, PDF and DOCX                    target <= 1.3x the floor
  large      a ~230-page brief over 500 generated articles      target <= 1.0x the floor, < 300 MB
  validate   `reegen validate` of a spec over 10,000 articles    target < 1 s warm
  ingest     `reegen ingest` of 1,000 generated scraped pages    target >= 200 articles/s

The floor of a brief is the same content (reegen's document model, dumped once with
`reegen build -f json`) written by a minimal script: floor_pdf.py with reportlab
platypus and the same fonts, floor_docx.py with python-docx's object API, and, for
reference, floor_ooxml.py writing the DOCX XML as text. Generated inputs (gen.py) use a
fixed seed and go to a temporary folder, removed afterwards unless --keep is given.
Uses only the standard library and the project's own dependencies.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import gen  # noqa: E402

PY = sys.executable
#: runs a floor script (argv[1:]) with Python's cyclic garbage collector off, as reegen runs a build
_COLLECTOR_OFF = ("import gc, runpy, sys; gc.disable(); sys.argv = sys.argv[1:]; "
                  "runpy.run_path(sys.argv[0], run_name='__main__')")
CASES = ("help", "executive", "dossier", "large", "validate", "ingest")


@dataclass
class Sample:
    seconds: list[float] = field(default_factory=list)
    #: user + system CPU time of the process: steadier than wall time on a busy machine
    cpu: list[float] = field(default_factory=list)
    rss_kb: list[int] = field(default_factory=list)
    error: str | None = None

    @property
    def median(self) -> float | None:
        return statistics.median(self.seconds) if self.seconds else None

    @property
    def cpu_median(self) -> float | None:
        return statistics.median(self.cpu) if self.cpu else None

    @property
    def peak_mb(self) -> float | None:
        return max(self.rss_kb) / 1024 if self.rss_kb else None


def run_once(cmd: list[str], cwd: Path, sample: Sample, *, before=None) -> None:
    """Run `cmd` once as its own process; add its wall time and peak RSS to `sample`."""
    if before:
        before()
    # Byte-code caching on, as for any installed program (any value of this variable turns it off).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            tail = err.read().decode("utf-8", "replace").strip().splitlines()[-3:]
            sample.error = f"exit {proc.returncode}: " + " | ".join(tail)
            return
    sample.seconds.append(elapsed)
    sample.cpu.append(usage.ru_utime + usage.ru_stime)
    sample.rss_kb.append(usage.ru_maxrss)  # kilobytes on Linux


def measure(cmd: list[str], cwd: Path, runs: int, *, before=None, label: str = "", warmup: bool = True) -> Sample:
    """Run `cmd` `runs` times (after one untimed run that warms the disk and byte-code caches)."""
    return measure_together({label: cmd}, cwd, runs, before=before, warmup=warmup)[label]


def measure_together(cmds: dict[str, list[str]], cwd: Path, runs: int, *, before=None,
                     warmup: bool = True) -> dict[str, Sample]:
    """Measure several commands in turns (A, B, C, A, B, C, ...), so each sees the same machine.

    On a shared machine the load drifts over minutes; measuring reegen's runs first and the
    floor's afterwards let that drift into the ratio. Taking turns keeps it out.
    """
    samples = {label: Sample() for label in cmds}
    for round_ in range(runs + (1 if warmup else 0)):
        for label, cmd in cmds.items():
            sample = samples[label] if round_ or not warmup else Sample()
            if samples[label].error:
                continue
            run_once(cmd, cwd, sample, before=before)
            if sample.error:
                samples[label].error = sample.error
    for label, sample in samples.items():
        shown = f"{sample.median:.3f}s wall, {sample.cpu_median:.3f}s cpu" if sample.median is not None else sample.error
        print(f"  {label:<38} {shown}", file=sys.stderr, flush=True)
    return samples


@dataclass
class Row:
    case: str
    reegen: Sample
    floor: Sample | None = None
    target: str = ""
    #: "ratio" (reegen/floor <= limit), "seconds" (median < limit), "rate" (items/median >= limit), "" (info)
    kind: str = ""
    limit: float = 0.0
    items: int = 0
    note: str = ""
    mem_limit_mb: float | None = None

    def ratio(self) -> float | None:
        if self.floor is None or self.floor.median is None or self.reegen.median is None:
            return None
        return self.reegen.median / self.floor.median

    def cpu_ratio(self) -> float | None:
        if self.floor is None or self.floor.cpu_median is None or self.reegen.cpu_median is None:
            return None
        return self.reegen.cpu_median / self.floor.cpu_median

    def met(self) -> str:
        if self.reegen.error:
            return "FAILED"
        value = self.reegen.median
        ok = None
        if self.kind == "ratio" and self.ratio() is not None:
            ok = self.ratio() <= self.limit
        elif self.kind == "seconds":
            ok = value < self.limit
        elif self.kind == "rate":
            ok = self.items / value >= self.limit
        if self.mem_limit_mb is not None and self.reegen.peak_mb is not None:
            ok = (ok if ok is not None else True) and self.reegen.peak_mb < self.mem_limit_mb
        return "" if ok is None else "yes" if ok else "**no**"


def reegen_cmd(*args: str) -> list[str]:
    script = Path(PY).with_name("reegen")
    return [str(script) if script.exists() else shutil.which("reegen") or "reegen", *args]


def brief_rows(name: str, spec: str, cwd: Path, work: Path, runs: int, limit: float,
               mem_limit: float | None) -> list[Row]:
    """Measure one brief: reegen per format, the content dump, and the floor scripts."""
    out = work / "out" / name
    out.mkdir(parents=True, exist_ok=True)
    floor_out = work / "floor" / name
    floor_out.mkdir(parents=True, exist_ok=True)
    print(f"{name}:", file=sys.stderr)
    dump = Sample()
    run_once(reegen_cmd("build", spec, "-f", "json", "-o", str(out), "--force", "-q"), cwd, dump)
    if dump.error:
        raise SystemExit(f"cannot dump the content of {spec}: {dump.error}")
    model = out / (Path(spec).stem + ".json")
    fonts = REPO / "reegen" / "data" / "fonts"
    rows = []
    floors: dict[str, Sample] = {}
    warm = name != "large"  # a 20-second build needs no warm-up run; the dump above warmed the caches
    target = f"<= {limit:g}x floor" + (f", < {mem_limit:g} MB" if mem_limit else "")
    for fmt in ("pdf", "docx"):
        script = [PY, str(HERE / f"floor_{fmt}.py"), str(model), str(floor_out / f"floor.{fmt}")]
        cmds = {f"reegen {fmt}": reegen_cmd("build", spec, "-f", fmt, "-o", str(out), "--force", "-q"),
                f"floor {fmt}": script + ([str(fonts)] if fmt == "pdf" else [])}
        if fmt == "docx":
            cmds["floor raw OOXML"] = [PY, str(HERE / "floor_ooxml.py"), str(model), str(floor_out / "raw.docx")]
        if fmt == "pdf" and name == "large":
            # reegen pauses Python's garbage collector during a build; any script could. For
            # information: the floor script with the collector off from the start.
            cmds["floor pdf, collector off"] = [PY, "-c", _COLLECTOR_OFF, *cmds[f"floor {fmt}"][1:]]
        samples = measure_together(cmds, cwd, runs, warmup=warm)
        mine, floor = samples[f"reegen {fmt}"], samples[f"floor {fmt}"]
        note = ""
        if fmt == "docx":
            raw = samples["floor raw OOXML"]
            if raw.median and mine.median and floor.median:
                note = (f"raw-OOXML floor {raw.median:.2f} s: reegen {mine.median / raw.median:.1f}x it, "
                        f"python-docx floor {floor.median / raw.median:.1f}x it")
        if fmt == "pdf" and name == "large":
            pages = _pdf_pages(out / (Path(spec).stem + ".pdf"))
            note = f"{pages} pages" if pages else ""
            off = samples["floor pdf, collector off"]
            if off.median and mine.median:
                note += f"; floor with the collector off {off.median:.2f} s: reegen {mine.median / off.median:.2f}x it"
        rows.append(Row(f"{name} {fmt}", mine, floor, target, "ratio", limit, note=note, mem_limit_mb=mem_limit))
        floors[fmt] = floor
    content = measure(reegen_cmd("build", spec, "-f", "json", "-o", str(out), "--force", "-q"), cwd, runs,
                      label="reegen json (no renderer)", warmup=warm)
    rows.append(Row(f"{name} json (content only)", content, None, "info", note="reegen's own stages, no PDF/DOCX"))
    if not mem_limit and all(f.median is not None for f in floors.values()):
        # The default build writes both formats in one process; its floor is the two scripts run one after the other.
        both = measure(reegen_cmd("build", spec, "-f", "pdf,docx", "-o", str(out), "--force", "-q"), cwd, runs,
                       label="reegen pdf,docx", warmup=warm)
        pair = Sample(seconds=[sum(f.median for f in floors.values())], cpu=[sum(f.cpu_median for f in floors.values())])
        rows.append(Row(f"{name} pdf+docx, one build", both, pair, "info",
                        note="floor: floor_pdf.py plus floor_docx.py, two processes"))
    if mem_limit:
        both = measure(reegen_cmd("build", spec, "-f", "pdf,docx", "-o", str(out), "--force", "-q"), cwd, 1,
                       label="reegen pdf,docx (1 run)", warmup=False)
        rows.append(Row(f"{name} pdf+docx, one build", both, None, f"< {mem_limit:g} MB", "", 0,
                        note="the default build; 1 run", mem_limit_mb=mem_limit))
        # Every timed build above found the corpus index and the parsed bodies in .reegen-cache (the
        # content dump made them). The first build of a fresh checkout has neither: time that too.
        cache = cwd / ".reegen-cache"
        cold = measure(reegen_cmd("build", spec, "-f", "pdf", "-o", str(out), "--force", "-q"), cwd, runs,
                       label="reegen pdf, no .reegen-cache", warmup=False,
                       before=lambda: shutil.rmtree(cache, ignore_errors=True))
        rows.append(Row(f"{name} pdf, cold cache", cold, floors.get("pdf"), "info",
                        note=".reegen-cache removed before each run: a fresh checkout's first build"))
    return rows


def _pdf_pages(path: Path) -> int | None:
    try:
        import re

        return len(re.findall(rb"/Type /Page\b", path.read_bytes()))
    except OSError:
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=None, help="runs per measurement (default 5; 2 with --quick)")
    parser.add_argument("--quick", action="store_true", help="fewer runs and a 2,000-article validation corpus")
    parser.add_argument("--keep", metavar="DIR", help="generate into DIR and keep it")
    parser.add_argument("--json", metavar="FILE", help="also write the raw timings as JSON")
    parser.add_argument("--only", metavar="NAMES", help=f"comma-separated subset of {','.join(CASES)}")
    args = parser.parse_args(argv)
    runs = args.runs or (2 if args.quick else 5)
    only = set(args.only.split(",")) if args.only else set(CASES)
    unknown = only - set(CASES)
    if unknown:
        parser.error(f"unknown case(s): {', '.join(sorted(unknown))}")
    n_validate = 2000 if args.quick else 10_000

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="reegen-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.time()
    rows: list[Row] = []
    try:
        if "help" in only:
            print("help:", file=sys.stderr)
            samples = measure_together({"reegen --help": reegen_cmd("--help"),
                                        "python -c 'import click'": [PY, "-c", "import click"]}, REPO, max(runs, 5))
            mine, floor = samples["reegen --help"], samples["python -c 'import click'"]
            rows.append(Row("reegen --help", mine, floor, "< 0.150 s", "seconds", 0.150,
                            note="floor: the interpreter plus click"))
        for name, spec in (("executive", "briefs/baotou-executive.yaml"), ("dossier", "briefs/baotou-dossier.yaml")):
            if name in only:
                rows += brief_rows(name, spec, REPO, work, runs, 1.3, None)
        if "large" in only:
            project = work / "large"
            if not (project / "articles").is_dir():
                gen.corpus(project / "articles", 500)
            gen.large_spec(project / "briefs" / "large.yaml")
            (project / "reegen.toml").write_text("")
            rows += brief_rows("large", "briefs/large.yaml", project, work, runs, 1.0, 300)
        if "validate" in only:
            project = work / f"corpus{n_validate}"
            if not (project / "articles").is_dir():
                print(f"generating {n_validate:,} articles ...", file=sys.stderr)
                ids = gen.corpus(project / "articles", n_validate, seed=10)
            else:
                ids = sorted(p.stem for p in (project / "articles").glob("*.md"))
            gen.validate_spec(project / "briefs" / "weekly.yaml", ids[0])
            (project / "reegen.toml").write_text("")
            print("validate:", file=sys.stderr)
            cold = measure(reegen_cmd("validate", "briefs/weekly.yaml"), project, 1, label="first run (cold)",
                           warmup=False)
            warm = measure(reegen_cmd("validate", "briefs/weekly.yaml"), project, runs, label="warm", warmup=False)
            read = measure([PY, "-c", "import pathlib\nfor p in sorted(pathlib.Path('articles').glob('*.md')): "
                                      "p.read_text('utf-8')"], project, runs, label="floor: read every file")
            note = f"first run {cold.median:.2f} s" if cold.median else f"first run failed: {cold.error}"
            rows.append(Row(f"validate, {n_validate:,} articles (warm)", warm, read, "< 1 s", "seconds", 1.0,
                            note=note + "; floor: read every article file"))
        if "ingest" in only:
            raw = work / "raw"
            pages = sorted(raw.glob("*.txt")) if raw.is_dir() else gen.raw_pages(raw, 1000)
            target = work / "ingested"

            def fresh() -> None:
                shutil.rmtree(target, ignore_errors=True)

            print("ingest:", file=sys.stderr)
            mine = measure(reegen_cmd("ingest", *map(str, pages), "-d", str(target)), work, runs, before=fresh,
                           label="reegen ingest")
            rate = len(pages) / mine.median if mine.median else 0
            rows.append(Row(f"ingest, {len(pages):,} pages", mine, None, ">= 200 articles/s", "rate", 200,
                            items=len(pages), note=f"{rate:.0f} articles/s"))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    print(report(rows, runs, time.time() - started))
    if args.json:
        Path(args.json).write_text(json.dumps([{
            "case": r.case, "seconds": r.reegen.seconds, "cpu": r.reegen.cpu, "rss_kb": r.reegen.rss_kb,
            "error": r.reegen.error, "floor_seconds": r.floor.seconds if r.floor else None,
            "floor_cpu": r.floor.cpu if r.floor else None, "target": r.target, "met": r.met(), "note": r.note,
        } for r in rows], indent=2) + "\n")
    return 1 if any(r.reegen.error for r in rows) else 0


def _renderers() -> str:
    """Return the renderer versions, and whether reportlab runs with its C speedups (rl_accel)."""
    from importlib.metadata import PackageNotFoundError, version

    def of(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "absent"

    return f"reportlab {of('reportlab')} (rl_accel {of('rl_accel')}), python-docx {of('python-docx')}"


def report(rows: list[Row], runs: int, elapsed: float) -> str:
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    try:
        commit = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=REPO, capture_output=True,
                                text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    head = (f"reegen benchmarks, {dt.datetime.now().strftime('%Y-%m-%d %H:%M')}, {commit or 'no git'}, {cpu}, "
            f"{os.cpu_count()} cores, Python {platform.python_version()}, {_renderers()}, median of {runs} runs, "
            f"{elapsed / 60:.1f} min, load {load:.2f}\n")
    lines = [head, "| case | median s | floor s | ratio | cpu ratio | target | met? | peak MB | notes |",
             "| --- | ---: | ---: | ---: | ---: | --- | --- | ---: | --- |"]
    for r in rows:
        med = f"{r.reegen.median:.3f}" if r.reegen.median is not None else "—"
        floor = f"{r.floor.median:.3f}" if r.floor and r.floor.median is not None else ""
        ratio = f"{r.ratio():.2f}x" if r.ratio() is not None else ""
        cpu_ratio = f"{r.cpu_ratio():.2f}x" if r.cpu_ratio() is not None else ""
        peak = f"{r.reegen.peak_mb:.0f}" if r.reegen.peak_mb is not None else ""
        note = r.note if not r.reegen.error else r.reegen.error[:120]
        lines.append(f"| {r.case} | {med} | {floor} | {ratio} | {cpu_ratio} | {r.target} | {r.met()} | {peak} | {note} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
