"""Extract numeric claims ("figures") from an article's text: pure functions over its model blocks.

A figure is a number a reader might quote: a percentage, an amount of money (with the
conversion the text gives, "¥110 million (~$15.2 million)"), a count of something
("793 new businesses", "active licences passed 24,800") or a measure ("140 acres",
"three days"). Each gets a stable id `article-id/fN`: N counts every figure found in
the whole article, in the order they appear in the file, so an id stays the same as
long as the article's text does.

What is not a figure: years and dates ("2026", "July 10", "Q1 2025"), ordinals
("15th Five-Year Plan", "80th anniversary"), numbers glued to letters ("F-35", "5G"),
section and list numbers ("Section 3"), citation markers, and a bare number that
counts nothing named in its clause.

Each figure has a kind, read from its sentence: `target` (a target or plan: "targets
for 2026", "aims to", "by 2026"), `forecast` ("expected to", "will"), `price-move`
(a change in prices) or `result` (anything reported as having happened).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from .model import Code, Emph, Inline, LineBreak, Link, Paragraph, Strong, Text, walk

#: figure kinds, in the order a Key figures table groups them, with a reader's label
KINDS = {
    "result": "Reported result",
    "price-move": "Price move",
    "forecast": "Forecast",
    "target": "Target or plan",
}


@dataclass(frozen=True, slots=True)
class Figure:
    """One numeric claim in an article, as the article states it."""

    #: `article-id/fN`, stable while the article's text is unchanged
    id: str
    article_id: str
    #: the section slug it sits in, and the line of its paragraph in the article file
    section: str
    line: int | None
    #: the value as printed in a table, qualifier and conversion included: "more than ¥110 million (~$15.2 million)"
    value: str
    #: the number as a float (scale applied: 110000000.0), or None when the text gives no single number
    amount: float | None
    #: "%", "pp", a currency code (CNY, USD, EUR, GBP), a measure ("acres", "days") or the counted noun ("businesses")
    unit: str
    #: "result", "target", "forecast" or "price-move"
    kind: str
    #: what the number measures, in the article's words: "New businesses registered in the zone"
    measure: str
    #: the sentence that states it
    sentence: str
    #: the period the text ties it to ("Q1 2025", "2026"), if any
    period: str | None = None
    #: a conversion given in the text, such as "~$15.2 million"
    conversion: str | None = None
    #: "more than", "above", "under", "+" ...
    qualifier: str | None = None

    @property
    def number(self) -> int:
        """Return N of the id `article-id/fN`."""
        return int(self.id.rpartition("/f")[2])

    @property
    def kind_label(self) -> str:
        """Return the kind as a reader reads it: "Target or plan"."""
        return KINDS.get(self.kind, self.kind)

    def same_claim(self, other: "Figure") -> bool:
        """Return whether `other` states the same number of the same thing (value, unit and kind)."""
        if self.unit != other.unit or self.kind != other.kind:
            return False
        if self.amount is None or other.amount is None:
            return self.value.casefold() == other.value.casefold()
        return abs(self.amount - other.amount) <= 1e-9 * max(1.0, abs(self.amount))


class ClaimIndex:
    """Figures grouped by claim, to find those stating the same claim as a figure without comparing every pair.

    `matches(fig)` returns exactly the figures `f` of the index, in index order, for which
    `fig.same_claim(f)` holds. Figures are grouped by (unit, kind); within a group, those
    with an amount are sorted by it, so only the few near `fig.amount` are compared, and
    those without one are looked up by their value's casefold.
    """

    __slots__ = ("_figures", "_groups")

    def __init__(self, figures) -> None:
        self._figures: tuple[Figure, ...] = tuple(figures)
        groups: dict[tuple[str, str], _ClaimGroup] = {}
        for pos, f in enumerate(self._figures):
            group = groups.get((f.unit, f.kind))
            if group is None:
                group = groups[(f.unit, f.kind)] = _ClaimGroup()
            group.every.append(pos)
            value = f.value.casefold()
            group.by_value.setdefault(value, []).append(pos)
            if f.amount is None:
                group.no_amount.setdefault(value, []).append(pos)
            elif math.isfinite(f.amount):
                group.sorted.append((f.amount, pos))
            else:
                group.odd.append(pos)  # inf (a number too long for a float): always compared
        for group in groups.values():
            group.sorted.sort()
            group.amounts = [a for a, _ in group.sorted]
            group.positions = [pos for _, pos in group.sorted]
        self._groups = groups

    def matches(self, fig: Figure) -> list[Figure]:
        """Return the figures of the index that state the same claim as `fig`, in index order."""
        group = self._groups.get((fig.unit, fig.kind))
        if group is None:
            return []
        if fig.amount is None:
            candidates = group.by_value.get(fig.value.casefold(), ())
        elif not math.isfinite(fig.amount):
            candidates = group.every
        else:
            # A generous window around the tolerance of `same_claim`; `same_claim` decides below.
            slack = 2e-9 * max(1.0, abs(fig.amount))
            lo = bisect_left(group.amounts, fig.amount - slack)
            hi = bisect_right(group.amounts, fig.amount + slack)
            candidates = sorted(group.positions[lo:hi] + group.no_amount.get(fig.value.casefold(), [])
                                + group.odd)
        figures = self._figures
        return [figures[pos] for pos in candidates if fig.same_claim(figures[pos])]


class _ClaimGroup:
    """The figures of one (unit, kind), by position in a `ClaimIndex`."""

    __slots__ = ("every", "by_value", "no_amount", "sorted", "odd", "amounts", "positions")

    def __init__(self) -> None:
        self.every: list[int] = []
        #: value.casefold() -> every figure with that value, with an amount or not
        self.by_value: dict[str, list[int]] = {}
        #: value.casefold() -> the figures with that value and no amount
        self.no_amount: dict[str, list[int]] = {}
        self.sorted: list[tuple[float, int]] = []
        self.odd: list[int] = []
        self.amounts: list[float] = []
        self.positions: list[int] = []


# --------------------------------------------------------------------------- patterns

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# (used in a verbose pattern: a space must be written [ ]; codes need a word boundary, or "ambitious 2026" is money)
_CUR_PRE = r"\bUS\$|\bA\$|\bC\$|\bHK\$|\bRMB[ ]?|\bCNY[ ]?|\bUSD[ ]?|\bEUR[ ]?|[¥$€£]"
_SCALE_WORDS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
                "k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9, "b": 1e9, "tn": 1e12}
_CUR_CODES = {"¥": "CNY", "rmb": "CNY", "cny": "CNY", "yuan": "CNY", "renminbi": "CNY",
              "$": "USD", "us$": "USD", "usd": "USD", "dollars": "USD", "a$": "AUD", "c$": "CAD", "hk$": "HKD",
              "€": "EUR", "eur": "EUR", "euros": "EUR", "£": "GBP", "pounds": "GBP"}
_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "hundred": 100, "a hundred": 100, "half a": 0.5, "half an": 0.5,
}
#: units that belong to the value ("140 acres"); spelled-out numbers count only before these
_MEASURES = ("acres", "acre", "hectares", "hectare", "tonnes", "tonne", "tons", "ton", "metric tons",
             "kilograms", "kilogram", "kg", "kilometres", "kilometers", "km", "square metres", "square meters",
             "mw", "gw", "kw", "mwh", "gwh", "twh", "days", "day", "hours", "hour", "weeks", "week",
             "months", "month")
#: units a digit number may also carry ("a 10-year contract"), but a spelled-out one may not ("two years to the day")
_DIGIT_MEASURES = ("years", "year")
#: nouns a number counts; looked for after the number, or before it ("licences passed 24,800")
_COUNTED = frozenset("""
    businesses business companies company firms firm enterprises enterprise licences licenses licence license
    projects project jobs workers employees engineers students graduates patents plants factories mines
    facilities platforms centres centers bases parks zones deals contracts agreements loans units vehicles
    turbines magnets people residents researchers scientists institutions universities laboratories labs
    programmes programs products applications approvals permits cases registrations households sites members
    delegates participants visitors stations lines startups start-ups investors buyers customers orders
    shipments containers tests trials breakthroughs subsidies grants schools courses
""".split())
_STOP_AFTER = frozenset("in of to for by from at on with that which who than per as into over under but".split())
_NOT_NOUNS = frozenset("""
    is was has its this thus as us his plus less across always perhaps whereas unless yes does goes
    this its their these those always sometimes
""".split())
_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
           "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
_NUMBERED = re.compile(r"\b(?:section|article|chapter|item|phase|step|table|figure|no\.|number|lot|line|unit|"
                       r"grade|level|class|tier|round|version|part|page|paragraph|clause|rule|point|"
                       r"q|h|fy|cy)\s*$", re.I)
_QUALIFIER = re.compile(r"(?:\b(more than|over|above|under|below|nearly|almost|about|around|roughly|approximately|"
                        r"some|up to|at least|at most|less than|fewer than|close to|in excess of|exceeding)\s+|(~|≈))$",
                        re.I)
_WORDS_ALT = "|".join(sorted((re.escape(w) for w in _WORD_NUMBERS), key=len, reverse=True))
_MEASURES_ALT = "|".join(sorted((re.escape(m) for m in _MEASURES + _DIGIT_MEASURES), key=len, reverse=True))

_FIGURE = re.compile(
    rf"""
    (?P<cur>{_CUR_PRE})\s?(?P<mnum>{_NUM})(?P<mscale>\s(?:thousand|million|billion|trillion)\b|(?:bn|mn|tn|m|b|k)\b)?
  | (?P<num>{_NUM})(?:\s?[-–]\s?(?P<num2>{_NUM}))?
    (?P<scale>\s(?:thousand|million|billion|trillion)\b|(?:bn|mn)\b)?
    (?P<pct>\s?%|\s(?:percent|per\ cent)\b|\s?percentage\ points?\b|\s?pp\b)?
    (?P<plus>\+)?
    (?P<cur2>\s(?:yuan|renminbi|dollars|euros|pounds)\b)?
  | \b(?P<word>{_WORDS_ALT})[\s-](?P<wunit>(?:{"|".join(re.escape(m) for m in _MEASURES)}))\b
  | \b(?P<digits>double|triple)-digit\b
    """,
    re.X | re.I,
)
_CONVERSION = re.compile(
    rf"\s*\((?P<inner>(?:~|≈|about |around |approx\. |approximately |roughly |some |c\. |or )?"
    rf"(?:{_CUR_PRE})\s?(?:{_NUM})(?:\s(?:thousand|million|billion|trillion)\b|(?:bn|mn|m|b|k)\b)?)\)"
)
_UNIT_AFTER = re.compile(rf"^[\s-](?P<unit>{_MEASURES_ALT})\b", re.I)

_TARGET = re.compile(r"\b(?:targets?|targeted|targeting|goals?|aims?|aimed|aiming|plans? to|planned|planning to|"
                     r"set to|seeks? to|seeking to|intends?|intended|pledged?|pledges|ambitions?|objectives?|"
                     r"quotas?|calls? for|is to|are to)\b", re.I)
_FORECAST = re.compile(r"\b(?:forecasts?|forecasted|expected|expects?|projected|projections?|predicts?|predicted|"
                       r"anticipated?|outlook|could reach|would reach|will|is likely|are likely|estimated to)\b", re.I)
_BY_YEAR = re.compile(r"\bby (?:the end of )?((?:19|20)\d\d)\b", re.I)
_PRICE = re.compile(r"\bprices?\b|\bpriced\b|\bper (?:tonne|ton|kg|kilogram)\b", re.I)
_PERIOD = (
    re.compile(r"\b(Q[1-4]|H[12])\s?((?:19|20)\d\d)\b"),
    re.compile(r"\b(?:for|by|in|during|through|since) ((?:19|20)\d\d)\b", re.I),
    re.compile(r"\b((?:19|20)\d\d) (?:targets?|goals?|plan)\b", re.I),
)
_ABBREVIATIONS = ("U.S.", "U.K.", "e.g.", "i.e.", "Mr.", "Mrs.", "Ms.", "Dr.", "No.", "vs.", "etc.", "Inc.", "Co.",
                  "Ltd.", "St.", "approx.", "c.")
_SENTENCE_GAP = re.compile(r"(?<=[.!?…])[\"”’)]*\s+(?=[A-Z“\"‘(¥$€£0-9])")
_CLAUSE_GAP = re.compile(r"[,;:]\s+|\s?—\s?|\s–\s")  # not "2026–2030"
_LEAD_WORDS = ("and", "or", "but", "while", "whereas", "which", "who", "that", "so that", "so", "with", "as", "of",
               "in", "by", "to", "from", "for", "at", "a", "an", "the", "including", "such as", "when", "where",
               "after", "before", "since", "then", "now", "also", "only", "even", "just", "have", "has", "had")
_TRAIL_WORDS = ("by", "of", "to", "at", "in", "for", "from", "with", "than", "above", "over", "under", "below",
                "nearly", "almost", "about", "around", "passed", "reached", "hit", "topped", "exceeded", "jumped",
                "rose", "fell", "grew", "increased", "decreased", "dropped", "declined", "climbed", "surged",
                "totalled", "totaled", "stood", "was", "were", "is", "are", "has", "have", "a", "an", "the", "more",
                "some", "up", "so far", "now", "be", "and", "or", "roughly", "approximately", "less", "fewer",
                "at least", "up to", "exceeding", "to date", "of some", "worth")
_AUXILIARY = re.compile(r"\s(?:has been|have been|had been|is being|are being|was being|were being|was|were)\s(?=\w+(?:ed|en)\b)")
_MAX_MEASURE_WORDS = 14


# --------------------------------------------------------------------------- extraction


@dataclass(slots=True)
class _Hit:
    start: int
    end: int
    value: str
    amount: float | None
    unit: str
    conversion: str | None = None
    qualifier: str | None = None
    #: a counted noun stays in the measure; a measure unit belongs to the value
    counted: bool = False


def extract_figures(article) -> tuple[Figure, ...]:
    """Return every figure in `article` (an `Article`), numbered f1, f2, … in file order."""
    published_year = article.published.year if getattr(article, "published", None) else None
    out: list[Figure] = []
    for section in article.sections:
        for block in walk(section.blocks):
            if not isinstance(block, Paragraph):
                continue  # headings and tables are not claims; list items and quotes hold paragraphs
            line = block.source.line if block.source else None
            for sentence in split_sentences(inline_text(block.children)):
                for fig in figures_in_sentence(sentence, published_year=published_year):
                    n = len(out) + 1
                    out.append(Figure(
                        id=f"{article.id}/f{n}", article_id=article.id, section=section.slug, line=line,
                        **fig,
                    ))
    return tuple(out)


def inline_text(inlines: tuple[Inline, ...] | list[Inline]) -> str:
    """Return the words of `inlines` without citation markers: what a figure's sentence says."""
    parts: list[str] = []
    for node in inlines:
        if isinstance(node, (Text, Code)):
            parts.append(node.text)
        elif isinstance(node, (Strong, Emph, Link)):
            parts.append(inline_text(node.children))
        elif isinstance(node, LineBreak):
            parts.append(" ")
    text = " ".join("".join(parts).split())
    return re.sub(r"\s+([.,;:!?)])", r"\1", text)


def split_sentences(text: str) -> list[str]:
    """Return the sentences of `text`, not split after abbreviations such as "U.S."."""
    out: list[str] = []
    start = 0
    for gap in _SENTENCE_GAP.finditer(text):
        head = text[start:gap.start()]
        last = head.rsplit(None, 1)[-1] if head.split() else ""
        if any(last.endswith(a) for a in _ABBREVIATIONS) and not last.endswith(("etc.",)):
            continue
        out.append(text[start:gap.start()].strip())
        start = gap.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return [s for s in out if s]


def figures_in_sentence(sentence: str, *, published_year: int | None = None) -> list[dict]:
    """Return the fields (all but id, article, section, line) of each figure in `sentence`, in order."""
    hits = _hits(sentence)
    out = []
    for hit in hits:
        kind = _kind(sentence, hit, published_year)
        value = hit.value + (f" ({hit.conversion})" if hit.conversion else "")
        if hit.qualifier:
            value = (hit.qualifier + value) if hit.qualifier in ("~", "≈") else f"{hit.qualifier} {value}"
        out.append({
            "value": value, "amount": hit.amount, "unit": hit.unit, "kind": kind,
            "measure": _measure(sentence, hit, hits), "sentence": sentence,
            # A target's year may close a list: "10%+ growth and 150+ projects by 2026".
            "period": _period(_region(sentence, hit)) or (_period(sentence) if kind == "target" else None),
            "conversion": hit.conversion, "qualifier": hit.qualifier,
        })
    return out


def _hits(sentence: str) -> list[_Hit]:
    hits: list[_Hit] = []
    consumed_until = -1
    for m in _FIGURE.finditer(sentence):
        if m.start() < consumed_until:
            continue
        hit = _hit(sentence, m)
        if hit is None:
            continue
        hits.append(hit)
        consumed_until = hit.end
    return hits


def _hit(s: str, m: re.Match) -> _Hit | None:
    before, after = s[: m.start()], s[m.end():]
    if m.group("digits"):
        return _with_qualifier(s, _Hit(m.start(), m.end(), m.group(0), None, "%"))
    if m.group("word"):
        amount = _WORD_NUMBERS[m.group("word").lower()]
        unit = _plural(m.group("wunit").lower())
        if amount == 0.5:
            value = f"{m.group('word')} {m.group('wunit')}"
        else:
            value = f"{amount:g} {unit if amount != 1 else m.group('wunit').lower()}"
        return _with_qualifier(s, _Hit(m.start(), m.end(), value, float(amount), unit))
    if m.group("cur"):
        return _money(s, m, m.group("cur").strip(), m.group("mnum"), m.group("mscale"))
    num, text = m.group("num"), m.group(0)
    # A number glued to a letter or a code is a name ("F-35", "Q1", "5G", "15th"), not a claim.
    if before and (before[-1].isalpha() or before[-1] in "_/#" or (before[-1] == "-" and before[:-1][-1:].isalpha())):
        return None
    if before[-1:] in (".", ":", "/") and before[:-1][-1:].isdigit():
        return None  # the second half of "1.2.3", "10:30" or "24/7"
    if after[:1].isalpha() and not (m.group("pct") or m.group("scale") or m.group("cur2")):
        return None
    if re.match(r"^[:/]\d", after) or re.match(r"^\.\d", after):
        return None  # a time (10:30) or a ratio (24/7)
    if _NUMBERED.search(before) or re.search(rf"\b(?:{_MONTHS})\.?\s*$", before, re.I) \
            or re.match(rf"^\s(?:{_MONTHS})\b", after, re.I):
        return None  # "Section 3", "July 10", "10 July"
    if m.group("cur2"):
        return _money(s, m, m.group("cur2").strip(), num, m.group("scale"))
    if m.group("pct"):
        pct = m.group("pct").strip().lower()
        unit = "pp" if pct.startswith(("percentage", "pp")) else "%"
        value = text.replace(" percent", "%").replace(" per cent", "%")
        return _with_qualifier(s, _Hit(m.start(), m.end(), value, _number(num, m.group("scale")), unit))
    is_year = re.fullmatch(r"(?:19|20)\d\d", num) is not None and not m.group("scale")
    if m.group("num2") and is_year:
        return None  # "2026–2030"
    end = m.end()
    measure = _UNIT_AFTER.match(after)
    if measure and not m.group("plus"):
        unit = _plural(measure.group("unit").lower())
        end = m.end() + measure.end()
        return _with_qualifier(s, _Hit(m.start(), end, s[m.start():end].replace("-", " ", 1) if s[m.end()] == "-"
                                       else s[m.start():end], _number(num, m.group("scale")), unit))
    if is_year:
        # A year counts something only when a counted noun follows at once ("2000 tonnes" is caught above).
        following = re.match(r"\s([a-z-]+)", after)
        if not following or following.group(1) not in _COUNTED:
            return None  # "the 2024 Inner Mongolia Business Environment Evaluation Report", "by 2027"
    counted = _counted_noun(s, m.start(), m.end())
    if counted is None:
        return None  # a bare number that counts nothing named here
    return _with_qualifier(s, _Hit(m.start(), end, text, _number(num, m.group("scale")), counted, counted=True))


def _money(s: str, m: re.Match, currency: str, num: str, scale: str | None) -> _Hit:
    unit = _CUR_CODES.get(currency.lower(), currency.upper())
    end = m.end()
    conversion = None
    conv = _CONVERSION.match(s, end)
    if conv:
        conversion = conv.group("inner")
        end = conv.end()
    value = s[m.start():m.end()]
    return _with_qualifier(s, _Hit(m.start(), end, value, _number(num, scale), unit, conversion))


def _with_qualifier(s: str, hit: _Hit) -> _Hit:
    q = _QUALIFIER.search(s[: hit.start])
    if q:
        hit.qualifier = (q.group(1) or q.group(2)).lower()
        hit.start = q.start()
    return hit


def _number(num: str, scale: str | None) -> float:
    value = float(num.replace(",", ""))
    if scale:
        value *= _SCALE_WORDS.get(scale.strip().lower(), 1)
    return value


def _plural(unit: str) -> str:
    singular_to_plural = {"acre": "acres", "hectare": "hectares", "tonne": "tonnes", "ton": "tons", "day": "days",
                          "hour": "hours", "week": "weeks", "month": "months", "year": "years",
                          "kilogram": "kilograms"}
    return singular_to_plural.get(unit, unit)


def _counted_noun(s: str, start: int, end: int) -> str | None:
    """Return the noun a number counts: a known noun up to six words after it, or before it in its clause."""
    words = re.findall(r"[\w’'-]+|[^\w\s]", s[end:])
    for i, word in enumerate(words[:6]):
        low = word.lower()
        if not re.match(r"\w", word) or low in _STOP_AFTER or word[:1].isupper():
            break  # punctuation, a preposition or a name ends the phrase the number counts
        if low in _COUNTED:
            return low
        if i < 3 and len(low) > 3 and low.endswith("s") and low.isalpha() and low not in _NOT_NOUNS \
                and not low.endswith(("ss", "us", "is")) and word.islower():
            return low
    clause_start = max((m.end() for m in _CLAUSE_GAP.finditer(s, 0, start)), default=0)
    back = re.findall(r"[\w’'-]+", s[clause_start:start])
    for word in reversed(back[-5:]):
        if word.lower() in _COUNTED:
            return word.lower()
    return None


def _region(sentence: str, hit: _Hit) -> str:
    """Return what bears on `hit`: the sentence up to it, and after it up to the next "and"/"but"/"while"."""
    end = max(_clause_bounds(sentence, hit.start)[1], hit.end)
    cut = re.search(r"\s(?:and|but|while|whereas)\s", sentence[hit.end:end])
    return sentence[:hit.end + cut.start()] if cut else sentence[:end]


def _kind(sentence: str, hit: _Hit, published_year: int | None) -> str:
    # A cue counts before the figure (the sentence may open "Its targets for 2026 include")
    # or after it up to the next "and"/"but"/"while": "Sales grew 5% and the firm aims to…" is a result.
    region = _region(sentence, hit)
    clause = region[_clause_bounds(sentence, hit.start)[0]:]
    for m in _BY_YEAR.finditer(region):
        if published_year is None or int(m.group(1)) >= published_year:
            return "target"
    if _TARGET.search(region):
        return "target"
    if _FORECAST.search(clause):
        return "forecast"
    if _PRICE.search(clause) and hit.unit not in _COUNTED:
        return "price-move"
    return "result"


def _clause_bounds(sentence: str, pos: int) -> tuple[int, int]:
    start = max((m.end() for m in _CLAUSE_GAP.finditer(sentence, 0, pos) if m.end() <= pos), default=0)
    nxt = _CLAUSE_GAP.search(sentence, pos)
    end = nxt.start() if nxt else len(sentence)
    return start, end


def _clause(sentence: str, hit: _Hit) -> str:
    start, end = _clause_bounds(sentence, hit.start)
    return sentence[start:max(end, hit.end)]


def _period(text: str) -> str | None:
    for pattern in _PERIOD:
        m = pattern.search(text)
        if m:
            return " ".join(g for g in m.groups() if g)
    m = re.search(r"\b(first|second|third|fourth)[- ]quarter\b", text, re.I)
    if m:
        return "Q" + str(("first", "second", "third", "fourth").index(m.group(1).lower()) + 1)
    return None


def _measure(sentence: str, hit: _Hit, hits: list[_Hit]) -> str:
    """Return what `hit` measures: its clause, without the value and the words that only lead to it."""
    start, end = _clause_bounds(sentence, hit.start)
    end = max(end, hit.end)
    # Two figures joined by "and" in one clause each keep their own half.
    others = [h for h in hits if h is not hit and start <= h.start < end]
    for other in others:
        gap = sentence[min(other.end, hit.end):max(other.start, hit.start)]
        m = re.search(r"\s(?:and|while|but)\s", gap)
        if m:
            at = min(other.end, hit.end) + m.start()
            if other.start < hit.start:
                start = max(start, at + len(m.group(0)))
            else:
                end = min(end, at)
    # What follows "and the …" after the figure is another statement ("grew 5% and the firm aims …").
    cut = re.search(r"\s(?:and|but|while|whereas) (?:the|its|it|they|their|this|these|a|an)\s", sentence[hit.end:end])
    if cut:
        end = hit.end + cut.start()
    lo, hi = hit.start, hit.end
    if sentence[start:lo].rstrip().endswith("(") and sentence[hi:end].lstrip().startswith(")"):
        lo, hi = sentence.rindex("(", start, lo), sentence.index(")", hi) + 1  # "talent loan (¥8 million)"
    before = _strip_words(" ".join(sentence[start:lo].split()).strip(" ,.;:"))
    after = _strip_words(" ".join(sentence[hi:end].split()).strip(" ,.;:"))
    before = re.sub(r"^.*?\b(?:include|includes|included|including|such as)(?:\s+|$)", "", before, flags=re.I)
    if before and after and not after.startswith("("):
        # A value in mid-phrase ("produces 60% of China’s magnets") reads best left in place.
        text = sentence[start:end]
    else:
        text = sentence[start:lo] + " " + sentence[hi:end]
    text = re.sub(r"\(\s*\)", "", text)
    text = re.sub(r"^.*?\b(?:include|includes|included|including|such as)\s+", "", text.strip(), flags=re.I)
    text = _AUXILIARY.sub(" ", " " + text + " ")
    text = " ".join(text.split()).strip(" ,.;:")
    text = _strip_words(text)
    if len(text.split()) < 2:
        text = " ".join(sentence[start:end].split()).strip(" ,.;:")
    words = text.split()
    if len(words) > _MAX_MEASURE_WORDS:
        text = " ".join(words[:_MAX_MEASURE_WORDS]).rstrip(",;:") + " …"
    return _capitalise(text)


_LEAD_LONGEST_FIRST = tuple(sorted(_LEAD_WORDS, key=len, reverse=True))
_TRAIL_LONGEST_FIRST = tuple(sorted(_TRAIL_WORDS, key=len, reverse=True))


def _strip_words(text: str) -> str:
    changed = True
    while changed and text:
        changed = False
        low = text.lower()
        for word in _LEAD_LONGEST_FIRST:
            if low.startswith(word + " ") or low == word:
                text, changed = text[len(word) + 1:], True
                break
        low = text.lower()
        for word in _TRAIL_LONGEST_FIRST:
            if low.endswith(" " + word) or low == word:
                text, changed = text[: len(text) - len(word)].rstrip(" ,"), True
                break
    return text


def _capitalise(text: str) -> str:
    for i, ch in enumerate(text):
        if ch.isalpha():
            return text[:i] + ch.upper() + text[i + 1:]
        if ch.isdigit():
            return text
    return text


__all__ = ["ClaimIndex", "Figure", "KINDS", "extract_figures", "figures_in_sentence", "inline_text", "split_sentences"]
