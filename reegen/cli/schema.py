"""`reegen schema`: the JSON Schema of brief specs."""

from __future__ import annotations

import json

import click

from ._common import common_options


@click.command("schema")
@common_options(project=False)
def schema_command():
    """Print the JSON Schema of brief specs (for yaml-language-server and CI).

    Example: reegen schema > .reegen-schema.json
    """
    from ..spec.jsonschema import brief_schema

    click.echo(json.dumps(brief_schema(), indent=2, ensure_ascii=False))
