"""A saved page whose article text sits inside 200,000 nested div elements."""
from pathlib import Path

Path("page.html").write_text("<html><head><title>Zone reforms</title></head><body>\n" + "<div>" * 200_000
                             + "<p>The zone approves permits in hours.</p>" + "</div>" * 200_000 + "\n</body></html>\n",
                             encoding="utf-8")
