"""A binary file given beside a real article: the article is written, the binary refused."""
from pathlib import Path

Path("photo.txt").write_bytes(bytes(range(256)) * 64)
