"""`reegen preview`: serve briefs as HTML on this machine, rebuilt whenever an input changes."""

from __future__ import annotations

from pathlib import Path

import click

from ._common import common_options, current_project, info, is_quiet, spec_paths


@click.command("preview")
@click.argument("spec", required=False, type=click.Path(dir_okay=False))
@click.option("-p", "--port", type=click.IntRange(min=0, max=65535), default=None,
              help="Listen on this port (0: any free one). Default: 8765, or a free port when that one is taken.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the default web browser.")
@common_options
def preview_command(spec, port, strict, open_browser):
    """Serve the project's briefs (or SPEC) on 127.0.0.1, rebuilt and reloaded as inputs change.

    The page of a brief is its HTML; a link on it builds the PDF. Only this machine can
    connect. Ctrl-C stops the server.

    Example: reegen preview briefs/baotou-executive.yaml
    """
    from ..errors import ProjectError, Location
    from ..preview import Preview, make_server, serve
    from ..project import load_project
    from ..watch import stamp

    if spec is not None:
        spec = str(spec_paths((spec,))[0])  # a file, or a name in briefs/
        if not Path(spec).is_file():
            raise ProjectError("brief spec not found", Location(spec), code="spec.not-found")
    project = load_project(spec) if spec is not None else current_project()
    if spec is None and not project.briefs_dir.is_dir():
        raise ProjectError(f"no briefs/ folder in {project.root}", Location(str(project.root)),
                           code="project.no-briefs",
                           hint="run it inside a project (reegen init DIR makes one) or name a spec")
    preview = Preview(project, spec=Path(spec) if spec else None, strict=strict,
                      echo=lambda line: click.echo(line, err=True), quiet=is_quiet())
    try:
        server = make_server(preview, port)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on port {port}: {exc.strerror or exc}") from None
    url = server.url + (f"briefs/{Path(spec).stem}.html" if spec else "")
    info(f"[{stamp()}] serving {url} (this machine only); watching {project.root} "
         "for changes to articles/, briefs/, templates/ and reegen.toml; Ctrl-C to stop", err=True)
    click.echo(url)
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    serve(preview, server)
