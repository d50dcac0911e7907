"""`reegen build`: render briefs to PDF, DOCX and the other formats."""

from __future__ import annotations

import os
import sys

import click

from ._common import spec_paths, split_formats


@click.command("build")
@click.argument("specs", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--all", "all_specs", is_flag=True, help="Build every spec in briefs/.")
@click.option("-f", "--formats", metavar="LIST", help="Comma-separated formats: pdf,docx,md,html,json.")
@click.option("-o", "--out-dir", type=click.Path(file_okay=False), help="Write outputs into this folder.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--force", is_flag=True, help="Rebuild even when the outputs are up to date.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Build this many briefs in parallel.")
@click.option("--watch", is_flag=True, help="Rebuild whenever an input changes (Ctrl-C to stop).")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but problems.")
def build_command(specs, all_specs, formats, out_dir, strict, force, jobs, watch, quiet):
    """Build briefs from their specs; briefs whose inputs are unchanged are skipped.

    Example: reegen build briefs/baotou-executive.yaml -f pdf,docx -o out/
    """
    from . import EXIT_CONTENT

    paths = spec_paths(specs, all_specs)
    chosen = split_formats(formats)
    if watch:
        from ..watch import watch as run_watch

        run_watch(paths, formats=chosen, out_dir=out_dir, strict=strict,
                  report=lambda outcome: _print(outcome, quiet, None))
        return
    if len(paths) == 1 and jobs == 1:
        from .. import api

        # One brief: let a ReegenError reach the group's boundary, which prints it and exits 1.
        result = api.build(paths[0], formats=chosen, out_dir=out_dir, strict=strict, force=force)
        from ..batch import Outcome

        _print(Outcome(str(paths[0]), result.skipped, [str(p) for p in result.outputs.values()],
                       list(result.warnings), []), quiet, None)
        return
    from ..batch import build_many

    progress = sys.stderr.isatty() and not quiet
    outcomes = build_many(paths, formats=chosen, out_dir=out_dir, strict=strict, force=force, jobs=jobs,
                          on_done=lambda outcome, done, total: _print(outcome, quiet, (done, total) if progress else None))
    failed = sum(1 for o in outcomes if o.errors)
    if failed:
        click.echo(f"{failed} of {len(paths)} briefs failed", err=True)
        raise click.exceptions.Exit(EXIT_CONTENT)


def _print(outcome, quiet: bool, progress: tuple[int, int] | None) -> None:
    from . import print_diagnostics

    print_diagnostics(outcome.warnings)
    print_diagnostics(outcome.errors)
    if progress:
        done, total = progress
        state = "failed" if outcome.errors else "up to date" if outcome.skipped else "built"
        click.echo(f"[{done}/{total}] {_shown(outcome.spec)}: {state}", err=True)
    if quiet or outcome.errors:
        return
    verb = "up to date" if outcome.skipped else "wrote"
    for output in outcome.outputs:
        click.echo(f"{verb} {_shown(output)}")


def _shown(path) -> str:
    """Return `path` relative to the working folder when it lies inside it."""
    rel = os.path.relpath(path)
    return str(path) if rel.startswith("..") else rel
