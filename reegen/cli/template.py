"""`reegen template list` and `reegen template copy`: see where templates come from, copy a bundled one."""

from __future__ import annotations

import click

from ._common import common_options, current_project, info, is_verbose, shown


@click.group("template")
@common_options
def template_command():
    """See the templates a project can use and copy a bundled one into it.

    Lookup is file by file: templates/NAME/ in the project first, then reegen's
    bundled NAME, so a copied template can be trimmed to the files you change.

    Example: reegen template copy executive
    """


@template_command.command("list")
@common_options
def template_list_command():
    """List each template, where it comes from (project, bundled, or both) and its folder.

    With -v, each file and the folder it is read from.

    Example: reegen template list
    """
    from ..project import bundled_templates

    project = current_project()
    rows = []
    for name in project.template_names():
        own, bundled = project.templates_dir / name, bundled_templates() / name
        where = ("project over bundled" if own.is_dir() and bundled.is_dir()
                 else "project" if own.is_dir() else "bundled")
        rows.append((name, where, f"{shown(own)}/" if own.is_dir() else f"{bundled}/"))
        if is_verbose():
            for rel, folder in _files(own, bundled).items():
                rows.append(("", "", f"  {rel}  ({'project' if folder == own else 'bundled'})"))
    width = [max((len(r[i]) for r in rows), default=0) for i in range(2)]
    for name, where, path in rows:
        click.echo(f"{name:<{width[0]}}  {where:<{width[1]}}  {path}".rstrip() if name else f"{'':<{width[0]}}  {'':<{width[1]}}{path}")


def _files(own, bundled) -> dict:
    """Return each file of template folders `own` and `bundled` (relative path) and the folder it is read from."""
    found = {}
    for folder in (bundled, own):  # the project's file wins, as in the template loader
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts:
                    found[path.relative_to(folder).as_posix()] = folder
    return dict(sorted(found.items()))


@template_command.command("copy")
@click.argument("name")
@click.argument("new_name", required=False, metavar="[NEW_NAME]")
@click.option("--force", is_flag=True, help="Overwrite files the project's copy already has.")
@common_options
def template_copy_command(name, new_name, force):
    """Copy bundled template NAME into the project's templates/ (as NEW_NAME when given) to edit it.

    A spec uses the copy with `template: NAME` (or NEW_NAME). Existing files are
    not overwritten unless --force.

    Example: reegen template copy executive house
    """
    from ..scaffold import copy_template

    for path in copy_template(current_project(), name, new_name or name, force=force):
        info(f"created {shown(path)}")
