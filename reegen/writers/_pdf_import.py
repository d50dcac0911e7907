"""Import reportlab's paragraph module without compiling the one pattern reegen never uses.

`reportlab.platypus.paragraph` compiles `uri_pat` as it is imported: a case-insensitive
pattern over the range U+00A1-U+FFFF, whose case folding costs the regex compiler about
35 ms on every PDF build, a tenth of a sample brief's. reportlab matches it only when a
style asks to break URLs after a slash (`uriWasteReduce`), which reegen's styles leave
off. So while that module is first imported, a pattern of that shape is handed out as a
`LazyPattern`, compiled the first time anything is asked of it; every other pattern is
compiled as usual, and `re.compile` is put back before this module's import ends.

The PDF writer's modules import this before anything from `reportlab.platypus`.
"""

from __future__ import annotations

import re
import sys

__all__ = ["LazyPattern"]

#: the ranges that make the pattern costly to compile case-insensitively
_COSTLY = "\xa1-\uffff"


class LazyPattern:
    """A compiled pattern, made on first use; it answers every attribute of `re.Pattern`."""

    __slots__ = ("source", "flags_given", "_compiled")

    def __init__(self, source: str, flags: int):
        self.source = source
        self.flags_given = flags
        self._compiled: re.Pattern | None = None

    def compiled(self) -> re.Pattern:
        if self._compiled is None:
            self._compiled = re.compile(self.source, self.flags_given)
        return self._compiled

    def __getattr__(self, name: str):
        return getattr(self.compiled(), name)


def _import_paragraph() -> None:
    if "reportlab.platypus.paragraph" in sys.modules:
        return
    compile_now = re.compile

    def compile_later(pattern, flags=0):
        if isinstance(pattern, str) and flags & re.IGNORECASE and _COSTLY in pattern:
            return LazyPattern(pattern, flags)
        return compile_now(pattern, flags)

    re.compile = compile_later
    try:
        import reportlab.platypus.paragraph  # noqa: F401
    finally:
        re.compile = compile_now


_import_paragraph()
