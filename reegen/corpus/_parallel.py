"""Read, hash and parse many article files in worker processes (a cold load of a large corpus).

At 100,000 articles the front matter alone is some 25 s of one CPU. When a load has at
least `PARALLEL_MIN` files to parse and more than one CPU is usable, `Prefetch` hands
them to a `concurrent.futures.ProcessPoolExecutor` in chunks, in file order, while the
loading process takes the results in that same order: it still writes every index row
and reports every problem itself, so the outcome (rows, messages, their order) is the
serial one. Workers are started with the "spawn" method (a fresh interpreter: safe in a
process with threads, and nothing of the host's process-wide state is touched), and only
where they can be: not inside a process multiprocessing started (`build -j 2`'s
workers, a daemonic one), not on one CPU, not under a main script that a worker would
run again (`main_is_importable`). Where a pool cannot start or breaks, the files it did
not parse are parsed in the loading process, as without it.
"""

from __future__ import annotations

import ast
import dataclasses
import os
import sys
import time
from collections import deque

#: fewer files to parse than this are parsed in the loading process. Measured on 2 cores
#: (one of them busy with other work): at 8,000 articles the workers lost 0.4-0.5 s of
#: wall time to the serial load's 2.0 s, at 20,000 they gained up to 1 s of 4.9 s, at
#: 100,000 6 s of 26 s; with both cores free they gain from some 5,000.
PARALLEL_MIN = 10_000
#: files a worker parses per task (a few MB of results each, so memory stays flat)
CHUNK = 400
#: most workers started, whatever the CPU count (the loading process writes the rows as they come)
MAX_WORKERS = 4

#: the names of the ways a load parsed its files, counted for tests and benchmarks: "parallel" or "serial"
runs: dict[str, int] = {"parallel": 0, "serial": 0}


def usable_cpus() -> int:
    """Return how many CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def main_is_importable(main) -> bool:
    """Return whether a spawned worker may import module `main` (the host's `__main__`) without running it.

    A spawned process imports the parent's main script again (as `__mp_main__`) before
    it runs anything. That is harmless for a package run with `-m` (multiprocessing skips
    it), for no script at all (`python -c`, a prompt) and for a script that only imports,
    defines and runs under `if __name__ == "__main__":`, as the `reegen` command's does.
    A script with work at its top level would do it again in every worker: its loads are
    parsed in its own process.
    """
    spec = getattr(main, "__spec__", None)
    if spec is not None and spec.name:
        return spec.name == "__main__" or spec.name.endswith(".__main__")
    path = getattr(main, "__file__", None)
    if path is None:
        return True
    try:
        with open(path, "rb") as handle:
            tree = ast.parse(handle.read())
    except (OSError, SyntaxError, ValueError):
        return False
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # a docstring
        if (isinstance(node, ast.If) and not node.orelse and isinstance(node.test, ast.Compare)
                and isinstance(node.test.left, ast.Name) and node.test.left.id == "__name__"
                and len(node.test.ops) == 1 and isinstance(node.test.ops[0], ast.Eq)
                and isinstance(node.test.comparators[0], ast.Constant) and node.test.comparators[0].value == "__main__"):
            continue
        return False
    return True


def worker_count(files: int) -> int:
    """Return how many workers should parse `files` files: 0 to parse them in this process."""
    if files < PARALLEL_MIN:
        return 0
    import multiprocessing  # here: a warm load needs none of it (its start-up is measured)

    if multiprocessing.current_process().daemon or multiprocessing.parent_process() is not None:
        # A daemonic process may not have children; any process multiprocessing started is one of a
        # set sharing the CPUs already (`build -j 2`'s workers, a non-daemonic ProcessPoolExecutor's).
        return 0  # a daemonic process (a `build -j` worker) may not have children
    if not main_is_importable(sys.modules.get("__main__")):
        return 0
    cpus = usable_cpus()
    return 0 if cpus < 2 else min(cpus, MAX_WORKERS)


def _parse_chunk(jobs: list[tuple[str, str]], encode=None) -> list[tuple]:
    """Parse each (path, display path) of `jobs`, in order.

    Each gives (article, diagnostics, sha256, read_ns, encoded): `encoded` is what
    `encode(article, diagnostics)` returns (the index's JSON of the parse,
    `index.encode_parse`: a third of what storing a row costs the loading process), or
    None without `encode`.
    """
    from ..errors import Report
    from .parse import read_article

    out = []
    for path, shown in jobs:
        own, read_ns = Report(), time.time_ns()
        article, sha = read_article(path, own, display_path=shown)
        encoded = None
        if encode is not None:
            encoded = encode(article, own.diagnostics)
            if article is not None:
                # The loading process keeps the row, not the article: its body is read from the file
                # when a brief uses it (as for an article made from its row), not sent back here.
                article = dataclasses.replace(article, body_lines=None)
        out.append((article, own.diagnostics, sha, read_ns, encoded))
    return out


class Prefetch:
    """The parses of `jobs` ((path, display path) pairs, in the order the load takes them) from workers.

    `take` gives each one's result in that order, or None where the load must parse the
    file itself (no pool, a pool that broke, a file asked for out of order).
    """

    def __init__(self, jobs: list[tuple[str, str]], workers: int, *, encode=None, start_method: str = "spawn"):
        self._jobs = jobs
        self._encode = encode
        #: path -> its place in `jobs`
        self._place = {path: i for i, (path, _) in enumerate(jobs)}
        self._submitted = 0  # jobs handed to the pool so far
        self._taken = 0  # jobs whose results `take` gave out (or gave up on)
        self._futures: deque = deque()
        self._ready: deque = deque()  # the results of the oldest finished chunk not yet taken
        self._pool = None
        if workers < 1:
            runs["serial"] += 1
            return
        import concurrent.futures.process
        import multiprocessing

        try:
            context = multiprocessing.get_context(start_method)
            self._pool = concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context)
            # Two chunks a worker in flight: one parsing, one waiting to be taken.
            for _ in range(2 * workers):
                self._submit()
        except (OSError, ValueError, RuntimeError, ImportError, concurrent.futures.process.BrokenProcessPool):
            self.close()
            runs["serial"] += 1
            return
        runs["parallel"] += 1

    @property
    def active(self) -> bool:
        """Whether workers parse these files."""
        return self._pool is not None

    def _submit(self) -> None:
        if self._submitted < len(self._jobs):
            chunk = self._jobs[self._submitted:self._submitted + CHUNK]
            self._futures.append((self._submitted, self._pool.submit(_parse_chunk, chunk, self._encode)))
            self._submitted += len(chunk)

    def take(self, path: str) -> tuple | None:
        """Return (article, diagnostics, sha256, read_ns, encoded) of file `path` of `jobs`; None: parse it here.

        Files are taken in the order of `jobs`; one the load passed over (gone since it was
        listed) is dropped. A file not in `jobs`, or asked for twice, gives None.
        """
        place = self._place.get(path)
        if self._pool is None or place is None or place < self._taken:
            return None
        while True:
            if not self._ready:
                try:
                    self._ready.extend(self._futures.popleft()[1].result())
                    self._submit()
                except Exception:  # a worker died or the pool could not go on: the rest is parsed here
                    self.close()
                    return None
            self._taken += 1
            result = self._ready.popleft()
            if self._taken > place:
                if self._taken == len(self._jobs):
                    self.close()
                return result

    def close(self) -> None:
        """Stop the workers (results not taken are dropped)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._futures.clear()
        self._ready.clear()


def prefetch(jobs: list[tuple[str, str]], *, encode=None) -> Prefetch:
    """Return a `Prefetch` of `jobs`, with workers when there are enough files and CPUs for them.

    `encode`: a module-level function the workers apply to each (article, diagnostics)
    too (`index.encode_parse`, for `CorpusIndex.store`).
    """
    return Prefetch(jobs, worker_count(len(jobs)), encode=encode)
