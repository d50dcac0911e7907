"""reegen's contract with reportlab: the installed version, checked once, and the switch for the fast paths.

The PDF writer works through reportlab's public API (platypus flowables and templates,
the canvas, `pdfmetrics`, `TTFont`) on every reportlab in the supported range
(`SUPPORTED`, the range `pyproject.toml` asks for). A few *fast paths* reach the same
result with less work by using reportlab's internals: private functions and classes of
`reportlab.platypus.paragraph`, the private attributes of its fragments, lines, text
objects and fonts. They are

- ``frags``: paragraph fragments copied from prototypes instead of parsed (`_pdf_frags`);
- ``lines``: line breaking with a word-width cache (`_pdf_lines`);
- ``draw``: paragraph drawing that writes reportlab's operators itself (`_pdf_draw`);
- ``subset``: a font's first subset encoded with one `str.translate` (`_pdf_fonts.SubsetFont`);
- ``links``: link annotations and named destinations formatted in one step (`pdf`);
- ``stream``: the file written into its file object as each object is formatted, not
  joined in memory first (`pdf._write_formatted`: memory, not speed).

Each was compared with reportlab's own result on the versions in `FAST_RANGE` only, so
each runs only there. Outside that range, when a private name the fast paths import is
missing, or when one of them meets an `AttributeError` or `ImportError` (reportlab
reshaped what it relies on), the writer uses plain public reportlab for the rest of the
process and says so once, with a `FallbackWarning` (a Python warning: a library user
sees it through `warnings`, the `reegen` program prints it on stderr; it is not a build
diagnostic, so `--strict` builds do not fail over it). A build that was under way when
a fast path failed is laid out again from the start, so its PDF is whole and right.

A second group, the *internals*, read or override private attributes and methods of
reportlab's canvas, document template, frames and tables that are the same on every
version in `INTERNALS_RANGE` (the oldest supported reportlab included). They are

- ``totals``: the one-pass "Page X of Y" footers of `pdf._BriefCanvas` (each page's
  footer drawn into its content stream when the canvas is saved); the public way lays
  the brief out once more, once its page count is known;
- ``names``: the named destinations of `pdf._BriefCanvas` (`/Dest (source-3)` and a
  `/Names /Dests` tree); without them links point at reportlab's own destinations, page
  positions, as its `linkRect` makes them (the same places; `brief.pdf#source-3` does
  not open). Either way the link is reegen's `_Link`, added through the canvas's
  `_absRect` and `_addAnnotation` as `linkRect` adds its own, so that the tags can give
  it a `/StructParent`; `_pdf_tags` checks those internals (`_pdf_tags.INTERNALS`);
- ``keep``: the keep-with-next rule of `pdf._KeepWithNext` (a heading moves only when
  it and the start of what follows do not fit); the public way is reportlab's own
  `KeepTogether`, which moves the whole group (more white space, the same text);
- ``memo``: the measurement memos of `_pdf_story.BriefParagraph.wrap` and
  `_pdf_story.BriefTable` (overriding reportlab's private `Table._calc` and
  `Table._listCellGeom`); the public way measures every time (the same layout, slower);
- ``split``: the table split rule of `_pdf_story.BriefTable` (no header and single row
  left at a page foot); the public way splits wherever reportlab does;
- ``window``: long tables given to reportlab a window of rows at a time
  (`_pdf_story.BriefTable.windowed`, reading the cells, widths and heights of the parts
  reportlab's split makes); the public way is one table of every row (the same pages,
  in time quadratic in the rows).

They follow the same rule as the fast paths, as a group of their own: outside
`INTERNALS_RANGE`, or once one of them meets an `AttributeError` or `ImportError`, they
are all off for the rest of the process, with the one `FallbackWarning`. The PDF's
file dates, pinned by `SOURCE_DATE_EPOCH`, need no internals: they come from reportlab's
public `invariant` document option and `Canvas.setDateFormatter`.

Every private reportlab name the writer imports comes through `private` here, so this
file lists them all. The fast paths and the internals count what they did in `ran`,
which tests read to check that the gated path really did the work; `without` holds
any of them off, to compare with the public way.
"""

from __future__ import annotations

import importlib
import re
import sys
import threading
import warnings
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import reportlab
import reportlab.rl_config

__all__ = [
    "FAST_PATHS", "FAST_RANGE", "FUZZ", "INTERNALS", "INTERNALS_RANGE", "SUPPORTED", "VERSION", "FallbackWarning",
    "FastPathFailed", "active", "fast", "failed", "private", "ran", "without",
]

#: the reportlab versions the writer supports through the public API: [first, end)
SUPPORTED = ((4, 4), (6,))
#: the reportlab versions the fast paths are tested against: [first, end)
FAST_RANGE = ((5, 0, 1), (5, 2))
#: the fast paths, by name (see above)
FAST_PATHS = ("frags", "lines", "draw", "subset", "links", "stream")
#: the reportlab versions whose canvas, document, frame and table internals `INTERNALS` read: [first, end)
INTERNALS_RANGE = ((4, 4), (5, 2))
#: the gated uses of reportlab internals that are not speed alone, by name (see above)
INTERNALS = ("totals", "names", "keep", "memo", "split", "window")
#: what a fast path raises when reportlab's internals are not what it expects
CHANGED = (AttributeError, ImportError)
#: the width below which reportlab's layout treats a space as none (`rl_config._FUZZ`, 1e-6 in 4.0-5.1)
FUZZ = getattr(reportlab.rl_config, "_FUZZ", 1e-6)


def _parse(version: str) -> tuple[int, ...]:
    """(5, 1, 0) for "5.1.0"; a pre-release or local suffix is dropped ("5.2.0a1" -> (5, 2, 0))."""
    parts = []
    for piece in version.split(".")[:3]:
        digits = re.match(r"\d+", piece)
        if not digits:
            break
        parts.append(int(digits.group()))
    return tuple(parts)


#: the installed reportlab's version
VERSION = _parse(getattr(reportlab, "Version", "0"))


class FallbackWarning(UserWarning):
    """The PDF writer uses plain public reportlab (slower, same text): said once per process."""


class FastPathFailed(Exception):
    """A fast path met reportlab internals it does not know; the build is laid out again without them."""

    def __init__(self, path: str, error: BaseException):
        kind = "use of reportlab internals" if path in INTERNALS else "fast path"
        super().__init__(f"the '{path}' {kind} failed: {type(error).__name__}: {error}")
        self.path = path
        self.error = error


#: fast path name -> how many times it did the work (for tests and benchmarks)
ran: Counter = Counter()

_lock = threading.Lock()
#: why the fast paths are off for this process, or None while they are on
_off_reason: str | None = None
#: the kinds of `FallbackWarning` given so far in this process ("fallback", "untagged")
_warned: set[str] = set()
#: why the internals are off for this process, or None while they are on
_internals_off: str | None = None
#: names turned off by `without` (tests and benchmarks), with how many blocks ask for each
_held_off: Counter = Counter()


def _in(version: tuple[int, ...], bounds: tuple[tuple[int, ...], tuple[int, ...]]) -> bool:
    return bounds[0] <= version < bounds[1]


def _range_text(bounds) -> str:
    return f">={'.'.join(map(str, bounds[0]))},<{'.'.join(map(str, bounds[1]))}"


if not _in(VERSION, FAST_RANGE):
    _off_reason = (f"reportlab {reportlab.Version} is outside the range its fast paths are tested against "
                   f"({_range_text(FAST_RANGE)})")
if not _in(VERSION, INTERNALS_RANGE):
    _internals_off = (f"reportlab {reportlab.Version} is outside the range whose internals it reads are known "
                      f"({_range_text(INTERNALS_RANGE)})")


def fast(path: str) -> bool:
    """Return whether fast path or internal `path` may run now; the first time one may not, warn why (once)."""
    reason = _internals_off if path in INTERNALS else _off_reason
    if reason is None and not _held_off[path]:
        return True
    if reason is not None:
        _warn_once(reason)
    return False


def active(group: str = "fast") -> bool:
    """Return whether the fast paths (`group` "fast") or the internals ("internals") are on for this process.

    (They may still be held off by `without`.)
    """
    if group not in ("fast", "internals"):
        raise ValueError(f"unknown group '{group}'")
    return (_off_reason if group == "fast" else _internals_off) is None


def private(module: str, *names: str) -> tuple:
    """Return reportlab's private `names` from `module` (a tuple, in order), or Nones with the fast paths off.

    Nothing is imported outside `FAST_RANGE`. A name missing inside it turns every fast
    path off: the code that would use it never runs.
    """
    if _off_reason is not None:
        return (None,) * len(names)
    try:
        found = importlib.import_module(module)
        return tuple(getattr(found, name) for name in names)
    except CHANGED as exc:
        _turn_off(f"reportlab {reportlab.Version} has no {module}.{', '.join(names)} ({exc})")
        return (None,) * len(names)


def failed(error: FastPathFailed) -> None:
    """Turn the group of `error.path` (the fast paths, or the internals) off for the rest of the process; warn once."""
    reason = f"{error} (reportlab {reportlab.Version})"
    _turn_off(reason, internals=error.path in INTERNALS)
    _warn_once(reason)


def untagged(missing: list[str]) -> None:
    """Say once that PDFs are written without tags because reportlab lacks `missing`."""
    _warn_first("untagged", f"reegen writes PDFs without tags (no structure tree for screen readers): reportlab "
                f"{reportlab.Version} lacks {', '.join(missing)}. reegen supports reportlab {_range_text(SUPPORTED)}.")


def _turn_off(reason: str, *, internals: bool = False) -> None:
    global _off_reason, _internals_off
    with _lock:
        if internals and _internals_off is None:
            _internals_off = reason
        elif not internals and _off_reason is None:
            _off_reason = reason


def _warn_once(reason: str) -> None:
    _warn_first("fallback", f"reegen's PDF writer uses plain public reportlab: {reason}. The PDF has the same "
                f"text; it takes longer to write. reegen supports reportlab {_range_text(SUPPORTED)}.")


def _warn_first(kind: str, message: str) -> None:
    """Give `message` as a `FallbackWarning` the first time a warning of `kind` is asked for in this process."""
    with _lock:
        if kind in _warned:
            return
        _warned.add(kind)
    warnings.warn(message, FallbackWarning, stacklevel=_outside_reegen())


def _outside_reegen() -> int:
    """The `stacklevel` that points a warning given in `_warn_once` at the first caller outside reegen."""
    frame, level = sys._getframe(2), 2  # the caller of `_warn_once`
    while frame is not None and frame.f_globals.get("__name__", "").partition(".")[0] == "reegen":
        frame, level = frame.f_back, level + 1
    return level


@contextmanager
def without(*paths: str) -> Iterator[None]:
    """Hold the fast paths or internals `paths` (all fast paths when none is named) off inside the block; no warning.

    For tests that compare a gated path with reportlab's own way, and for the benchmarks.
    """
    names = paths or FAST_PATHS
    for name in names:
        if name not in FAST_PATHS + INTERNALS:
            raise ValueError(f"unknown fast path '{name}'")
    with _lock:
        _held_off.update(names)
    try:
        yield
    finally:
        with _lock:
            _held_off.subtract(names)
