"""The trusted watcher: a load it vouches for lists no file, and anything it cannot vouch for is listed."""

import os
import socket
import stat
import threading

import pytest

from reegen.corpus import load_corpus
from reegen.corpus import watcher as watching
from reegen.corpus.watcher import CorpusWatcher, WatcherError, ask
from reegen.errors import Report
from tests.conftest import article_text

pytestmark = pytest.mark.skipif(watching.why_not_watchable(__import__("pathlib").Path(__file__).parent) is not None,
                                reason="no trusted watcher on this machine (not Linux inotify on a local disk)")


@pytest.fixture(autouse=True)
def any_folder_asks(monkeypatch):
    """These folders are small: let them ask the watcher as a folder of thousands would."""
    import reegen.corpus.index

    monkeypatch.setattr(reegen.corpus.index, "WATCH_MIN", 0)


def make(root, n=3):
    folder = root / "articles"
    folder.mkdir()
    for i in range(n):
        (folder / f"a{i}.md").write_text(article_text(f"a{i}", title=f"Title A{i}"), encoding="utf-8")
    settle(folder)
    return folder


def settle(folder):
    """Date every file an hour back, as files not written in the last two seconds."""
    for path in folder.iterdir():
        stat_ = path.stat()
        os.utime(path, ns=(stat_.st_atime_ns, stat_.st_mtime_ns - 3600 * 10**9))


def load(root, folder):
    report = Report()
    return load_corpus(folder, report, root=root), [str(d) for d in report]


@pytest.fixture
def listings(monkeypatch):
    """Count the times a load lists the folder file by file (`listing_key`)."""
    import reegen.corpus
    import reegen.corpus.index

    calls = []
    real = reegen.corpus.index.listing_key

    def counted(*args):
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(reegen.corpus.index, "listing_key", counted)
    monkeypatch.setattr(reegen.corpus, "listing_key", counted)
    return calls


@pytest.fixture
def watched(tmp_path):
    """A project folder with three settled articles and a watcher of them, started (stopped after the test)."""
    folder = make(tmp_path)
    running = CorpusWatcher(tmp_path, folder)
    running.start()
    yield tmp_path, folder, running
    running.stop()


def warm(root, folder):
    load(root, folder)  # parses, keeps the watcher's token with its listing
    return load(root, folder)  # every file from a fresh row: the listing is kept


def test_a_load_the_watcher_vouches_for_lists_no_file_and_finds_the_same(watched, listings):
    root, folder, _ = watched
    before, before_diags = warm(root, folder)
    listings.clear()
    after, after_diags = load(root, folder)
    assert listings == []  # the fast path ran: no file was visited
    assert list(after.articles) == list(before.articles) == ["a0", "a1", "a2"]
    assert after.get("a1").title == "Title A1" and after_diags == before_diags


def edit(folder, change):
    path, other = folder / "a1.md", folder / "a2.md"
    before = path.stat().st_mtime_ns
    if change == "edit":
        path.write_text(path.read_text(encoding="utf-8").replace("A1", "B1"), encoding="utf-8")
        os.utime(path, ns=(before, before + 1_000_000_000))
    elif change == "time put back":  # same size, its old modification time put back (touch -d)
        path.write_text(path.read_text(encoding="utf-8").replace("A1", "B1"), encoding="utf-8")
        os.utime(path, ns=(before, before))
    elif change == "in place":  # written again, longer, through the same open file, its old time put back
        with open(path, "r+", encoding="utf-8") as handle:
            text = handle.read().replace("A1", "Longer B1")
            handle.seek(0)
            handle.write(text)
        os.utime(path, ns=(before, before))
    elif change == "add":
        (folder / "a3.md").write_text(article_text("a3"), encoding="utf-8")
    elif change == "remove":
        other.unlink()
    elif change == "rename":
        path.rename(folder / "c1.md")
    else:  # two files exchange names
        path.rename(folder / "tmp.md")
        other.rename(path)
        (folder / "tmp.md").rename(other)


@pytest.mark.parametrize("change", ["edit", "time put back", "in place", "add", "remove", "rename", "exchange"])
def test_a_change_the_watcher_saw_is_listed_and_loaded(watched, listings, change):
    root, folder, _ = watched
    warm(root, folder)
    edit(folder, change)
    listings.clear()
    corpus, _ = load(root, folder)
    assert listings  # the watcher said "changed": the folder was listed
    expected = {"add": ["a0", "a1", "a2", "a3"], "remove": ["a0", "a1"], "rename": ["a0", "a2", "a1"],
                "exchange": ["a0", "a2", "a1"]}.get(change, ["a0", "a1", "a2"])
    assert list(corpus.articles) == expected
    if change in ("edit", "time put back", "in place"):
        assert corpus.get("a1").title.endswith("B1")
    if change in ("rename", "exchange"):
        assert corpus.get("a1").path == ("articles/c1.md" if change == "rename" else "articles/a2.md")


def test_a_change_made_while_the_folder_is_listed_is_seen_by_the_next_load(watched, monkeypatch):
    """The token is taken before the listing: a write during it moves the count past that token."""
    import reegen.corpus.index

    root, folder, running = watched
    warm(root, folder)
    running.lose("a test")  # the next load asks, hears "unknown" and lists the folder as it was kept
    real = reegen.corpus.index.listing_key
    done = []

    def listing_then_write(entries, prefix):
        found = real(entries, prefix)
        if not done:  # after this listing: the key it returns no longer describes the folder
            done.append(1)
            (folder / "a2.md").write_text(article_text("a2", title="Title B2"), encoding="utf-8")
        return found

    monkeypatch.setattr(reegen.corpus.index, "listing_key", listing_then_write)
    load(root, folder)
    assert done
    monkeypatch.setattr(reegen.corpus.index, "listing_key", real)
    corpus, _ = load(root, folder)
    assert corpus.get("a2").title == "Title B2"


def test_a_non_article_file_does_not_cost_a_listing(watched, listings):
    root, folder, _ = watched
    warm(root, folder)
    (folder / "notes.txt").write_text("not an article", encoding="utf-8")
    (folder / "a1.md").read_text(encoding="utf-8")  # read, not changed
    listings.clear()
    load(root, folder)
    assert listings == []


def test_lost_events_make_every_earlier_token_unknown(watched, listings):
    """A simulated inotify queue overflow: the watcher cannot vouch for anything before it."""
    from watchdog.events import EventsLostEvent

    root, folder, running = watched
    warm(root, folder)
    token = running.token
    running.note(EventsLostEvent(str(folder), is_directory=True))
    assert ask(root, folder, token).unchanged is None
    listings.clear()
    load(root, folder)
    assert listings
    listings.clear()
    load(root, folder)  # the token kept with that listing is the new instance's
    assert listings == []


def test_the_watched_folder_removed_is_not_vouched_for(watched):
    root, folder, running = watched
    warm(root, folder)
    moved = root / "elsewhere"
    folder.rename(moved)
    folder.mkdir()
    assert ask(root, folder, running.token) is None or ask(root, folder, running.token).unchanged is not True


def test_a_restarted_watcher_does_not_vouch_for_its_predecessor(watched, listings):
    root, folder, running = watched
    warm(root, folder)
    running.stop()
    (folder / "a1.md").write_text(article_text("a1", title="Title B1"), encoding="utf-8")  # seen by no watcher
    settle(folder)
    again = CorpusWatcher(root, folder)
    again.start()
    try:
        listings.clear()
        corpus, _ = load(root, folder)
        assert listings and corpus.get("a1").title == "Title B1"
    finally:
        again.stop()


def test_no_watcher_a_stale_socket_or_a_silent_one_fall_back_to_listing(tmp_path, listings, monkeypatch):
    folder = make(tmp_path)
    running = CorpusWatcher(tmp_path, folder)
    running.start()
    warm(tmp_path, folder)
    running.stop()
    assert not running.socket.exists()  # a watcher stopped removes its socket
    (folder / "a1.md").write_text(article_text("a1", title="Title B1"), encoding="utf-8")
    listings.clear()
    assert load(tmp_path, folder)[0].get("a1").title == "Title B1" and listings

    # A watcher killed leaves its socket: nobody answers on it.
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(running.socket))
    stale.close()
    assert ask(tmp_path, folder, None) is None
    (folder / "a2.md").write_text(article_text("a2", title="Title B2"), encoding="utf-8")
    listings.clear()
    assert load(tmp_path, folder)[0].get("a2").title == "Title B2" and listings

    # One that accepts and never answers: the build waits a short while, then lists.
    os.unlink(running.socket)
    silent = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    silent.bind(str(running.socket))
    silent.listen(1)
    monkeypatch.setattr(watching, "ASK_TIMEOUT", 0.05)
    try:
        assert ask(tmp_path, folder, None) is None
    finally:
        silent.close()
    # A new watcher starts over the stale socket.
    again = CorpusWatcher(tmp_path, folder)
    again.start()
    try:
        assert ask(tmp_path, folder, None).token.startswith(again.instance)
    finally:
        again.stop()


def test_the_socket_is_reachable_by_its_owner_only(watched):
    root, folder, running = watched
    assert stat.S_IMODE(running.socket.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(os.lstat(running.socket).st_mode) == 0o600


def test_a_second_watcher_of_the_project_is_refused(watched):
    root, folder, _ = watched
    with pytest.raises(watching.WatcherRunning):
        CorpusWatcher(root, folder).start()


def test_a_watcher_answering_for_another_folder_is_not_used(watched):
    root, folder, _ = watched
    other = root / "other"
    other.mkdir()
    assert ask(root, other, None) is None


def test_a_network_file_system_is_refused(tmp_path, monkeypatch):
    folder = make(tmp_path)
    monkeypatch.setattr(watching, "file_system", lambda path: "nfs4")
    with pytest.raises(WatcherError, match="nfs4 file system"):
        CorpusWatcher(tmp_path, folder).start()
    assert not (tmp_path / ".reegen-cache" / "watch" / "sock").exists()


def test_a_linked_article_is_never_vouched_for(watched, listings):
    """A link's target can change without an event in the folder: a folder holding one is listed every time."""
    root, folder, _ = watched
    target = root / "target.md"
    target.write_text(article_text("t"), encoding="utf-8")
    (folder / "t.md").symlink_to(target)
    warm(root, folder)
    listings.clear()
    load(root, folder)
    assert listings


def test_a_long_project_path_still_gets_its_socket(tmp_path, listings):
    """A socket address holds about 100 bytes: a deeper socket is reached through its folder's descriptor."""
    root = tmp_path / ("deep-" * 30)
    root.mkdir()
    folder = make(root)
    assert len(str(watching.socket_path(root))) > 108
    running = CorpusWatcher(root, folder)
    running.start()
    try:
        warm(root, folder)
        listings.clear()
        load(root, folder)
        assert listings == []
    finally:
        running.stop()


@pytest.mark.parametrize("reply", [b"not json\n", b'{"token": "t:1", "unchanged": 1, "folder": "%s"}\n',
                                   b'{"token": 5, "unchanged": true, "folder": "%s"}\n', b"x" * 5000])
def test_a_garbled_answer_is_not_trusted(tmp_path, reply):
    folder = make(tmp_path)
    path = watching.socket_path(tmp_path)
    path.parent.mkdir(parents=True)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(1)

    def answer():
        conn, _ = server.accept()
        with conn:
            conn.recv(4096)
            conn.sendall(reply.replace(b"%s", os.fsencode(os.path.realpath(folder))))

    thread = threading.Thread(target=answer)
    thread.start()
    try:
        assert ask(tmp_path, folder, "t:1") is None
    finally:
        thread.join(timeout=5)
        server.close()


def test_a_small_folder_is_listed_without_asking(watched, listings, monkeypatch):
    """Listing a few hundred files costs less than an answer; a folder that grows past that asks again."""
    import reegen.corpus.index

    root, folder, _ = watched
    monkeypatch.setattr(reegen.corpus.index, "WATCH_MIN", 5)
    asked = []
    real = watching.ask
    monkeypatch.setattr(watching, "ask", lambda *a: asked.append(1) or real(*a))
    warm(root, folder)
    assert len(asked) == 1  # the first load asked (nothing kept yet) and kept the folder's size with its listing
    asked.clear()
    listings.clear()
    load(root, folder)
    assert asked == [] and listings
    for i in range(3, 6):
        (folder / f"a{i}.md").write_text(article_text(f"a{i}"), encoding="utf-8")
    settle(folder)
    load(root, folder)  # listed without asking: six files now, so the next load asks again
    assert asked == []
    warm(root, folder)
    asked.clear()
    listings.clear()
    load(root, folder)
    assert asked and listings == []


def test_a_time_or_mode_changed_alone_is_a_change(watched):
    """Only an attribute event tells of these (the watch leaves out opening and reading, not this)."""
    root, folder, running = watched
    for change in (lambda p: os.utime(p, ns=(0, 10**18)), lambda p: os.chmod(p, 0o600)):
        token = ask(root, folder, None).token
        change(folder / "a1.md")
        assert ask(root, folder, token).unchanged is False
    token = ask(root, folder, None).token
    (folder / "a1.md").read_text(encoding="utf-8")
    assert ask(root, folder, token).unchanged is True
