"""`reegen init` and `reegen new`: start a project, start a brief spec."""

from __future__ import annotations

import click


@click.command("init")
@click.argument("folder", type=click.Path(file_okay=False))
def init_command(folder):
    """Create a project in FOLDER that builds out of the box.

    Example: reegen init my-briefs && cd my-briefs && reegen build briefs/example.yaml
    """
    from ..scaffold import init_project

    for path in init_project(folder):
        click.echo(f"created {path}")


@click.command("new")
@click.argument("name")
@click.option("--project", "project_dir", type=click.Path(file_okay=False, exists=True), default=".",
              show_default=True, help="The project folder.")
def new_command(name, project_dir):
    """Add a brief spec skeleton, briefs/NAME.yaml.

    Example: reegen new weekly-magnets
    """
    from ..project import load_project
    from ..scaffold import new_spec

    path = new_spec(load_project(project_dir), name)
    click.echo(f"created {path}")
