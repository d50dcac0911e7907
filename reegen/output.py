"""Write a build's files all at once, or not at all; pin timestamps for reproducible builds."""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import json
import os
import tempfile
from pathlib import Path

from .errors import Location, ProjectError


def source_date() -> _dt.datetime | None:
    """Return the instant SOURCE_DATE_EPOCH names (UTC), or None when it is unset.

    Raises `ProjectError` when it is set to something other than a whole number of seconds.
    """
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if raw is None or raw.strip() == "":
        return None
    try:
        return _dt.datetime.fromtimestamp(int(raw.strip()), tz=_dt.timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise ProjectError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not '{raw}'",
                           code="env.source-date-epoch") from None


def today() -> _dt.date:
    """Return the build's date: SOURCE_DATE_EPOCH's day when set, else the local date."""
    pinned = source_date()
    return pinned.date() if pinned else _dt.date.today()


def sha256(data: bytes) -> str:
    """Return the hex SHA-256 of `data`."""
    return hashlib.sha256(data).hexdigest()


def check_output_path(path: Path, inputs: set[Path]) -> None:
    """Refuse to write `path` when it is a symlink, a folder, or one of the build's `inputs`.

    Raises `ProjectError` naming the path.
    """
    if path.is_symlink():
        raise ProjectError("output path is a symbolic link; refusing to write through it", Location(str(path)),
                           code="output.symlink")
    if path.is_dir():
        raise ProjectError("output path is a folder", Location(str(path)), code="output.is-folder")
    resolved = path.resolve()
    if resolved in inputs:
        raise ProjectError("output path is one of the build's inputs; refusing to overwrite it", Location(str(path)),
                           code="output.is-input")


def commit(files: dict[Path, bytes]) -> None:
    """Write every file in `files` atomically: all are in place, or none changed.

    Each file is written to a temporary file in its own folder and fsynced; only when all
    are written are they renamed over their targets. On failure the temporary files
    are removed and earlier outputs stay as they were.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            staged.append((tmp, path))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o644)
        # Two builds of one brief may finish together: the lock makes each set of files land whole,
        # so the manifest always describes the outputs beside it.
        with _lock(next(iter(files)).parent):
            for tmp, path in staged:
                os.replace(tmp, path)
    except OSError as exc:
        for tmp, _ in staged:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
        target = exc.filename or (staged[-1][1] if staged else "output")
        raise ProjectError(f"cannot write output: {exc.strerror or exc}", Location(str(target)),
                           code="output.write-failed") from None
    for folder in {path.parent for path in files}:
        _fsync_dir(folder)


@contextlib.contextmanager
def _lock(folder: Path):
    """Hold an exclusive advisory lock on `folder`'s `.reegen.lock` (where the platform has flock)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: os.replace is still atomic per file
        yield
        return
    fd = os.open(folder / ".reegen.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # not every file system lets a folder be synced; the renames are done all the same
    finally:
        os.close(fd)


def render_manifest(manifest: dict) -> bytes:
    """Return the manifest as stable, human-readable JSON bytes."""
    return (json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8")
