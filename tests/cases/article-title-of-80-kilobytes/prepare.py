"""An article whose title is about 80 kB, shown as a subheading (`subheadings: true`)."""
from pathlib import Path

Path("articles").mkdir(exist_ok=True)  # git keeps no empty folder

title = " ".join(f"magnet{i % 100}" for i in range(9_000))
Path("articles/a.md").write_text(
    f"---\nid: a\ntitle: {title}\npublisher: Rare Earth Exchanges\npublished: 2025-07-03\n---\n"
    "The zone approves permits in hours.\n", encoding="utf-8")
