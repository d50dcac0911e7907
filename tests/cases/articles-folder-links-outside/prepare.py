"""An articles folder that is a symbolic link to a folder of articles outside the project."""
import os
import shutil
from pathlib import Path

outside = Path("..") / "outside-articles"
outside.mkdir(exist_ok=True)
shutil.copy("a.md.txt", outside / "a.md")
os.symlink("../outside-articles", "articles")
