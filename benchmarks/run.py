"""Measure reegen against the renderers' own floor: whole processes, medians, one run.

    .venv/bin/python benchmarks/run.py [--runs N] [--quick] [--keep DIR] [--json FILE] [--only NAME,...]

Builds, each as a separate process timed from spawn to exit (median of N runs, peak
resident memory from the kernel's rusage of that process):

  help       `reegen --help`                                     target < 150 ms
  executive  the sample executive brief, PDF and DOCX            PDF <= 1.3x the floor
             (and both in one build against the one-process floor of both)
  dossier    the sample dossier, PDF and DOCX                    PDF <= 1.3x the floor
  large      a ~230-page brief over 500 generated articles      PDF <= 1.0x, DOCX <= 2x the raw-OOXML floor
  warm       a 10-article brief from 100,000 articles against    warm build <= 1.3x, validate < 0.5 s,
             the same brief from 10 (--quick: 10,000)           cold index < 30 s and < 300 MB
  pages      a 1,000-page brief against a 100-page one           ms a page <= 1.15x, PDF+DOCX < 250 MB
  noop       `build --all` over 500 up-to-date specs; then one   < 1 s; only the briefs using
             article edited                                     that article rebuilt
  jobs       `build --all -j 2` against `-j 1` over 50 specs     faster, where two cores are free
  validate   `reegen validate` of a spec over 10,000 articles    target < 1 s warm
  ingest     `reegen ingest` of 1,000 generated scraped pages    target >= 200 articles/s

Every comparison is timed in turns (A, B, A, B, ...) in the same run, never against a
median taken elsewhere. The floor of a brief is the same content (reegen's document
model, dumped once with `reegen build -f json`) written by a minimal script:
floor_pdf.py with reportlab platypus and the same fonts; for DOCX, floor_ooxml.py
writing the OOXML as text (the real floor), with floor_docx.py (python-docx's object
API) shown beside it; for the default build of both formats, floor_both.py writing both
in one process, as reegen does. Typst (peer_typst.py, the `typst` package from PyPI)
typesets the same JSON as the fastest peer. Generated inputs (gen.py) use a fixed seed
and go to a temporary folder, removed afterwards unless --keep is given.
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
CASES = ("help", "executive", "dossier", "large", "warm", "pages", "noop", "jobs", "validate", "ingest")


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
    # The floors' input in a folder of its own: a later build of other formats into `out` removes the
    # JSON its manifest lists (README, "Formats no longer built").
    model_dir = work / "model" / name
    run_once(reegen_cmd("build", spec, "-f", "json", "-o", str(model_dir), "--force", "-q"), cwd, dump)
    if dump.error:
        raise SystemExit(f"cannot dump the content of {spec}: {dump.error}")
    model = model_dir / (Path(spec).stem + ".json")
    fonts = REPO / "reegen" / "data" / "fonts"
    rows = []
    floors: dict[str, Sample] = {}
    warm = name != "large"  # a 20-second build needs no warm-up run; the dump above warmed the caches
    target = f"<= {limit:g}x floor" + (f", < {mem_limit:g} MB" if mem_limit else "")
    for fmt in ("pdf", "docx"):
        script = [PY, str(HERE / f"floor_{fmt}.py"), str(model), str(floor_out / f"floor.{fmt}")]
        cmds = {f"reegen {fmt}": reegen_cmd("build", spec, "-f", fmt, "-o", str(out), "--force", "-q")}
        if fmt == "docx":
            # The raw-OOXML script is the floor; python-docx's object API is shown beside it.
            cmds["floor raw OOXML"] = [PY, str(HERE / "floor_ooxml.py"), str(model), str(floor_out / "raw.docx")]
            cmds["python-docx script"] = script
        else:
            cmds["floor pdf"] = script + [str(fonts)]
            if _has_typst():
                cmds["typst"] = [PY, str(HERE / "peer_typst.py"), str(model), str(floor_out / "typst.pdf"), str(fonts)]
        if fmt == "pdf" and name == "large":
            # reegen pauses Python's garbage collector during a build; any script could. For
            # information: the floor script with the collector off from the start.
            cmds["floor pdf, collector off"] = [PY, "-c", _COLLECTOR_OFF, *cmds["floor pdf"][1:]]
        samples = measure_together(cmds, cwd, runs, warmup=warm)
        mine = samples[f"reegen {fmt}"]
        floor = samples["floor raw OOXML" if fmt == "docx" else "floor pdf"]
        notes = []
        if fmt == "docx":
            other = samples["python-docx script"]
            if other.median and mine.median:
                notes.append(f"python-docx script {other.median:.2f} s: reegen {mine.median / other.median:.2f}x it")
        if fmt == "pdf":
            peer = samples.get("typst")
            if peer is not None and peer.median and mine.median:
                notes.append(f"Typst {peer.median:.2f} s: reegen {mine.median / peer.median:.2f}x it")
            elif peer is None:
                notes.append("Typst not installed (pip install typst)")
        if fmt == "pdf" and name == "large":
            pages = _pdf_pages(out / (Path(spec).stem + ".pdf"))
            if pages:
                notes.insert(0, f"{pages} pages")
            off = samples["floor pdf, collector off"]
            if off.median and mine.median:
                notes.append(f"floor with the collector off {off.median:.2f} s: reegen {mine.median / off.median:.2f}x it")
        if fmt == "docx" and name == "large":
            fmt_target, fmt_kind, fmt_limit = "<= 2x raw-OOXML floor", "ratio", 2.0
        elif fmt == "docx":
            fmt_target, fmt_kind, fmt_limit = "info", "", 0.0
        else:
            fmt_target, fmt_kind, fmt_limit = target, "ratio", limit
        rows.append(Row(f"{name} {fmt}", mine, floor, fmt_target, fmt_kind, fmt_limit, note="; ".join(notes),
                        mem_limit_mb=mem_limit if fmt == "pdf" else None))
        floors[fmt] = floor
    content = measure(reegen_cmd("build", spec, "-f", "json", "-o", str(out), "--force", "-q"), cwd, runs,
                      label="reegen json (no renderer)", warmup=warm)
    rows.append(Row(f"{name} json (content only)", content, None, "info", note="reegen's own stages, no PDF/DOCX"))
    # The default build writes both formats in one process; so does its floor (one interpreter start-up).
    both_runs = 1 if mem_limit else runs
    samples = measure_together({
        "reegen pdf,docx": reegen_cmd("build", spec, "-f", "pdf,docx", "-o", str(out), "--force", "-q"),
        "floor both, one process": [PY, str(HERE / "floor_both.py"), str(model), str(floor_out / "both.pdf"),
                                    str(floor_out / "both.docx"), str(fonts)],
    }, cwd, both_runs, warmup=warm)
    rows.append(Row(f"{name} pdf+docx, one build", samples["reegen pdf,docx"], samples["floor both, one process"],
                    "info" + (f", < {mem_limit:g} MB" if mem_limit else ""), "", 0,
                    note="floor: floor_pdf.py then floor_ooxml.py in one process"
                         + (f"; {both_runs} run" if both_runs == 1 else ""), mem_limit_mb=mem_limit))
    if mem_limit:
        # Every timed build above found the corpus index and the parsed bodies in .reegen-cache (the
        # content dump made them). The first build of a fresh checkout has neither: time that too.
        cache = cwd / ".reegen-cache"
        cold = measure(reegen_cmd("build", spec, "-f", "pdf", "-o", str(out), "--force", "-q"), cwd, runs,
                       label="reegen pdf, no .reegen-cache", warmup=False,
                       before=lambda: shutil.rmtree(cache, ignore_errors=True))
        rows.append(Row(f"{name} pdf, cold cache", cold, floors.get("pdf"), "info",
                        note=".reegen-cache removed before each run: a fresh checkout's first build"))
    return rows


def _has_typst() -> bool:
    import importlib.util

    return importlib.util.find_spec("typst") is not None


def warm_rows(work: Path, n_big: int, runs: int) -> list[Row]:
    """A 10-article brief from a corpus of `n_big` articles, against the same brief from 10."""
    projects = {}
    for n in (10, n_big):
        project = work / f"corpus{n}"
        if not (project / "articles").is_dir():
            print(f"generating {n:,} articles ...", file=sys.stderr)
            gen.corpus(project / "articles", n, seed=10)
        (project / "reegen.toml").write_text("")
        projects[n] = gen.ten_spec(project / "briefs" / "ten.yaml")
    small, big = str(projects[10]), str(projects[n_big])
    out = work / "out" / "warm"
    print("warm:", file=sys.stderr)
    cache = projects[n_big].parents[1] / ".reegen-cache"
    cold = measure(reegen_cmd("validate", big), work, 1, label=f"first validate, {n_big:,} (cold index)",
                   warmup=False, before=lambda: shutil.rmtree(cache, ignore_errors=True))
    rows = [Row(f"index build, {n_big:,} articles (cold validate)", cold, None, "< 30 s, < 300 MB", "seconds", 30.0,
                note=".reegen-cache removed first", mem_limit_mb=300)]
    for n, spec in projects.items():  # outputs for the no-op runs
        run_once(reegen_cmd("build", str(spec), "-f", "pdf", "-o", str(out / str(n)), "-q"), work, Sample())
    samples = measure_together({
        "warm build, 10 articles": reegen_cmd("build", small, "-f", "pdf", "-o", str(out / "10"), "--force", "-q"),
        f"warm build, {n_big:,} articles": reegen_cmd("build", big, "-f", "pdf", "-o", str(out / str(n_big)),
                                                      "--force", "-q"),
        "no-op build, 10 articles": reegen_cmd("build", small, "-f", "pdf", "-o", str(out / "10"), "-q"),
        f"no-op build, {n_big:,} articles": reegen_cmd("build", big, "-f", "pdf", "-o", str(out / str(n_big)), "-q"),
        "warm validate, 10 articles": reegen_cmd("validate", small),
        f"warm validate, {n_big:,} articles": reegen_cmd("validate", big),
    }, work, runs)
    for what, kind, limit in (("warm build", "ratio", 1.3), ("no-op build", "ratio", 1.3)):
        rows.append(Row(f"10-article brief from {n_big:,}: {what}", samples[f"{what}, {n_big:,} articles"],
                        samples[f"{what}, 10 articles"], f"<= {limit:g}x the same from 10", kind, limit,
                        note="floor column: the same brief from a 10-article corpus, timed in turns"))
    rows.append(Row(f"10-article brief from {n_big:,}: warm validate", samples[f"warm validate, {n_big:,} articles"],
                    samples["warm validate, 10 articles"], "< 0.5 s", "seconds", 0.5,
                    note="floor column: the same from 10 articles"))
    return rows + watched_rows(projects, n_big, out, work, runs)


def watched_rows(projects: dict, n_big: int, out: Path, work: Path, runs: int) -> list[Row]:
    """The warm rows again with `reegen index --watch` running on the large corpus (the 10-article floor without)."""
    import signal
    import subprocess

    small, big = str(projects[10]), str(projects[n_big])
    root = projects[n_big].parents[1]
    print("warm, with reegen index --watch:", file=sys.stderr)
    watcher = subprocess.Popen(reegen_cmd("--project", str(root), "index", "--watch"),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        line = watcher.stderr.readline()
        if watcher.poll() is not None or not line.startswith("watching"):
            print(f"  the watcher did not start: {line.strip()}", file=sys.stderr)
            return []
        cpu_before = _process_cpu(watcher.pid)
        samples = measure_together({
            "warm build, 10 articles": reegen_cmd("build", small, "-f", "pdf", "-o", str(out / "10"), "--force", "-q"),
            f"warm build, {n_big:,} articles": reegen_cmd("build", big, "-f", "pdf", "-o", str(out / str(n_big)),
                                                          "--force", "-q"),
            "no-op build, 10 articles": reegen_cmd("build", small, "-f", "pdf", "-o", str(out / "10"), "-q"),
            f"no-op build, {n_big:,} articles": reegen_cmd("build", big, "-f", "pdf", "-o", str(out / str(n_big)),
                                                           "-q"),
            "warm validate, 10 articles": reegen_cmd("validate", small),
            f"warm validate, {n_big:,} articles": reegen_cmd("validate", big),
        }, work, runs)
        watcher_cpu = _process_cpu(watcher.pid) - cpu_before
    finally:
        watcher.send_signal(signal.SIGTERM)
        try:
            watcher.wait(timeout=10)
        except subprocess.TimeoutExpired:
            watcher.kill()
            watcher.wait()
        watcher.stderr.close()
    answered = 3 * (runs + 1)  # the large corpus's builds and validations, the untimed first round included
    note = (f"reegen index --watch running on the {n_big:,}; floor column: the same brief from a 10-article corpus "
            f"without one, timed in turns; the watcher's own CPU, not in the figures: {1000 * watcher_cpu / answered:.1f}"
            f" ms an answer")
    rows = []
    for what, kind, limit in (("warm build", "ratio", 1.3), ("no-op build", "ratio", 1.3)):
        rows.append(Row(f"10-article brief from {n_big:,}, watched: {what}", samples[f"{what}, {n_big:,} articles"],
                        samples[f"{what}, 10 articles"], f"<= {limit:g}x the same from 10", kind, limit, note=note))
    rows.append(Row(f"10-article brief from {n_big:,}, watched: warm validate",
                    samples[f"warm validate, {n_big:,} articles"], samples["warm validate, 10 articles"], "< 0.5 s",
                    "seconds", 0.5, note=note))
    return rows


def _process_cpu(pid: int) -> float:
    """Return the CPU seconds (user and system) process `pid` has used so far (0 when unknown)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def pages_rows(work: Path, runs: int, big_pages: int) -> list[Row]:
    """ms a page of a `big_pages`-page brief against a 100-page one, both formats, timed in turns."""
    print("pages:", file=sys.stderr)
    specs, pages, outs = {}, {}, {}
    for n in (100, big_pages):
        spec = gen.paged_project(work / f"pages{n}", n)
        outs[n] = work / "out" / f"pages{n}"
        run_once(reegen_cmd("build", str(spec), "-f", "pdf", "-o", str(outs[n]), "--force", "-q"), work, Sample())
        pages[n] = _pdf_pages(outs[n] / "large.pdf") or n
        specs[n] = str(spec)
    rows = []
    for fmt in ("pdf", "docx"):
        samples = measure_together({f"{fmt}, {n} pages": reegen_cmd("build", specs[n], "-f", fmt, "-o", str(outs[n]),
                                                                     "--force", "-q") for n in specs},
                                   work, runs, warmup=False)
        small, big = samples[f"{fmt}, 100 pages"], samples[f"{fmt}, {big_pages} pages"]
        per = {n: Sample(seconds=[t / pages[n] for t in s.seconds], cpu=[t / pages[n] for t in s.cpu], rss_kb=s.rss_kb)
               for n, s in ((100, small), (big_pages, big))}
        note = (f"{pages[big_pages]} and {pages[100]} pages; ms a page {1000 * per[big_pages].median:.2f} against "
                f"{1000 * per[100].median:.2f}" if per[100].median and per[big_pages].median else "")
        rows.append(Row(f"{pages[big_pages]}-page brief {fmt}, per page", per[big_pages], per[100],
                        "<= 1.15x the 100-page brief's", "ratio", 1.15, note=note))
    both = measure(reegen_cmd("build", specs[big_pages], "-f", "pdf,docx", "-o", str(outs[big_pages]), "--force", "-q"),
                   work, 1, label=f"pdf,docx, {big_pages} pages (1 run)", warmup=False)
    rows.append(Row(f"{pages[big_pages]}-page brief pdf+docx, one build", both, None, "< 250 MB", "", 0,
                    note="the default build; 1 run", mem_limit_mb=250))
    return rows


def specs_project(project: Path, n_specs: int) -> tuple[Path, list[str]]:
    """Make `project`: 10 generated articles and `n_specs` one-article specs; return it and the article ids."""
    ids = gen.corpus(project / "articles", 10, seed=10)
    (project / "reegen.toml").write_text("")
    gen.one_article_specs(project / "briefs", ids, n_specs)
    return project, ids


def noop_rows(work: Path, runs: int, n_specs: int = 500) -> list[Row]:
    """`build --all` over `n_specs` up-to-date specs, and what one edited article rebuilds."""
    print("noop:", file=sys.stderr)
    project, ids = specs_project(work / f"specs{n_specs}", n_specs)
    run_once(reegen_cmd("build", "--all", "-f", "md", "-q"), project, Sample())
    noop = measure(reegen_cmd("build", "--all", "-f", "md", "-q"), project, runs, label=f"no-op --all, {n_specs} specs",
                   warmup=False)
    manifests = sorted((project / "output").rglob("*.manifest.json"))
    before = {p: p.stat().st_mtime_ns for p in manifests}
    article = project / "articles" / f"{ids[3]}.md"
    article.write_text(article.read_text(encoding="utf-8").replace("## Highlights", "## Highlights\n\n- An edit.", 1),
                       encoding="utf-8")
    edited = Sample()
    run_once(reegen_cmd("build", "--all", "-f", "md", "-q"), project, edited)
    rebuilt = sum(p.stat().st_mtime_ns != before[p] for p in manifests)
    users = sum(1 for i in range(n_specs) if i % len(ids) == 3)
    return [Row(f"no-op build --all, {n_specs} specs", noop, None, "< 1 s", "seconds", 1.0),
            Row(f"one article edited, build --all over {n_specs}", edited, None, "only its briefs rebuilt", "", 0,
                note=f"{rebuilt} rebuilt; {users} specs use the article")]


def idle_cores(seconds: float = 2.0) -> float:
    """Return how many cores were idle, on average, over the next `seconds` (from /proc/stat)."""
    def sample():
        fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        return fields[3] + fields[4], sum(fields)

    try:
        idle0, total0 = sample()
        time.sleep(seconds)
        idle1, total1 = sample()
    except (OSError, ValueError, IndexError):
        return float("nan")
    return (os.cpu_count() or 1) * (idle1 - idle0) / max(1, total1 - total0)


def others_busy() -> tuple[float, float] | None:
    """Return (CPU seconds the whole machine has been busy, CPU seconds of this process and its reaped children).

    The difference between two readings is what other processes used in between.
    """
    import resource

    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError, IndexError):
        return None
    busy = (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")  # user..steal, less idle and iowait
    mine = sum(resource.getrusage(who).ru_utime + resource.getrusage(who).ru_stime
               for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return busy, mine


def jobs_rows(work: Path, runs: int, n_specs: int = 50) -> list[Row]:
    """`build --all -j 2` against `-j 1` over `n_specs` specs, with how busy other processes kept the cores."""
    print("jobs:", file=sys.stderr)
    project, _ = specs_project(work / f"jobs{n_specs}", n_specs)
    idle = idle_cores()
    before, started = others_busy(), time.perf_counter()
    samples = measure_together({f"-j {j}": reegen_cmd("build", "--all", "-f", "pdf", "--force", "-q", "-j", str(j))
                                for j in (1, 2)}, project, runs)
    after, elapsed = others_busy(), time.perf_counter() - started
    others = ((after[0] - before[0]) - (after[1] - before[1])) / elapsed if before and after else float("nan")
    return [Row(f"build --all -j 2, {n_specs} specs", samples["-j 2"], samples["-j 1"], "faster than -j 1", "ratio", 1.0,
                note=f"floor column: -j 1, timed in turns; other processes used {others:.2f} of {os.cpu_count()} "
                     f"cores during the runs (/proc/stat busy time less this benchmark's own CPU); idle cores "
                     f"over 2 s before {idle:.2f}; load average {os.getloadavg()[0]:.2f}")]


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
        if "warm" in only:
            rows += warm_rows(work, 10_000 if args.quick else 100_000, runs)
        if "pages" in only:
            rows += pages_rows(work, runs, 300 if args.quick else 1000)
        if "noop" in only:
            rows += noop_rows(work, runs, 100 if args.quick else 500)
        if "jobs" in only:
            rows += jobs_rows(work, runs, 10 if args.quick else 50)
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
