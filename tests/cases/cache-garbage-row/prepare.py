"""A corpus cache whose row for the article holds garbage: one build makes the cache, then the row is damaged."""
import sqlite3
import subprocess
import sys

subprocess.run([sys.executable, "-m", "reegen", "build", "-f", "md", "briefs/brief.yaml"], check=True)
with sqlite3.connect(".reegen-cache/corpus.sqlite") as db:
    db.execute("UPDATE files SET article = ?, diagnostics = ?", ('{"id": [garbage', "not json"))
