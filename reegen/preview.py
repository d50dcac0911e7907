"""`reegen preview`: a local web server showing briefs as HTML, rebuilt as their inputs change.

The server listens on the loopback interface only and answers only for the names it was
started with (`127.0.0.1:PORT`, `localhost:PORT`), so neither another machine nor a web
page using a forged host name (DNS rebinding) can reach it. It serves what it builds and
nothing else: a URL names a brief by its spec's file name, looked up among the project's
specs, never joined to a path. Every page goes out with a Content-Security-Policy that
lets only the preview's own script run (by nonce), so article text, already escaped by
the HTML writer, could not run script even if it slipped through.

Builds go to `.reegen-cache/preview/` (derived data), not to the project's outputs, so a
preview never replaces a PDF or a manifest made by `reegen build`. Only one build runs at
a time: the page a browser asks for, or the rebuild of the briefs already opened after
an input changed. A page polls a small version endpoint and reloads itself once a
rebuild after a change has finished.
"""

from __future__ import annotations

import html
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urlsplit

from .watch import Watcher, spec_files, stamp

#: the loopback address the server binds to; never a public interface
HOST = "127.0.0.1"
#: the port tried first when none is given
DEFAULT_PORT = 8765
#: where preview builds go, under the project root (the cache folder: derived data)
PREVIEW_DIR = Path(".reegen-cache") / "preview"
#: the path a page polls for the version of the preview's builds
VERSION_PATH = "/__reegen__/version"


@dataclass(slots=True)
class Built:
    """The last build of one brief in one format: its output file or its problems."""

    #: the input generation the build saw
    generation: int
    output: Path | None = None
    warnings: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    #: local time of the build, `HH:MM:SS`
    when: str = ""


class Preview:
    """The state behind the server: the project's specs, their last builds, and the version pages poll.

    `echo(line)` receives each line for the console: a timestamped line per build and per
    change, and each problem, warning or error, once while it persists (a brief failing
    again with the same problems is named, not repeated).
    """

    def __init__(self, project, *, spec: Path | None = None, strict: bool = False,
                 echo: Callable[[str], None] = print, quiet: bool = False) -> None:
        self.project = project
        #: say only problems and failures (`-q`): no `changed …` or `built …` lines
        self.quiet = quiet
        self.spec = spec.resolve() if spec else None
        self.strict = strict
        self.echo = echo
        self.out_dir = project.root / PREVIEW_DIR
        #: bumped by every batch of input changes
        self.generation = 0
        #: the generation whose rebuilds have finished; a page older than this reloads
        self.version = 0
        self._built: dict[tuple[str, str], Built] = {}
        self._shown_errors: dict[str, tuple[str, ...]] = {}
        #: the problems last printed for each brief, not printed again while they persist
        self._told: dict[str, set[str]] = {}
        self._opened: set[str] = set()
        self._build_lock = threading.Lock()
        from .batch import IsolatedBuilder

        # Built in a process of its own: a template's time and memory limits hold only there (see IsolatedBuilder).
        self.builder = IsolatedBuilder()
        self._state_lock = threading.Lock()

    def specs(self) -> dict[str, Path]:
        """Return the specs on offer by name (file name without suffix): `briefs/`, plus the one given."""
        found = {p.stem: p for p in spec_files(self.project.briefs_dir)}
        if self.spec is not None and self.spec.stem not in found:
            found[self.spec.stem] = self.spec
        return found

    def build(self, name: str, fmt: str = "html") -> Built | None:
        """Return the build of brief `name` in `fmt` for the current inputs, building it if need be.

        Returns None when there is no spec of that name.
        """
        with self._build_lock:
            spec = self.specs().get(name)
            if spec is None:
                return None
            generation = self.generation
            key = (name, fmt)
            known = self._built.get(key)
            if known is not None and known.generation == generation and (known.errors or known.output.is_file()):
                return known
            started = time.perf_counter()
            # Each format in its own folder: a manifest holds one set of formats, and the preview's
            # HTML and PDF are asked for at different times.
            outcome = self.builder.build(str(spec), [fmt], self.out_dir / fmt, self.strict, False)
            built = Built(generation, Path(outcome.outputs[0]) if outcome.outputs and not outcome.errors else None,
                          list(outcome.warnings), list(outcome.errors), stamp())
            self._built[key] = built
            if fmt == "html":
                self._opened.add(name)
            self._say(name, spec, fmt, outcome, time.perf_counter() - started)
            return built

    def last_build(self, name: str, fmt: str = "html") -> Built | None:
        """Return the last build of brief `name` in `fmt`, whatever the inputs now (None if never built)."""
        return self._built.get((name, fmt))

    def _say(self, name: str, spec: Path, fmt: str, outcome, seconds: float) -> None:
        shown = self.project.display(spec)
        when = stamp()
        errors = tuple(str(d) for d in outcome.errors)
        # Each problem, warning or error, is printed once while it persists; one that goes and
        # comes back is printed again.
        problems = [str(d) for d in (*outcome.warnings, *outcome.errors)]
        told = self._told.get(name, set())
        self._told[name] = set(problems)
        for line in problems:
            if line not in told:
                self.echo(line)
        repeated = sum(1 for line in problems if line in told)
        if errors:
            if self._shown_errors.get(name) == errors:
                self.echo(f"[{when}] still failing {shown} (the problems shown above)")
                return
            self._shown_errors[name] = errors
            self.echo(f"[{when}] failed {shown} ({len(errors)} problem{'s' if len(errors) != 1 else ''})")
            return
        self._shown_errors.pop(name, None)
        if outcome.skipped:
            return  # a change that did not touch this brief: nothing to say (as `build --watch`)
        if self.quiet:
            return
        self.echo(f"[{when}] built {shown} as {fmt} in {seconds:.2f} s"
                  + (f" ({repeated} warning{'s' if repeated != 1 else ''} as shown above)" if repeated else ""))

    def changed(self, paths: list[str]) -> None:
        """Note a batch of changed inputs: rebuild the briefs already opened, then bump the version."""
        if not self.quiet:
            self.echo(f"[{stamp()}] changed {', '.join(paths[:5])}"
                      + (f" and {len(paths) - 5} more" if len(paths) > 5 else ""))
        with self._state_lock:
            self.generation += 1
            generation = self.generation
        for name in sorted(self._opened):
            if name in self.specs():
                self.build(name)
        with self._state_lock:
            self.version = max(self.version, generation)


# -- pages -----------------------------------------------------------------------------------

_STYLE = """
body { font: 16px/1.5 "DejaVu Sans", Arial, sans-serif; margin: 0; background: #f4f5f7; color: #1b1f24; }
main.preview { max-width: 46rem; margin: 2rem auto; background: #fff; padding: 2rem 2.5rem; box-shadow: 0 1px 4px #0002; }
h1 { font-size: 1.6rem; margin-top: 0; } table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #dde1e6; }
.failed { color: #a4000f; font-weight: 600; } .muted { color: #5c6570; font-size: .9rem; }
pre.problems { white-space: pre-wrap; background: #fff4f4; border-left: 4px solid #a4000f; padding: .8rem 1rem; }
"""
_BAR_STYLE = """
#reegen-preview-bar { font: 13px/1.4 "DejaVu Sans", Arial, sans-serif; background: #1b1f24; color: #eef0f2;
  padding: .35rem 1rem; position: sticky; top: 0; z-index: 10; }
#reegen-preview-bar a { color: #9fd0ff; margin-left: 1rem; }
"""


def _reload_script(nonce: str, version: int) -> str:
    """Return the script that reloads the page once the preview's version passes `version`."""
    return (f'<script nonce="{nonce}">(function () {{ var seen = {version};'
            f' function poll() {{ fetch("{VERSION_PATH}", {{cache: "no-store"}})'
            '.then(function (r) { return r.json(); })'
            '.then(function (d) { if (d.version > seen) { location.reload(); } else { setTimeout(poll, 400); } })'
            '.catch(function () { setTimeout(poll, 2000); }); }'
            ' setTimeout(poll, 400); })();</script>')


def _page(title: str, body: str, nonce: str, version: int) -> bytes:
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head>"
            f"<body><main class=\"preview\">{body}</main>{_reload_script(nonce, version)}</body></html>\n").encode("utf-8")


def render_index(preview: Preview, nonce: str) -> bytes:
    """Return the index page: every spec of the project, with links and the state of its last build."""
    version = preview.version
    rows = []
    for name, spec in sorted(preview.specs().items()):
        built = preview.last_build(name)
        if built is None:
            state = '<span class="muted">not built yet</span>'
        elif built.errors:
            count = len(built.errors)
            state = f'<span class="failed">failed ({count} problem{"s" if count != 1 else ""})</span>'
        else:
            state = f"built {html.escape(built.when)}"
        link = html.escape(f"/briefs/{name}", quote=True)
        rows.append(f"<tr><td><a href=\"{link}.html\">{html.escape(name)}</a></td>"
                    f"<td class=\"muted\">{html.escape(preview.project.display(spec))}</td>"
                    f"<td>{state}</td><td><a href=\"{link}.pdf\">PDF</a></td></tr>")
    table = ("<table><thead><tr><th>Brief</th><th>Spec</th><th>Last build</th><th></th></tr></thead><tbody>"
             + "".join(rows) + "</tbody></table>") if rows else (
        f"<p>No brief specs in {html.escape(preview.project.display(preview.project.briefs_dir))}/ yet. "
        "Add one (<code>reegen new NAME</code>) and it appears here.</p>")
    body = (f"<h1>Briefs in {html.escape(preview.project.root.name)}</h1>{table}"
            "<p class=\"muted\">This page reloads when a spec is added or an input changes.</p>")
    return _page(f"reegen preview: {preview.project.root.name}", body, nonce, version)


def render_failure(preview: Preview, name: str, built: Built, nonce: str, fmt: str = "html") -> bytes:
    """Return the page showing a failed build's problems (each once, escaped)."""
    spec = preview.specs().get(name)
    shown = preview.project.display(spec) if spec else name
    problems = list(dict.fromkeys(str(d) for d in (*built.errors, *built.warnings)))
    body = (f"<h1 class=\"failed\">Build failed: {html.escape(shown)}</h1>"
            f"<p class=\"muted\">{html.escape(fmt.upper())} build at {html.escape(built.when)}. "
            "Fix the problems below and save: this page reloads by itself.</p>"
            f"<pre class=\"problems\">{html.escape(chr(10).join(problems))}</pre>"
            "<p><a href=\"/\">All briefs</a></p>")
    return _page(f"Build failed: {shown}", body, nonce, built.generation)


def render_brief(preview: Preview, name: str, built: Built, nonce: str) -> bytes:
    """Return the brief's HTML with the preview's bar and reload script added."""
    text = built.output.read_text(encoding="utf-8")
    spec = preview.specs().get(name)
    warnings = len(built.warnings)
    bar = (f'<div id="reegen-preview-bar">reegen preview · {html.escape(preview.project.display(spec) if spec else name)}'
           f" · built {html.escape(built.when)}"
           + (f" · {warnings} warning{'s' if warnings != 1 else ''} (see the console)" if warnings else "")
           + f'<a href="/briefs/{html.escape(name, quote=True)}.pdf">PDF</a><a href="/">All briefs</a></div>')
    text = _insert_after(text, "<body>", f"<style>{_BAR_STYLE}</style>{bar}")
    text = _insert_before(text, "</body>", _reload_script(nonce, built.generation))
    return text.encode("utf-8")


def _insert_after(text: str, marker: str, addition: str) -> str:
    at = text.find(marker)
    return text + addition if at < 0 else text[:at + len(marker)] + addition + text[at + len(marker):]


def _insert_before(text: str, marker: str, addition: str) -> str:
    at = text.rfind(marker)
    return text + addition if at < 0 else text[:at] + addition + text[at:]


# -- the server ------------------------------------------------------------------------------

class PreviewServer(ThreadingHTTPServer):
    """A threading HTTP server bound to the loopback address, serving one `Preview`."""

    daemon_threads = True

    def __init__(self, preview: Preview, port: int = DEFAULT_PORT) -> None:
        self.preview = preview
        super().__init__((HOST, port), PreviewHandler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/"

    def handle_error(self, request, client_address) -> None:
        import sys

        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # a browser that reloaded or closed the page before its answer came: nothing to report
        super().handle_error(request, client_address)

    def allowed_hosts(self) -> set[str]:
        port = self.server_address[1]
        return {f"{HOST}:{port}", f"localhost:{port}"}


class PreviewHandler(BaseHTTPRequestHandler):
    """Answers GET and HEAD for the index, a brief's HTML or PDF, and the version; 404 for anything else."""

    server: PreviewServer
    server_version = "reegen-preview"

    def log_message(self, format, *args) -> None:  # noqa: A002 - the base class's name
        pass  # the console shows builds and changes, not every request

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def do_GET(self) -> None:
        self._answer(head=False)

    def _answer(self, head: bool) -> None:
        if self.headers.get("Host", "") not in self.server.allowed_hosts():
            return self._send(HTTPStatus.FORBIDDEN, b"unknown host\n", "text/plain; charset=utf-8", head=head)
        preview = self.server.preview
        path = unquote(urlsplit(self.path).path)
        nonce = secrets.token_urlsafe(16)
        if path == VERSION_PATH:
            body = json.dumps({"version": preview.version}).encode()
            return self._send(HTTPStatus.OK, body, "application/json", head=head)
        if path == "/favicon.ico":
            return self._send(HTTPStatus.NO_CONTENT, b"", "image/x-icon", head=True)
        if path in ("/", "/index.html"):
            return self._send(HTTPStatus.OK, render_index(preview, nonce), "text/html; charset=utf-8", nonce, head)
        name, fmt = _brief_route(path)
        built = preview.build(name, fmt) if name else None
        if built is None:
            return self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain; charset=utf-8", head=head)
        if built.errors:
            return self._send(HTTPStatus.INTERNAL_SERVER_ERROR, render_failure(preview, name, built, nonce, fmt),
                              "text/html; charset=utf-8", nonce, head)
        if fmt == "pdf":
            return self._send(HTTPStatus.OK, built.output.read_bytes(), "application/pdf", head=head)
        return self._send(HTTPStatus.OK, render_brief(preview, name, built, nonce), "text/html; charset=utf-8",
                          nonce, head)

    def _send(self, status: HTTPStatus, body: bytes, content_type: str, nonce: str | None = None,
              head: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        # Only the preview's own script runs; the brief's inline CSS is allowed, nothing is fetched from elsewhere.
        script = f"'nonce-{nonce}'" if nonce else "'none'"
        self.send_header("Content-Security-Policy",
                         f"default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
                         f"script-src {script}; connect-src 'self'; base-uri 'none'; form-action 'none'; "
                         "frame-ancestors 'none'")
        self.end_headers()
        if not head:
            self.wfile.write(body)


def _brief_route(path: str) -> tuple[str | None, str]:
    """Return the brief name and format a path `/briefs/NAME.html|.pdf` asks for, or (None, '')."""
    if not path.startswith("/briefs/"):
        return None, ""
    rest = path[len("/briefs/"):]
    for fmt in ("html", "pdf"):
        if rest.endswith("." + fmt):
            name = rest[: -len(fmt) - 1]
            # A name is looked up among the specs, never joined to a path; this only keeps the lookup plain.
            if name and "/" not in name and "\\" not in name and not name.startswith("."):
                return name, fmt
    return None, ""


def make_server(preview: Preview, port: int | None) -> PreviewServer:
    """Return a server for `preview` on `port`; with None, the default port or, when taken, a free one.

    Raises `OSError` when a port given explicitly cannot be bound.
    """
    if port is not None:
        return PreviewServer(preview, port)
    try:
        return PreviewServer(preview, DEFAULT_PORT)
    except OSError:
        return PreviewServer(preview, 0)  # the system picks a free port


def serve(preview: Preview, server: PreviewServer, *, stop: threading.Event | None = None) -> None:
    """Serve until Ctrl-C or `stop`, rebuilding opened briefs on every batch of input changes."""
    from . import collector

    collector.release()  # builds go on and on: each frees what the one before left
    stop = stop or threading.Event()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    thread.start()
    try:
        with Watcher(preview.project, extra=(preview.spec,) if preview.spec else ()) as watcher:
            while not stop.is_set():
                changes = watcher.next_batch(timeout=0.5)
                if changes:
                    preview.changed(changes)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        preview.builder.close()


__all__ = ["DEFAULT_PORT", "HOST", "Preview", "PreviewServer", "make_server", "render_brief", "render_failure",
           "render_index", "serve"]
