"""`reegen init` and `reegen new`: start a project, start a brief spec."""

from __future__ import annotations

import click

from ._common import common_options, current_project, info, shown


@click.command("init")
@click.argument("folder", type=click.Path(file_okay=False))
@common_options(project=False)
def init_command(folder):
    """Create a project in FOLDER that builds out of the box.

    It holds reegen.toml, an example article and spec, and .reegen-schema.json, the
    JSON Schema its specs name on their first line for editors (yaml-language-server).

    Example: reegen init my-briefs && cd my-briefs && reegen build
    """
    from ..scaffold import init_project

    for path in init_project(folder):
        info(f"created {shown(path)}")


@click.command("new")
@click.argument("name")
@common_options
def new_command(name):
    """Add a brief spec skeleton, briefs/NAME.yaml, to the project.

    Example: reegen new weekly-magnets
    """
    from ..scaffold import new_spec

    path = new_spec(current_project(), name)
    info(f"created {shown(path)}")
