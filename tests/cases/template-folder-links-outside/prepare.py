"""A template folder that is a symbolic link to a folder outside the project."""
import os
from pathlib import Path

outside = Path("..") / "outside-template"
outside.mkdir(exist_ok=True)
(outside / "brief.md.j2").write_text("# {{ brief.title }}\n\nread from outside the project\n", encoding="utf-8")
Path("templates").mkdir(exist_ok=True)
os.symlink("../../outside-template", "templates/mine")
