"""The floor of the default build (PDF and DOCX) in one process, as reegen writes both in one.

    python benchmarks/floor_both.py BRIEF.json OUT.pdf OUT.docx FONT_DIR

Runs floor_pdf.py and floor_ooxml.py (the raw-OOXML DOCX floor) one after the other in
one interpreter: one start-up, as a `reegen build -f pdf,docx` pays once.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import floor_ooxml  # noqa: E402
import floor_pdf  # noqa: E402

if __name__ == "__main__":
    src, pdf, docx, fonts = sys.argv[1:5]
    floor_pdf.main(src, pdf, fonts)
    floor_ooxml.main(src, docx)
