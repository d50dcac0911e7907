"""The project's output folder is a symbolic link to a folder outside it."""
import os
from pathlib import Path

(Path("..") / "outside").mkdir(exist_ok=True)
os.symlink("../outside", "output")
