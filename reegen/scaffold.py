"""Start a project (`reegen init`) or a brief spec (`reegen new`)."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from .errors import Location, ProjectError
from .project import Project

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,80}$")
#: the JSON Schema of brief specs that `init` writes into a project, for editors
SCHEMA_FILE = ".reegen-schema.json"
#: the first line of a spec `init` or `new` writes: yaml-language-server then completes and checks it
SCHEMA_LINE = f"# yaml-language-server: $schema=../{SCHEMA_FILE}\n"


def schema_json() -> bytes:
    """Return the JSON Schema of brief specs as the bytes `reegen schema` prints."""
    import json

    from .spec.jsonschema import brief_schema

    return (json.dumps(brief_schema(), indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def init_project(folder: str | Path) -> list[Path]:
    """Create a project in `folder` that builds out of the box; return the files written.

    Raises `ProjectError` when `folder` already holds a reegen project or any file it would write.
    """
    root = Path(folder)
    source = resources.files("reegen").joinpath("data/init")
    plan: dict[Path, bytes] = {}
    for rel in ("reegen.toml", "articles/example-zone-reforms.md", "briefs/example.yaml"):
        plan[root / rel] = source.joinpath(rel).read_bytes()
    plan[root / "briefs/example.yaml"] = SCHEMA_LINE.encode("utf-8") + plan[root / "briefs/example.yaml"]
    plan[root / SCHEMA_FILE] = schema_json()
    plan[root / ".gitignore"] = source.joinpath("gitignore").read_bytes()
    plan[root / "output" / ".gitkeep"] = b""
    existing = [p for p in plan if p.exists()]
    if existing:
        raise ProjectError(f"'{existing[0]}' already exists; init writes into a new or empty folder",
                           Location(str(existing[0])), code="init.exists")
    for path, data in plan.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (root / "templates").mkdir(exist_ok=True)
    return list(plan)


#: the skeleton's stand-in sentences, which `reegen validate` warns about while a spec still has them
PLACEHOLDERS = ("State your judgement here and cite what it rests on", "Write the analysis here and cite its sources")

SPEC_SKELETON = """\
# Build with:  reegen build briefs/{name}.yaml
title: {title}
# subtitle: …
# audience: Executive leadership
# classification: Internal — not for redistribution
articles:
{articles}
judgements:                    # the bottom line, printed first as Key judgements
  - State your judgement here and cite what it rests on{cite}.
sections:
  - title: Executive summary
    from: highlights
    max_items: 6
  - title: Key developments
    from: lead
    max_words: 300
  - title: What it means for us
    text: |
      Write the analysis here and cite its sources{cite}.
caveats:
  stale_after_days: 180
"""


def new_spec(project: Project, name: str) -> Path:
    """Write `briefs/NAME.yaml`, a spec skeleton over the project's articles; return its path.

    Raises `ProjectError` for a bad name or an existing spec.
    """
    if not _NAME.match(name):
        raise ProjectError(f"'{name}' is not a spec name: use lowercase letters, digits, - and _",
                           code="new.bad-name")
    path = project.briefs_dir / f"{name}.yaml"
    if path.exists():
        raise ProjectError("spec already exists", Location(project.display(path)), code="new.exists")
    ids = sorted(p.stem for p in project.articles_dir.glob("*.md"))
    articles = "\n".join(f"  - {i}" for i in ids[:5]) if ids else "  - select: {tags: []}"
    title = name.replace("-", " ").replace("_", " ").capitalize()
    path.parent.mkdir(parents=True, exist_ok=True)
    cite = f", e.g. [@{ids[0]}]" if ids else ""
    # The schema line only where the schema is: an editor would otherwise complain of a missing file.
    head = SCHEMA_LINE if (project.root / SCHEMA_FILE).is_file() else ""
    path.write_text(head + SPEC_SKELETON.format(name=name, title=title, articles=articles, cite=cite), encoding="utf-8")
    return path


def copy_template(project: Project, name: str, new_name: str, *, force: bool = False) -> list[Path]:
    """Copy bundled template `name` into the project's `templates/NEW_NAME/`; return the files written.

    Raises `ProjectError` for an unknown template, a bad new name, or files the copy would
    overwrite (unless `force`); nothing is written then.
    """
    from .errors import did_you_mean
    from .project import bundled_templates

    source = bundled_templates() / name
    if not _NAME.match(name) or not source.is_dir():
        known = sorted(p.name for p in bundled_templates().iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))
        hint = did_you_mean(name, known)
        raise ProjectError(f"no bundled template '{name}'" + (f"; {hint}" if hint else f" (bundled: {', '.join(known)})"),
                           code="template.unknown")
    if not _NAME.match(new_name):
        raise ProjectError(f"'{new_name}' is not a template name: use lowercase letters, digits, - and _",
                           code="template.bad-name")
    target = project.templates_dir / new_name
    if target.exists() and not project.contains(target):
        raise ProjectError(f"'{project.display(target)}' leads outside the project", Location(project.display(target)),
                           code="template.outside")
    plan = {target / p.relative_to(source): p.read_bytes()
            for p in sorted(source.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}
    existing = [p for p in plan if p.exists()]
    if existing and not force:
        raise ProjectError("the project has this file already; the copy would overwrite it",
                           Location(project.display(existing[0])), code="template.exists",
                           hint="pass --force to overwrite, or copy under another name: reegen template copy "
                                f"{name} NEW_NAME")
    for path, data in plan.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return list(plan)
