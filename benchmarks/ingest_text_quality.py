"""Plain-text scrapes with known truth: how well `reegen ingest` reads titles, bylines, dates and boilerplate.

    python benchmarks/ingest_text_quality.py [--n 600] [--seed 7]

A generator builds scrapes the way copy-paste from news sites leaves them: a title
(sometimes ending in "." or "?"), a byline and/or dateline in one of many layouts, site
furniture of every family scattered through the text, and invented prose. Each scrape
carries its truth (title, authors, publication date, which lines are byline or
boilerplate). The scorer ingests each one and counts title, author and date right /
wrong / missing, byline lines left in the body, and boilerplate lines left per family.

Not fitted to itself: names, publishers, date formats and layouts are drawn
separately, and the scrapes come in three parts. The "held-out" part uses name pools,
publishers, layouts and date formats the "dev" part never uses; the "composed" part
builds each byline at random from pieces, separators, orders and line breaks, so most of
its lines were never written down. All three are printed.

It also compares date readers on the dateline strings alone: reegen's own
(`reegen.ingest.dates`) against dateparser's `search_dates` (installed with trafilatura),
on the generated lines and on real dateline lines read at run time from
../shared/realworld/dates (never copied here).

`measure() -> dict` returns the figures (benchmarks/ingest_quality.py imports it; pass
`compare=False` to skip the date-reader comparison, about 40 s); `main()` prints them.
All generated text here was written for this benchmark.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import time

# --------------------------------------------------------------------------- invented material

FIRST = {
    "dev": ["Marta", "Ibrahim", "Lena", "Tomás", "Aiko", "Dev", "Nora", "Paul", "Greta", "Ama", "Kofi", "Yusuf", "Ines",
            "Hana", "Oskar", "Priya", "Mateo", "Sofia", "Elif", "Rafael"],
    "held-out": ["Jonas", "Leila", "Chidi", "Mei", "Anders", "Farah", "Bruno", "Zainab", "Ilse", "Tariq", "Camille",
                 "Hiroshi", "Nadia", "Emeka", "Sven", "Lucia", "Arjun", "Dana", "Piotr", "Wanjiru"],
}
LAST = {
    "dev": ["Kowal", "Sesay", "Fischer", "Ruiz", "Mori", "Patel", "Quist", "Etxeberria", "Lindqvist", "Owusu", "Mensah",
            "Demir", "Costa", "Novak", "Berg", "Iyer", "Silva", "Rossi", "Kaya", "Moreau"],
    "held-out": ["Brandt", "Haddad", "Okafor", "Zhang", "Holm", "Rahman", "Ferreira", "Bello", "van Dijk", "Aziz",
                 "Laurent", "Tanaka", "Petrova", "Nwosu", "Dahl", "Marino", "Rao", "O'Connell", "Wiśniewski", "Kamau"],
}
PUBLISHERS = {
    "dev": ["Harbour Weekly", "Coastal Times", "Valley Courier", "Metals Ledger", "River Post"],
    "held-out": ["Northern Gazette", "Plains Chronicle", "Bay Observer", "Grid Monitor", "Quarry Journal"],
}
ROLES = ["Senior Reporter", "Staff Writer", "Markets Correspondent", "Energy Editor", "Contributor", "Bureau Chief"]
AGENCIES = ["Reuters", "AP", "AFP"]
PLACES = ["Accra", "Lisbon", "Perth", "Hanoi", "Quito", "Tromsø"]
TOPICS = [("ferry", "crossings"), ("smelter", "restart"), ("harbour", "berth"), ("grain", "silos"), ("wind farm", "turbines"),
          ("copper mine", "expansion"), ("rail line", "upgrade"), ("refinery", "maintenance"), ("dam", "inspection"),
          ("salt works", "harvest"), ("timber mill", "orders"), ("battery plant", "permits")]
HEADLINES = [
    "{Town} {Topic} Faces New Delay",
    "Why the {topic} in {Town} matters",
    "{Town} approves {topic} {thing} after long review",
    "Inside the fight over the {Town} {topic}",
    "Regulators clear {topic} {thing} in {Town}.",
    "Is the {Town} {topic} worth the cost?",
    "{Town} {topic} {thing} wins backing from lenders",
    "What the {topic} {thing} means for {Town}",
]
TOWNS = ["Kestrel Bay", "Amberford", "Lowmere", "Saltvik", "Greyhaven", "Oakridge", "Port Elsen", "Marrow Point"]
SENTENCES = [
    "Officials in {Town} said the {topic} {thing} would go ahead after months of talks.",
    "The decision follows a review of costs that ran for most of the year.",
    "Local firms welcomed the news but warned that financing remains uncertain.",
    "About {n} workers are expected to be hired during construction.",
    "Critics argue the plan does little to address rising power prices in the region.",
    "A spokesperson for the operator declined to give a timeline for the {thing}.",
    "Residents raised concerns about traffic and noise at a public meeting in {Town}.",
    "The council will vote on a related budget measure next month.",
    "Analysts said demand for the {topic} had recovered faster than expected.",
    "The operator has not said how the {thing} will be paid for.",
]

# --------------------------------------------------------------------------- date formats (dev / held-out)


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 11 <= n % 100 <= 13 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


DATE_FORMATS = {
    "dev": [
        lambda d: f"{d.day} {d:%B %Y}",
        lambda d: f"{d:%B} {d.day}, {d.year}",
        lambda d: d.isoformat(),
        lambda d: f"{d:%b} {d.day}, {d.year}",
        lambda d: f"{d:%A}, {d.day} {d:%B %Y}",
        lambda d: f"{d.day} {d:%B %Y}, {random.randint(0, 23):02d}:{random.randint(0, 59):02d} BST",
    ],
    "held-out": [
        lambda d: f"{d:%a} {d.day} {d:%b} {d.year}",
        lambda d: f"{d:%B} {_ordinal(d.day)}, {d.year}",
        lambda d: f"{d:%Y/%m/%d}",
        lambda d: f"{d:%A}, {d:%B} {d.day}, {d.year} at {random.randint(1, 12)}:{random.randint(0, 59):02d} p.m. ET",
        lambda d: f"{d.day:02d}.{d.month:02d}.{d.year}" if d.day > 12 else f"{d.day} {d:%b}. {d.year}",
        lambda d: f"{d.isoformat()}T{random.randint(0, 23):02d}:{random.randint(0, 59):02d}:00Z",
        lambda d: f"{d.month:02d}/{d.day:02d}/{d.year}" if d.day > 12 else f"{d:%B} {d.day}, {d.year}",
    ],
}

# --------------------------------------------------------------------------- byline layouts (dev / held-out)
# Each takes (authors, date text, publisher, updated text) and returns (lines, states_author, states_date).


def _names(authors: list[str], upper: bool = False) -> str:
    text = authors[0] if len(authors) == 1 else f"{', '.join(authors[:-1])} and {authors[-1]}"
    return text.upper() if upper else text


LAYOUTS = {
    "dev": [
        lambda a, d, p, u: ([f"By {_names(a)} | {d}"], True, True),
        lambda a, d, p, u: ([f"{d} — By {_names(a)}"], True, True),
        lambda a, d, p, u: ([f"{d} · {p}"], False, True),
        lambda a, d, p, u: ([f"Published: {d}"], False, True),
        lambda a, d, p, u: ([f"Posted on {d} by {_names(a)}"], True, True),
        lambda a, d, p, u: ([f"{d} · {random.randint(2, 12)} min read"], False, True),
        lambda a, d, p, u: ([f"By {_names(a, upper=True)}", d], True, True),
        lambda a, d, p, u: ([f"By {_names(a)}"], True, False),
        lambda a, d, p, u: ([f"By {_names(a)}, {random.choice(ROLES)}", f"Published {d}", f"Updated {u}"], True, True),
    ],
    "held-out": [
        lambda a, d, p, u: ([f"Written by {_names(a)} in {random.choice(PLACES)} · {d}"], True, True),
        lambda a, d, p, u: ([f"{p} | {d}", f"By {_names(a)}, {random.choice(AGENCIES)}"], True, True),
        lambda a, d, p, u: ([f"Author: {_names(a)} — {d}"], True, True),
        lambda a, d, p, u: ([f"Last updated {u} | First published {d}"], False, True),
        lambda a, d, p, u: ([_names(a[:1]), d], True, True) if len(a) == 1 else ([f"By {_names(a)} / {d}"], True, True),
        lambda a, d, p, u: ([f"{d}", f"By {_names(a)} and {random.choice(AGENCIES)}"], True, True),
        lambda a, d, p, u: ([f"Words by {_names(a)} • {random.randint(2, 9)} minute read • {d}"], True, True),
        lambda a, d, p, u: ([f"Date: {d}"], False, True),
    ],
}

# A third kind of layout is composed at random from pieces, separators and orders, so most
# lines it makes were never written down anywhere (the "composed" scrapes).
AUTHOR_PIECES = [
    lambda a: f"By {_names(a)}", lambda a: f"by {_names(a)}", lambda a: f"BY {_names(a, upper=True)}",
    lambda a: f"Written by {_names(a)}", lambda a: f"Author: {_names(a)}",
    lambda a: f"By {_names(a)}, {random.choice(ROLES)}", lambda a: f"By {_names(a)} in {random.choice(PLACES)}",
    lambda a: f"Story by {_names(a)}",
]
DATE_PIECES = [
    lambda d: d, lambda d: f"Published {d}", lambda d: f"Published: {d}", lambda d: f"Posted {d}", lambda d: f"First published {d}",
]
EXTRA_PIECES = [lambda: f"{random.randint(2, 15)} min read", lambda: f"Reading time: {random.randint(2, 9)} minutes",
                lambda: random.choice(AGENCIES), lambda: "Updated 2 hours ago"]
SEPARATORS = [" | ", " · ", " — ", " • ", " - ", ", ", " / "]


def composed_layout(authors, date_text, publisher, updated_text):
    pieces, states_author, states_date = [], False, False
    if random.random() < 0.8:
        pieces.append(random.choice(AUTHOR_PIECES)(authors))
        states_author = True
    if random.random() < 0.85 or not pieces:
        pieces.append(random.choice(DATE_PIECES)(date_text))
        states_date = True
    if random.random() < 0.4:
        pieces.append(publisher)
    if random.random() < 0.4:
        pieces.append(random.choice(EXTRA_PIECES)())
    if random.random() < 0.3:
        pieces.append(f"Updated {updated_text}")
    random.shuffle(pieces)
    if len(pieces) > 2 and random.random() < 0.4:  # over two lines
        cut = random.randint(1, len(pieces) - 1)
        lines = [random.choice(SEPARATORS).join(pieces[:cut]), random.choice(SEPARATORS).join(pieces[cut:])]
    else:
        lines = [random.choice(SEPARATORS).join(pieces)]
    return lines, states_author, states_date


# --------------------------------------------------------------------------- boilerplate families (variants drawn at random)

FAMILIES = {
    "cookies": [lambda: "We use cookies to give you the best experience. By using this site you accept our use of cookies.",
                lambda: "Accept all cookies", lambda: "This website uses cookies to measure traffic.", lambda: "Reject all",
                lambda: "Cookie settings"],
    "comments": [lambda: "Comments", lambda: f"{random.randint(2, 300)} Comments", lambda: f"Comments ({random.randint(1, 50)})",
                 lambda: f"View all {random.randint(5, 90)} comments"],
    "read-more": [lambda: f"READ MORE: {random.choice(TOWNS)} council weighs new levy",
                  lambda: f"Read more: How the {random.choice(TOPICS)[0]} got built",
                  lambda: f"Also read: {random.choice(TOWNS)} braces for storms"],
    "related": [lambda: f"Related: {random.choice(TOWNS)} port in numbers", lambda: "Related Articles",
                lambda: f"RELATED: Inside the {random.choice(TOPICS)[0]} deal"],
    "continues": [lambda: "Story continues below advertisement", lambda: "Article continues below",
                  lambda: "Continue reading the main story"],
    "advertisement": [lambda: "Advertisement", lambda: "ADVERTISEMENT", lambda: "Sponsored"],
    "listen": [lambda: f"Listen to this article · {random.randint(2, 12)} min", lambda: "Listen to this story",
               lambda: f"Listen ({random.randint(2, 9)} min)"],
    "shares": [lambda: f"shared {random.randint(1, 9)},{random.randint(100, 999)} times", lambda: f"{random.randint(2, 99)} shares",
               lambda: "Share this article"],
    "tip": [lambda: "Have a tip? Email us at tips@example.org", lambda: "Got a news tip? Let us know.",
            lambda: "Send us a tip: newsroom@example.net"],
    "newsletter": [lambda: "Sign up for our newsletter", lambda: "Subscribe to our daily newsletter for the latest updates",
                   lambda: "Get our top stories delivered to your inbox"],
    "follow": [lambda: "Follow us on Twitter", lambda: f"Follow us on {random.choice(['Telegram', 'LinkedIn', 'Facebook'])}",
               lambda: "Like us on Facebook"],
}


def _text(template: str, ctx: dict) -> str:
    return template.format(**ctx)


def make_scrape(rng: random.Random, half: str) -> dict:
    """Return one scrape: its text and truth."""
    random.seed(rng.random())  # the date formats and families use the module generator
    town = rng.choice(TOWNS)
    topic, thing = rng.choice(TOPICS)
    ctx = {"Town": town, "topic": topic, "Topic": topic.title(), "thing": thing, "n": rng.randint(40, 900)}
    title = _text(rng.choice(HEADLINES), ctx)
    title = title[0].upper() + title[1:]
    n_authors = rng.choice([1, 1, 1, 2, 2, 3])
    authors = []
    while len(authors) < n_authors:
        pool = "held-out" if half == "composed" else half
        name = f"{rng.choice(FIRST[pool])} {rng.choice(LAST[pool])}"
        if name not in authors:
            authors.append(name)
    published = dt.date(2018, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 7))
    updated = published + dt.timedelta(days=rng.randint(1, 20))
    publisher = rng.choice(PUBLISHERS["held-out" if half == "composed" else half])
    pool = "held-out" if half == "composed" else half
    fmt = rng.choice(DATE_FORMATS["dev"] + DATE_FORMATS["held-out"]) if half == "composed" else rng.choice(DATE_FORMATS[half])
    layout = composed_layout if half == "composed" else rng.choice(LAYOUTS[half])
    byline, states_author, states_date = layout(authors, fmt(published), publisher, fmt(updated))
    paragraphs = []
    for _ in range(rng.randint(3, 6)):
        paragraphs.append(" ".join(_text(rng.choice(SENTENCES), ctx) for _ in range(rng.randint(2, 4))))
    furniture = []
    for family in rng.sample(sorted(FAMILIES), rng.randint(3, 7)):
        furniture.append((family, rng.choice(FAMILIES[family])()))
    lines = [title, *byline]
    if rng.random() < 0.3:  # a banner above everything
        family, line = furniture.pop(0) if furniture else (None, None)
        if line:
            lines.insert(0, line)
            furniture.insert(0, (family, None))
    body = list(paragraphs)
    for family, line in furniture:
        if line:
            body.insert(rng.randint(1, len(body)), line)
    lines += body
    boiler = [(f, line) for f, line in furniture if line] + [(f, lines[0]) for f, line in furniture if line is None]
    return {
        "text": "\n".join(lines) + "\n",
        "title": title,
        "authors": authors if states_author else [],
        "published": published if states_date else None,
        "byline": byline,
        "boilerplate": boiler,
        "half": half,
    }


HALVES = ("dev", "held-out", "composed")


def generate(n: int = 600, seed: int = 7) -> list[dict]:
    """Return `n` scrapes, a third each dev, held-out and composed."""
    rng = random.Random(seed)
    return [make_scrape(rng, HALVES[i % 3]) for i in range(n)]


# --------------------------------------------------------------------------- scoring


def _author_set(text: str | None) -> set[str]:
    if not text:
        return set()
    return {p.strip() for p in re.split(r",\s*|\s+and\s+", text) if p.strip()}


def score(scrapes: list[dict]) -> dict:
    from reegen.ingest import ingest_source

    halves: dict[str, dict] = {}
    reference = dt.date(2026, 1, 1)
    for scrape in scrapes:
        h = halves.setdefault(scrape["half"], {
            "scrapes": 0, "title_right": 0, "author_right": 0, "author_wrong": 0, "author_missing": 0, "authors_stated": 0,
            "date_right": 0, "date_wrong": 0, "date_missing": 0, "dates_stated": 0, "date_invented": 0,
            "byline_lines": 0, "byline_left": 0, "boilerplate_lines": {}, "boilerplate_left": {}, "refused": 0,
        })
        h["scrapes"] += 1
        try:
            result = ingest_source(scrape["text"].encode("utf-8"), "scrape.txt") if reference else None
        except Exception:  # noqa: BLE001 - a refusal counts against every field
            h["refused"] += 1
            continue
        draft = result.draft
        body = result.text.split("---\n", 2)[2]
        body_lines = {line.strip().lstrip("#>-* ").strip() for line in body.split("\n")}
        h["title_right"] += draft.title == scrape["title"]
        if scrape["authors"]:
            h["authors_stated"] += 1
            got = _author_set(draft.author)
            if got == set(scrape["authors"]):
                h["author_right"] += 1
            elif got:
                h["author_wrong"] += 1
            else:
                h["author_missing"] += 1
        if scrape["published"]:
            h["dates_stated"] += 1
            if draft.published == scrape["published"]:
                h["date_right"] += 1
            elif draft.published:
                h["date_wrong"] += 1
            else:
                h["date_missing"] += 1
        elif draft.published:
            h["date_invented"] += 1
        for line in scrape["byline"]:
            h["byline_lines"] += 1
            h["byline_left"] += line.strip() in body_lines or line.strip() in body
        for family, line in scrape["boilerplate"]:
            h["boilerplate_lines"][family] = h["boilerplate_lines"].get(family, 0) + 1
            if line.strip() in body_lines:
                h["boilerplate_left"][family] = h["boilerplate_left"].get(family, 0) + 1
    return halves


def compare_date_readers(scrapes: list[dict]) -> dict:
    """Score reegen's byline date reading against dateparser on the dateline strings alone."""
    from reegen.ingest.byline import read_byline

    cases = [(s["byline"], s["published"]) for s in scrapes if s["published"]]
    out: dict = {}
    start = time.perf_counter()
    right = sum(read_byline(lines).published == truth for lines, truth in cases)
    out["reegen"] = {"right": right, "of": len(cases), "seconds": round(time.perf_counter() - start, 3)}
    try:
        from dateparser.search import search_dates
    except ImportError:  # pragma: no cover - dateparser comes with trafilatura
        return out
    start = time.perf_counter()
    right = 0
    settings = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False, "STRICT_PARSING": True}
    for lines, truth in cases:
        found = None
        for line in lines:
            if re.match(r"(?i)(last )?updated", line):
                continue
            hits = search_dates(line, languages=["en"], settings=settings) or []
            if hits:
                found = hits[0][1].date()
                break
        right += found == truth
    out["dateparser"] = {"right": right, "of": len(cases), "seconds": round(time.perf_counter() - start, 3)}
    return out


# --------------------------------------------------------------------------- real dateline lines (read at run time)

REALWORLD = __import__("pathlib").Path(__file__).resolve().parents[1] / ".." / "shared" / "realworld"
_MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december"]


def _page_lines(html: str) -> list[str]:
    """Return the page's text one block per line, as a copy-paste from a browser gives it."""
    import lxml.html

    doc = lxml.html.fromstring(html)
    for bad in doc.xpath("//script|//style|//noscript|//svg|//head"):
        bad.drop_tree()
    blocks = {"p", "div", "h1", "h2", "h3", "h4", "li", "br", "tr", "section", "article", "header", "footer", "time",
              "dd", "dt", "figcaption", "blockquote", "td"}
    out: list[str] = []

    def walk(el) -> None:
        if not isinstance(el.tag, str):
            return
        if el.tag in blocks:
            out.append("\n")
        out.append(el.text or "")
        for child in el:
            walk(child)
            out.append(child.tail or "")
        if el.tag in blocks:
            out.append("\n")

    walk(doc)
    return [" ".join(line.split()) for line in "".join(out).split("\n") if line.strip()]


def _mentions(line: str, date: dt.date) -> bool:
    """Whether `line` plausibly writes `date` (chosen without reegen's or dateparser's reading)."""
    low = line.lower()
    if str(date.year) not in low:
        return False
    if _MONTH_NAMES[date.month - 1][:3] in low and re.search(rf"(?<!\d)0?{date.day}(?!\d)", low):
        return True
    d, m = date.day, date.month
    return bool(re.search(rf"(?<!\d)(0?{d}[./-]0?{m}|0?{m}[./-]0?{d}|{date.year}[./-]0?{m}[./-]0?{d})(?!\d)", low))


def real_datelines(limit: int = 400) -> list[tuple[str, dt.date]]:
    """Return short lines of the shared real pages that write the page's checked publication date."""
    import gzip
    import json

    folder = REALWORLD / "dates"
    if not (folder / "truth.json").is_file():
        return []
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    out: list[tuple[str, dt.date]] = []
    for name in sorted(truth):
        value = truth[name].get("date")
        if not isinstance(value, str):
            continue
        date = dt.date.fromisoformat(value[:10])
        path = folder / (name if name.endswith(".gz") else name + ".gz")
        try:
            html = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
            lines = _page_lines(html)
        except Exception:  # noqa: BLE001 - a page lxml cannot read is left out
            continue
        for line in lines[:600]:
            if len(line) <= 90 and _mentions(line, date):
                out.append((line, date))
                break  # the first such line on the page: usually the dateline
        if len(out) >= limit:
            break
    return out


def compare_on_real_lines() -> dict:
    """Date right / wrong / none on real dateline lines: reegen's byline reader against dateparser."""
    from reegen.ingest.byline import read_byline

    cases = real_datelines()
    if not cases:
        return {}
    out: dict = {"lines": len(cases)}
    counts = {"right": 0, "wrong": 0, "none": 0}
    for line, truth in cases:
        got = read_byline([line]).published
        counts["right" if got == truth else "wrong" if got else "none"] += 1
    out["reegen"] = counts
    try:
        from dateparser.search import search_dates
    except ImportError:  # pragma: no cover
        return out
    counts = {"right": 0, "wrong": 0, "none": 0}
    settings = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False, "STRICT_PARSING": True}
    for line, truth in cases:
        try:
            hits = search_dates(line, settings=settings) or []
        except Exception:  # noqa: BLE001 - dateparser raises on some scripts
            hits = []
        got = hits[0][1].date() if hits else None
        counts["right" if got == truth else "wrong" if got else "none"] += 1
    out["dateparser"] = counts
    return out


def measure(n: int = 600, seed: int = 7, *, compare: bool = True) -> dict:
    """Return the plain-text figures: per half and overall, plus the date-reader comparison."""
    scrapes = generate(n, seed)
    halves = score(scrapes)
    total: dict = {}
    for h in halves.values():
        for key, value in h.items():
            if isinstance(value, dict):
                bucket = total.setdefault(key, {})
                for k, v in value.items():
                    bucket[k] = bucket.get(k, 0) + v
            else:
                total[key] = total.get(key, 0) + value
    figures = {"all": total, **halves}
    for h in figures.values():
        h["title_pct"] = _pct(h["title_right"], h["scrapes"])
        h["author_pct"] = _pct(h["author_right"], h["authors_stated"])
        h["date_pct"] = _pct(h["date_right"], h["dates_stated"])
        h["date_wrong_pct"] = _pct(h["date_wrong"], h["dates_stated"])
    if compare:
        figures["date_readers"] = compare_date_readers(scrapes)
        figures["real_datelines"] = compare_on_real_lines()
    return figures


def _pct(a: int, b: int) -> float:
    return round(100 * a / b, 1) if b else 0.0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=600)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    figures = measure(args.n, args.seed)
    print(f"plain-text scrapes: {args.n} (seed {args.seed})")
    for half in ("all", *HALVES):
        h = figures[half]
        print(f"\n[{half}] {h['scrapes']} scrapes, {h['refused']} refused")
        print(f"  title   right {h['title_right']}/{h['scrapes']} ({h['title_pct']} %)")
        print(f"  author  right {h['author_right']}, wrong {h['author_wrong']}, missing {h['author_missing']} "
              f"of {h['authors_stated']} ({h['author_pct']} %)")
        print(f"  date    right {h['date_right']}, wrong {h['date_wrong']}, missing {h['date_missing']} "
              f"of {h['dates_stated']} ({h['date_pct']} %); invented where none stated: {h['date_invented']}")
        print(f"  byline lines left in the body: {h['byline_left']} of {h['byline_lines']}")
        left = ", ".join(f"{f} {h['boilerplate_left'].get(f, 0)}/{n}" for f, n in sorted(h["boilerplate_lines"].items()))
        print(f"  boilerplate lines left per family: {left}")
    readers = figures.get("date_readers", {})
    if readers:
        print("\ndate readers on the dateline strings alone:")
        for name, r in readers.items():
            print(f"  {name:10s} right {r['right']}/{r['of']} ({_pct(r['right'], r['of'])} %) in {r['seconds']} s")
    real = figures.get("real_datelines", {})
    if real:
        print(f"\nreal dateline lines ({real['lines']} lines of the shared dated pages that write the checked date):")
        for name in ("reegen", "dateparser"):
            if name in real:
                c = real[name]
                print(f"  {name:10s} right {c['right']} ({_pct(c['right'], real['lines'])} %), wrong {c['wrong']}, none {c['none']}")


if __name__ == "__main__":
    main()
