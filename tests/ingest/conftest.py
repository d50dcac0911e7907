"""Paths shared by the ingest tests: the five raw seeds (read in place) and our own fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

#: the seeds live in shared/ beside the checkout; they are someone else's text, never copied here
SEEDS = (Path(__file__).parents[2] / ".." / "shared" / "seeds").resolve()
FIXTURES = Path(__file__).parent / "fixtures"


def seed_path(prefix: str) -> Path:
    """Return the seed file whose name starts with `prefix` ("000" … "004")."""
    if not SEEDS.is_dir():
        pytest.skip(f"seeds not found at {SEEDS} (CI keeps shared/ beside the checkout)")
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    assert matches, f"no seed {prefix}_*.txt in {SEEDS}"
    return matches[0]


@pytest.fixture
def seeds() -> list[Path]:
    """Return the five seed files in order."""
    return [seed_path(f"{i:03d}") for i in range(5)]
