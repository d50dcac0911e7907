"""`build --watch`: rebuild briefs whose inputs change, until interrupted."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

from . import collector
from .batch import Outcome, build_one


def watch(paths: list[Path], *, formats=None, out_dir=None, strict: bool = False, interval: float = 1.0,
          report: Callable[[Outcome], None] = lambda outcome: None, cycles: int | None = None) -> None:
    """Build `paths`, then poll every `interval` seconds and rebuild what is out of date.

    Up-to-date briefs cost a fingerprint check, not a render. Stops on Ctrl-C, or after
    `cycles` polls (for tests). Problems are reported and watching goes on.
    """
    collector.release()  # an endless series of builds: each frees what the one before left
    seen: dict[str, tuple] = {}
    count = 0
    try:
        while cycles is None or count <= cycles:
            for path in paths:
                outcome = build_one(str(path), formats, out_dir, strict, False)
                state = (outcome.skipped, tuple(str(d) for d in outcome.errors))
                # Say something only when a brief was rebuilt or its problems changed.
                if not outcome.skipped or seen.get(str(path)) != state:
                    report(outcome)
                seen[str(path)] = state
            count += 1
            if cycles is not None and count > cycles:
                break
            time.sleep(interval)
    except KeyboardInterrupt:
        return
