"""Write a build's files all at once, or not at all; pin timestamps for reproducible builds."""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

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

    Each file is written to a temporary file `.NAME.xxxxxxxx.tmp` in its own folder,
    fsynced and held under an advisory lock while its writer lives. Only when all are
    written are they renamed over their targets, under the folder's lock and, when they
    share a folder, after a journal naming every rename is on disk: a process killed
    between two renames leaves the journal, and the next build there (`recover`)
    completes the renames. On failure the temporary files are removed and earlier
    outputs stay as they were. (`Staging` does the same for files made one at a time.)
    """
    with Staging() as staging:
        for path, data in files.items():
            staging.add(path, data)
        staging.commit()


class Staging:
    """A build's files, each staged on disk as soon as it is made, then put in place together.

    `add` writes one file's bytes to its staging file (as `commit` does) and returns,
    so that the caller can drop the bytes before making the next file: a 1,000-page
    brief's PDF is not held in memory while its DOCX is rendered. `commit` renames them
    all over their targets as `commit` does (the last file added names the journal);
    leaving the `with` block without it, or failing, removes the staging files and
    leaves earlier outputs as they were. Raises `ProjectError` naming the file when a
    file cannot be written.
    """

    def __init__(self):
        #: (staging file, target) in the order added
        self._staged: list[tuple[str, Path]] = []
        self._held: list[int] = []
        self._done = False
        #: the folders and lock files this build made, removed again if it fails (newest first)
        self._made: list[Path] = []

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc) -> None:
        if not self._done:
            self._discard()
        self._release()

    def add(self, path: Path, data: bytes | Iterable[bytes]) -> None:
        """Write `data` (bytes, or pieces of them in order) to a staging file for `path`.

        The file is synced and locked while this process lives.
        """
        try:
            fd, tmp = self._open(path)
            if isinstance(data, (bytes, bytearray, memoryview)):
                _fill(fd, tmp, data)
            else:
                for piece in data:
                    _write_all(fd, piece)
                _fill(fd, tmp, b"")
        except OSError as exc:
            self._fail(exc, path)

    def add_written(self, path: Path, write: Callable[[BinaryIO], object]) -> tuple[str, int]:
        """Stage `path` with what `write(file)` writes into its staging file; return its SHA-256 and size.

        For a writer that can write its file itself (the PDF's), so that its bytes are never
        held whole in memory beside the writer's own work. `write` may rewind the file and
        truncate it to start again. The file is synced and locked while this process lives.
        """
        try:
            fd, tmp = self._open(path)
            with os.fdopen(fd, "w+b", closefd=False) as file:
                write(file)
                file.flush()
                file.seek(0)
                digest = hashlib.sha256()
                size = 0
                while piece := file.read(1 << 20):
                    digest.update(piece)
                    size += len(piece)
            _fill(fd, tmp, b"")
        except OSError as exc:
            self._fail(exc, path)
        return digest.hexdigest(), size

    def _open(self, path: Path) -> tuple[int, str]:
        """Make `path`'s folder if needed, and return the open descriptor and name of its new staging file."""
        folder = path.parent
        missing, up = [], folder
        while not up.is_dir():
            missing.append(up)
            up = up.parent
        folder.mkdir(parents=True, exist_ok=True)
        self._made += reversed(missing)
        if not (folder / _LOCK_NAME).exists():
            self._made.append(folder / _LOCK_NAME)
        with _lock(path.parent, shared=True):  # `recover` never sees a staged file before its lock is taken
            fd, tmp = _staging_file(path)
            self._held.append(fd)
            _try_flock(fd, blocking=True)
        self._staged.append((tmp, path))
        return fd, tmp

    def commit(self) -> None:
        """Rename every staged file over its target: all are in place, or (on failure) none changed."""
        staged = self._staged
        if not staged:
            self._done = True
            return
        folders = {path.parent for _, path in staged}
        journal = _journal_path(staged[-1][1]) if len(folders) == 1 else None
        try:
            # Two builds of one brief may finish together: the lock makes each set of files land whole,
            # so the manifest always describes the outputs beside it.
            with _lock(staged[0][1].parent):
                if journal is not None:
                    _write_journal(journal, staged)
                for tmp, path in staged:
                    os.replace(tmp, path)
                if journal is not None:
                    _fsync_dir(journal.parent)
                    journal.unlink()
        except OSError as exc:
            self._fail(exc, staged[-1][1])
        self._done = True
        self._release()
        for folder in folders:
            _fsync_dir(folder)

    def _fail(self, exc: OSError, path: Path):
        self._discard()
        self._release()
        target = exc.filename or path
        raise ProjectError(f"cannot write output: {exc.strerror or exc}", Location(str(target)),
                           code="output.write-failed") from None

    def _discard(self) -> None:
        for tmp, _ in self._staged:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
        self._staged = []
        # A failed build leaves the output folder as it found it: no new folder or lock file either
        # (a folder another build has written into since is not empty, and stays).
        for made in reversed(self._made):
            if made.name == _LOCK_NAME:
                _remove_lock(made)
                continue
            try:
                made.rmdir()
            except OSError:
                pass
        self._made = []

    def _release(self) -> None:
        held, self._held = self._held, []
        for fd in held:
            os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace the file at `path` with `data` in one step: a reader sees the old file or the new one, whole.

    The bytes go to a staging file `.NAME.xxxxxxxx.tmp` beside `path`, synced to disk, then
    renamed over it and the folder synced, so that a crash leaves the old file or the new
    one. The same staging as `commit`, for a file written on its own (an ingested article);
    raises `OSError`, with the staging file removed.
    """
    fd, tmp = _staging_file(path)
    try:
        _fill(fd, tmp, data)
        os.close(fd)
        fd = None
        os.replace(tmp, path)
    except BaseException:
        if fd is not None:
            os.close(fd)
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _staging_file(path: Path) -> tuple[int, str]:
    """Return an open descriptor and the name of a new staging file for `path`, in `path`'s folder."""
    return tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)


def _fill(fd: int, tmp: str, data: bytes) -> None:
    """Write `data` to the staging file `tmp` (open as `fd`), sync it, and give it an output's permissions."""
    _write_all(fd, data)
    os.fsync(fd)
    os.chmod(tmp, 0o644)  # mkstemp makes 0600; outputs are read by others


def recover(folder: Path, names: list[str]) -> None:
    """Finish what a killed build left in `folder`: complete a journaled commit, remove stale staging files.

    A journal is written only once every staged file is complete and synced, so its
    renames are completed (rolled forward). A staging file `.NAME.xxxxxxxx.tmp` of an
    output in `names` whose writer is gone (its lock is free) is removed; one whose
    writer still runs is left alone. Needs flock (POSIX); elsewhere nothing is done.
    """
    try:
        entries = _hidden_entries(folder)
    except OSError:
        return
    wanted = tuple(f".{name}." for name in names)
    if not any(e.endswith(_JOURNAL_SUFFIX) or (e.startswith(wanted) and e.endswith(".tmp")) for e in entries):
        return
    try:
        import fcntl  # noqa: F401
    except ImportError:  # pragma: no cover - Windows
        return
    with _lock(folder):
        for entry in sorted(os.listdir(folder)):
            if entry.endswith(_JOURNAL_SUFFIX):
                _replay(folder / entry)
        for entry in os.listdir(folder):
            if entry.startswith(wanted) and entry.endswith(".tmp"):
                _remove_if_stale(folder / entry)
    _fsync_dir(folder)


_JOURNAL_SUFFIX = ".commit"
#: the advisory lock file of an output folder
_LOCK_NAME = ".reegen.lock"

#: folder -> (its inode and modification time when listed, the names in it starting with a dot)
_LISTINGS: dict[str, tuple[tuple[int, int], tuple[str, ...]]] = {}
#: a listing is kept only when the folder had not changed for this long before it was taken (see `_hidden_entries`)
_SETTLED_NS = 2_000_000_000


def _hidden_entries(folder: Path) -> tuple[str, ...]:
    """Return the names in `folder` that start with a dot: journals and staging files are among them.

    `build --all` recovers one folder once per brief; listing a folder of a thousand
    outputs each time made a no-op batch quadratic in its briefs. A listing is reused
    while the folder's inode and modification time are those it was taken at, and only
    kept when that time was at least two seconds before the listing began: a name added
    in the same clock tick as the recorded time (file-system clocks are coarse) would
    otherwise go unseen. Raises `OSError` when `folder` cannot be read.
    """
    key = os.fspath(folder)
    info = os.stat(key)
    stamp = (info.st_ino, info.st_mtime_ns)
    known = _LISTINGS.get(key)
    if known is not None and known[0] == stamp:
        return known[1]
    began = time.time_ns()
    hidden = tuple(e for e in os.listdir(key) if e.startswith("."))
    if info.st_mtime_ns < began - _SETTLED_NS:
        _LISTINGS[key] = (stamp, hidden)
    else:
        _LISTINGS.pop(key, None)
    return hidden


def _journal_path(last: Path) -> Path:
    return last.with_name(f".{last.name}{_JOURNAL_SUFFIX}")


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _write_journal(journal: Path, staged: list[tuple[str, Path]]) -> None:
    """Write the list of renames to `journal` and sync it (and its folder) before any rename."""
    body = json.dumps([[os.path.basename(tmp), path.name] for tmp, path in staged]).encode("utf-8")
    fd = os.open(journal, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        _write_all(fd, body)
        os.fsync(fd)
    finally:
        os.close(fd)
    _fsync_dir(journal.parent)


def _replay(journal: Path) -> None:
    """Complete the renames `journal` lists (each a staging file beside its target), then remove it."""
    try:
        pairs = json.loads(journal.read_text(encoding="utf-8"))
        pairs = [(str(tmp), str(target)) for tmp, target in pairs]
    except (OSError, ValueError, TypeError):
        pairs = []  # cut short while being written: no rename had begun, the staging files are stale
    for tmp, target in pairs:
        plain = all(os.sep not in n and "/" not in n and n not in (".", "..") for n in (tmp, target))
        if plain and tmp.startswith(f".{target}.") and tmp.endswith(".tmp") and (journal.parent / tmp).is_file():
            os.replace(journal.parent / tmp, journal.parent / target)
    try:
        journal.unlink()
    except FileNotFoundError:
        pass


def _remove_if_stale(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return
    try:
        if _try_flock(fd, blocking=False):
            os.unlink(path)
    except OSError:
        pass
    finally:
        os.close(fd)


def _try_flock(fd: int, *, blocking: bool) -> bool:
    """Take an exclusive flock on `fd`; return False when another holds it (or True where flock is missing)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    return True


@contextlib.contextmanager
def _lock(folder: Path, *, shared: bool = False):
    """Hold an advisory lock (exclusive, or `shared`) on `folder`'s `.reegen.lock` (where the platform has flock)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: os.replace is still atomic per file
        yield
        return
    path = folder / _LOCK_NAME
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
        except BaseException:
            os.close(fd)
            raise
        # A failed build removes a lock file it made (see `_remove_lock`): a lock taken on the
        # file it removed guards nothing, so it is taken again on the file now at that path.
        if _same_file(fd, path):
            break
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _same_file(fd: int, path: Path) -> bool:
    try:
        here, there = os.fstat(fd), os.stat(path)
    except FileNotFoundError:
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


def _remove_lock(path: Path) -> None:
    """Remove lock file `path` unless another build holds it or waits for it (then it stays)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no lock file is made
        return
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        if _same_file(fd, path):
            os.unlink(path)  # under the lock: whoever opened it before waits, then sees it gone
    except OSError:
        pass  # another build holds it: it stays
    finally:
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
    return b"".join(manifest_pieces(manifest))


def manifest_pieces(manifest: dict, size: int = 1 << 16) -> Iterator[bytes]:
    """Yield the bytes of `render_manifest(manifest)` in pieces of about `size` characters.

    The standard library's indented JSON is made by its Python encoder, one short string
    per token; joined all at once, a 1,000-page brief's 8 MB manifest took a million of
    them and 20 MB more at the build's peak. Written piece by piece, it takes one piece.
    """
    batch: list[str] = []
    length = 0
    encoder = json.JSONEncoder(indent=2, ensure_ascii=False, sort_keys=False)
    for chunk in encoder.iterencode(manifest):
        batch.append(chunk)
        length += len(chunk)
        if length >= size:
            yield "".join(batch).encode("utf-8")
            batch, length = [], 0
    batch.append("\n")
    yield "".join(batch).encode("utf-8")
