"""Generated inputs for the benchmarks: article corpora, brief specs and raw scraped pages.

Everything is built from templated sentences written for these benchmarks, with a fixed
random seed, so every run measures the same bytes. Nothing here imports reegen.

    corpus(folder, n, seed)       n article files (Markdown + YAML front matter)
    raw_pages(folder, n, seed)    n scraped-looking .txt pages for `reegen ingest`
    large_spec(path)              the ~230-page brief over 500 generated articles
    validate_spec(path)           a spec that selects from a large corpus
    paged_project(folder, pages)  a project whose large brief runs to about `pages` pages
    ten_spec(path)                a 10-article brief selected from whatever corpus it sits beside
    one_article_specs(folder, ids, n)  n small specs, each naming one article

From the shell (for looking at the inputs, or timing by hand):

    python benchmarks/gen.py corpus DIR --articles 100000
    python benchmarks/gen.py brief DIR --pages 1000
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

PLACES = ["Baotou", "Ganzhou", "Chifeng", "Bayan Obo", "Longnan", "Leshan", "Xiamen", "Ningbo",
          "Changting", "Sanming", "Hohhot", "Wuhai", "Dengkou", "Shangrao", "Fuzhou", "Liangshan"]
COMPANIES = ["Northfield Magnetics", "Qinghe Materials", "Eastgate Rare Metals", "Harbourline Alloys",
             "Silverstep Oxides", "Redpine Separation", "Tallgrass Magnet Works", "Ironbridge Resources",
             "Bluecrest Metallurgy", "Willowmere Motors", "Stonefield Recycling", "Greyhaven Mining"]
PRODUCTS = ["sintered NdFeB magnets", "bonded magnets", "praseodymium-neodymium oxide", "dysprosium metal",
            "terbium oxide", "magnet alloy strip", "polishing powder", "hydrogen-storage alloy",
            "lanthanum carbonate", "cerium oxide", "samarium-cobalt magnets", "recycled magnet swarf"]
OXIDES = ["PrNd oxide", "dysprosium oxide", "terbium oxide", "neodymium metal", "lanthanum oxide"]
PERIODS = ["the first quarter", "the second quarter", "the third quarter", "the first half", "the past year",
           "the last twelve months", "the month of March", "the autumn season"]
TOPICS = {
    "magnets": "magnet", "policy": "policy", "prices": "price", "mining": "mine", "recycling": "recycling",
    "exports": "export", "financing": "loan", "talent": "training", "separation": "separation",
    "motors": "motor", "permits": "permit", "logistics": "freight",
}
#: (publisher, share): registry names and invented outlets, so caveats vary
PUBLISHERS = ["Rare Earth Exchanges", "Xinhua", "Global Times", "Baogang Daily", "China Daily",
              "Magnet Metals Weekly", "Critical Inputs Review", "Northern Ore Bulletin", "Reuters",
              "Shanghai Metals Desk", "Strategic Materials Letter", "Inner Mongolia Business Daily"]
ORIGINS = [("Baogang Group media", "state-owned", False), ("Baotou Municipal Government", "government", True),
           ("Baogang Daily", "state-affiliated", True), ("China Northern Rare Earth", "state-owned", True)]
LEAD_INS = ["Administrative speed", "New financing", "Capacity build-out", "Export controls", "Price signals",
            "Talent pipeline", "Recycling push", "Land and power", "Downstream demand", "Quality upgrades",
            "Consolidation", "Research platforms", "Customs data", "Environmental checks"]


def _sentences(rng: random.Random, topic: str, k: int | None = None, figures: float = 0.2) -> list[str]:
    """Return `k` (default 3-5) fresh sentences; about `figures` of them carry a number."""
    k = k if k is not None else rng.randint(3, 5)
    out = []
    for _ in range(k):
        place, company, product = rng.choice(PLACES), rng.choice(COMPANIES), rng.choice(PRODUCTS)
        if rng.random() < figures:
            pct = round(rng.uniform(1, 90), 1)
            money = rng.randint(8, 2000)
            count = rng.randint(12, 9000)
            out.append(rng.choice([
                f"{company} said its output of {product} rose {pct}% in {rng.choice(PERIODS)}.",
                f"Officials in {place} approved {count} new projects worth ¥{money} million (~${money * 0.138:.1f} million).",
                f"The city aims to lift {product} capacity to {rng.randint(2, 90) * 500:,} tonnes a year by "
                f"{rng.choice([2026, 2027, 2028, 2030])}.",
                f"Quoted prices for {rng.choice(OXIDES)} climbed {pct}% over {rng.choice(PERIODS)}, according to traders.",
                f"The plant employs {count} workers across {rng.randint(2, 14)} production lines.",
                f"A provincial fund has set aside ¥{money} million for {topic} upgrades in {place}.",
            ]))
        else:
            out.append(rng.choice([
                f"Local reporting describes the {topic} programme in {place} as a model for other industrial parks.",
                f"Analysts caution that the {topic} claims come from the companies themselves and are hard to check.",
                f"Several suppliers in {place} said they were waiting for clearer guidance before expanding.",
                f"The programme links universities, laboratories and factories in one {topic} chain.",
                f"{company} described the new {topic} rules as a turning point for makers of {product}.",
                f"Approvals for {topic} applications in {place} now clear in hours rather than weeks.",
                f"Western buyers of {product} are watching the {place} programme closely.",
                f"The {topic} effort leans on state land, cheap power and patient local banks.",
                f"Critics in the trade press say {place} risks building more {product} capacity than it can sell.",
                f"A cross-department working group in {place} meets weekly to unblock {topic} projects.",
                f"{company} plans to move part of its {product} work closer to customers on the coast.",
                f"The announcement repeats goals first set out in the provincial {topic} plan.",
            ]))
    return out


def _paragraph(rng: random.Random, topic: str, marker: str = "", k: int | None = None) -> str:
    return " ".join(_sentences(rng, topic, k)) + marker


def article_text(rng: random.Random, index: int, start: dt.date) -> tuple[str, str]:
    """Return (id, file text) of generated article number `index`."""
    tags = rng.sample(sorted(TOPICS), rng.randint(2, 4))
    place = rng.choice(PLACES)
    if place.lower() == "baotou" or rng.random() < 0.45:
        tags.append("baotou")
    tags.append("generated")
    topic = TOPICS[tags[0]]
    publisher = rng.choice(PUBLISHERS)
    published = start + dt.timedelta(days=rng.randint(0, 900))
    article_id = f"gen-{index:05d}-{place.lower().replace(' ', '-')}-{topic}"
    title = f"{place} {rng.choice(['speeds up', 'expands', 'tightens', 'reshapes', 'bets on'])} {topic} " \
            f"{rng.choice(['plans', 'rules', 'capacity', 'support', 'targets'])} for {rng.choice(PRODUCTS)}"
    refs = rng.random() < 0.3
    meta = [
        "---",
        f"id: {article_id}",
        f"title: {title}",
        f"publisher: {publisher}",
        f"published: {published.isoformat()}",
        f"url: https://example.org/news/{published.year}/{article_id}",
        f"tags: [{', '.join(tags)}]",
    ]
    if rng.random() < 0.35:
        name, kind, translated = rng.choice(ORIGINS)
        meta.append("origin:")
        meta.append(f"  - {{name: {name}, kind: {kind}, translated: {str(translated).lower()}}}")
    if refs:
        meta += ["references:",
                 f"  1: {{title: {place} {topic} notice, publisher: {place} Municipal Government, "
                 f"url: 'https://example.gov/{article_id}', date: {published.isoformat()}}}"]
    if rng.random() < 0.2:
        meta += ["disclaimers:", "  - Figures come from official statements and have not been independently checked."]
    meta.append("---")
    body = [_paragraph(rng, topic, " [1]" if refs else ""), "", _paragraph(rng, topic), "", "## Highlights", ""]
    body += [f"- {s}" for s in _sentences(rng, topic, 2, figures=0.3)]
    body += ["", "## Key developments", ""]
    for lead_in in rng.sample(LEAD_INS, rng.randint(1, 2)):
        body += [f"**{lead_in}.** {_paragraph(rng, topic, k=2)}", ""]
    if rng.random() < 0.3:
        body += [f"> “{_sentences(rng, topic, 1, figures=0)[0]}”", ""]
    body += ["## Market context", "", _paragraph(rng, topic, k=2), ""]
    body += ["## Analysis", "", _paragraph(rng, topic), "", _paragraph(rng, topic), ""]
    return article_id, "\n".join(meta + body)


def corpus(folder: Path, n: int, seed: int = 8) -> list[str]:
    """Write `n` generated article files into `folder`; return their ids."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    start = dt.date(2023, 6, 1)
    ids = []
    for i in range(n):
        article_id, text = article_text(rng, i, start)
        (folder / f"{article_id}.md").write_text(text, encoding="utf-8")
        ids.append(article_id)
    return ids


def raw_page(rng: random.Random, index: int) -> str:
    """Return one scraped-looking page: title line, Highlights bullets, glued lead-ins, boilerplate."""
    tags = rng.sample(sorted(TOPICS), 2)
    topic = TOPICS[tags[0]]
    place = rng.choice(PLACES)
    lines = [f"{place} {rng.choice(['Accelerates', 'Expands', 'Overhauls', 'Doubles Down On'])} "
             f"{topic.title()} Push-But Raises New Questions ({index})", ""]
    lines += ["Highlights", ""]
    for s in _sentences(rng, topic)[:3]:
        lines.append(f"  • {s}")
    if rng.random() < 0.5:
        lines += ["  • The plan covers:", "    • Faster approvals", "    • Cheaper credit", "    • Dedicated land"]
    lines.append("")
    lines += [_paragraph(rng, topic) + " [1]", "", _paragraph(rng, topic), ""]
    lines += ["Key Developments:", ""]
    for lead_in in rng.sample(LEAD_INS, 3):
        # Scraped bold lead-ins lose their markup and run into the next word.
        lines.append(lead_in.title() + _paragraph(rng, topic))
    lines += ["", "Market Context", "", _paragraph(rng, topic), ""]
    if rng.random() < 0.4:
        lines += [f"“{_sentences(rng, topic, 1, figures=0)[0]}”", ""]
    month = rng.choice(["January", "March", "May", "July", "September", "November"])
    lines += [f"Source: {rng.choice(['Baogang Daily', 'Xinhua', 'Global Times'])}, {month} {rng.randint(1, 28)}, 2025", ""]
    lines += ["Spread the word:", "", "CATEGORIES: , , ,", "", "Rare Earth Exchanges™. All Rights Reserved.", "",
              "Leave a Reply", "", "Your email address will not be published. Required fields are marked *"]
    return "\n".join(lines) + "\n"


def raw_pages(folder: Path, n: int, seed: int = 8) -> list[Path]:
    """Write `n` raw pages as `folder/page-NNNN.txt`; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for i in range(n):
        path = folder / f"page-{i:04d}.txt"
        path.write_text(raw_page(rng, i), encoding="utf-8")
        paths.append(path)
    return paths


LARGE_SPEC = """\
# Generated: a large brief over every article of a generated corpus (benchmarks/run.py).
title: Rare-earth industry monitor — full quarter
subtitle: Every generated article, section by section
audience: Analysts
author: Benchmark desk
date: 2026-05-01
classification: Internal — benchmark
template: executive
articles:
  - select: {tags: [generated], order: oldest}
sections:
  - title: Highlights
    from: highlights
    subheadings: true
  - title: Key developments
    from: key-developments
    subheadings: true
  - title: Key figures
    figures: auto
caveats:
  stale_after_days: 3650
"""

VALIDATE_SPEC = """\
# Generated: selection over a large corpus (benchmarks/run.py).
title: Baotou magnets and prices — weekly
date: 2026-05-01
template: executive
articles:
  - {first}
  - select: {{tags: [baotou, magnets], since: 2024-01-01, query: 'capacity', limit: 8}}
  - select: {{any_tags: [prices, exports], publisher: Xinhua, limit: 5}}
sections:
  - title: Executive summary
    from: highlights
    max_items: 8
  - title: Key developments
    from: key-developments
    max_words: 400
  - title: Key figures
    figures: auto
"""


def large_spec(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(LARGE_SPEC, encoding="utf-8")
    return path


def validate_spec(path: Path, first_id: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(VALIDATE_SPEC.format(first=first_id), encoding="utf-8")
    return path


#: generated articles a page of the large brief takes (500 articles made 273 pages at c399e7b)
ARTICLES_PER_PAGE = 500 / 273

TEN_SPEC = """\
# Generated: a 10-article brief, whatever the size of the corpus beside it (benchmarks/run.py).
title: Ten oldest generated articles
date: 2026-05-01
template: executive
articles:
  - select: {tags: [generated], order: oldest, limit: 10}
sections:
  - title: Highlights
    from: highlights
  - title: Key developments
    from: key-developments
"""

ONE_SPEC = """\
# Generated: one of many small briefs (benchmarks/run.py).
title: Brief {n}
date: 2026-05-01
template: executive
articles: [{article}]
sections:
  - title: Highlights
    from: highlights
"""


def paged_project(folder: Path, pages: int, seed: int = 8) -> Path:
    """Write a project whose large brief runs to about `pages` pages; return the spec's path."""
    if not (folder / "articles").is_dir():
        corpus(folder / "articles", max(1, round(pages * ARTICLES_PER_PAGE)), seed)
    (folder / "reegen.toml").write_text("", encoding="utf-8")
    return large_spec(folder / "briefs" / "large.yaml")


def ten_spec(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(TEN_SPEC, encoding="utf-8")
    return path


def one_article_specs(folder: Path, ids: list[str], n: int) -> list[Path]:
    """Write `n` specs into `folder`, each naming one of `ids` in turn; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = folder / f"brief-{i:04d}.yaml"
        path.write_text(ONE_SPEC.format(n=i, article=ids[i % len(ids)]), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(description="Write generated benchmark inputs.")
    sub = parser.add_subparsers(dest="what", required=True)
    one = sub.add_parser("corpus", help="a project with N generated articles and a 10-article brief")
    one.add_argument("folder", type=Path)
    one.add_argument("--articles", type=int, default=100_000)
    two = sub.add_parser("brief", help="a project whose large brief runs to about N pages")
    two.add_argument("folder", type=Path)
    two.add_argument("--pages", type=int, default=1000)
    args = parser.parse_args(argv)
    if args.what == "corpus":
        corpus(args.folder / "articles", args.articles, seed=10)
        (args.folder / "reegen.toml").write_text("", encoding="utf-8")
        print(ten_spec(args.folder / "briefs" / "ten.yaml"))
    else:
        print(paged_project(args.folder, args.pages))


if __name__ == "__main__":
    main()
