"""`reegen preview`: the loopback server, what it refuses to serve, and the page in a real browser."""

from __future__ import annotations

import http.client
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from reegen.preview import HOST, Preview, make_server, serve
from reegen.project import load_project
from tests.conftest import article_text

SPEC = "title: T\narticles: [a]\nsections: [{title: S, from: lead}]\n"
#: the longest a test waits for the server or the page (a bound, not a measurement)
WAIT = 60


@pytest.fixture
def served(make_project):
    """Start a preview server in this process on a free port; yield (preview, server, project root, console)."""
    spec = make_project({"a": article_text("a", body="Lead of a.\n")}, SPEC)
    root = spec.parents[1]
    console: list[str] = []
    preview = Preview(load_project(spec), echo=console.append)
    server = make_server(preview, 0)
    stop = threading.Event()
    thread = threading.Thread(target=serve, args=(preview, server), kwargs={"stop": stop}, daemon=True)
    thread.start()
    try:
        yield preview, server, root, console
    finally:
        stop.set()
        thread.join(WAIT)


def get(server, path: str, host: str | None = None) -> http.client.HTTPResponse:
    """Return the response to GET `path` (read; `.body` holds the bytes)."""
    port = server.server_address[1]
    connection = http.client.HTTPConnection(HOST, port, timeout=WAIT)
    connection.putrequest("GET", path, skip_host=True)
    connection.putheader("Host", host or f"{HOST}:{port}")
    connection.endheaders()
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


def test_the_server_listens_on_the_loopback_address_only(served):
    _, server, _, _ = served
    assert server.server_address[0] == "127.0.0.1"
    assert server.url.startswith("http://127.0.0.1:")


def test_a_taken_default_port_falls_back_to_a_free_one_and_an_explicit_one_is_an_error(make_project, monkeypatch):
    from reegen import preview as preview_module

    spec = make_project({"a": article_text("a")}, SPEC)
    preview = Preview(load_project(spec), echo=lambda line: None)
    first = make_server(preview, 0)
    try:
        monkeypatch.setattr(preview_module, "DEFAULT_PORT", first.server_address[1])
        second = make_server(preview, None)
        assert second.server_address[1] not in (0, first.server_address[1])
        second.server_close()
        with pytest.raises(OSError):
            make_server(preview, first.server_address[1])
    finally:
        first.server_close()


#: requests for files by path, inside the project and outside it, plainly and encoded
REFUSED = ["/briefs/../reegen.toml", "/briefs/..%2freegen.toml.html", "/briefs/%2e%2e%2f%2e%2e%2fetc%2fpasswd.html",
           "/../../etc/passwd", "/articles/a.md", "/briefs/brief.yaml", "/.reegen-cache/preview/html/brief.html",
           "/output/brief.pdf", "/briefs/missing.html", "/briefs/.html", "/briefs//etc/passwd.html",
           "/briefs/..\\reegen.toml.html"]


def test_only_the_previews_own_pages_are_served_never_a_file_by_path(served):
    _, server, _, _ = served
    get(server, "/briefs/brief.html")  # built, so its output exists to be asked for
    for path in REFUSED:
        response = get(server, path)
        assert (response.status, response.body) == (404, b"not found\n"), path


def test_a_request_naming_another_host_is_refused(served):
    # A page on another site whose name resolves to 127.0.0.1 (DNS rebinding) gets nothing.
    _, server, _, _ = served
    response = get(server, "/briefs/brief.html", host=f"attacker.example:{server.server_address[1]}")
    assert response.status == 403
    assert get(server, "/", host=f"localhost:{server.server_address[1]}").status == 200


def test_a_brief_page_runs_only_the_previews_own_script(served):
    _, server, _, _ = served
    response = get(server, "/briefs/brief.html")
    assert response.status == 200 and b"Lead of a" in response.body
    nonce = re.search(r"script-src 'nonce-([^']+)'", response.getheader("Content-Security-Policy")).group(1)
    scripts = re.findall(rb"<script[^>]*>", response.body)
    assert scripts == [f'<script nonce="{nonce}">'.encode()]


def test_a_build_error_is_shown_escaped_once_and_said_once_on_the_console(served):
    preview, server, root, console = served
    # An article id is the user's text: here it looks like markup.
    (root / "briefs" / "brief.yaml").write_text(SPEC.replace("[a]", "['<script>alert(1)</script>']"),
                                                encoding="utf-8")
    preview.changed(["briefs/brief.yaml"])
    response = get(server, "/briefs/brief.html")
    assert response.status == 500
    page = response.body.decode()
    assert "<script>alert" not in page
    assert page.count("unknown article &#x27;&lt;script&gt;alert(1)&lt;/script&gt;&#x27;") == 1
    preview.changed(["articles/a.md"])  # another change, the same problem
    get(server, "/briefs/brief.html")
    said = [line for line in console if "unknown article" in line]
    assert len(said) == 1
    assert re.fullmatch(r"\[\d\d:\d\d:\d\d\] still failing briefs/brief\.yaml \(the problems shown above\)",
                        console[-1])


def test_the_pdf_is_built_on_request_beside_the_html_without_touching_the_projects_outputs(served):
    _, server, root, _ = served
    response = get(server, "/briefs/brief.pdf")
    assert response.status == 200 and response.getheader("Content-Type") == "application/pdf"
    assert response.body.startswith(b"%PDF-")
    assert not (root / "output").exists()


def test_the_index_lists_every_spec_including_one_added_later(served):
    preview, server, root, _ = served
    assert b'href="/briefs/brief.html"' in get(server, "/").body
    (root / "briefs" / "later.yaml").write_text(SPEC, encoding="utf-8")
    assert b'href="/briefs/later.html"' in get(server, "/").body


# -- the real thing: the CLI's server and a headless browser --------------------------------------

@pytest.fixture
def preview_process(sample_project, tmp_path):
    """Run `reegen preview --port 0` on a copy of the sample project; yield (base URL, project root, console file)."""
    console = tmp_path / "console.txt"
    # Ctrl-C as at a terminal, even when these tests run where SIGINT is ignored (a background job).
    with console.open("w", encoding="utf-8") as stderr, subprocess.Popen(
            [sys.executable, "-m", "reegen", "preview", "--port", "0"], cwd=sample_project,
            stdout=subprocess.PIPE, stderr=stderr, text=True,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL)) as process:
        try:
            url = process.stdout.readline().strip()
            assert url.startswith("http://127.0.0.1:"), console.read_text(encoding="utf-8")
            yield url, sample_project, console
            process.send_signal(signal.SIGINT)
            assert process.wait(WAIT) == 0  # Ctrl-C stops the server and its watcher
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(WAIT)


def test_the_preview_follows_edits_in_a_browser(browser, preview_process):
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    url, root, console = preview_process
    # The page reloads itself: an element found just before a reload is stale by the time its text is read.
    wait = WebDriverWait(browser, WAIT, poll_frequency=0.2, ignored_exceptions=(StaleElementReferenceException,))

    def text() -> str:
        return browser.find_element(By.TAG_NAME, "body").text

    browser.get(url + "briefs/baotou-executive.html")
    wait.until(lambda _: "What the sources report" in text())
    title = browser.find_element(By.TAG_NAME, "h1").text

    # Edit an article: the page reloads with the change.
    article = root / "articles" / "baotou-symposium.md"
    original = article.read_text(encoding="utf-8")
    article.write_text(original.replace("title: Baotou Hosts High-Level Symposium",
                                        "title: Edited in preview Baotou Hosts High-Level Symposium"), encoding="utf-8")
    wait.until(lambda _: "Edited in preview" in text())

    # Break the spec: the error is shown, once.
    spec = root / "briefs" / "baotou-executive.yaml"
    good = spec.read_text(encoding="utf-8")
    spec.write_text(good.replace("  - baotou-innovation-plan\n", "  - baotou-innovation-plam\n", 1), encoding="utf-8")
    wait.until(lambda _: "Build failed" in text())
    assert text().count("unknown article 'baotou-innovation-plam'") == 1

    # Fix it: the brief is back.
    spec.write_text(good, encoding="utf-8")
    wait.until(lambda _: "What the sources report" in text())
    assert browser.find_element(By.TAG_NAME, "h1").text == title

    # A new spec appears on the index page without reloading it by hand.
    browser.get(url)
    wait.until(lambda _: "baotou-executive" in text())
    (root / "briefs" / "second-look.yaml").write_text(good.replace("output: output/baotou-executive",
                                                                   "output: output/second-look"), encoding="utf-8")
    wait.until(lambda _: "second-look" in text())
    browser.find_element(By.LINK_TEXT, "second-look").click()
    wait.until(lambda _: "What the sources report" in text())
    assert Path(root / ".reegen-cache" / "preview" / "html" / "second-look.html").is_file()

    # The console said when each build happened, and the broken spec's problem once.
    said = console.read_text(encoding="utf-8")
    assert said.count("unknown article 'baotou-innovation-plam'") == 1
    assert re.search(r"^\[\d\d:\d\d:\d\d\] changed articles/baotou-symposium\.md$", said, re.M)
    assert re.search(r"^\[\d\d:\d\d:\d\d\] built briefs/second-look\.yaml as html in ", said, re.M)


def test_the_command_refuses_a_missing_spec_a_folder_without_briefs_and_a_taken_port(make_project, tmp_path):
    import os
    import socket

    from click.testing import CliRunner

    from reegen.cli import cli

    spec = make_project({"a": article_text("a")}, SPEC)
    result = CliRunner().invoke(cli, ["preview", str(spec.with_name("missing.yaml"))])
    assert result.exit_code == 1 and "missing.yaml: error: brief spec not found" in result.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    old = os.getcwd()
    os.chdir(empty)
    try:
        result = CliRunner().invoke(cli, ["preview"])
    finally:
        os.chdir(old)
    assert result.exit_code == 1 and "not a reegen project" in result.stderr and "hint:" in result.stderr
    with socket.socket() as taken:
        taken.bind((HOST, 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["preview", str(spec), "--port", str(port)])
    assert result.exit_code == 1 and f"cannot listen on port {port}" in result.stderr
