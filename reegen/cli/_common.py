"""Helpers shared by the command files."""

from __future__ import annotations

from pathlib import Path

import click


def spec_paths(specs: tuple[str, ...], all_specs: bool) -> list[Path]:
    """Return the spec files to act on: those named, plus every `briefs/*.yaml` with `all_specs`."""
    paths = [Path(s) for s in specs]
    if all_specs:
        from ..project import load_project

        project = load_project(Path.cwd())
        found = sorted(project.briefs_dir.glob("*.yaml")) + sorted(project.briefs_dir.glob("*.yml"))
        if not found:
            raise click.UsageError(f"--all found no specs in {project.briefs_dir}")
        paths += [p for p in found if p not in paths]
    if not paths:
        raise click.UsageError("name at least one brief spec, or use --all")
    return paths


def split_formats(value: str | None) -> list[str] | None:
    """Return the formats of a `-f pdf,docx` option, checked against the writer registry."""
    if value is None:
        return None
    from ..writers import REGISTRY

    formats = [f.strip().lower() for f in value.split(",") if f.strip()]
    unknown = [f for f in formats if f not in REGISTRY]
    if unknown or not formats:
        raise click.BadParameter(f"unknown format '{unknown[0] if unknown else value}' (choose from {', '.join(REGISTRY)})",
                                 param_hint="'-f' / '--formats'")
    return formats
