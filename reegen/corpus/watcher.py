"""A trusted watcher of the articles folder, so a warm build need not list 100,000 files.

Every load of a corpus must know that the folder is as the index last saw it, and at
100,000 articles listing it (a `stat` of every file) is most of a warm build. `reegen
index --watch` runs a `CorpusWatcher`: watchdog (inotify) tells it of every change in the
folder, and it answers builds over a Unix socket in `.reegen-cache/watch/` the one
question "has any `*.md` file in the folder changed since token T?", as git's fsmonitor
asks watchman.

What makes an answer trustworthy:

* A token names the watcher instance (made anew at start and whenever events may have
  been lost: an inotify queue overflow, the watched folder removed or moved) and the
  count of changes it has seen. A token of another instance is "unknown", never
  "unchanged".
* Before answering, the watcher writes a cookie file into the folder and waits until its
  event comes back through the same queue as every other event (watchman's cookie
  protocol): every change made before the question was asked has been counted by then.
  A cookie that does not come back in time gives "unknown".
* The build takes the token *before* it lists the folder and keeps it with that listing
  (`CorpusIndex.listed_now`): a change made while it lists moves the count past the
  token, so the next build lists again.
* No socket, one owned by another user, a refused, slow or garbled answer: the build
  lists the folder as it would without a watcher (`ask` returns None).

Only Linux's inotify observer is trusted, and not on network or FUSE file systems,
whose changes made elsewhere inotify never sees (`why_not_watchable`).
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import stat
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ..cache import CACHE_DIR

#: the folder under the project root that holds the socket (owner-only: see `CorpusWatcher.start`)
SOCKET_DIR = Path(CACHE_DIR) / "watch"
#: the socket's name in it
SOCKET_NAME = "sock"
#: seconds a build waits for an answer before it lists the folder itself
ASK_TIMEOUT = 1.0
#: seconds the watcher waits for its cookie to come back before it answers "unknown"
COOKIE_TIMEOUT = 0.8
#: cookie files' names start so (no `.md`: a listing never counts them)
COOKIE_PREFIX = ".reegen-cookie-"
#: file systems whose changes made on another machine (or the host of a VM) inotify does not report
_REMOTE = {"nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "afs", "9p", "ceph", "glusterfs", "lustre", "gpfs",
           "davfs", "virtiofs", "vboxsf", "vmhgfs", "sshfs", "fuse", "fuseblk", "beegfs", "orangefs", "ocfs2", "gfs2"}
#: an answer longer than this is not one of ours
_MAX_ANSWER = 4096


@dataclass(frozen=True, slots=True)
class Answer:
    """What a watcher said about the folder."""

    #: the watcher's token now (after its cookie came back): keep it with a listing taken after this answer
    token: str | None
    #: True: nothing changed since the token asked about; False: something did; None: the watcher cannot say
    unchanged: bool | None


def socket_path(root: Path) -> Path:
    """Return where the watcher of the project at `root` listens."""
    return Path(root) / SOCKET_DIR / SOCKET_NAME


def ask(root: Path, folder: Path, since: str | None) -> Answer | None:
    """Return what the watcher of `root`'s `folder` says of the changes since token `since`; None when none answers.

    Costs one `lstat` when no watcher runs. Never raises: any failure is None, and the
    caller lists the folder.
    """
    path = socket_path(root)
    try:
        found = os.lstat(path)
    except OSError:
        return None
    try:
        if not stat.S_ISSOCK(found.st_mode) or found.st_uid != os.getuid():
            return None  # not a socket, or another user's: not trusted
        deadline = time.monotonic() + ASK_TIMEOUT  # for the whole exchange, however the answer trickles in
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn, _address(path) as address:
            conn.settimeout(ASK_TIMEOUT)
            conn.connect(address)
            request = {"since": since, "folder": os.path.realpath(folder)}
            conn.sendall(json.dumps(request).encode("utf-8") + b"\n")
            data = b""
            while not data.endswith(b"\n"):
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                conn.settimeout(left)
                chunk = conn.recv(_MAX_ANSWER)
                if not chunk or len(data) + len(chunk) > _MAX_ANSWER:
                    return None
                data += chunk
        reply = json.loads(data)
        if reply.get("folder") != request["folder"]:
            return None  # it watches another folder
        token, unchanged = reply.get("token"), reply.get("unchanged")
        if not (token is None or isinstance(token, str)) or not any(unchanged is v for v in (True, False, None)):
            return None
        if token is None:
            unchanged = None
        return Answer(token, unchanged)
    except (OSError, ValueError, UnicodeError, AttributeError, TypeError, RecursionError):
        return None


class _address:
    """The address to bind or connect to for a socket at `path`: the path, or, when it is longer than a
    socket address can hold (108 bytes), a short path through an open descriptor of its folder."""

    def __init__(self, path: Path):
        self.path = os.fspath(path)
        self.fd: int | None = None

    def __enter__(self) -> str:
        if len(os.fsencode(self.path)) < 100:
            return self.path
        self.fd = os.open(os.path.dirname(self.path), os.O_RDONLY | os.O_DIRECTORY)
        return f"/proc/self/fd/{self.fd}/{os.path.basename(self.path)}"

    def __exit__(self, *exc) -> None:
        if self.fd is not None:
            os.close(self.fd)


def why_not_watchable(folder: Path) -> str | None:
    """Return why changes in `folder` cannot be trusted to reach a watcher on this machine, or None when they can."""
    if not sys.platform.startswith("linux"):
        return "reegen trusts only Linux's inotify to report every change"
    try:
        from watchdog.events import EventsLostEvent  # noqa: F401  (a queue overflow must be reported)
        from watchdog.observers import Observer
        from watchdog.observers.inotify import InotifyObserver
    except ImportError:
        return "the installed watchdog cannot report lost events (EventsLostEvent, watchdog 7.1 or later)"
    if Observer is not InotifyObserver:
        return "watchdog does not use inotify here"
    kind = file_system(folder)
    if kind is None:
        return "its file system could not be found in /proc/self/mountinfo"
    if kind in _REMOTE or kind.startswith("fuse."):
        return (f"it is on a {kind} file system: changes made on another machine, or through another mount, "
                "reach no inotify watch")
    return None


def file_system(folder: Path) -> str | None:
    """Return the type of the file system holding `folder` (from /proc/self/mountinfo), or None."""
    real = os.path.realpath(folder)
    best, kind = -1, None
    try:
        with open("/proc/self/mountinfo", encoding="utf-8", errors="surrogateescape") as lines:
            for line in lines:
                left, _, right = line.partition(" - ")
                fields = left.split()
                if len(fields) < 5 or not right:
                    continue
                point = _unescape(fields[4])
                if (real == point or real.startswith(point.rstrip("/") + "/")) and len(point) >= best:
                    best, kind = len(point), right.split()[0]
    except OSError:
        return None
    return kind


def _unescape(text: str) -> str:
    # mountinfo writes space, tab, newline and backslash as octal escapes
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        text = text.replace(code, char)
    return text


class WatcherError(Exception):
    """A watcher cannot start (the message says why)."""


class WatcherRunning(WatcherError):
    """Another watcher already answers for the project."""


class CorpusWatcher:
    """Watches `folder` (the articles folder of the project at `root`) and answers `ask` on its socket."""

    def __init__(self, root: Path, folder: Path):
        self.root = Path(root).resolve()
        self.folder = os.path.realpath(folder)
        self.socket = socket_path(self.root)
        #: the instance's name (made anew when events may have been lost) and the changes counted under it
        self.instance = secrets.token_hex(8)
        self.count = 0
        #: why the last instance was dropped (shown by `reegen index --watch`), or None; and how many were
        self.lost: str | None = None
        self.losses = 0
        self._cond = threading.Condition()
        self._cookies: set[str] = set()
        self._cookie_number = 0
        self._identity: tuple[int, int] | None = None
        self._observer = None
        self._server = None
        self._thread: threading.Thread | None = None
        self._bound: tuple[int, int] | None = None

    @property
    def token(self) -> str:
        """Return the instance and its count of changes: what a build keeps with a listing taken after it."""
        return f"{self.instance}:{self.count}"

    def start(self) -> None:
        """Start watching and listening; `WatcherError` when the folder cannot be trusted or a watcher runs."""
        reason = why_not_watchable(Path(self.folder))
        if reason is not None:
            raise WatcherError(f"cannot watch {self.folder}: {reason}")
        found = ask(self.root, Path(self.folder), None)
        if found is not None:
            raise WatcherRunning(f"a watcher already answers on {self.socket}")
        from watchdog.observers import Observer

        folder_stat = os.stat(self.folder)
        self._identity = (folder_stat.st_dev, folder_stat.st_ino)
        self._make_socket_dir()
        observer = Observer()
        observer.schedule(_handler(self), self.folder, recursive=False, event_filter=_changes())
        observer.start()
        self._observer = observer
        try:
            self._listen()
        except BaseException:
            self.stop()
            raise

    def _make_socket_dir(self) -> None:
        folder = self.socket.parent
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        found = os.lstat(folder)
        if not stat.S_ISDIR(found.st_mode) or found.st_uid != os.getuid():
            raise WatcherError(f"{folder} is not a folder of this user's")
        if stat.S_IMODE(found.st_mode) != 0o700:
            os.chmod(folder, 0o700)  # only its owner may reach the socket

    def _listen(self) -> None:
        import socketserver

        watcher = self

        class Handler(socketserver.StreamRequestHandler):
            timeout = 5

            def handle(self):
                if not _same_user(self.connection):
                    return
                try:
                    request = json.loads(self.rfile.readline(_MAX_ANSWER))
                    since = request.get("since")
                except (ValueError, UnicodeError, AttributeError):
                    return
                reply = {**watcher.answer(since if isinstance(since, str) else None), "folder": watcher.folder}
                self.wfile.write(json.dumps(reply).encode("utf-8") + b"\n")

        class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
            daemon_threads = True

            def server_bind(self):
                with _address(self.server_address) as address:
                    self.socket.bind(address)

        try:
            os.unlink(self.socket)  # a stale socket: no watcher answered on it (`start`)
        except FileNotFoundError:
            pass
        self._server = Server(os.fspath(self.socket), Handler)
        os.chmod(self.socket, 0o600)
        bound = os.lstat(self.socket)
        self._bound = (bound.st_dev, bound.st_ino)
        self._thread = threading.Thread(target=self._server.serve_forever, name="reegen-watch-socket", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop listening and watching; remove the socket if it is still this watcher's."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            try:
                found = os.lstat(self.socket)
                if (found.st_dev, found.st_ino) == self._bound:
                    os.unlink(self.socket)
            except OSError:
                pass
            self._server = None
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout=5)
            self._observer = None

    def lose(self, why: str) -> None:
        """Forget every token given so far: events may have been missed (`why`)."""
        with self._cond:
            self.instance, self.count, self.lost = secrets.token_hex(8), 0, why
            self.losses += 1

    def note(self, event) -> None:
        """Count `event` (a watchdog event) when it may change a listing of the folder's `*.md` files."""
        from watchdog.events import EventsLostEvent

        if isinstance(event, EventsLostEvent):
            self.lose("the kernel's event queue overflowed")
            return
        kind = event.event_type
        paths = [os.fsdecode(event.src_path)]
        if getattr(event, "dest_path", ""):
            paths.append(os.fsdecode(event.dest_path))
        if paths[0] == self.folder:
            if kind in ("deleted", "moved"):
                self.lose("the watched folder was removed or moved")
            return  # the folder's own time or attributes: its files' events say what changed
        names = [os.path.basename(p) for p in paths]
        if names[0].startswith(COOKIE_PREFIX):
            if kind == "created":
                with self._cond:
                    self._cookies.add(names[0])
                    self._cond.notify_all()
            return
        if kind in ("opened", "closed_no_write"):
            return  # read, not changed
        if any(name.endswith(".md") for name in names) or event.is_directory:
            with self._cond:
                self.count += 1

    def answer(self, since: str | None) -> dict:
        """Return the reply to a build asking about the changes since token `since`."""
        with self._cond:
            self._cookie_number += 1
            name = f"{COOKIE_PREFIX}{os.getpid()}-{self._cookie_number}"
        cookie = os.path.join(self.folder, name)
        try:
            os.close(os.open(cookie, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except OSError:
            return {"token": None, "unchanged": None}
        try:
            with self._cond:
                seen = self._cond.wait_for(lambda: name in self._cookies, COOKIE_TIMEOUT)
                self._cookies.discard(name)
                token = self.token
        finally:
            try:
                os.unlink(cookie)
            except OSError:
                pass
        if not seen or not self.is_watching():
            return {"token": None, "unchanged": None}
        if since is None or since.partition(":")[0] != token.partition(":")[0]:
            return {"token": token, "unchanged": None}  # given by another instance, or none: unknown
        return {"token": token, "unchanged": since == token}

    def is_listening(self) -> bool:
        """Return whether the socket builds ask is still this watcher's (not removed with `.reegen-cache`)."""
        try:
            found = os.lstat(self.socket)
        except OSError:
            return False
        return self._server is not None and (found.st_dev, found.st_ino) == self._bound

    def is_watching(self) -> bool:
        """Return whether the observer still runs and the folder is the one it watches."""
        observer = self._observer
        if observer is None or not observer.is_alive() or not all(e.is_alive() for e in observer.emitters):
            return False
        try:
            found = os.stat(self.folder)
        except OSError:
            return False
        return (found.st_dev, found.st_ino) == self._identity


def _same_user(conn: socket.socket) -> bool:
    """Return whether the process at the other end of `conn` runs as this one's user."""
    try:
        import struct

        creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
        return struct.unpack("3i", creds)[1] == os.getuid()
    except (OSError, AttributeError):
        return False


def _changes() -> list:
    """Return the watchdog events that may change a listing, and the loss of events.

    Opening and reading a file are left out, so the kernel does not even queue the
    events of every build reading its articles; an attribute change is kept (a time put
    back with `touch -d` is one).
    """
    from watchdog import events as e

    return [e.FileCreatedEvent, e.FileDeletedEvent, e.FileModifiedEvent, e.FileMovedEvent, e.FileClosedEvent,
            e.FileAttribEvent, e.DirCreatedEvent, e.DirDeletedEvent, e.DirModifiedEvent, e.DirMovedEvent,
            e.DirAttribEvent, e.EventsLostEvent]


def _handler(watcher: CorpusWatcher):
    """Return a watchdog event handler that hands each event to `watcher`, in the order they came."""
    from watchdog.events import FileSystemEventHandler

    class Handler(FileSystemEventHandler):
        def dispatch(self, event) -> None:
            try:
                watcher.note(event)
            except Exception as exc:  # an event it cannot read may be a change: trust nothing given before
                watcher.lose(f"an event could not be read ({type(exc).__name__})")

    return Handler()
