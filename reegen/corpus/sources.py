"""The sources registry: which kind of source a publisher or outlet is.

A bundled registry (`reegen/data/sources.yaml`) is overridden entry by entry by the
project's own `sources.yaml`. Kinds drive the verification caveats.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..cache import CacheTable
from ..errors import Location, Report, SpecError, did_you_mean
from ..spec import YamlList, YamlMap, parse_yaml
from ..text import read_text

#: kinds whose reporting a brief flags as needing independent verification
FLAGGED_KINDS = ("state-owned", "state-affiliated", "government", "company")
_KIND_WORDS = {
    "state-owned": "a state-owned outlet or enterprise",
    "state-affiliated": "a state-affiliated outlet",
    "government": "a government body",
    "company": "a company speaking about itself",
}


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """What the registry knows of one publisher or outlet."""

    name: str
    kind: str = "unknown"
    note: str | None = None
    reliability: str | None = None


def describe_kind(kind: str) -> str:
    """Return a reader's phrase for a flagged source `kind` ("a state-affiliated outlet")."""
    return _KIND_WORDS.get(kind, kind)


class SourceRegistry:
    """Publisher and outlet names mapped to `SourceInfo`, matched case-insensitively."""

    def __init__(self) -> None:
        self._by_name: dict[str, SourceInfo] = {}

    def add(self, info: SourceInfo, aliases: tuple[str, ...] = ()) -> None:
        """Add `info` under its name and `aliases`, replacing earlier entries."""
        for name in (info.name, *aliases):
            self._by_name[_key(name)] = info

    def lookup(self, name: str | None) -> SourceInfo | None:
        """Return what the registry knows of `name`, or None."""
        if not name:
            return None
        return self._by_name.get(_key(name))

    def kind_of(self, name: str | None, declared: str = "unknown") -> str:
        """Return the kind of `name`: the `declared` kind unless unknown, else the registry's."""
        if declared and declared != "unknown":
            return declared
        info = self.lookup(name)
        return info.kind if info else "unknown"

    def load(self, text: str, path: str, report: Report, *, cache: CacheTable | None = None) -> None:
        """Add every entry of a registry file's `text` (read from `path`), recording problems.

        `cache` keeps the parsed YAML between builds (see `parse_yaml`).
        """
        from .parse import SOURCE_KINDS

        try:
            data = parse_yaml(text, path, cache=cache)
        except SpecError as exc:
            report.extend(exc.diagnostics)
            return
        if data is None:
            return
        if not isinstance(data, YamlMap):
            report.error("a sources registry maps publisher names to {kind: ...}", "sources.shape", Location(path, 1))
            return
        for name, entry in data.items():
            where = Location(path, data.line_of(name))
            if isinstance(entry, str):
                entry = {"kind": entry}
            if not isinstance(entry, dict):
                report.error(f"entry '{name}' must be a mapping such as {{kind: wire}}", "sources.shape", where)
                continue
            kind = entry.get("kind") or "unknown"
            if kind not in SOURCE_KINDS:
                hint = did_you_mean(kind, SOURCE_KINDS)
                report.error(f"unknown source kind '{kind}' for '{name}'" + (f"; {hint}" if hint else ""), "sources.kind", where)
                continue
            aliases = entry.get("aliases") or ()
            aliases = tuple(a for a in aliases if isinstance(a, str)) if isinstance(aliases, YamlList) else (
                (aliases,) if isinstance(aliases, str) else ())
            reliability = entry.get("reliability")
            if reliability is not None and (not isinstance(reliability, str) or reliability not in "ABCDEF"
                                            or len(reliability) != 1):
                report.warning(f"reliability of '{name}' must be an Admiralty source grade A-F, not '{reliability}'",
                               "sources.reliability", where,
                               hint="A reliable, B usually reliable, C fairly reliable, D not usually reliable, "
                                    "E unreliable, F cannot be judged")
                reliability = None
            self.add(SourceInfo(name, kind, entry.get("note"), reliability), aliases)


def _key(name: str) -> str:
    return " ".join(name.casefold().replace("’", "'").split())


def load_registry(project_file: str | Path | None, report: Report, *, display_path: str | None = None,
                  cache: CacheTable | None = None) -> SourceRegistry:
    """Return the bundled registry, overridden by `project_file` when it exists.

    `cache` keeps the parsed YAML of both files between builds (see `parse_yaml`).
    """
    registry = SourceRegistry()
    bundled = resources.files("reegen").joinpath("data/sources.yaml").read_text(encoding="utf-8")
    registry.load(bundled, "reegen/data/sources.yaml", report, cache=cache)
    if project_file is not None and Path(project_file).is_file():
        shown = display_path or str(project_file)
        try:
            registry.load(read_text(str(project_file)), shown, report, cache=cache)
        except SpecError as exc:
            report.extend(exc.diagnostics)
    return registry
