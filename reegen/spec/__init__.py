"""Brief specs: loading YAML with line numbers and validating it into a `BriefSpec`."""

from __future__ import annotations

from pathlib import Path

from ..cache import CacheTable
from ..errors import Report, SpecError
from .load import YamlList, YamlMap, load_yaml, parse_yaml
from .schema import BriefSpec, CaveatSpec, FromItem, SectionSpec, SelectSpec, VerificationEntry, parse_date, parse_spec

__all__ = ["BriefSpec", "CaveatSpec", "FromItem", "SectionSpec", "SelectSpec", "VerificationEntry",
           "load_spec", "parse_yaml", "load_yaml", "missing_judgements", "YamlList", "YamlMap", "parse_date"]


def missing_judgements(spec: BriefSpec, report: Report) -> None:
    """Warn in `report` when `spec` is an executive brief without `judgements` (its bottom line).

    An executive reader takes the first lines as the brief's conclusion; without the
    analyst's judgements they would be whatever highlights come first.
    """
    if spec.template == "executive" and not spec.judgements:
        report.warning("an executive brief has no judgements: add `judgements:`, the analyst's bottom line "
                       "(statements citing articles as [@id]), printed first as Key judgements",
                       "spec.no-judgements", spec.location("template" if "template" in spec.key_lines else "title"))


def load_spec(path: str | Path, report: Report, *, display_path: str | None = None,
              cache: CacheTable | None = None, defaults: dict | None = None) -> BriefSpec | None:
    """Return the spec at `path`, recording problems in `report` (None when unreadable).

    `display_path` is how locations name the file (relative to the project root);
    `cache` keeps its parsed YAML between builds (see `parse_yaml`); `defaults` (the
    project's [defaults] table) fills in what the spec leaves out.
    """
    shown = display_path or str(path)
    try:
        from ..text import read_text

        data = parse_yaml(read_text(str(path)), shown, cache=cache)
    except SpecError as exc:
        exc.location = exc.location and type(exc.location)(shown, exc.location.line, exc.location.column)
        report.extend(exc.diagnostics)
        return None
    if defaults:
        from .defaults import merge_defaults

        data = merge_defaults(data, defaults)
    return parse_spec(data, shown, Path(path).stem, report)
