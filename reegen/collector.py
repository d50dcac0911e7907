"""Python's cyclic garbage collector, paused while a brief is built, in a program that asks for it.

The collector belongs to the program that runs reegen. The `reegen` program asks for the
pauses below (`hold`, from `reegen.cli.run`); so may any other program, with
`pause_builds()`. Until one does, `paused()` leaves the collector alone: a web app, a
notebook or a script that calls `reegen.api.build` keeps its collector as it set it.

A build allocates a few hundred thousand objects (parsed sections, the document model,
reportlab's fragments and flowables, python-docx's XML elements) that all live until the
outputs are written. The generational collector keeps walking them as they pile up:
on the 230-page benchmark brief it ran about 600 collections (four of them full) during
one build, 0.3–0.4 s by its own clock, and freed nothing that mattered, because nothing
built is garbage before the build ends. With it off, the same build took 10–20 % less
CPU time (more than the collections' own time: walking every object also evicts the
build's data from the processor's caches). So, once asked, `paused()` turns the collector off for
the duration of a build and back on after it. The garbage a build leaves (about fifty thousand
objects in reference cycles once its document and canvas are dropped) is all in the
youngest generation then, so the first collection after the pause frees it (about
90 ms on that sample): a program that builds brief after brief (a script calling
`reegen.api.build` in a loop) does not grow.

The `reegen` program ends when its command does and leaves with `os._exit`, so it
`hold`s the collector off from the start: its imports are not walked either, and the
collection after the build never runs. The commands that go on building (`build
--watch`, `build` of several specs) `release` it, and each build then pauses and
resumes it as above. (`ingest` keeps it held: a thousand pages leave no garbage that
shows in its peak memory.)

Pauses nest and may overlap across threads: the collector comes back on when the last
one ends, and only if it was on when the first began.

The same request lets a build hand memory it has freed back to the system between two
formats (`reegen.api`, glibc's `malloc_trim`): a program that did not ask keeps its heap
as its own allocator manages it (`program_asked`).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["hold", "pause_builds", "paused", "program_asked", "release"]

_lock = threading.Lock()
_depth = 0
_resume = False
_held = False
#: the program asked for builds to pause the collector (`pause_builds`, `hold`)
_asked = False


def pause_builds(on: bool = True) -> None:
    """Ask (or, with False, stop asking) every later build in this process to pause the collector."""
    global _asked
    with _lock:
        _asked = on


def program_asked() -> bool:
    """Return whether the program asked builds to manage memory for it (`pause_builds`, `hold`)."""
    return _asked


def hold() -> None:
    """Turn the collector off for the rest of a process that ends when its one command does.

    For the `reegen` program only: it also asks for build pauses (`pause_builds`).
    """
    global _held, _resume, _asked
    with _lock:
        _asked = True
        _held = True
        _resume = False  # a build under way leaves it off too
        gc.disable()


def release() -> None:
    """Undo `hold`: the collector runs again, outside builds, for a command that builds on and on."""
    global _held, _resume
    with _lock:
        if not _held:
            return
        _held = False
        if _depth:
            _resume = True  # the build under way turns it back on when it ends
        else:
            gc.enable()


@contextmanager
def paused() -> Iterator[None]:
    """Keep the cyclic garbage collector off inside the block, if the program asked (`pause_builds`).

    Reference counting still frees memory. Unless asked, the block runs with the collector as it is.
    """
    global _depth, _resume
    if not _asked:
        yield
        return
    with _lock:
        if _depth == 0:
            _resume = gc.isenabled()  # off when held
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _resume:
                gc.enable()
