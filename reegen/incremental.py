"""Decide whether a brief's outputs are up to date with its inputs, from its manifest.

A build records a fingerprint of everything that decides its bytes besides the input
files it read (reegen's version, the options, reegen.toml and brand files, the
template files on offer, the date when the spec leaves it to today, and, when the spec
selects by query, where the corpus index's change counter stood). The outputs are up
to date when that fingerprint is the same, every input file it read still has the
recorded SHA-256, every output is still there, unchanged, and no article changed since
that build matches one of the spec's queries.

So the check costs what the brief uses, not what the corpus holds: an article the brief
used is an input (a changed one, or one that no longer matches, fails its SHA-256); an
article that may have come to match is one the index saw change (`CorpusIndex.changed_since`),
and only those rows are read. Article hashes come from the index's stored file facts
(size, time, and a SHA-256 taken once per change), not from reading every file.
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


class Fingerprint(dict):
    """What decides a brief's outputs besides its input files (the manifest stores the mapping).

    `index` is the corpus index `fingerprint` brought up to date for a `select:` spec,
    open for `is_up_to_date`, and `spec` the spec whose queries it answers. `listed` is
    the listing of the articles folder that index answered from (`refresh`), for the
    build's `load_corpus`: listing 100,000 files twice in one build cost 0.35 s more.
    """

    index = None
    spec = None
    listed = None


def fingerprint(project: Project, spec: BriefSpec, formats: tuple[str, ...], strict: bool) -> Fingerprint:
    """Return what, besides the input files, decides this brief's outputs."""
    config_file = project.root / "reegen.toml"
    extra_files = [config_file]
    for rel in (project.brand.get("logo"), project.brand.get("font"), project.config.get("reference_docx")):
        if rel:
            extra_files.append(project.root / rel)
    templates = project.template_files(spec.template)
    result = Fingerprint({
        "reegen": __version__,
        "formats": list(formats),
        "strict": strict,
        "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH"),
        "files": {project.display(p): _hash_file(p) for p in extra_files},
        "templates": templates,
    })
    if spec.date is None:
        result["date"] = today().isoformat()
    if any(ref.select is not None for ref in spec.articles):
        # A query may pick up any article: the index says which changed since this position.
        from .corpus.index import refresh

        index = refresh(project.root, project.articles_dir)
        if index is None:  # no usable index: any change to the corpus counts
            result["corpus"] = "sha256:" + _corpus_digest(project.articles_dir)
        else:
            result["corpus"] = index.position
            result.index, result.spec, result.listed = index, spec, index.listed
    return result


def is_up_to_date(manifest_path: Path, current: dict, project: Project) -> bool:
    """Return whether the manifest at `manifest_path` shows outputs built from exactly these inputs."""
    index = getattr(current, "index", None)
    try:
        return _is_up_to_date(manifest_path, current, project, index)
    finally:
        if index is not None:
            index.close()


def _is_up_to_date(manifest_path: Path, current: dict, project: Project, index) -> bool:
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    recorded = manifest.get("fingerprint")
    if not isinstance(recorded, dict):
        return False
    if index is None:
        if recorded != current:
            return False
    elif {k: v for k, v in recorded.items() if k != "corpus"} != {k: v for k, v in current.items() if k != "corpus"}:
        return False
    for entry in manifest.get("inputs", []):
        if _input_hash(project, entry["path"], index) != entry.get("sha256"):
            return False
    outputs = manifest.get("outputs", [])
    if len(outputs) != len(current["formats"]):
        return False
    for entry in outputs:
        path = Path(entry["path"])
        if _hash_file(path if path.is_absolute() else project.root / path) != entry.get("sha256"):
            return False
    return index is None or not _may_match(index, str(recorded.get("corpus", "")), current.spec)


def _input_hash(project: Project, shown: str, index) -> str | None:
    """Return the SHA-256 of input `shown`: the index's, when it has the file as it is now."""
    path = project.root / shown
    if index is not None and index.row(shown) is not None:
        try:
            stored = index.sha256(shown, os.stat(path))
        except OSError:
            return None
        if stored is not None:
            return stored
    return _hash_file(path)


def _may_match(index, position: str, spec: BriefSpec) -> bool:
    """Return whether an article that changed after `position` passes one of `spec`'s queries.

    Articles that matched at that build are its inputs, checked by hash; so only the
    ones that may have come to match are looked at here.
    """
    from .select import matcher

    changed = index.changed_since(position)
    if changed is None:
        return True
    tests = [matcher(ref.select) for ref in spec.articles if ref.select is not None]
    return any(test(article) for article in changed for test in tests)


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
