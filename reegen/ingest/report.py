"""What ingest changed in an input, entry by entry, printable as `path:line: kind: detail`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

#: every kind of entry an ingest report can hold, with what it means (README table)
KINDS: dict[str, str] = {
    "decoding": "the bytes were not UTF-8 and were read in another encoding",
    "whitespace": "BOM, CR, non-breaking spaces, zero-width characters or soft hyphens normalised",
    "mojibake": "mis-decoded text repaired with ftfy",
    "unicode": "characters normalised by ftfy (NFC, ligatures, control characters)",
    "encoding": "a lossy stand-in character (seed 003's “โ”) replaced by the punctuation it stood for",
    "glue": "a missing space restored (words, quotes or commas run together)",
    "dash": "a hyphen standing for a dash restored",
    "lead-in": "a bold lead-in glued to its paragraph split into **Lead-in.** text",
    "boilerplate": "site furniture removed (share prompts, comment widgets, copyright lines ...)",
    "caption": "an image caption and its Source line removed from the text",
    "title": "where the title came from",
    "heading": "a line taken as a section heading",
    "quote": "a line taken as a pull quote",
    "nesting": "bullets nested under the item that introduces them",
    "lead": "paragraphs after the Highlights list moved to the lead",
    "metadata": "a front-matter field taken from the text (publisher, origin, author, date)",
    "disclaimer": "a Disclaimer paragraph moved to front-matter disclaimers",
    "reference": "a reference-list entry moved to front-matter references",
    "citation": "an inline marker with no matching reference (kept, not invented)",
    "missing": "a field left out because the text gives no clear signal for it",
    "override": "a field set from the command line or the sidecar",
    "byline": "a byline or dateline line read and removed from the body (and what in it was dropped)",
    "origin": "an attribution in the text (\"according to X\") or an option made an origin entry",
    "date": "a date refused (in the future of the file, implausibly old, ambiguous) or an update date not kept",
    "conflict": "two sources of one field disagree; the report says which was kept and why",
}


#: kinds that need the analyst's attention (what `reegen ingest -q` prints)
ATTENTION = ("missing", "citation", "date", "conflict")


@dataclass(frozen=True, slots=True)
class Repair:
    """One change ingest made: its `kind` (a key of `KINDS`), the 1-based input `line`, and a `detail`."""

    kind: str
    line: int | None
    detail: str

    def format(self, path: str) -> str:
        """Return the entry as `path:line: kind: detail` (without `:line` when unknown)."""
        where = f"{path}:{self.line}" if self.line is not None else path
        return f"{where}: {self.kind}: {self.detail}"

    def to_dict(self) -> dict:
        """Return a JSON-ready mapping of this entry."""
        return {"kind": self.kind, "line": self.line, "detail": self.detail}


@dataclass(slots=True)
class IngestReport:
    """Everything ingest changed, removed or left out for one input `path`."""

    path: str
    entries: list[Repair] = field(default_factory=list)

    def add(self, kind: str, line: int | None, detail: str) -> None:
        """Record one entry."""
        self.entries.append(Repair(kind, line, detail))

    def of_kind(self, kind: str) -> list[Repair]:
        """Return the entries of one `kind`, in input order."""
        return [e for e in self.entries if e.kind == kind]

    def attention(self) -> list[Repair]:
        """Return the entries that need the analyst: missing fields, refused dates, conflicts, derived titles."""
        return [e for e in self.sorted() if e.kind in ATTENTION or (e.kind == "title" and "derived" in e.detail)]

    def sorted(self) -> list[Repair]:
        """Return the entries in input-line order (entries without a line last), stable otherwise."""
        return sorted(self.entries, key=lambda e: (e.line is None, e.line or 0))

    def lines(self) -> list[str]:
        """Return the report as `path:line: kind: detail` lines in input order."""
        return [e.format(self.path) for e in self.sorted()]

    def summary(self) -> str:
        """Return counts per kind, e.g. "boilerplate 5, encoding 14, missing 2"."""
        counts: dict[str, int] = {}
        for entry in self.entries:
            counts[entry.kind] = counts.get(entry.kind, 0) + 1
        return ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items())) or "no changes"

    def __iter__(self) -> Iterator[Repair]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)
