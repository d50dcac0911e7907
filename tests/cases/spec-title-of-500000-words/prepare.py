"""A spec whose title is 500000 words long (the spec stays under the 2 MB limit)."""
from pathlib import Path

Path("briefs").mkdir(exist_ok=True)  # git keeps no empty folder

words = " ".join(f"w{i % 10}" for i in range(500000))
Path("briefs/brief.yaml").write_text(f"title: {words}\narticles: [a]\nsections:\n  - title: Lead\n    from: lead\n",
                                     encoding="utf-8")
