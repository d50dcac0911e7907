"""Outputs of formats a brief no longer asks for: removed with their manifest entry, unless edited since.

A build of `-f pdf` after one of `-f pdf,docx` would otherwise leave the older `.docx`
beside the new PDF, no longer listed in the manifest and easily taken for current. The
previous manifest says which files that build wrote and their SHA-256: each one this
build does not write again is removed when its bytes are still those the manifest
records (reegen's own output, untouched). A file changed since (someone edited the
DOCX) is kept, and a warning names it as stale, so nothing a person wrote is lost.
"""

from __future__ import annotations

import json
from pathlib import Path

from .errors import Diagnostic, Location
from .output import sha256


def previous_outputs(manifest_path: Path, root: Path) -> dict[Path, str]:
    """Return the outputs the manifest at `manifest_path` lists (path -> SHA-256); empty when it is unreadable.

    Only files in the manifest's own folder count: a damaged or foreign manifest can
    never point the clean-up anywhere else.
    """
    try:
        data = json.loads(manifest_path.read_text(encoding="utf-8"))
        entries = data["outputs"]
        found = {}
        for entry in entries:
            path = (root / entry["path"]).absolute()
            if path.parent == manifest_path.parent.absolute() and isinstance(entry["sha256"], str):
                found[path] = entry["sha256"]
        return found
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def remove_stale(previous: dict[Path, str], written: set[Path], display) -> list[Diagnostic]:
    """Remove each of `previous` (path -> SHA-256) that this build did not write and nobody changed.

    Returns a warning for each one kept because its bytes differ from the old manifest's
    record; `display` turns a path into its project-relative form for messages.
    """
    warnings = []
    written = {p.absolute() for p in written}
    for path, digest in previous.items():
        if path in written or path.is_symlink() or not path.is_file():
            continue
        try:
            unchanged = sha256(path.read_bytes()) == digest
            if unchanged:
                path.unlink()
                continue
        except OSError:
            pass
        warnings.append(Diagnostic(
            "warning", f"stale output from an earlier build, changed since, so kept: its format is no longer "
            "built and the manifest no longer lists it", "output.stale", Location(display(path)),
            "delete it if you no longer need it"))
    return warnings
