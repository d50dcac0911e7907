"""The stamp of the code that makes cached data: reegen's files and the versions of the packages that shape it."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
import unicodedata
from pathlib import Path

#: (import name, distribution name) of the packages whose behaviour decides what is cached:
#: YAML for front matter and specs, Markdown for bodies and renders, Jinja for renders
SHAPING = (("yaml", "PyYAML"), ("markdown_it", "markdown-it-py"), ("jinja2", "Jinja2"), ("markupsafe", "MarkupSafe"))
#: folders of the package that no cached value depends on (the writers' fonts: 8 MB to hash for nothing)
_SKIPPED = ("__pycache__", "fonts")
_PACKAGE = Path(__file__).resolve().parent.parent

_stamp: str | None = None


def stamp() -> str:
    """Return the stamp of the running reegen: a digest of its files and of `SHAPING`'s versions.

    Computed once a process (about 3 ms: the package is under 1 MB without its fonts).
    """
    global _stamp
    if _stamp is None:
        digest = hashlib.sha256()
        for path in sorted(_files(_PACKAGE)):
            digest.update(path.relative_to(_PACKAGE).as_posix().encode("utf-8", "surrogateescape") + b"\0")
            try:
                data = path.read_bytes()
            except OSError:
                data = b"?"
            digest.update(len(data).to_bytes(8, "big") + data)
        for module, distribution in SHAPING:
            digest.update(f"{distribution}={version_of(module, distribution)}\0".encode())
        digest.update(f"{sys.version}\0{unicodedata.unidata_version}".encode())
        _stamp = digest.hexdigest()[:32]
    return _stamp


def _files(folder: Path):
    for entry in os.scandir(folder):
        if entry.is_dir(follow_symlinks=False):
            if entry.name not in _SKIPPED:
                yield from _files(Path(entry.path))
        elif entry.is_file() and not entry.name.endswith(".pyc"):
            yield Path(entry.path)


def version_of(module: str, distribution: str) -> str:
    """Return the installed version of `distribution` (which provides `module`), without importing either.

    Read from the name of its `*.dist-info` (or `*.egg-info`) folder beside the module:
    importing `importlib.metadata` to ask would cost a warm build more than everything
    the cache saves it. Without such a folder (a source checkout), a digest of the
    module's file stands for its version; "absent" when it is not installed.
    """
    try:
        found = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        found = None
    if found is None or not found.origin:
        return "absent"
    origin = Path(found.origin)
    site = origin.parent.parent if origin.name == "__init__.py" else origin.parent
    prefix = distribution.lower().replace("-", "_") + "-"
    try:
        names = os.listdir(site)
    except OSError:
        names = []
    for name in names:
        # Folder names spell the distribution with "_" for "-" (PEP 427), the version after the first "-".
        if name.lower().startswith(prefix) and name.endswith((".dist-info", ".egg-info")):
            return name[len(prefix):].rsplit(".", 1)[0].split("-py")[0]
    try:
        return hashlib.sha256(origin.read_bytes()).hexdigest()[:16]
    except OSError:
        return "unreadable"
