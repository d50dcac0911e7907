"""An input of 20 MB: ingest refuses it at once instead of reading it into memory."""
from pathlib import Path

Path("big.txt").write_text("Zone reforms\n\n" + "The zone approves permits in hours. " * 600_000, encoding="utf-8")
