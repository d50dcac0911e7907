"""Tests of spec loading and validation."""

from reegen.spec.load import YamlList, YamlMap


def yaml_lines(data):
    """Return loaded YAML with every line number the loader recorded, for comparing two loads."""
    if isinstance(data, YamlMap):
        return ("map", data.line, dict(data.key_lines), {k: yaml_lines(v) for k, v in data.items()})
    if isinstance(data, YamlList):
        return ("list", data.line, list(data.item_lines), [yaml_lines(v) for v in data])
    return data
