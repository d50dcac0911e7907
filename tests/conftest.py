"""Shared fixtures: small projects on disk, and the repository's own sample project."""

from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs the same examples every time, so a green run stays green; local runs keep exploring.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"


def article_text(article_id: str, *, title: str | None = None, published: str = "2025-07-01", publisher="Rare Earth Exchanges",
                 tags=("baotou",), body: str = "Lead text.\n", extra: str = "") -> str:
    """Return an article file's text with the given fields."""
    lines = ["---", f"id: {article_id}", f"title: {title or article_id.replace('-', ' ').title()}"]
    if publisher:
        lines.append(f"publisher: {publisher}")
    if published:
        lines.append(f"published: {published}")
    lines.append(f"tags: [{', '.join(tags)}]")
    if extra:
        lines.append(extra.rstrip("\n"))
    lines.append("---")
    return "\n".join(lines) + "\n" + textwrap.dedent(body)


@pytest.fixture
def make_project(tmp_path):
    """Return a function writing a project (articles, one spec) under tmp_path; it returns the spec path."""

    def make(articles: dict[str, str], spec: str, *, name: str = "brief", templates: dict[str, str] | None = None,
             config: str | None = "") -> Path:
        root = tmp_path / "project"
        (root / "articles").mkdir(parents=True, exist_ok=True)
        (root / "briefs").mkdir(exist_ok=True)
        for article_id, text in articles.items():
            (root / "articles" / f"{article_id}.md").write_text(text, encoding="utf-8")
        for rel, text in (templates or {}).items():
            path = root / "templates" / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        if config is not None:
            (root / "reegen.toml").write_text(config, encoding="utf-8")
        spec_path = root / "briefs" / f"{name}.yaml"
        spec_path.write_text(textwrap.dedent(spec), encoding="utf-8")
        return spec_path

    return make


def copy_sample(root: Path) -> Path:
    """Copy the repository's sample project (articles, briefs) into `root`, marked by a reegen.toml; return it."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "articles", root / "articles")
    shutil.copytree(REPO / "briefs", root / "briefs")
    (root / "reegen.toml").write_text("", encoding="utf-8")
    return root


@pytest.fixture
def sample_project(tmp_path) -> Path:
    """Return a copy of the repository's sample project (articles, briefs, templates)."""
    return copy_sample(tmp_path / "sample")


@pytest.fixture
def pinned_date(monkeypatch):
    """Pin SOURCE_DATE_EPOCH so builds are reproducible."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    return 1767225600


def require_tool(name: str) -> str:
    """Return the path of external tool `name`, or skip (fail when REEGEN_REQUIRE_TOOLS=1)."""
    found = shutil.which(name)
    if found:
        return found
    if os.environ.get("REEGEN_REQUIRE_TOOLS") == "1":
        pytest.fail(f"{name} is required (REEGEN_REQUIRE_TOOLS=1) but not installed")
    pytest.skip(f"{name} is not installed")


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium driven through WebDriver (Debian's `chromium` and `chromium-driver`).

    Skips when either is missing, and fails instead under REEGEN_REQUIRE_TOOLS=1. The driver is
    given explicitly, so Selenium never tries to download one.
    """
    chromium = require_tool("chromium")
    driver_path = require_tool("chromedriver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                 "--no-first-run", "--disable-extensions"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
