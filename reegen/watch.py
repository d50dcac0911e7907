"""Watching a project's inputs: `build --watch` and `reegen preview` rebuild when one changes.

File events come from watchdog (inotify on Linux, FSEvents on macOS, ReadDirectoryChangesW
on Windows; a polling observer only where none of these exists), so an idle watch costs
nothing and a change is seen at once, not at the next poll. An editor's save is often
several events (a temporary file, a rename, a second write), so events are gathered into
one batch that is handed on once the project has been quiet for a moment.
"""

from __future__ import annotations

import datetime as _dt
import os
import queue
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import collector

#: seconds without a new event before a batch of changes is handed on
QUIET = 0.25
#: seconds after a batch's first event when it is handed on even if events keep coming
MAX_WAIT = 2.0

#: names editors write beside a file while saving it (vim, emacs, JetBrains, gedit, Office)
_EDITOR_NOISE = ("~", ".swp", ".swx", ".swo", ".tmp", ".part", "___jb_tmp___", "___jb_old___")


class Batcher:
    """Gathers change events into batches; pure bookkeeping, the caller supplies the clock.

    A batch is due once `quiet` seconds pass with no new event, or `max_wait` seconds after
    its first event, whichever comes first (a file written continuously still gets rebuilt).
    """

    def __init__(self, quiet: float = QUIET, max_wait: float = MAX_WAIT) -> None:
        self.quiet = quiet
        self.max_wait = max_wait
        self._paths: set[str] = set()
        self._first: float | None = None
        self._last: float | None = None

    def add(self, path: str, now: float) -> None:
        """Record a change to `path` at time `now`."""
        if self._first is None:
            self._first = now
        self._last = now
        self._paths.add(path)

    def due(self, now: float) -> set[str] | None:
        """Return the batch's paths and start a new batch when it is due at `now`; else None."""
        if self._first is None:
            return None
        if now - self._last < self.quiet and now - self._first < self.max_wait:
            return None
        paths, self._paths, self._first, self._last = self._paths, set(), None, None
        return paths

    def wait_time(self, now: float) -> float | None:
        """Return the seconds until the pending batch is due (None when nothing is pending)."""
        if self._first is None:
            return None
        return max(0.0, min(self._last + self.quiet, self._first + self.max_wait) - now)


def input_filter(project, extra: tuple[Path, ...] = ()) -> Callable[[str], bool]:
    """Return a predicate telling whether a changed path is one of `project`'s build inputs.

    Inputs are what a build reads: `articles/`, `briefs/`, `templates/`, `reegen.toml`, the
    sources registry and the brand and reference files it names, and the files in `extra`
    (specs kept elsewhere). Outputs, caches and editors' temporary files are not, so a
    build never sets off another.
    """
    root = project.root.resolve()
    folders = [p.resolve() for p in (project.articles_dir, project.briefs_dir, project.templates_dir)]
    files = {(root / "reegen.toml"), project.sources_file.resolve(), *(Path(p).resolve() for p in extra)}
    for key in ("logo", "font"):
        if project.brand.get(key):
            files.add((root / project.brand[key]).resolve())
    if project.config.get("reference_docx"):
        files.add((root / project.config["reference_docx"]).resolve())

    def is_input(path: str) -> bool:
        name = os.path.basename(path)
        if not name or name.startswith((".", "#")) or name.endswith(_EDITOR_NOISE) or name == "4913":
            return False  # hidden files, and the scratch files vim and emacs write while saving
        here = Path(os.path.abspath(path))
        return here in files or any(here.is_relative_to(folder) for folder in folders)

    return is_input


class Watcher:
    """Watches a project's folder with watchdog and hands on batches of changed input paths.

    Use as a context manager; `next_batch(timeout)` blocks until a batch is due and returns
    its paths relative to the project root, sorted (empty after `timeout` seconds or `stop()`).
    """

    def __init__(self, project, *, extra: tuple[Path, ...] = (), quiet: float = QUIET, max_wait: float = MAX_WAIT) -> None:
        from watchdog.observers import Observer

        self.project = project
        self._extra = tuple(extra)
        self._is_input = input_filter(project, self._extra)
        self._events: queue.Queue[tuple[str, bool] | None] = queue.Queue()
        self._created: set[str] = set()  # paths created since the last batch
        self._batcher = Batcher(quiet, max_wait)
        self._observer = Observer()
        self._observer.daemon = True
        self._observer.schedule(_Handler(self._seen), str(project.root), recursive=True)
        for folder in sorted({Path(p).resolve().parent for p in self._extra}):
            if not folder.is_relative_to(project.root.resolve()):
                self._observer.schedule(_Handler(self._seen), str(folder), recursive=False)

    def _seen(self, path: str, created: bool) -> None:
        if self._is_input(path):
            self._events.put((path, created))

    def _reload_filter(self) -> None:
        """Read `reegen.toml` again: the sources registry and brand files it names are inputs too."""
        from .errors import ReegenError
        from .project import load_project

        try:
            self._is_input = input_filter(load_project(self.project.root), self._extra)
        except ReegenError:
            pass  # the build reports the broken settings; until they load, the old inputs stay watched

    def __enter__(self) -> Watcher:
        self._observer.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
        self._observer.join(timeout=5)

    def stop(self) -> None:
        """Stop watching; a `next_batch` under way returns at once."""
        self._observer.stop()
        self._events.put(None)

    def next_batch(self, timeout: float | None = None) -> list[str]:
        """Return the next batch of changed inputs (relative paths), waiting at most `timeout` seconds."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            now = time.monotonic()
            paths = self._batcher.due(now)
            if paths is not None:
                # A file made and removed within one batch is a tool's scratch file (sed -i, an editor's
                # backup), not a change of input.
                kept = [p for p in paths if p not in self._created or os.path.lexists(p)]
                self._created.clear()
                if any(Path(p).name == "reegen.toml" for p in kept):
                    self._reload_filter()
                if kept:
                    return sorted(self.project.display(p) for p in kept)
                continue
            wait = self._batcher.wait_time(now)
            if deadline is not None:
                left = deadline - now
                if left <= 0:
                    return []
                wait = left if wait is None else min(wait, left)
            try:
                path = self._events.get(timeout=wait)
            except queue.Empty:
                continue
            if path is None:
                return []
            path, created = path
            if created:
                self._created.add(path)
            self._batcher.add(path, time.monotonic())


class _Handler:
    """A watchdog event handler passing on every path an event touches."""

    def __init__(self, seen: Callable[[str, bool], None]) -> None:
        self._seen = seen

    def dispatch(self, event) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return  # reading a file changes nothing (inotify reports opens and reads too)
        if event.is_directory and event.event_type == "modified":
            return  # a folder's own timestamp: the change inside it has its own event
        created = event.event_type == "created"
        self._seen(os.fsdecode(event.src_path), created)
        if getattr(event, "dest_path", ""):
            self._seen(os.fsdecode(event.dest_path), False)


def stamp() -> str:
    """Return the local wall-clock time as `HH:MM:SS`, for the lines a watch prints."""
    return _dt.datetime.now().strftime("%H:%M:%S")


@dataclass(slots=True)
class WatchReport:
    """What one round of a watch came to: the changes that set it off and each brief's outcome."""

    #: changed inputs, relative to the project root (empty for the first build)
    changes: list[str] = field(default_factory=list)
    #: outcomes of the briefs rebuilt or whose problems changed (`batch.Outcome`)
    outcomes: list = field(default_factory=list)
    #: specs whose build failed with the same problems as the round before (not repeated)
    still_failing: list[str] = field(default_factory=list)


def spec_files(folder: Path) -> list[Path]:
    """Return the brief specs in `folder` (`*.yaml` and `*.yml`), sorted by name."""
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])


def watch(paths: list[Path], *, formats=None, out_dir=None, strict: bool = False, specs_dir: Path | None = None,
          report: Callable[[WatchReport], None] = lambda r: None, on_start: Callable[[object], None] = lambda p: None,
          stop: threading.Event | None = None) -> None:
    """Build `paths`, then rebuild whenever one of the project's inputs changes, until interrupted.

    With `specs_dir`, a spec added to that folder while watching is built too. Up-to-date
    briefs cost a fingerprint check, not a render. After each round, `report` gets what was
    rebuilt; a brief that fails again with the same problems is named, not repeated. Stops on
    Ctrl-C or once `stop` is set. `on_start(project)` is called once watching has begun.
    """
    from .batch import IsolatedBuilder
    from .project import load_project

    collector.release()  # an endless series of builds: each frees what the one before left
    stop = stop or threading.Event()
    project = load_project(paths[0] if paths else specs_dir)
    known = [Path(p) for p in paths]
    last_errors: dict[str, tuple[str, ...]] = {}

    def build_round(changes: list[str], force_report: bool) -> None:
        if specs_dir is not None:
            known.extend(p for p in spec_files(specs_dir) if p not in known)
        done = WatchReport(changes)
        for path in list(known):
            if not path.exists() and specs_dir is not None:
                known.remove(path)  # a spec deleted while watching
                last_errors.pop(str(path), None)
                continue
            outcome = builder.build(str(path), formats, out_dir, strict, False)
            errors = tuple(str(d) for d in outcome.errors)
            previous = last_errors.get(str(path))
            last_errors[str(path)] = errors
            if errors and errors == previous:
                done.still_failing.append(str(path))
            elif force_report or not outcome.skipped or errors != previous:
                done.outcomes.append(outcome)
        report(done)

    try:
        with IsolatedBuilder() as builder, Watcher(project, extra=tuple(known)) as watcher:
            on_start(project)
            build_round([], True)
            while not stop.is_set():
                changes = watcher.next_batch(timeout=0.5)
                if changes:
                    build_round(changes, False)
    except KeyboardInterrupt:
        return


__all__ = ["Batcher", "WatchReport", "Watcher", "input_filter", "spec_files", "stamp", "watch"]
