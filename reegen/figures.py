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

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

# The figure record and its index live in `claims` (a build needs them even when no finder runs);
# `__all__` offers them here too.
from .claims import KINDS, ClaimIndex, Figure
from .model import Code, Emph, Inline, LineBreak, Link, Marker, Paragraph, Strong, Text, walk


# --------------------------------------------------------------------------- patterns


def _first_letters(alternatives: str) -> str:
    """Return a lookahead for the letters the `|`-separated `alternatives` start with (each starts with one).

    Put before the alternatives, it turns most words of a sentence away at once instead of trying every
    alternative on each; what matches is unchanged (under re.I, a letter in a set matches what it matches alone).
    """
    firsts = {alternative[0].lower() for alternative in alternatives.split("|")}
    assert all(first.isalpha() for first in firsts), alternatives
    return f"(?=[{''.join(sorted(firsts))}])"


def _words(alternatives: str) -> str:
    """Return the pattern `(?:alternatives)`, led by `_first_letters(alternatives)`."""
    return f"{_first_letters(alternatives)}(?:{alternatives})"


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
_NUMBERED = re.compile(r"\b" + _words(r"section|article|chapter|item|phase|step|table|figure|no\.|number|lot|line|unit|"
                                      r"grade|level|class|tier|round|version|part|page|paragraph|clause|rule|point|"
                                      r"q|h|fy|cy") + r"\s*$", re.I)
_QUALIFIERS = (r"more than|over|above|under|below|nearly|almost|about|around|roughly|approximately|"
               r"some|up to|at least|at most|less than|fewer than|close to|in excess of|exceeding")
_QUALIFIER = re.compile(rf"(?:\b{_first_letters(_QUALIFIERS)}({_QUALIFIERS})\s+|(~|≈))$", re.I)
_MONTH_BEFORE = re.compile(r"\b" + _words(_MONTHS) + r"\.?\s*$", re.I)
_MONTH_AFTER = re.compile(rf"\s(?:{_MONTHS})\b", re.I)
#: _NUMBERED, _QUALIFIER and _MONTH_BEFORE end in a word of at most 13 characters ("approximately") and white
#: space: a match starts within this many characters of the last non-space, so only that tail is searched
_END_WORD_SPAN = 24
_WORDS_ALT = "|".join(sorted((re.escape(w) for w in _WORD_NUMBERS), key=len, reverse=True))
_MEASURES_ALT = "|".join(sorted((re.escape(m) for m in _MEASURES + _DIGIT_MEASURES), key=len, reverse=True))

_FIGURE = re.compile(
    rf"""
    # Every match starts with a digit, a currency sign or (at a word's start) a letter: the lookahead
    # turns most positions away at once instead of trying each alternative there.
    (?=[\d¥$€£]|\b\w)
    (?:
    (?P<cur>{_CUR_PRE})\s?(?P<mnum>{_NUM})(?P<mscale>\s(?:thousand|million|billion|trillion)\b|(?:bn|mn|tn|m|b|k)\b)?
  | (?P<num>{_NUM})(?:\s?[-–]\s?(?P<num2>{_NUM}))?
    (?P<scale>\s(?:thousand|million|billion|trillion)\b|(?:bn|mn)\b)?
    (?P<pct>\s?%|\s(?:percent|per\ cent)\b|\s?percentage\ points?\b|\s?pp\b)?
    (?P<plus>\+)?
    (?P<cur2>\s(?:yuan|renminbi|dollars|euros|pounds)\b)?
  | \b(?P<word>{_WORDS_ALT})[\s-](?P<wunit>(?:{"|".join(re.escape(m) for m in _MEASURES)}))\b
  | \b(?P<digits>double|triple)-digit\b
    )
    """,
    re.X | re.I,
)
_CONVERSION = re.compile(
    rf"\s*\((?P<inner>(?:~|≈|about |around |approx\. |approximately |roughly |some |c\. |or )?"
    rf"(?:{_CUR_PRE})\s?(?:{_NUM})(?:\s(?:thousand|million|billion|trillion)\b|(?:bn|mn|m|b|k)\b)?)\)"
)
#: matched where a number ends (Pattern.match(s, pos)): the measure unit that follows it
_UNIT_AFTER = re.compile(rf"[\s-](?P<unit>{_MEASURES_ALT})\b", re.I)
#: a sentence without a digit can only hold a spelled-out measure ("three days") or "double-digit": it has
#: to have one of these, else it holds no figure and is not scanned
_NO_DIGIT_FIGURE = re.compile(r"[\s-]" + _words("|".join(re.escape(m) for m in _MEASURES) + "|digit") + r"\b", re.I)
_DIGIT = re.compile(r"\d")
_TIME_OR_RATIO = re.compile(r"[:/.]\d")
_YEAR = re.compile(r"(?:19|20)\d\d")
_NEXT_WORD = re.compile(r"\s([a-z-]+)")
_TOKEN = re.compile(r"[\w’'-]+|[^\w\s]")
_WORD = re.compile(r"[\w’'-]+")
_WORD_CHAR = re.compile(r"\w")
_JOINED = re.compile(r"\s(?:and|but|while|whereas)\s")
_HALVES = re.compile(r"\s(?:and|while|but)\s")
_NEW_STATEMENT = re.compile(r"\s(?:and|but|while|whereas) (?:the|its|it|they|their|this|these|a|an)\s")
_INCLUDES = "include|includes|included|including|such as"
_INCLUDE_LEAD = re.compile(r"^.*?\b" + _words(_INCLUDES) + r"(?:\s+|$)", re.I)
_INCLUDE_LEAD_TEXT = re.compile(r"^.*?\b" + _words(_INCLUDES) + r"\s+", re.I)
# The same words searched for rather than reached by `^.*?`, which retries them at every character (see
# `_drop_lead`): a long run of figures without a space ("1%1%1%…") took 80 µs a clause.
_INCLUDE_WORD = re.compile(r"\b" + _words(_INCLUDES) + r"(?:\s+|$)", re.I)
_INCLUDE_WORD_TEXT = re.compile(r"\b" + _words(_INCLUDES) + r"\s+", re.I)
_EMPTY_BRACKETS = re.compile(r"\(\s*\)")
_QUARTER_WORD = re.compile(r"\b(?=[fst])(first|second|third|fourth)[- ]quarter\b", re.I)

_TARGET = re.compile(r"\b" + _words(r"targets?|targeted|targeting|goals?|aims?|aimed|aiming|plans? to|planned|"
                                    r"planning to|set to|seeks? to|seeking to|intends?|intended|pledged?|pledges|"
                                    r"ambitions?|objectives?|quotas?|calls? for|is to|are to") + r"\b", re.I)
_FORECAST = re.compile(r"\b" + _words(r"forecasts?|forecasted|expected|expects?|projected|projections?|predicts?|"
                                      r"predicted|anticipated?|outlook|could reach|would reach|will|is likely|"
                                      r"are likely|estimated to") + r"\b", re.I)
_BY_YEAR = re.compile(r"\bby (?:the end of )?((?:19|20)\d\d)\b", re.I)
_PRICE = re.compile(r"\bprices?\b|\bpriced\b|\bper (?:tonne|ton|kg|kilogram)\b", re.I)
_PERIOD = (
    re.compile(r"\b(Q[1-4]|H[12])\s?((?:19|20)\d\d)\b"),
    re.compile(r"\b" + _words("for|by|in|during|through|since") + r" ((?:19|20)\d\d)\b", re.I),
    re.compile(r"\b((?:19|20)\d\d) (?:targets?|goals?|plan)\b", re.I),
)
_ABBREVIATIONS = ("U.S.", "U.K.", "e.g.", "i.e.", "Mr.", "Mrs.", "Ms.", "Dr.", "No.", "vs.", "etc.", "Inc.", "Co.",
                  "Ltd.", "St.", "approx.", "c.")
# The gap is what follows the stop ([1:] of a match). Starting with the stop rather than looking behind for
# it lets the search skip ahead to the next stop; the gaps found are the same.
_SENTENCE_GAP = re.compile(r"[.!?…][\"”’)]*\s+(?=[A-Z“\"‘(¥$€£0-9])")
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
#: counts written in words: the number each stands for (None: vague, "several hundred")
_COUNT_WORDS = {
    # (not "one": "a one-stop shop", "one enterprise, one policy" name a model, not a count)
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "a dozen": 12, "dozens of": None, "several hundred": None, "hundreds of": None, "several thousand": None,
    "thousands of": None, "a hundred": 100, "a thousand": 1000,
}
_COUNT_WORDS_ALT = "|".join(sorted((re.escape(w) for w in _COUNT_WORDS), key=len, reverse=True))
#: "two new bases", "several hundred engineers", "a dozen rare-earth plants": a count in words, at most two
#: lower-case words, then a noun a number counts (`_COUNTED`); a capitalised name ("Two Rare Earth Bases") is not one
_WORD_COUNT_GATE = re.compile(rf"\b(?P<count>{_COUNT_WORDS_ALT})(?=\s)", re.I)
_NEXT_WORDS = re.compile(r"\s+([\w’'-]+)")


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
    #: a count written in words ("two new bases"): numbered after the article's other figures
    spelled: bool = False


def extract_figures(article) -> tuple[Figure, ...]:
    """Return every figure in `article` (an `Article`), numbered f1, f2, … in file order."""
    published_year = article.published.year if getattr(article, "published", None) else None
    out: list[Figure] = []
    found: list[tuple] = []
    for section in article.sections:
        for block in walk(section.blocks):
            if not isinstance(block, Paragraph):
                continue  # headings and tables are not claims; list items and quotes hold paragraphs
            line = block.source.line if block.source else None
            markers = _marker_labels(block.children)
            for sentence in split_sentences(inline_text(block.children)):
                for fig in _sentence_figures(sentence, published_year):
                    found.append((section.slug, line, markers, fig))
    # Figures in digits are numbered f1, f2, … in file order; counts in words ("two new bases") after them, so
    # that finding those did not renumber the figures a verification ledger already names.
    numbers: dict[int, int] = {}
    for i, entry in enumerate(found):
        if not entry[3]["spelled"]:
            numbers[i] = len(numbers) + 1
    for i, entry in enumerate(found):
        if entry[3]["spelled"]:
            numbers[i] = len(numbers) + 1
    for i, (slug, line, markers, fig) in enumerate(found):
        fields = {k: v for k, v in fig.items() if k != "spelled"}
        out.append(Figure(id=f"{article.id}/f{numbers[i]}", article_id=article.id, section=slug, line=line,
                          markers=markers, **fields))
    return tuple(out)


def _marker_labels(inlines) -> tuple[str, ...]:
    """Return the labels of the article's own reference markers in `inlines`, in order, once each."""
    out: list[str] = []
    for node in inlines:
        if isinstance(node, Marker):
            out += node.labels
        elif isinstance(node, (Strong, Emph, Link)):
            out += _marker_labels(node.children)
    return tuple(dict.fromkeys(out))


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
    # No space before closing punctuation. White space is now single spaces between words, so each space
    # to drop is one " " before one mark: replacing " ." and the like does what the regex `\s+([.,;:!?)])`
    # would, at a third of the cost.
    for mark in ".,;:!?)":
        if " " + mark in text:
            text = text.replace(" " + mark, mark)
    return text


def split_sentences(text: str) -> list[str]:
    """Return the sentences of `text`, not split after abbreviations such as "U.S."."""
    out: list[str] = []
    start = 0
    for gap in _SENTENCE_GAP.finditer(text):
        stop = gap.start() + 1  # the gap follows the stop
        # The last word before the stop, read back from it: splitting text[start:stop] instead would read
        # the whole sentence again at every skipped abbreviation ("U.S. U.S. U.S. …" is quadratic).
        at = stop
        while at > start and not text[at - 1].isspace():
            at -= 1
        last = text[at:stop]
        if last.endswith(_ABBREVIATIONS) and not last.endswith("etc."):
            continue
        out.append(text[start:stop].strip())
        start = gap.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return [s for s in out if s]


def figures_in_sentence(sentence: str, *, published_year: int | None = None) -> list[dict]:
    """Return the fields (all but id, article, section, line) of each figure in `sentence`, in order."""
    return [dict(fig) for fig in _sentence_figures(sentence, published_year)]


# Articles repeat sentences (a highlight restates the lead; wire copy is relayed), and `reegen` reads the same
# articles again for every brief of a build: the figures of a sentence are worked out once. Callers must not
# change the dicts (figures_in_sentence hands out copies).
@lru_cache(maxsize=16384)
def _sentence_figures(sentence: str, published_year: int | None) -> tuple[dict, ...]:
    # Most sentences hold no figure: without a digit, only "three days", "double-digit" or a count in words could be one.
    if _DIGIT.search(sentence) is None and _NO_DIGIT_FIGURE.search(sentence) is None \
            and _WORD_COUNT_GATE.search(sentence) is None:
        return ()
    clauses = _Clauses(sentence)
    hits = _hits(sentence, clauses)
    hits = _with_word_counts(sentence, hits)
    scan = _Scan(sentence, hits, published_year)
    claimant = claimant_of(sentence) if hits else None
    out = []
    for hit in hits:
        start, end = clauses.start(hit.start), clauses.end(hit.start)
        region = _region_end(scan, hit, end)
        kind = _kind(scan, hit, region, start)
        value = hit.value + (f" ({hit.conversion})" if hit.conversion else "")
        if hit.qualifier:
            value = (hit.qualifier + value) if hit.qualifier in ("~", "≈") else f"{hit.qualifier} {value}"
        out.append({
            "value": value, "amount": hit.amount, "unit": hit.unit, "kind": kind,
            "measure": _measure(scan, hit, start, end), "sentence": _stretch(sentence, hit),
            # A target's year may close a list: "10%+ growth and 150+ projects by 2026".
            "period": scan.period(region) or (scan.period(len(sentence)) if kind == "target" else None),
            "conversion": hit.conversion, "qualifier": hit.qualifier,
            "quote": _quote(scan, hit, start, end), "claimant": claimant, "spelled": hit.spelled,
        })
    return tuple(out)


class _Clauses:
    """Where the clauses of one sentence start and end: its `_CLAUSE_GAP`s, found once, not once per figure.

    `start(pos)` and `end(pos)` give what scanning the sentence again would: `start` the end of the last
    gap in `sentence[:pos]` (a gap running across `pos` may still match there, cut short), `end` the start
    of the first gap found searching from `pos`.
    """

    __slots__ = ("text", "starts", "ends")

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: list[int] = []
        self.ends: list[int] = []
        for m in _CLAUSE_GAP.finditer(text):
            self.starts.append(m.start())
            self.ends.append(m.end())

    def start(self, pos: int) -> int:
        # The gaps of text[:pos] are those of the whole text ending by `pos`, then any found from there.
        i = bisect_right(self.ends, pos)
        at = self.ends[i - 1] if i else 0
        # Between that gap and `pos` the whole text has no gap, and cutting it short at `pos` adds none, except
        # inside a gap running across `pos`: only that stretch is searched again (not all of text[at:pos],
        # which made a long sentence without gaps quadratic).
        if i < len(self.starts) and self.starts[i] < pos:
            for m in _CLAUSE_GAP.finditer(self.text, max(at, self.starts[i]), pos):
                at = m.end()
        return at

    def end(self, pos: int) -> int:
        j = bisect_left(self.starts, pos)
        if j and self.ends[j - 1] > pos:
            # A gap runs across `pos`: a search from `pos` may find one starting inside it.
            m = _CLAUSE_GAP.search(self.text, pos)
            return m.start() if m else len(self.text)
        return self.starts[j] if j < len(self.starts) else len(self.text)


def _hits(sentence: str, clauses: _Clauses) -> list[_Hit]:
    hits: list[_Hit] = []
    consumed_until = -1
    for m in _FIGURE.finditer(sentence):
        if m.start() < consumed_until:
            continue
        hit = _hit(sentence, m, clauses)
        if hit is None:
            continue
        hits.append(hit)
        consumed_until = hit.end
    return hits


def _with_word_counts(sentence: str, hits: list[_Hit]) -> list[_Hit]:
    """Return `hits` with the counts in words ("two new bases", "several hundred engineers") that overlap none of them."""
    if _WORD_COUNT_GATE.search(sentence) is None:
        return hits
    extra = []
    for m in _WORD_COUNT_GATE.finditer(sentence):
        count = " ".join(m.group("count").split())
        if any(h.start < m.end() and m.start() < h.end for h in hits):
            continue
        if count[:1].isupper() and m.start() and sentence[m.start() - 1] not in " \"“(":
            continue
        noun = None
        for i, word in enumerate(_NEXT_WORDS.finditer(sentence, m.end())):
            low = word.group(1)
            if i == 3 or not low.islower() or low in _STOP_AFTER:
                break  # a name ("Two Rare Earth Bases") or a preposition ends the phrase
            if low in _COUNTED:
                noun = low
                break
        if noun is None:
            continue
        amount = _COUNT_WORDS[count.casefold()]
        # "hundreds of workers": the value is "hundreds"; "of" leads to what they count
        extra.append(_Hit(m.start(), m.start() + len(m.group("count")), count.removesuffix(" of"),
                          None if amount is None else float(amount), noun, counted=True, spelled=True))
    if not extra:
        return hits
    return sorted(hits + extra, key=lambda h: h.start)


def _end_word_from(s: str, end: int) -> int:
    """Return where a match of `_NUMBERED`, `_QUALIFIER` or `_MONTH_BEFORE` in `s[:end]` can start, at the earliest."""
    # Searching only this tail finds what searching all of s[:end] would, without reading a long sentence
    # once per number in it.
    while end and s[end - 1].isspace():
        end -= 1
    return max(0, end - _END_WORD_SPAN)


def _hit(s: str, m: re.Match, clauses: _Clauses) -> _Hit | None:
    # Patterns are matched in `s` from a position rather than in slices of it: the same result, no copies.
    start, stop = m.start(), m.end()
    if m.group("digits"):
        return _with_qualifier(s, _Hit(start, stop, m.group(0), None, "%"))
    if m.group("word"):
        amount = _WORD_NUMBERS[m.group("word").casefold()]
        unit = _plural(m.group("wunit").casefold())
        if amount == 0.5:
            value = f"{m.group('word')} {m.group('wunit')}"
        else:
            value = f"{amount:g} {unit if amount != 1 else m.group('wunit').lower()}"
        return _with_qualifier(s, _Hit(start, stop, value, float(amount), unit))
    if m.group("cur"):
        return _money(s, m, m.group("cur").strip(), m.group("mnum"), m.group("mscale"))
    num, text = m.group("num"), m.group(0)
    # A number glued to a letter or a code is a name ("F-35", "Q1", "5G", "15th"), not a claim.
    prev = s[start - 1] if start else ""
    prev2 = s[start - 2] if start > 1 else ""
    if prev and (prev.isalpha() or prev in "_/#" or (prev == "-" and prev2.isalpha())):
        return None
    if prev in (".", ":", "/") and prev2.isdigit():
        return None  # the second half of "1.2.3", "10:30" or "24/7"
    if s[stop:stop + 1].isalpha() and not (m.group("pct") or m.group("scale") or m.group("cur2")):
        return None
    if _TIME_OR_RATIO.match(s, stop):
        return None  # a time (10:30) or a ratio (24/7)
    tail = _end_word_from(s, start)
    if _NUMBERED.search(s, tail, start) or _MONTH_BEFORE.search(s, tail, start) or _MONTH_AFTER.match(s, stop):
        return None  # "Section 3", "July 10", "10 July"
    if m.group("cur2"):
        return _money(s, m, m.group("cur2").strip(), num, m.group("scale"))
    if m.group("pct"):
        pct = m.group("pct").strip().lower()
        unit = "pp" if pct.startswith(("percentage", "pp")) else "%"
        value = text.replace(" percent", "%").replace(" per cent", "%")
        return _with_qualifier(s, _Hit(start, stop, value, _number(num, m.group("scale")), unit))
    is_year = _YEAR.fullmatch(num) is not None and not m.group("scale")
    if m.group("num2") and is_year:
        return None  # "2026–2030"
    measure = _UNIT_AFTER.match(s, stop)
    if measure and not m.group("plus"):
        unit = _plural(measure.group("unit").casefold())
        end = measure.end()
        return _with_qualifier(s, _Hit(start, end, s[start:end].replace("-", " ", 1) if s[stop] == "-"
                                       else s[start:end], _number(num, m.group("scale")), unit))
    if is_year:
        # A year counts something only when a counted noun follows at once ("2000 tonnes" is caught above).
        following = _NEXT_WORD.match(s, stop)
        if not following or following.group(1) not in _COUNTED:
            return None  # "the 2024 Inner Mongolia Business Environment Evaluation Report", "by 2027"
    counted = _counted_noun(s, start, stop, clauses)
    if counted is None:
        return None  # a bare number that counts nothing named here
    return _with_qualifier(s, _Hit(start, stop, text, _number(num, m.group("scale")), counted, counted=True))


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
    q = _QUALIFIER.search(s, _end_word_from(s, hit.start), hit.start)
    if q:
        hit.qualifier = (q.group(1) or q.group(2)).lower()
        hit.start = q.start()
    return hit


def _number(num: str, scale: str | None) -> float:
    value = float(num.replace(",", ""))
    if scale:
        value *= _SCALE_WORDS.get(scale.strip().lower(), 1)
    return value


_SINGULAR_TO_PLURAL = {"acre": "acres", "hectare": "hectares", "tonne": "tonnes", "ton": "tons", "day": "days",
                       "hour": "hours", "week": "weeks", "month": "months", "year": "years",
                       "kilogram": "kilograms"}


def _plural(unit: str) -> str:
    return _SINGULAR_TO_PLURAL.get(unit, unit)


#: how many words of its sentence a figure's quote keeps on either side of the value, at most
_QUOTE_REACH = 9
_SAY = r"(?:said|says|say|claimed|claims|claim|stated|states|state|reported|reports|estimated|estimates|told|announced|noted|argued|added)"
#: "according to the zone's management committee", "according to Xinhua"
_ACCORDING = re.compile(r"\b(?i:according) to (?:the )?((?:[A-Z][\w’'&.-]*|of|and|for|the)(?:[ ](?:[A-Z][\w’'&.-]*|of|and|for|the|[a-z]+’s|[a-z]+s)){0,5})")
#: "producers said", "local officials told reporters", "Li Wei said", "the company stated"
_SUBJECT_SAYS = re.compile(r"(?:^|[,;:—(]\s*|\b(?:the|local|some|many|industry|zone|city|government|company)\s+)?"
                           r"((?:[A-Z][\w’'-]*(?:\s[A-Z][\w’'-]*){0,3})|(?:[a-z]+(?:ers|ors|ists|ials|ants|ents|ies|ics)))"
                           r"\s" + _SAY + r"\b")
#: ", said Li Wei." / "said the ministry"
_SAYS_SUBJECT = re.compile(r"[,“”\"]\s*" + _SAY + r"\s((?:the\s)?(?:[A-Z][\w’'-]*(?:\s[A-Z][\w’'-]*){0,3}|[a-z]+(?:ers|ors|ists|ials|ants|ents|ies)))")
_NOT_CLAIMANTS = frozenset("It This That These Those They He She We I The A An In On At By For And But As Its Their "
                           "Officials".split()) - {"Officials"}


def claimant_of(sentence: str) -> str | None:
    """Return who `sentence` says makes its claims ("producers", "officials", "Xinhua"), or None when it does not say.

    Read from the words themselves: "according to X", "X said" (X a name or a plural such as
    producers, officials, analysts) and ", said X". Only the words written are returned.
    """
    m = _ACCORDING.search(sentence)
    if m:
        return m.group(1).strip()
    for pattern in (_SUBJECT_SAYS, _SAYS_SUBJECT):
        for m in pattern.finditer(sentence):
            who = m.group(1).strip()
            if who.split()[0] in _NOT_CLAIMANTS:
                continue
            return who
    return None


def _quote(scan: "_Scan", hit: _Hit, start: int, end: int) -> str:
    """Return the words of the clause stating `hit`, exactly as written: at most `_QUOTE_REACH` words each side of it."""
    sentence = scan.text
    start, end = _own_part(scan, hit, start, end)
    lo_bound, hi_bound = max(start, hit.start - 200), min(end, hit.end + 200)
    before = [m.start() for m in _NON_SPACE.finditer(sentence, lo_bound, hit.start)]
    after = [m.end() for m in _NON_SPACE.finditer(sentence, hit.end, hi_bound)]
    lo = before[-_QUOTE_REACH] if len(before) >= _QUOTE_REACH else (before[0] if before else hit.start)
    hi = after[_QUOTE_REACH - 1] if len(after) >= _QUOTE_REACH else (after[-1] if after else hit.end)
    cut_before = lo > start and (len(before) > _QUOTE_REACH or lo_bound > start)
    cut_after = hi < end and (len(after) > _QUOTE_REACH or hi_bound < end)
    text = _LEAD_JOIN.sub("", " ".join(sentence[lo:hi].split()).strip(" ,;:"))
    if not cut_after and text.endswith((".", "!", "?")) and hi >= len(sentence.rstrip()):
        text = text[:-1]
    if (cut_before or cut_after) and (text.startswith("“") != text.endswith("”")):
        text = text.strip("“”")  # a quotation mark cut from its pair would mislead
    return ("… " if cut_before else "") + text + (" …" if cut_after else "")


_NON_SPACE = re.compile(r"\S+")
#: the word joining a quoted stretch to the one before it ("and the firm aims …") is not part of the quote
_LEAD_JOIN = re.compile(r"^(?:and|but|while|whereas|or)\s+", re.I)


def _counted_noun(s: str, start: int, end: int, clauses: _Clauses) -> str | None:
    """Return the noun a number counts: a known noun up to six words after it, or before it in its clause."""
    for i, token in enumerate(_TOKEN.finditer(s, end)):
        if i == 6:
            break
        word = token.group()
        low = word.lower()
        if not _WORD_CHAR.match(word) or low in _STOP_AFTER or word[:1].isupper():
            break  # punctuation, a preposition or a name ends the phrase the number counts
        if low in _COUNTED:
            return low
        if i < 3 and len(low) > 3 and low.endswith("s") and low.isalpha() and low not in _NOT_NOUNS \
                and not low.endswith(("ss", "us", "is")) and word.islower():
            return low
    for word in reversed(_last_words(s, clauses.start(start), start, 5)):
        if word.lower() in _COUNTED:
            return word.lower()
    return None


def _last_words(s: str, lo: int, hi: int, count: int) -> list[str]:
    """Return the last `count` words (`_WORD`) of `s[lo:hi]`, reading back from `hi` only as far as they reach.

    The same as `_WORD.findall(s, lo, hi)[-count:]`: a word read from inside it is cut short, but only the
    first word found can be, and it is kept only when the search has gone back to `lo`.
    """
    reach = 64
    while True:
        at = max(lo, hi - reach)
        words = _WORD.findall(s, at, hi)
        if at == lo or len(words) > count:
            return words[-count:]
        reach *= 4


class _Matches:
    """Every place one pattern matches in one sentence, found in one pass.

    `first(lo, hi)` returns what `pattern.search(sentence, lo, hi)` finds for the cue words
    and joining words it is used with (whole words, so matches do not nest), without
    reading the sentence again: a sentence with thousands of figures is read once per
    pattern, not once per figure.
    """

    __slots__ = ("starts", "ends", "matches")

    def __init__(self, pattern: re.Pattern, text: str, *, overlapping: bool = False) -> None:
        if overlapping:
            # Joining words are matched with the spaces around them, so " and but " holds two matches that
            # share a space: the pattern is tried at every white space (where each of them starts).
            found = [m for m in (pattern.match(text, at.start()) for at in _SPACE.finditer(text)) if m]
        else:
            found = list(pattern.finditer(text))
        self.matches = found
        self.starts = [m.start() for m in found]
        self.ends = [m.end() for m in found]

    def first(self, lo: int, hi: int) -> re.Match | None:
        """Return the first match starting at or after `lo`, if it ends by `hi`."""
        i = bisect_left(self.starts, lo)
        if i < len(self.starts) and self.ends[i] <= hi:
            return self.matches[i]
        return None


_SPACE = re.compile(r"\s")


class _Scan:
    """What the figures of one sentence need of it beyond their own clause, each found once per sentence.

    A figure's kind and period read the sentence up to the end of its statement (a prefix of the
    sentence): a cue is in that prefix when its first match in the whole sentence ends inside it.
    """

    __slots__ = ("text", "hit_starts", "hits", "by_year_end", "target", "forecast", "price", "joined",
                 "halves", "new_statement", "_periods")

    def __init__(self, text: str, hits: list[_Hit], published_year: int | None) -> None:
        self.text = text
        order = sorted(range(len(hits)), key=lambda i: hits[i].start)
        self.hits = [hits[i] for i in order]
        self.hit_starts = [h.start for h in self.hits]
        has_year = _YEAR.search(text) is not None
        # "by 2026" makes a target of what precedes it unless the year is already past at publication
        self.by_year_end = min((m.end() for m in _BY_YEAR.finditer(text)
                                if published_year is None or int(m.group(1)) >= published_year),
                               default=None) if has_year else None
        self.target = _first_end(_TARGET, text)
        self.forecast = _Matches(_FORECAST, text)
        self.price = _Matches(_PRICE, text)
        self.joined = _Matches(_JOINED, text, overlapping=True)
        self.halves = _Matches(_HALVES, text, overlapping=True)
        self.new_statement = _Matches(_NEW_STATEMENT, text, overlapping=True)
        #: each period pattern's first match in the whole sentence (None where it has none)
        self._periods = [p.search(text) if has_year else None for p in _PERIOD] + [_QUARTER_WORD.search(text)]

    def period(self, end: int) -> str | None:
        """Return what `_period(text[:end])` would: the period a figure's statement names."""
        for m in self._periods[:-1]:
            if m is not None and m.end() <= end:
                return " ".join(g for g in m.groups() if g)
        m = self._periods[-1]
        if m is not None and m.end() <= end:
            return "Q" + str(("first", "second", "third", "fourth").index(m.group(1).casefold()) + 1)
        return None


def _first_end(pattern: re.Pattern, text: str) -> int | None:
    m = pattern.search(text)
    return m.end() if m else None


def _region_end(scan: _Scan, hit: _Hit, clause_end: int) -> int:
    """Return where what bears on `hit` ends: the sentence up to it, and after it up to the next "and"/"but"/"while"."""
    end = max(clause_end, hit.end)
    cut = scan.joined.first(hit.end, end)
    return cut.start() if cut else end


def _kind(scan: _Scan, hit: _Hit, region: int, clause_start: int) -> str:
    # A cue counts before the figure (the sentence may open "Its targets for 2026 include")
    # or after it up to the next "and"/"but"/"while" (`region`, where that stretch ends):
    # "Sales grew 5% and the firm aims to…" is a result.
    if scan.by_year_end is not None and scan.by_year_end <= region:
        return "target"
    if scan.target is not None and scan.target <= region:
        return "target"
    if scan.forecast.first(clause_start, region):
        return "forecast"
    if scan.price.first(clause_start, region) and hit.unit not in _COUNTED:
        return "price-move"
    return "result"


def _period(text: str) -> str | None:
    if _YEAR.search(text):  # each of _PERIOD needs a year: most text is passed over with one quick search
        for pattern in _PERIOD:
            m = pattern.search(text)
            if m:
                return " ".join(g for g in m.groups() if g)
    m = _QUARTER_WORD.search(text)
    if m:
        return "Q" + str(("first", "second", "third", "fourth").index(m.group(1).casefold()) + 1)
    return None


#: a sentence longer than this is kept with each figure only as the stretch around it (each figure of a
#: line of thousands would otherwise carry the whole line: quadratic in the body cache and the manifest)
_SENTENCE_KEEP = 1000


def _stretch(sentence: str, hit: _Hit) -> str:
    """Return `sentence`, or when it is longer than `_SENTENCE_KEEP`, the words around `hit` with "…" where cut."""
    if len(sentence) <= _SENTENCE_KEEP:
        return sentence
    half = (_SENTENCE_KEEP - (hit.end - hit.start)) // 2
    lo, hi = max(0, hit.start - max(half, 0)), min(len(sentence), hit.end + max(half, 0))
    if lo:
        space = _SPACE.search(sentence, lo, hit.start)
        lo = space.end() if space else lo
    if hi < len(sentence):
        space = sentence.rfind(" ", hit.end, hi)
        hi = space if space > hit.end else hi
    return ("… " if lo else "") + sentence[lo:hi].strip() + (" …" if hi < len(sentence) else "")


#: how far from its value a figure's measure is read, at most, on either side: a clause runs on for
#: far fewer characters in prose, and a measure keeps at most 14 words; the bound keeps a line of
#: thousands of figures ("1%1%1%…") linear
_MEASURE_REACH = 160


def _own_part(scan: _Scan, hit: _Hit, start: int, end: int) -> tuple[int, int]:
    """Return the stretch of the clause (`start` to `end`) that states `hit`: its own half when "and" joins two."""
    end = max(end, hit.end)
    # Two figures joined by "and" in one clause each keep their own half. For a figure before this one, the
    # first "and" after it that ends before this one bounds the start: the later that figure, the later
    # its "and", and the figures that have one are a leading run, so the latest is found by bisection.
    starts = scan.hit_starts
    first, here, last = bisect_left(starts, start), bisect_left(starts, hit.start), bisect_left(starts, end)
    lo_i, hi_i, found = first, here, None
    while lo_i < hi_i:
        mid = (lo_i + hi_i) // 2
        m = scan.halves.first(min(scan.hits[mid].end, hit.end), hit.start)
        if m:
            found, lo_i = m, mid + 1
        else:
            hi_i = mid
    if found:
        start = max(start, found.end())
    # For a figure after this one, the first "and" after this one bounds the end if it comes before that figure.
    while here < last and scan.hits[here].start <= hit.start:
        here += 1
    if here < last:
        m = scan.halves.first(hit.end, scan.hits[last - 1].start)
        if m:
            end = min(end, m.start())
    # What follows "and the …" after the figure is another statement ("grew 5% and the firm aims …").
    cut = scan.new_statement.first(hit.end, end)
    if cut:
        end = cut.start()
    return start, end


def _measure(scan: _Scan, hit: _Hit, start: int, end: int) -> str:
    """Return what `hit` measures: its clause (`start` to `end`), less the value and the words that only lead to it."""
    sentence = scan.text
    start, end = _own_part(scan, hit, start, end)
    if hit.start - start > _MEASURE_REACH:
        # A clause that long is read from a word near the figure, not from its distant start.
        start = hit.start - _MEASURE_REACH
        space = _SPACE.search(sentence, start, hit.start)
        start = space.end() if space else start
    if end - hit.end > _MEASURE_REACH:
        end = hit.end + _MEASURE_REACH
        space = sentence.rfind(" ", hit.end, end)
        end = space if space > hit.end else end
    lo, hi = hit.start, hit.end
    if sentence[start:lo].rstrip().endswith("(") and sentence[hi:end].lstrip().startswith(")"):
        lo, hi = sentence.rindex("(", start, lo), sentence.index(")", hi) + 1  # "talent loan (¥8 million)"
    after = _strip_words(" ".join(sentence[hi:end].split()).strip(" ,.;:"))
    # (what comes before the value counts only when something comes after it)
    if after and not after.startswith("(") \
            and _drop_lead(_INCLUDE_WORD, _strip_words(" ".join(sentence[start:lo].split()).strip(" ,.;:"))):
        # A value in mid-phrase ("produces 60% of China’s magnets") reads best left in place.
        text = sentence[start:end]
    else:
        text = sentence[start:lo] + " " + sentence[hi:end]
    if "(" in text:
        text = _EMPTY_BRACKETS.sub("", text)
    text = _drop_lead(_INCLUDE_WORD_TEXT, text.strip())
    text = _AUXILIARY.sub(" ", " " + text + " ")
    text = " ".join(text.split()).strip(" ,.;:")
    text = _strip_words(text)
    if len(text.split()) < 2:
        text = " ".join(sentence[start:end].split()).strip(" ,.;:")
    words = text.split()
    if len(words) > _MAX_MEASURE_WORDS:
        text = " ".join(words[:_MAX_MEASURE_WORDS]).rstrip(",;:") + " …"
    return _capitalise(text)


def _drop_lead(word: re.Pattern, text: str) -> str:
    """Return `text` from after the first match of `word` on its first line: `_INCLUDE_LEAD(_TEXT).sub("", text)`."""
    m = word.search(text)
    if m is None or "\n" in text[:m.start()]:
        return text  # (`.` in `^.*?` stops at a line break)
    return text[m.end():]


def _by_edge_word(words: tuple[str, ...], *, last: bool) -> dict[str, tuple[str, ...]]:
    """Return `words` by their first (or `last`) space-separated word, longest first."""
    out: dict[str, list[str]] = {}
    for word in sorted(words, key=len, reverse=True):
        out.setdefault(word.rpartition(" ")[2] if last else word.partition(" ")[0], []).append(word)
    return {edge: tuple(group) for edge, group in out.items()}


# A lead (trail) word can only strip when it starts (ends) with the text's first (last) word: only those are
# tried, longest first, rather than every word.
_LEAD_BY_FIRST = _by_edge_word(_LEAD_WORDS, last=False)
_TRAIL_BY_LAST = _by_edge_word(_TRAIL_WORDS, last=True)


def _strip_words(text: str) -> str:
    """Drop lead words ("and", "such as") from the start of `text` and trail words ("rose", "up to") from its end."""
    changed = True
    while changed and text:
        changed = False
        low = text.lower()
        for word in _LEAD_BY_FIRST.get(low.partition(" ")[0], ()):
            if low.startswith(word + " ") or low == word:
                text, changed = text[len(word) + 1:], True
                break
        low = text.lower()
        for word in _TRAIL_BY_LAST.get(low.rpartition(" ")[2], ()):
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
