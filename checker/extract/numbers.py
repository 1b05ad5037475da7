"""Counts, money, percentages, quantities with units and numeric durations.

One compiled pattern finds every number (digits or words) with an optional currency in front and
an optional second number (a range); the words right after it decide what it measures.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from checker.extract import units as U
from checker.extract.prefilter import Scanner, Tail
from checker.models import Claim, Value
from checker.normalize.numbers import DIGIT_NUMBER, SHORT_SCALES, WORD_NUMBER, fmt_number, parse_number, scan_numbers

# a currency before the amount; "$ 75 million" and "us $ 150" come from tokenized wire text
_PRE = (r"(?:(?:US|U\.S\.?|A|C|HK|NZ|S|R|Mex|MEX|CAD)\s?\$\s?|(?<![A-Za-z])(?:us|u\.s\.?|c)\s\$\s?|[$€£¥₩₹₾]\s?"
        r"|\b(?:USD|EUR|GBP|JPY|KRW|CNY|RMB|AUD|CAD|CHF|INR|MXN|(?i:usd|eur|gbp|rmb))(?=\s?\d)\s?|\bRs\.?\s?)")
# fractions: "10 1/2 miles", "1/4 mile", "a quarter million", "three quarters billion", "half a million"
_FRACTION = (r"\d+\s+\d{1,2}/\d{1,2}(?![\d/])|(?<![\d/])\d{1,2}/\d{1,2}(?![\d/])"
             r"|(?i:\b(?:(?:a|one|two|three)[\s-]+(?:quarters?|thirds?)|half(?:\s+a)?)\s+(?:million|billion|trillion)\b)")
_NUM = rf"(?:{_FRACTION}|{DIGIT_NUMBER}|(?i:\b{WORD_NUMBER}\b))"
_SCALE = (r"(?:\s?(?:thousand|million|billion|trillion|lakhs?|crores?)\b|\s?(?:bn|mn|mln|tn)\b|(?:k|m|b)\b)")
CANDIDATE = re.compile(
    rf"(?P<pre>{_PRE})?(?(pre)|(?<![\w.,/:#@+\-–])(?<![\w]\$))(?P<num>{_NUM})(?P<scale>{_SCALE})?"
    rf"(?:(?P<conn>\s?(?:-|–|—)\s?|\s+(?:to|and|through)\s+)(?P<pre2>{_PRE})?(?P<num2>{_NUM})(?P<scale2>{_SCALE})?)?"
    r"(?![\d])"
)



def _currency_starts(text: str):
    """Where a number may start after a word character: at a currency symbol, or at a prefix before
    a "$" ("US$", "HK$", "u.s. $", at most five characters before it)."""
    for m in _CURRENCY_SYMBOL.finditer(text):
        at = m.start()
        if text[at] == "$":
            yield from range(max(0, at - 5), at)
        yield at


_CURRENCY_SYMBOL = re.compile(r"[$€£¥₩₹₾]")
# Every other candidate follows a non-word character (or starts the text): _PRE's "USD" and "Rs" after
# a \b, the rest after (?<![\w...]). The scanner tries CANDIDATE only there and where its first
# characters can match, a twentieth of the positions finditer tries.
_CANDIDATE_SCAN = Scanner(CANDIDATE, 4, before=r"\W", also=_currency_starts)

INF = float("inf")
_PERCENT_AFTER = re.compile(r"\s?(?:%|percent\b|per cent\b|pct\b|percentage points?\b)", re.I)
_DURATION_AFTER = re.compile(rf"(?:\s|-|\s?-\s?)?(?P<unit>{U.DURATION_RX})\b(?P<long>-long)?", re.I)
# unit names in any case ("10 Kilometers per hour"), abbreviations as written ("MW" is not "mW")
_Q_WORDS = [w for w in U.QUANTITY if len(w) > 3 and re.fullmatch(r"[a-z /]+", w)]
_QUANTITY_AFTER = re.compile(rf"(?:\s|-)?(?P<unit>(?i:{U._alternation(_Q_WORDS)})|"
                             rf"{U._alternation(w for w in U.QUANTITY if w not in _Q_WORDS)})(?![\w/])")
_CURRENCY_AFTER = re.compile(rf"(?:[\s-]?(?P<unit>{U.CURRENCY_WORD_RX})\b|\s?(?P<sym>[$€£¥₩₾])(?![\w$€£¥]))", re.I)
_CENTS_AFTER = re.compile(rf"(?:,?\s+and)?\s+(?P<c>\d{{1,2}}|(?i:{WORD_NUMBER}))(?:\s+(?i:cents?|pence)\b|(?=\s*(?:[.,;!?]|$)))")
_MINUS_BEFORE = Tail(re.compile(r"\b(?i:minus|negative)\s+$"))
_URL_TOKEN = re.compile(r"\S*(?:://|www\.|%[0-9A-Fa-f]{2})\S*")
_DURATION_MORE = re.compile(rf"(?:,?\s+and|,)?\s+(?P<num>{DIGIT_NUMBER}|(?i:\b{WORD_NUMBER}\b))\s?(?P<unit>{U.DURATION_RX})\b", re.I)
_AGE_AFTER = re.compile(r"[\s-]+years?[\s-]+old|-year-old", re.I)
_AGO_AFTER = re.compile(r"\s+ago\b", re.I)
_BOUND_BEFORE = Tail(re.compile(
    r"(?P<q>more than|over|above|at least|upwards of|in excess of|no fewer than|no less than|exceeding|"
    r"less than|fewer than|under|below|up to|at most|no more than|as many as|as much as|as high as|"
    r"a maximum of|a minimum of|"
    r"about|around|roughly|approximately|approx\.|some|nearly|almost|close to|an estimated|estimated|"
    r"circa|more or less|just over|just under|just below|just above|between|from)\s+$", re.I))
LOWER = {"more than", "over", "above", "at least", "upwards of", "in excess of", "no fewer than",
         "no less than", "exceeding", "just over", "just above", "a minimum of"}
UPPER = {"less than", "fewer than", "under", "below", "up to", "at most", "no more than", "as many as",
         "as much as", "as high as", "a maximum of", "just under", "just below"}
APPROX = {"about", "around", "roughly", "approximately", "approx.", "some", "nearly", "almost", "close to",
          "an estimated", "estimated", "circa", "more or less"}
_BLOCK_PREV = set(
    "page pages p pp no nos number route flight section article chapter room gate line version season "
    "episode round stage phase level grade model series vol volume issue item rule code zone unit apartment "
    "suite floor platform terminal lane week day game ward district block exit highway interstate bus "
    "train track channel row seat table figure fig step act clause paragraph tier category size".split())
_STARTERS = set(
    "the a an in on at of for to by with some about only nearly roughly around over more less just all "
    "another almost approximately at least fewer than up as than and or but from between exactly "
    "estimated an nearly".split())
STOP = set(
    "a an the of in on at to for from by with and or but as than that this these those which who whom "
    "whose was were is are be been being has have had will would could should may might can do did does "
    "per each every its their his her our your my it they he she we you i new more other last next "
    "first second this year years percent said says according when while after before during since "
    "until within into onto over under about around between among".split())
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_IRREGULAR = {"people": "people", "women": "woman", "men": "man", "children": "child", "staff": "staff",
              "news": "news", "series": "series", "species": "species", "crises": "crisis"}


def singular(word: str) -> str:
    w = word.lower()
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith(("sses", "shes", "ches", "xes")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def counted_noun(text: str, pos: int) -> str:
    """The noun a number counts: '1,024 adults' -> 'adult'; '38-member delegation' -> 'delegation'."""
    words = []
    for m in _WORD.finditer(text, pos, min(len(text), pos + 60)):
        gap = text[pos:m.start()]
        if any(ch in gap for ch in ".,;:()!?\"") or len(words) >= 3:
            break
        if "\n" in gap and (gap.count("\n") > 1 or gap.strip() or not gap.endswith("\n")):
            # a paragraph or a list item (its marker blanked to spaces) ends the phrase; a line wrapped
            # inside a sentence ("signed 3\nagreements") does not
            break
        w = m.group(0)
        if w[0].isupper() and not words and len(words) < 2:
            nxt = _WORD.match(text, m.end() + 1) if text[m.end():m.end() + 1] == " " else None
            if nxt and nxt.group(0)[0].islower() and nxt.group(0).lower() not in STOP:
                pos = m.end()
                continue  # "20 Endurance pickups": a product name before the counted noun
        if w[0].isupper() or w.lower() in STOP:
            break
        words.append(w)
        pos = m.end()
    if not words:
        return ""
    if len(words) > 1 and words[0].lower() in ("member", "strong", "person", "man"):
        return "member"  # "a 38-member delegation" counts members
    if len(words) > 1 and words[1].endswith("s") and not words[0].endswith("s"):
        return singular(words[1])  # "1,200 construction workers"
    return singular(words[0])


def _prev_word(text: str, start: int) -> tuple[str, str]:
    """The word right before start and the characters between it and start."""
    i = start
    while i > 0 and text[i - 1] in " \t":
        i -= 1
    j = i
    while j > 0 and (text[j - 1].isalnum() or text[j - 1] in ".'’"):
        j -= 1
    return text[j:i], text[i:start]


def _scale(s: str | None) -> float:
    return SHORT_SCALES.get(s.strip().lower(), 1.0) if s else 1.0


def _num(m, which: str) -> tuple[float, float] | None:
    parsed = parse_number(m.group(which))
    if parsed is None:
        return None
    val, prec = parsed
    scale = _scale(m.group("scale" if which == "num" else "scale2"))
    return val * scale, prec * scale


_EXPONENT = re.compile(r"\^|[eE][+-]?\d|\*\*")


def extract_numbers(text: str) -> Iterator[Claim]:
    urls = [u.span() for u in _URL_TOKEN.finditer(text)] if ("://" in text or "www." in text or "%" in text) else []
    for m in _CANDIDATE_SCAN.finditer(text):
        if _EXPONENT.match(text, m.end("num")) or text[m.start() - 1:m.start()] == "^":
            continue  # "10^400", "1e400": a power, not a count of anything
        if urls and any(a <= m.start() < b for a, b in urls):
            continue  # digits inside a web address ("issn%280024%29") measure nothing
        claim = _classify(text, m)
        if claim is not None and _MINUS_BEFORE.search(text, max(0, claim.start - 10), claim.start):
            neg = _MINUS_BEFORE.search(text, max(0, claim.start - 10), claim.start)
            v = claim.value  # "minus five percent", "minus 5 degrees"
            v.lo, v.hi = (-v.hi if v.hi is not None else None), (-v.lo if v.lo is not None else None)
            v.bound = {"lower": "upper", "upper": "lower"}.get(v.bound, v.bound)
            claim.start = neg.start()
            claim.text = text[claim.start:claim.end]
            v.display = _display(claim.kind, v)
        if claim is not None and all(x is None or abs(x) < INF for x in (claim.value.lo, claim.value.hi)):
            yield claim  # a figure too large for a float ("10" and 500 nines) would compare as infinity


def _classify(text: str, m: re.Match) -> Claim | None:
    num_s = m.group("num")
    first = _num(m, "num")
    if first is None:
        return None
    is_word = not num_s[0].isdigit() and num_s[0] != "."
    end = m.end()
    second = None
    if m.group("num2") is not None:
        conn = m.group("conn").strip()
        left = text[max(0, m.start() - 9):m.start()].lower()
        if conn == "and" and not left.rstrip().endswith("between"):
            end = m.end("scale") if m.group("scale") else m.end("num")
        else:
            second = _num(m, "num2")
            if second is not None and m.group("scale2") and not m.group("scale"):
                # "$4.6 to 4.8 billion": the scale written once applies to both ends
                second_scale = _scale(m.group("scale2"))
                first = (first[0] * second_scale, first[1] * second_scale)
            if second is None or second[0] < first[0]:
                second = None
                end = m.end("scale") if m.group("scale") else m.end("num")
    else:
        end = m.end()
    start = m.start()
    rest = text[end:end + 40]
    pre = m.group("pre") or m.group("pre2")

    bound, qual_start = _bound(text, start)
    if second is not None:
        bound = "range"
        bm = _BOUND_BEFORE.search(text, max(0, start - 24), start)
        qual_start = bm.start() if bm and bm.group("q").lower() in ("between", "from") else None

    # what the number measures, from the words right after it
    unit = ""
    kind = None
    unit_end = end
    pm = _PERCENT_AFTER.match(rest)
    if pm and not pre:
        kind = "percent"
        unit = "pp" if "point" in pm.group(0).lower() else "%"
        unit_end = end + pm.end()
    elif pre:
        kind = "money"
        unit = _currency_code(pre)
        cm = _CURRENCY_AFTER.match(rest)
        if cm and cm.group("unit") and U.CURRENCY_WORD.get(cm.group("unit").lower()) == unit:
            unit_end = end + cm.end()
    else:
        if _AGE_AFTER.match(rest):
            return None
        dm = _DURATION_AFTER.match(rest)
        qm = _QUANTITY_AFTER.match(rest) if dm is None else None
        cm = _CURRENCY_AFTER.match(rest) if dm is None and qm is None else None
        if dm:
            if _AGO_AFTER.match(text, end + dm.end()):
                return None  # "two months ago" is a date, found by the date extractor
            kind = "duration"
            unit = "s"
            factor = U.DURATION[dm.group("unit").lower()]
            first = (first[0] * factor, first[1] * factor)
            if second is not None:
                second = (second[0] * factor, second[1] * factor)
            unit_end = end + dm.end()
            more = _DURATION_MORE.match(text, unit_end)
            if more and second is None and U.DURATION[more.group("unit").lower()] < factor:
                # "10 hours 45 minutes", "two years and three months": one length
                extra = parse_number(more.group("num"))
                if extra is not None:
                    add = extra[0] * U.DURATION[more.group("unit").lower()]
                    first = (first[0] + add, extra[1] * U.DURATION[more.group("unit").lower()])
                    unit_end = more.end()
        elif qm:
            dim, factor = U.QUANTITY.get(qm.group("unit")) or U.QUANTITY[qm.group("unit").lower()]
            if dim == "points" and is_word:
                return None
            kind, unit = "quantity", dim
            if dim == "temp_f":  # store Fahrenheit as Celsius so both scales compare
                first = ((first[0] - 32) * 5 / 9, first[1] * 5 / 9)
                second = ((second[0] - 32) * 5 / 9, second[1] * 5 / 9) if second else None
                unit = "temp_c"
            else:
                first = (first[0] * factor, first[1] * factor)
                second = (second[0] * factor, second[1] * factor) if second else None
            unit_end = end + qm.end()
        elif cm:
            code = U.CURRENCY_WORD[cm.group("unit").lower()] if cm.group("unit") else U.CURRENCY_SYMBOL[cm.group("sym")]
            if cm.group("unit") and cm.group("unit").lower() == "won" and not m.group("scale") and first[0] < 1000:
                return None  # "won 12 seats" is read elsewhere; "12 won" alone is too ambiguous
            kind = "money"
            if code in ("USD_CENT", "GBP_PENCE"):  # cents and pence are stored in their currency
                code = code[:3]
                first = (first[0] / 100, first[1] / 100)
                second = (second[0] / 100, second[1] / 100) if second else None
            unit = code
            unit_end = end + cm.end()
            cents = _CENTS_AFTER.match(text, unit_end) if second is None and cm.group("unit") and \
                cm.group("unit").lower() in ("dollars", "dollar", "euros", "euro") else None
            if cents:  # "3 dollars 50 cents", "thirteen dollars and forty-five cents"
                c = parse_number(cents.group("c"))
                if c is not None and c[0] < 100:
                    first = (first[0] + c[0] / 100, 0.005)
                    unit_end = cents.end()
        else:
            kind = "count"
    if kind == "count":
        claim = _count(text, m, first, second, is_word, start, end)
        if claim is None:
            return None
        claim_start = qual_start if bound != "exact" and qual_start is not None else start
        claim.start = claim_start
        claim.text = text[claim_start:claim.end]
        claim.value.bound = bound
        _apply_bound(claim.value, first, second, bound)
        return claim
    if is_word and kind in ("money", "percent", "quantity") and first[0] == 1 and not m.group("scale"):
        pass
    claim_start = qual_start if bound != "exact" and qual_start is not None else start
    value = Value(lo=first[0], hi=first[0], unit=unit, bound=bound, prec=first[1])
    _apply_bound(value, first, second, bound)
    value.display = _display(kind, value)
    claim = Claim(kind=kind, start=claim_start, end=unit_end, text=text[claim_start:unit_end], value=value)
    if kind == "duration" and m.group("num2") is None:
        claim.context["noun"] = counted_noun(text, unit_end)
    return claim


def _count(text, m, first, second, is_word, start, end) -> Claim | None:
    num_s = m.group("num")
    rest = text[end:end + 12]
    if rest[:2].lower() in ("st", "nd", "rd", "th") and not rest[2:3].isalpha():
        return None
    if re.match(r"[:/]\d|[.,]\d|-\d|\s?-\s?[A-Za-z]*\d", rest):
        return None
    prev, gap = _prev_word(text, start)
    if prev and gap and "\n" not in gap:
        pl = prev.lower().rstrip(".")
        if pl in _BLOCK_PREV or (prev[0].isupper() and pl not in _STARTERS and not _sentence_start(text, start - len(gap) - len(prev))):
            return None
    if prev.endswith(("#", "№")):
        return None
    value = first[0]
    if not is_word and "," not in num_s and "." not in num_s and 1000 <= value <= 2199 and not m.group("scale"):
        noun = counted_noun(text, end)
        if not noun:
            return None  # a year: the date extractor reads it
    noun = counted_noun(text, end)
    if is_word:
        low = num_s.lower()
        if low in ("one", "zero", "a dozen") and not noun:
            return None
        if low == "one":
            return None
        if not noun:
            return None
    elif not noun:
        left = text[max(0, start - 24):start].lower()
        if re.search(r"(?:who\s+is|who\s+was|aged?|age\s+of)\s+$", left):
            return None
        if not re.search(r"(?:\bto|\bof|\bat|reached|killed|hit|\bwas|\bwere|\bis|\bare|totaled|totalled|"
                         r"numbered|toll|stood at|rose to|fell to|climbed to|dropped to)\s+$", left):
            return None
    end_pos = m.end() if second is not None else (m.end("scale") if m.group("scale") else m.end("num"))
    val = Value(lo=first[0], hi=first[0], unit="", prec=0.0 if not m.group("scale") else first[1])
    claim = Claim(kind="count", start=start, end=end_pos, text=text[start:end_pos], value=val)
    claim.context["noun"] = noun
    return claim


def _currency_code(pre: str) -> str:
    key = re.sub(r"\s+", "", pre).upper()
    if key in U.CURRENCY_SYMBOL:
        return U.CURRENCY_SYMBOL[key]
    key = key.replace(".", "")
    return {"US$": "USD", "USS$": "USD", "C$": "CAD", "MEX$": "MXN", "CAD$": "CAD"}.get(key, U.CURRENCY_SYMBOL.get(key, "USD"))


def _sentence_start(text: str, pos: int) -> bool:
    i = pos
    while i > 0 and text[i - 1] in " \t\"'“‘(":
        i -= 1
    return i == 0 or text[i - 1] in ".!?\n:;—–"


def _bound(text: str, start: int) -> tuple[str, int | None]:
    bm = _BOUND_BEFORE.search(text, max(0, start - 24), start)
    if not bm:
        return "exact", None
    q = bm.group("q").lower()
    if q in LOWER:
        return "lower", bm.start()
    if q in UPPER:
        return "upper", bm.start()
    if q in APPROX:
        return "approx", bm.start()
    return "exact", None  # between / from: only meaningful with a second number


def _apply_bound(value: Value, first, second, bound: str) -> None:
    v, prec = first
    value.prec = prec if value.prec is None else value.prec
    if bound == "range" and second is not None:
        value.lo, value.hi = v, second[0]
    elif bound == "lower":
        value.lo, value.hi = v, None
    elif bound == "upper":
        value.lo, value.hi = None, v
    else:
        value.lo = value.hi = v


def _display(kind: str, value: Value) -> str:
    def one(x):
        if x is None:
            return "…"
        if kind == "duration":
            return _fmt_duration(x)
        if kind == "money":
            return f"{value.unit} {fmt_number(round(x, 6))}"
        if kind == "percent":
            return fmt_number(round(x, 6)) + ("%" if value.unit == "%" else " pp")
        if kind == "quantity":
            return f"{fmt_number(round(x, 6))} {_BASE_UNIT.get(value.unit, value.unit)}"
        return fmt_number(x)

    prefix = {"approx": "~", "lower": "≥", "upper": "≤"}.get(value.bound, "")
    if value.bound == "range":
        return f"{one(value.lo)}–{one(value.hi)}"
    if value.bound == "lower":
        return "≥" + one(value.lo)
    if value.bound == "upper":
        return "≤" + one(value.hi)
    return prefix + one(value.lo)


_BASE_UNIT = {"speed": "m/s", "length": "m", "mass": "kg", "area": "m²", "volume": "m³", "power": "W",
              "energy": "J", "temp_c": "°C", "points": "points", "data": "B"}


def _fmt_duration(seconds: float) -> str:
    for unit, size in (("years", 31557600), ("months", 2629800), ("weeks", 604800), ("days", 86400),
                       ("hours", 3600), ("minutes", 60)):
        if seconds >= size and abs(seconds / size - round(seconds / size, 2)) < 1e-9:
            return f"{fmt_number(round(seconds / size, 4))} {unit}"
    if seconds >= 3600:
        return f"{fmt_number(round(seconds / 3600, 4))} hours"
    if seconds >= 60:
        return f"{fmt_number(round(seconds / 60, 4))} minutes"
    return f"{fmt_number(round(seconds, 3))} seconds"


def display(kind: str, value: Value) -> str:
    return _display(kind, value)


# ---- number mode: every number, for measuring the number grammar (bench/spec_accuracy.py) --------


@dataclass(slots=True)
class NumberMention:
    start: int
    end: int
    value: Value


def number_mentions(text: str) -> Iterator[NumberMention]:
    """Every number the grammar reads, with the comparison words around it, whatever it counts.

    Not used on news: a count claim needs a counted noun or a verb context (see _count). This is the
    lower-level reading the news extractor is built on, exposed to measure it on bare numbers."""
    spans = scan_numbers(text)
    out: list[NumberMention] = []
    i = 0
    while i < len(spans):
        sp = spans[i]
        # a range: "20 to 30", "between 20 and 30", "1000-5000", "20~100"
        if i + 1 < len(spans):
            nxt = spans[i + 1]
            conn = text[sp.end:nxt.start]
            between = re.search(r"\b(?:between|from)\s+$", text[max(0, sp.start - 9):sp.start], re.I)
            chained = re.match(r"\s?-\s?\d", text[nxt.end:nxt.end + 3]) or text[sp.start - 1:sp.start] in ("-", "+")
            if _RANGE_CONN.fullmatch(conn) and nxt.value >= sp.value and not (sp.words and "-" in conn) and \
                    not chained and (conn.strip().lower() != "and" or between):
                start = sp.start - len(between.group(0)) if between else sp.start
                out.append(NumberMention(start, nxt.end, Value(lo=sp.value, hi=nxt.value, unit="", bound="range")))
                i += 2
                continue
        start, end, bound = sp.start, sp.end, "exact"
        before = _CMP_BEFORE.search(text, max(0, sp.start - 40), sp.start)
        after = _CMP_AFTER.match(text, sp.end)
        if after and i + 1 < len(spans) and spans[i + 1].start - after.end() <= 1:
            after = None  # "5000 or more than 4500": the words bound the next number
        if before:
            start, bound = before.start(), _cmp_bound(before.group(0))
            if before.group("eq") and after:  # "equal to 5000 or more"
                end, bound = after.end(), _cmp_bound(after.group(0))
        elif after:
            end, bound = after.end(), _cmp_bound(after.group(0))
        else:
            b, q = _bound(text, sp.start)
            if b != "exact" and q is not None:
                start, bound = q, b
        value = Value(lo=sp.value, hi=sp.value, unit="", bound=bound, prec=sp.prec)
        _apply_bound(value, (sp.value, sp.prec), None, bound)
        out.append(NumberMention(start, end, value))
        i += 1
    # "greater than 100 and smaller than 300": a lower and an upper bound joined make one range
    merged: list[NumberMention] = []
    for m in out:
        prev = merged[-1] if merged else None
        if prev and {prev.value.bound, m.value.bound} == {"lower", "upper"} and \
                re.fullmatch(r"\s*,?\s*(?:and|but)\s+", text[prev.end:m.start], re.I):
            lo = prev.value.lo if prev.value.bound == "lower" else m.value.lo
            hi = prev.value.hi if prev.value.bound == "upper" else m.value.hi
            if lo <= hi:
                merged[-1] = NumberMention(prev.start, m.end, Value(lo=lo, hi=hi, unit="", bound="range"))
                continue
        merged.append(m)
    for m in merged:
        m.value.display = _display("count", m.value)
    return iter(merged)


_RANGE_CONN = re.compile(r"\s?(?:-|–|—|~)\s?|\s+(?:to|and|through|till|until)\s+", re.I)
_CMP_LOWER = (r"(?:(?:greater|larger|bigger|higher|more)(?:\s+or\s+equal)?\s+(?:than|to)(?:\s+or\s+equal\s+to)?"
              r"|at\s+least(?:\s+or\s+equal\s+to)?|equal\s+to\s+or\s+(?:more|greater)\s+than|no\s+(?:less|fewer)\s+than"
              r"|above|exceed(?:s|ed|ing)?|surpass(?:es|ed|ing)?|>=?|≥)")
_CMP_UPPER = (r"(?:(?:less|smaller|lower|fewer)(?:\s+or\s+equal)?\s+(?:than|to)(?:\s+or\s+equal\s+to)?"
              r"|at\s+most|up\s+to|no\s+more\s+than|equal\s+to\s+or\s+(?:less|fewer|smaller)\s+than|below|under|<=?|≤)")
_CMP_BEFORE = Tail(re.compile(rf"(?<![\w=<>])(?:(?P<lower>{_CMP_LOWER})|(?P<upper>{_CMP_UPPER})|(?P<eq>equal\s+to|equals|=))\s*$", re.I))
_CMP_AFTER = re.compile(r"\s+or\s+(?:(?P<lower>more|greater|above|higher|larger)|(?P<upper>less|fewer|below|lower|smaller))\b"
                        r"(?:\s+than)?", re.I)


def _cmp_bound(words: str) -> str:
    m = _CMP_BEFORE.search(words.rstrip() + " ") or _CMP_AFTER.match(" " + words.strip())
    if m is None:
        return "exact"
    return "lower" if m.group("lower") else "upper" if m.group("upper") else "exact"
