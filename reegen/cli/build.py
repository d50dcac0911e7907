"""`reegen build`: render briefs to PDF, DOCX and the other formats."""

from __future__ import annotations

import click

from ._common import spec_paths, split_formats


@click.command("build")
@click.argument("specs", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--all", "all_specs", is_flag=True, help="Build every spec in briefs/.")
@click.option("-f", "--formats", metavar="LIST", help="Comma-separated formats: pdf,docx,md,html,json.")
@click.option("-o", "--out-dir", type=click.Path(file_okay=False), help="Write outputs into this folder.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but problems.")
def build_command(specs, all_specs, formats, out_dir, strict, quiet):
    """Build briefs from their specs.

    Example: reegen build briefs/baotou-executive.yaml -f pdf,docx -o out/
    """
    from .. import api
    from ..errors import ReegenError
    from . import EXIT_CONTENT, print_diagnostics

    paths = spec_paths(specs, all_specs)
    chosen = split_formats(formats)
    failed = 0
    for path in paths:
        try:
            result = api.build(path, formats=chosen, out_dir=out_dir, strict=strict)
        except ReegenError as exc:
            if len(paths) == 1:
                raise
            print_diagnostics(exc.diagnostics)
            failed += 1
            continue
        print_diagnostics(result.warnings)
        if not quiet:
            for output in result.outputs.values():
                click.echo(f"wrote {_shown(output)}")
    if failed:
        click.echo(f"{failed} of {len(paths)} briefs failed", err=True)
        raise click.exceptions.Exit(EXIT_CONTENT)


def _shown(path) -> str:
    """Return `path` relative to the working folder when it lies inside it."""
    import os

    rel = os.path.relpath(path)
    return str(path) if rel.startswith("..") else rel
