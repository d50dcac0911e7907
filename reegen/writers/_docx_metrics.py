"""Text widths for the DOCX writer's table columns, read from a table instead of the font files.

The DOCX sizes a table's columns as the PDF does, by the widths of the cells' words in
the bundled body font (DejaVu Sans, regular and bold; see `_pdf_fonts`). Loading the
fonts for that (reportlab parses four TrueType files, 2.8 MB) cost more than writing
the 273-page benchmark brief's whole Key figures table. `reegen/data/docx-metrics.json`
holds what reportlab reads from those files and the widths need: the characters the body
family draws (`FontFamily.drawable`), and each face's advance width for each of them.

The table is used only on the reportlab version that made it (it is recorded in the
file; reportlab computes the widths from the font), and a width is then computed by
reportlab's own `instanceStringWidthTTF` (rl_accel), the function behind
`pdfmetrics.stringWidth` for a TrueType face, given the table's widths: the same float.
Text with a character outside the body family, another reportlab, a missing or damaged
table: `text_width` returns None and the caller measures with the fonts themselves.
`ran["table"]` counts the widths taken from the table, for tests.

Regenerate the file after changing the bundled body fonts or reportlab:
``python -m reegen.writers._docx_metrics`` (a test compares it with the fonts).
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from importlib import resources
from pathlib import Path

#: the table, beside the other data files
METRICS_FILE = Path(str(resources.files("reegen").joinpath("data", "docx-metrics.json")))
#: what `text_width` did: "table" for each width measured from the table
ran: Counter = Counter()

_lock = threading.Lock()
_loaded: tuple | None = None  # (drawable, regular font, bold font, width function), or () when unusable


class _Face:
    """What `instanceStringWidthTTF` reads of a TrueType face."""

    __slots__ = ("charWidths", "defaultWidth")

    def __init__(self, widths: dict[int, float], default: float):
        self.charWidths = widths
        self.defaultWidth = default


class _Font:
    __slots__ = ("face",)

    def __init__(self, face: _Face):
        self.face = face


def _deltas(codes: list[int]) -> list[int]:
    return [b - a for a, b in zip([0] + codes, codes)]


def _undeltas(deltas: list[int]) -> list[int]:
    out, code = [], 0
    for d in deltas:
        code += d
        out.append(code)
    return out


def _load() -> tuple:
    try:
        import reportlab
        from reportlab.lib.rl_accel import instanceStringWidthTTF

        data = json.loads(METRICS_FILE.read_text(encoding="utf-8"))
        if data.get("reportlab") != reportlab.Version:
            return ()
        codes = _undeltas(data["codes"])
        table = data["widths"]
        faces = []
        for style in ("regular", "bold"):
            face = data[style]
            if len(face["widths"]) != len(codes):
                return ()
            # null: the face has no width of its own for that character (it is drawn at the default)
            widths = {c: table[i] for c, i in zip(codes, face["widths"]) if i is not None}
            faces.append(_Font(_Face(widths, face["default"])))
        drawable = frozenset(map(chr, codes))
    except (OSError, ValueError, KeyError, TypeError, IndexError, ImportError, AttributeError):
        return ()
    return drawable, faces[0], faces[1], instanceStringWidthTTF


def text_width(text: str, size: float, *, bold: bool = False) -> float | None:
    """Return `_pdf_fonts.text_width(text, load_fonts(), size, bold=bold)` from the table, or None when it cannot."""
    global _loaded
    loaded = _loaded
    if loaded is None:
        with _lock:
            if _loaded is None:
                _loaded = _load()
            loaded = _loaded
    if not loaded or not loaded[0].issuperset(text):
        return None
    try:
        width = loaded[3](loaded[2] if bold else loaded[1], text, size)
    except (TypeError, AttributeError):  # rl_accel reads fonts otherwise now: measure with the fonts
        _loaded = ()
        return None
    ran["table"] += 1
    return width


def build_metrics() -> dict:
    """Return the table's contents, read by reportlab from the bundled body fonts."""
    import reportlab
    from reportlab.pdfbase import pdfmetrics

    from ._pdf_fonts import load_fonts

    body = load_fonts().body
    # What `split_by_family` leaves whole in the body family: its coverage and the layout spaces.
    codes = sorted(map(ord, body.drawable))
    faces = [pdfmetrics.getFont(body.face(bold=bold)).face for bold in (False, True)]
    table = sorted({f.charWidths[c] for f in faces for c in codes if c in f.charWidths})
    index = {w: i for i, w in enumerate(table)}
    data = {"reportlab": reportlab.Version, "codes": _deltas(codes), "widths": table}
    for style, face in zip(("regular", "bold"), faces):
        widths = face.charWidths
        data[style] = {"default": face.defaultWidth,
                       "widths": [index[widths[c]] if c in widths else None for c in codes]}
    return data


def write_metrics(path: Path = METRICS_FILE) -> None:
    """Write the table (see the module's docstring)."""
    path.write_text(json.dumps(build_metrics(), separators=(",", ":")) + "\n", encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover - run by hand after changing the fonts or reportlab
    write_metrics()
    print(f"wrote {METRICS_FILE}")
