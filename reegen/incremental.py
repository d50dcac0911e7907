"""Decide whether a brief's outputs are up to date with its inputs, from its manifest.

A build records a fingerprint of everything that decides its bytes besides the input
files it read (reegen's version, the options, reegen.toml and brand files, the
template files on offer, the corpus listing when the spec selects by query, the date
when the spec leaves it to today). The outputs are up to date when that fingerprint
is the same, every input file it read still has the recorded SHA-256, and every
output is still there, unchanged.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from . import __version__
from .output import sha256, source_date, today
from .project import Project
from .spec import BriefSpec


def fingerprint(project: Project, spec: BriefSpec, formats: tuple[str, ...], strict: bool) -> dict:
    """Return what, besides the input files, decides this brief's outputs."""
    config_file = project.root / "reegen.toml"
    extra_files = [config_file]
    for rel in (project.brand.get("logo"), project.brand.get("font"), project.config.get("reference_docx")):
        if rel:
            extra_files.append(project.root / rel)
    templates = []
    for folder in project.template_dirs(spec.template):
        templates += sorted(project.display(p) for p in folder.rglob("*") if p.is_file())
    result = {
        "reegen": __version__,
        "formats": list(formats),
        "strict": strict,
        "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH"),
        "files": {project.display(p): _hash_file(p) for p in extra_files},
        "templates": templates,
    }
    if spec.date is None:
        result["date"] = today().isoformat()
    if any(ref.select is not None for ref in spec.articles):
        # A query may pick up any article, so any change to the corpus counts.
        result["corpus"] = _corpus_digest(project.articles_dir)
    return result


def is_up_to_date(manifest_path: Path, current: dict, project: Project) -> bool:
    """Return whether the manifest at `manifest_path` shows outputs built from exactly these inputs."""
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if manifest.get("fingerprint") != current:
        return False
    for entry in manifest.get("inputs", []):
        if _hash_file(project.root / entry["path"]) != entry.get("sha256"):
            return False
    outputs = manifest.get("outputs", [])
    if len(outputs) != len(current["formats"]):
        return False
    for entry in outputs:
        path = Path(entry["path"])
        if _hash_file(path if path.is_absolute() else project.root / path) != entry.get("sha256"):
            return False
    return True


def _hash_file(path: Path) -> str | None:
    try:
        return sha256(Path(path).read_bytes())
    except OSError:
        return None


def _corpus_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.md")):
        digest.update(path.name.encode("utf-8", "surrogateescape") + b"\0")
        digest.update((_hash_file(path) or "-").encode() + b"\n")
    return digest.hexdigest()


__all__ = ["fingerprint", "is_up_to_date", "source_date"]
