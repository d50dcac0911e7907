"""Build many briefs, in parallel processes when asked, each failure contained to its brief."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import collector
from .errors import ReegenError


@dataclass(slots=True)
class Outcome:
    """What building one spec came to: outputs, or the diagnostics that stopped it."""

    spec: str
    skipped: bool = False
    outputs: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    errors: list = field(default_factory=list)


def build_one(spec: str, formats, out_dir, strict: bool, force: bool) -> Outcome:
    """Build one spec and return its outcome; reegen errors are returned, not raised."""
    from . import api

    try:
        result = api.build(spec, formats=formats, out_dir=out_dir, strict=strict, force=force)
    except ReegenError as exc:
        diagnostics = exc.diagnostics
        return Outcome(spec, warnings=[d for d in diagnostics if d.severity != "error"],
                       errors=[d for d in diagnostics if d.severity == "error"])
    return Outcome(spec, result.skipped, [str(p) for p in result.outputs.values()], list(result.warnings))


class IsolatedBuilder:
    """Builds briefs one at a time in a worker process of its own, for programs with threads.

    A template's time and memory limits (`reegen.templating`) hold only in the main
    thread of a single-threaded process. `build --watch` and `reegen preview` have other
    threads (the file watcher, the web server), so they build here: the worker is
    started once (forkserver, or spawn where there is none), keeps its imports between
    builds, ignores Ctrl-C (the program that owns it stops it), and is started again if
    a build kills it.
    """

    def __init__(self) -> None:
        self._pool = None

    def build(self, spec: str, formats, out_dir, strict: bool, force: bool) -> Outcome:
        """Return the outcome of building `spec`, as `build_one` would in this process."""
        from concurrent.futures.process import BrokenProcessPool

        try:
            return self._worker().submit(build_one, spec, formats, out_dir, strict, force).result()
        except BrokenProcessPool:
            self.close()
            from .errors import Diagnostic, Location

            return Outcome(spec, errors=[Diagnostic("error", "the build's process ended without finishing it "
                                                    "(out of memory, or killed)", "build.crashed", Location(spec))])

    def _worker(self):
        if self._pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context(method),
                                             initializer=_ignore_interrupts)
        return self._pool

    def close(self) -> None:
        """Stop the worker process."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> "IsolatedBuilder":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _ignore_interrupts() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _worker_context(formats):
    """Return the multiprocessing context for a batch's workers, with what they all load loaded first.

    Each worker would otherwise import the pipeline and the writers and register the fonts
    on its own (about 0.3 s of CPU each, more than ten one-article briefs). Where this
    process may fork (POSIX but macOS, whose system libraries do not survive a fork, and
    no other thread running that a child could inherit mid-step), it loads them once and
    forks the workers from itself, so they start with them loaded. Otherwise the workers
    come from the forkserver (or spawn) and load them on their own, as a single build does.
    """
    import multiprocessing
    import sys
    import threading

    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and sys.platform != "darwin" and threading.active_count() == 1:
        _preload(formats)
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _preload(formats=None) -> None:
    """Import the build pipeline and the writers of `formats` (default: PDF and DOCX), and register the PDF fonts.

    What every build in this process would otherwise do the first time; it changes no
    build's output.
    """
    from .formats import DEFAULT_FORMATS
    from .writers import REGISTRY, get_writer

    chosen = [name for name in formats or DEFAULT_FORMATS if name in REGISTRY]  # each build reports an unknown one
    try:
        from . import api  # noqa: F401 (imported for its modules)

        for name in chosen:
            get_writer(name)
        if "pdf" in chosen:
            from .writers._pdf_fonts import load_fonts

            load_fonts()
    except Exception:  # noqa: BLE001 - only time is lost: each build meets the same problem and reports it
        pass


def build_many(paths: list[Path], *, formats=None, out_dir=None, strict: bool = False, force: bool = False,
               jobs: int = 1, on_done: Callable[[Outcome, int, int], None] | None = None) -> list[Outcome]:
    """Build every spec in `paths` (with `jobs` processes) and return their outcomes in order.

    `on_done(outcome, done, total)` is called as each brief finishes.
    """
    specs = [str(p) for p in paths]
    total = len(specs)
    if total > 1:
        collector.release()  # one build's leftovers are freed before the next (and in each worker)
    outcomes: dict[str, Outcome] = {}
    if jobs <= 1 or total <= 1:
        from .api import keeping_caches_open

        with keeping_caches_open():  # one connection to the cache for the whole row of builds
            for done, spec in enumerate(specs, 1):
                outcomes[spec] = build_one(spec, formats, out_dir, strict, force)
                if on_done:
                    on_done(outcomes[spec], done, total)
    else:
        # Processes, not threads: rendering is CPU-bound Python. Imported here: a single build
        # should not pay for multiprocessing.
        from concurrent.futures import ProcessPoolExecutor, as_completed

        workers = min(jobs, total, os.cpu_count() or 1)
        with ProcessPoolExecutor(max_workers=workers, mp_context=_worker_context(formats)) as pool:
            futures = {pool.submit(build_one, spec, formats, out_dir, strict, force): spec for spec in specs}
            for done, future in enumerate(as_completed(futures), 1):
                outcome = future.result()
                outcomes[futures[future]] = outcome
                if on_done:
                    on_done(outcome, done, total)
    return [outcomes[s] for s in specs]


__all__ = ["Outcome", "build_many", "build_one"]
