"""Diagnostics and the exception hierarchy shared by every stage.

Nothing here depends on Click: the CLI turns these into exit statuses at its boundary.
A diagnostic prints the way Sphinx users know::

    briefs/x.yaml:14: error: unknown article 'baotou-zone'; did you mean 'baotou-high-tech-zone'? [spec.unknown-article]
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a user's file: `path` (as given), 1-based `line`, optional `column`."""

    path: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        out = self.path
        if self.line is not None:
            out += f":{self.line}"
            if self.column is not None:
                out += f":{self.column}"
        return out

    def relative_to(self, root: str | os.PathLike | None) -> "Location":
        """Return the same location with `path` relative to `root` where it lies inside it."""
        if root is None:
            return self
        try:
            rel = os.path.relpath(self.path, root)
        except ValueError:  # another drive on Windows
            return self
        if rel.startswith(".."):
            return self
        return Location(rel, self.line, self.column)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in the input, with where it is and a stable `code`."""

    severity: Severity
    message: str
    code: str
    location: Location | None = None
    hint: str | None = None
    #: the brief specs this problem affects (display paths); set where several briefs are checked at once
    briefs: tuple[str, ...] = ()

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        text = f"{where}{self.severity}: {self.message} [{self.code}]"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text

    def as_error(self) -> "Diagnostic":
        """Return this diagnostic promoted to an error (what `--strict` does to warnings)."""
        return Diagnostic("error", self.message, self.code, self.location, self.hint, self.briefs)

    def to_dict(self) -> dict:
        """Return a JSON-ready mapping of this diagnostic."""
        loc = self.location
        return {
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "path": loc.path if loc else None,
            "line": loc.line if loc else None,
            "column": loc.column if loc else None,
            "hint": self.hint,
            "briefs": list(self.briefs),
        }

    @classmethod
    def from_dict(cls, d: dict) -> "Diagnostic":
        """Return the diagnostic `to_dict` gave `d` (read back from a cache)."""
        location = Location(d["path"], d["line"], d["column"]) if d["path"] else None
        return cls(d["severity"], d["message"], d["code"], location, d["hint"])


@dataclass(slots=True)
class Report:
    """Diagnostics collected by a stage, so a user can fix every problem in one pass."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def error(self, message: str, code: str, location: Location | None = None, hint: str | None = None) -> None:
        """Record an error."""
        self.diagnostics.append(Diagnostic("error", message, code, location, hint))

    def warning(self, message: str, code: str, location: Location | None = None, hint: str | None = None) -> None:
        """Record a warning."""
        self.diagnostics.append(Diagnostic("warning", message, code, location, hint))

    def extend(self, other: "Report | Iterable[Diagnostic]") -> None:
        """Append every diagnostic of `other`."""
        self.diagnostics.extend(other.diagnostics if isinstance(other, Report) else other)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]

    def has_errors(self) -> bool:
        """Return whether any diagnostic is an error."""
        return any(d.severity == "error" for d in self.diagnostics)

    def raise_if_errors(self) -> None:
        """Raise `BuildFailed` carrying this report when it holds an error."""
        if self.has_errors():
            raise BuildFailed(self)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.diagnostics)

    def __len__(self) -> int:
        return len(self.diagnostics)


class ReegenError(Exception):
    """Base of every error reegen reports to a user (exit status 1 at the CLI)."""

    code = "reegen.error"

    def __init__(self, message: str, location: Location | None = None, hint: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.location = location
        self.hint = hint
        if code:
            self.code = code

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """Return this error as a list of diagnostics."""
        return [Diagnostic("error", self.message, self.code, self.location, self.hint)]

    def __str__(self) -> str:
        return "\n".join(str(d) for d in self.diagnostics)


class ProjectError(ReegenError):
    """No project root, a missing folder, an output path that is refused."""

    code = "project.error"


class SpecError(ReegenError):
    """A brief spec is malformed or names something that does not exist."""

    code = "spec.error"


class ArticleError(ReegenError):
    """An article file has bad front matter, a duplicate id or an unparsable date."""

    code = "article.error"


class TemplateError(ReegenError):
    """A template failed to compile or render; located in the template file."""

    code = "template.error"


class RenderError(ReegenError):
    """A writer could not render the document (PDF or DOCX); names the block and source."""

    code = "render.error"


class BuildFailed(ReegenError):
    """A stage found errors; carries every diagnostic it collected."""

    code = "build.failed"

    def __init__(self, report: Report):
        self.report = report
        first = report.errors[0] if report.errors else None
        super().__init__(first.message if first else "build failed", first.location if first else None)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return list(self.report.diagnostics)


def collate(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Return `diagnostics` sorted by file, line and column, each problem once, naming every brief it affects.

    Two diagnostics are the same problem when they say the same thing at the same place:
    an article warning met by three briefs is kept once, with the three briefs. Problems
    without a location come first, as they concern the project as a whole.
    """
    merged: dict[tuple, Diagnostic] = {}
    for d in diagnostics:
        key = (d.severity, d.code, d.message, d.location, d.hint)
        first = merged.get(key)
        if first is None:
            merged[key] = d
        elif d.briefs:
            briefs = tuple(dict.fromkeys(first.briefs + d.briefs))
            merged[key] = Diagnostic(first.severity, first.message, first.code, first.location, first.hint, briefs)

    def order(d: Diagnostic) -> tuple:
        loc = d.location
        if loc is None:
            return (0, "", 0, 0, d.severity != "error", d.code, d.message)
        return (1, loc.path, loc.line or 0, loc.column or 0, d.severity != "error", d.code, d.message)

    return sorted(merged.values(), key=order)


def did_you_mean(value: str, choices: Iterable[str]) -> str | None:
    """Return a "did you mean 'x'?" phrase for the closest of `choices`, or None."""
    import difflib  # only when there is a mistake to suggest a fix for

    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


def config_location(config_path: Path, table: str | None, key: str) -> Location:
    """Return where `key` of `[table]` is set in reegen.toml at `config_path` (its line when it can be found)."""
    try:
        lines = config_path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return Location(config_path.name)
    current = None
    pattern = re.compile(rf"\s*{re.escape(key)}\s*=")
    for number, line in enumerate(lines, 1):
        header = re.match(r"\s*\[([^\[\]]+)\]\s*(#.*)?$", line)
        if header:
            current = header.group(1).strip()
            continue
        if pattern.match(line) and (current == table or (table == "project" and current is None)
                                    or (table is None and current in (None, "project"))):
            return Location(config_path.name, number)
    return Location(config_path.name)
