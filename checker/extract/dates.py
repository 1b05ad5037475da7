"""Dates (absolute, partial, ranges, weekdays, relative, quarters), times of day and durations
written in words. Candidates come from compiled patterns; each is normalized here against the
document's reference date. dateparser only ever sees a numeric date span we could not read."""
from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import lru_cache
from typing import Iterator, Optional

from checker.models import Claim, Value
from checker.normalize.numbers import ORDINALS, UNITS, TENS, parse_words

MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December"]
MONTH_NUM = {m.lower(): i + 1 for i, m in enumerate(MONTH_NAMES)}
MONTH_NUM.update({m.lower()[:3]: i + 1 for i, m in enumerate(MONTH_NAMES)})
MONTH_NUM["sept"] = 9
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
WEEKDAY_NUM = {w.lower(): i for i, w in enumerate(WEEKDAYS)}
WEEKDAY_NUM.update({w.lower()[:3]: i for i, w in enumerate(WEEKDAYS)})
WEEKDAY_NUM.update({"tues": 1, "thur": 3, "thurs": 3})

_MON_FULL = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_MON_ABBR = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
MON = rf"(?:{_MON_FULL}|{_MON_ABBR}|(?-i:JANUARY|FEBRUARY|MARCH|APRIL|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER))"
WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Mon\.|Tue\.|Tues\.|Wed\.|Thu\.|Thurs\.|Fri\.|Sat\.|Sun\.)"
_ORD_WORDS = "|".join(sorted(ORDINALS, key=len, reverse=True))
_DAYNUM_WORDS = "|".join(sorted(list(UNITS) + list(TENS), key=len, reverse=True))
DAY = rf"(?:[0-3]?\d(?:st|nd|rd|th)?(?!\d)|(?:{_ORD_WORDS})|(?:(?:{_DAYNUM_WORDS})(?:[\s-](?:{_DAYNUM_WORDS}))?))"
YEAR = r"(?:1[6-9]\d\d|20\d\d|21\d\d)"

_MODS = (r"(?P<mod>since|before|after|until|till|by|through|from|early|mid|late|the end of|"
         r"the beginning of|the start of|the middle of|end of|start of|beginning of|"
         r"no later than|not before|as of|prior to)")

DATE = re.compile(
    rf"(?:(?<![\w-]){_MODS}[\s-]+)?"
    r"(?:"
    # Tuesday, June 3, 2025 / June 3-7, 2025 / Jan. 5 / June 3 to July 2, 2025 / Monday (Jan 5)
    rf"(?:(?P<wd1>{WD})(?:'s)?,?\s+(?:\(\s*)?(?:the\s+)?)?"
    rf"(?P<mon1>{MON})\s+(?P<day1>{DAY})"
    rf"(?:(?P<rconn>\s*(?:-|–|—|to|through|until|and)\s*)(?:(?P<rmon>{MON})\s+)?(?P<rday>{DAY}))?"
    rf"(?:,?\s+(?P<year1>{YEAR})(?!\d))?"
    r"|"
    # 5 January 2026 / the 5th of January / second of Aug
    rf"(?:(?P<wd2>{WD}),?\s+)?(?:the\s+)?(?P<day2>{DAY})(?:\s+of)?\s+(?P<mon2>{MON})(?:,?\s+(?P<year2>{YEAR})(?!\d))?"
    r"|"
    # June 2025 / June of 2025
    rf"(?P<mon3>{MON})(?:,?\s+|\s+of\s+)(?P<year3>{YEAR})(?!\d)"
    r"|"
    # 2025-06-03
    r"(?P<iso>(?P<iy>(?:19|20)\d\d)-(?P<im>[01]?\d)-(?P<id>[0-3]?\d))(?![\d:])"
    r"|"
    # 6/3/2025, 10/2 (configurable order)
    r"(?<![\d/.])(?P<slash>[01]?\d/[0-3]?\d(?:/(?:\d{4}|\d{2}))?)(?![\d/])"
    r"|"
    # quarters and halves
    r"(?P<qtr>(?:(?:the\s+)?(?P<qord>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+quarter|Q(?P<qnum>[1-4]))"
    rf"(?:(?:\s+of|,)?\s+(?:fiscal\s+)?(?:year\s+)?(?P<qyear>{YEAR})|\s?'(?P<qyy>\d\d)|\s+(?P<qrel>last year|this year|next year))?)"
    r"|"
    rf"(?P<half>(?:the\s+)?(?P<hord>first|second)[\s-]+half|H(?P<hnum>[12]))(?:(?:\s+of)?\s+(?P<hyear>{YEAR}))?"
    r"|"
    # the 1990s, the '90s
    r"(?P<decade>(?:the\s+)?(?:(?P<dec4>1[6-9]\d0|20\d0)s|'(?P<dec2>\d0)s))"
    r"|"
    # fiscal 2025 / FY2025
    rf"(?P<fiscal>(?:fiscal(?:\s+year)?|FY)\s?(?P<fyear>{YEAR}|\d\d)(?!\d))"
    r"|"
    # mid-2024, late 2025 (handled by the modifier group) and a year alone
    rf"(?P<year4>(?<![\d,.$£€-]){YEAR}(?![\d,]|\s?(?:%|percent)))"
    r"|"
    # weekdays alone: on Monday, Monday's, early Sunday, last Friday
    rf"(?:(?P<wrel>last|next|this)\s)?(?P<wd5>(?<![\w-]){WD})(?:'s|’s)?"
    r"|"
    # a month alone: in November, since August
    rf"(?P<mon6>(?<![\w-]){_MON_FULL}|(?<![\w-])(?:Sept|Aug|Oct|Nov|Dec|Jan|Feb)\.(?!\s*\d))"
    r"|"
    # relative expressions
    r"(?P<rel>(?i:yesterday|today|tomorrow|tonight|"
    r"(?:last|this|next|past|previous|coming)\s+(?:week|month|year|quarter|weekend)(?:'s|’s)?|"
    r"earlier\s+this\s+(?:week|month|year)|later\s+this\s+(?:week|month|year)|"
    r"(?:a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2})\s+(?:days?|weeks?|months?|years?)\s+(?:ago|earlier|before)|"
    r"a\s+year\s+(?:ago|earlier)|a\s+(?:week|month)\s+ago|the\s+day\s+before|the\s+previous\s+day|"
    r"in\s+the\s+past\s+(?:week|month|year)))"
    r")(?![\w])",
)

# Words that make a capitalised weekday or month part of a name, not a date
_NAMED_DAYS = re.compile(r"(?:Good|Black|Cyber|Super|Ash|Easter|Holy|Maundy|Boxing|Giving|Bloody|Fat|Palm)\s+$")
_NOT_MONTH_AFTER = re.compile(r"^\s*(?:[A-Z][a-z]+|\d+[A-Za-z])")

TIME = re.compile(
    r"(?<![\w:.])(?P<h>[01]?\d|2[0-3])(?:[:.](?P<m>[0-5]\d))?\s?(?P<ampm>[ap]\.m\.|[ap]m\b|[AP]M\b|[ap]\.m\b)"
    r"|(?<![\w:.$])(?P<h24>[01]?\d|2[0-3]):(?P<m24>[0-5]\d)(?![\d:])(?!\s?(?:[ap]\.?m))"
    r"|\b(?P<named>noon|midnight|midday)\b"
)
_ZONE = re.compile(
    r"\s?(?:\(?\s*(?P<local>local time)\s*\)?)?\s?(?:(?P<zone>GMT|UTC|BST|CET|CEST|EET|EEST|ET|EST|EDT|CT|CST|CDT|MT|MST|MDT|PT|PST|PDT|KST|JST|IST|AEST|AEDT|HKT|SGT)(?P<off>[+-]\d{1,2})?)?\b"
)
ZONES = {"GMT": 0, "UTC": 0, "BST": 60, "CET": 60, "CEST": 120, "EET": 120, "EEST": 180, "ET": -300, "EST": -300,
         "EDT": -240, "CT": -360, "CST": -360, "CDT": -300, "MT": -420, "MST": -420, "MDT": -360, "PT": -480,
         "PST": -480, "PDT": -420, "KST": 540, "JST": 540, "IST": 330, "AEST": 600, "AEDT": 660, "HKT": 480,
         "SGT": 480}

_WORD_DURATION = re.compile(
    r"(?<![\w-])(?P<q>(?:about|around|nearly|almost|roughly|more than|less than|over|under|just over|just under)\s+)?"
    r"(?:"
    r"(?P<frac>(?:a|one)[\s-]half|half|(?:a|one)[\s-]quarter|(?:three|two)[\s-](?:quarters|thirds)|(?:a|one)[\s-]third)\s+(?:of\s+)?(?:an?\s+)?(?P<funit>hour|day|year|minute|week|month|decade|century)"
    r"|(?P<a>an?|one)\s+(?P<aunit>hour|day|week|month|year|decade|minute|century)(?P<ahalf>\s+and\s+a\s+half)?(?P<along>-long)?"
    r"|(?P<wnum>two|three|four|five|six|seven|eight|nine|ten|\d+(?:\.\d+)?)\s+and\s+a\s+half\s+(?P<hunit>hours|days|weeks|months|years|minutes|decades)"
    r"|(?P<long>decade|year|month|week|day|hour|century)-long"
    r")(?![\w-])", re.I)
_DUR_UNIT = {"minute": 60, "hour": 3600, "day": 86400, "week": 604800, "month": 2629800, "year": 31557600,
             "decade": 315576000, "century": 3155760000}
_A_DURATION_CONTEXT = re.compile(
    r"(?:for|lasted|lasting|last|took|takes|take|spent|spend|over|about|nearly|almost|roughly|around|than|after|"
    r"just|barely|only|some|least|within|in under|a full|the past|the last|the first|of)\s+$", re.I)
_FUTURE = re.compile(r"\b(?:will|shall|'ll|is to|are to|scheduled|set to|plans? to|planned|expected to|"
                     r"is due|are due|going to|upcoming|next|opens|begins|starts|runs)\b", re.I)


_PAST_NEAR = re.compile(r"\b(?:said|told|was|were|had|did|announced|reported|met|held|signed|opened|closed|"
                        r"died|killed|struck|hit|made|came|began|started|ended|took|gave|won|lost|\w{3,}ed)\b", re.I)


def _day_value(s: str) -> Optional[int]:
    s = s.strip().lower()
    m = re.match(r"(\d{1,2})", s)
    if m:
        return int(m.group(1))
    if s in ORDINALS:
        return ORDINALS[s]
    v = parse_words(s.replace("-", " "))
    return int(v) if v is not None else None


def _month(s: str) -> int:
    return MONTH_NUM[s.lower().rstrip(".")[:4] if s.lower().startswith("sept") else s.lower().rstrip(".")[:3]]


def _ordinal(d: dt.date) -> int:
    return d.toordinal()


def _fmt(lo: dt.date, hi: dt.date, gran: str) -> str:
    if gran == "day":
        return lo.isoformat() if lo == hi else f"{lo.isoformat()}/{hi.isoformat()}"
    if gran == "month":
        return f"{lo:%Y-%m}" if lo.month == hi.month and lo.year == hi.year else f"{lo:%Y-%m}/{hi:%Y-%m}"
    if gran == "year":
        return str(lo.year) if lo.year == hi.year else f"{lo.year}/{hi.year}"
    if gran == "quarter":
        return f"{lo.year}-Q{(lo.month - 1) // 3 + 1}"
    if gran == "half":
        return f"{lo.year}-H{(lo.month - 1) // 6 + 1}"
    if gran == "decade":
        return f"{lo.year}s"
    return f"{lo.isoformat()}/{hi.isoformat()}"


def date_value(lo: dt.date, hi: dt.date, gran: str, bound: str = "exact", **kw) -> Value:
    v = Value(lo=float(lo.toordinal()), hi=float(hi.toordinal()), unit="day", bound=bound, gran=gran, **kw)
    v.display = _fmt(lo, hi, gran)
    return v


def _month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def _nearest_year(month: int, day: int, ref: dt.date, future: bool) -> Optional[int]:
    best = None
    for y in (ref.year - 1, ref.year, ref.year + 1):
        try:
            d = dt.date(y, month, min(day, 28) if (month == 2 and day == 29 and not calendar.isleap(y)) else day)
        except ValueError:
            continue
        delta = (d - ref).days
        score = abs(delta) + (0 if (delta >= -3 if future else delta <= 3) else 60)
        if best is None or score < best[0]:
            best = (score, y)
    return best[1] if best else None


def _sentence_window(text: str, start: int, end: int) -> str:
    # searches bounded to the 200-character window: unbounded ones made long unpunctuated text quadratic
    lo, hi = max(0, start - 202), end + 202
    a = max(text.rfind(". ", lo, start), text.rfind("\n\n", lo, start), start - 200)
    b = [i for i in (text.find(". ", end, hi), text.find("\n\n", end, hi)) if i != -1]
    return text[max(a, 0):min(b + [end + 200])]


def _apply_mod(v: Value, mod: Optional[str], lo: dt.date, hi: dt.date, gran: str) -> Value:
    if not mod:
        return v
    mod = mod.lower()
    if mod in ("since", "after", "from", "not before", "as of"):
        v.bound = "lower"
        v.hi = None
        if mod == "after":
            v.lo = float(hi.toordinal() + 1)
    elif mod in ("before", "until", "till", "by", "through", "no later than", "prior to"):
        v.bound = "upper"
        v.lo = None
        if mod in ("before", "prior to"):
            v.hi = float(lo.toordinal() - 1)
    elif mod in ("early", "mid", "late", "the beginning of", "the start of", "beginning of", "start of",
                 "the end of", "end of", "the middle of"):
        span = hi.toordinal() - lo.toordinal() + 1
        third = max(span // 3, 1)
        if mod in ("early", "the beginning of", "the start of", "beginning of", "start of"):
            v.hi = float(lo.toordinal() + third - 1)
        elif mod in ("late", "the end of", "end of"):
            v.lo = float(hi.toordinal() - third + 1)
        else:
            v.lo, v.hi = float(lo.toordinal() + third), float(hi.toordinal() - third)
        v.bound = "approx"
        v.display = f"{mod} {v.display}"
    return v


def extract_dates(text: str, ref: Optional[dt.date], day_first: bool = False) -> Iterator[Claim]:
    for m in DATE.finditer(text):
        try:
            claim = _date_claim(text, m, ref, day_first)
        except (ValueError, OverflowError):
            claim = None
        if claim is not None:
            yield claim


def _date_claim(text: str, m: re.Match, ref: Optional[dt.date], day_first: bool) -> Optional[Claim]:
    g = m.groupdict()
    mod = g.get("mod")
    start, end = m.start(), m.end()
    if mod and mod.lower() in ("earlier", "later"):
        return None  # "earlier Monday" style phrasing is read without the modifier by the next match
    if mod and mod.lower() == "from" and (g.get("rday") or g.get("rconn")):
        mod = None  # "from January 4 to 7": a range, not "on or after"
    if "(" in m.group(0) and text[end:end + 1] == ")":
        end += 1
    window = None

    def future() -> bool:
        nonlocal window
        if window is None:
            window = _sentence_window(text, start, end)
        near = text[max(0, start - 48):start]
        cut = max(near.rfind(". "), near.rfind("\n\n"))
        near = near[cut + 1:] if cut != -1 else near
        if _PAST_NEAR.search(near):
            return False
        return bool(_FUTURE.search(window))

    if _NAMED_DAYS.search(text, max(0, start - 12), start):
        return None

    # ---- month + day (optionally weekday, range, year)
    if g["mon1"] or g["day2"]:
        mon_s = g["mon1"] or g["mon2"]
        day_s = g["day1"] or g["day2"]
        if mon_s == "May" and not (g["day1"] or g["day2"]):
            return None
        day = _day_value(day_s)
        if day is None or day < 1:
            return None
        if not day_s[0].isdigit() and g["mon2"] is None and g["wd1"] is None:
            # "May twenty nine" is fine; "March one" inside prose rarely is a date
            if day_s.lower() in UNITS and len(day_s) < 4:
                return None
        month = _month(mon_s)
        year_s = g["year1"] or g["year2"]
        wd_s = g["wd1"] or g["wd2"]
        weekday = WEEKDAY_NUM.get(wd_s.lower().rstrip(".")) if wd_s else None
        year_known = year_s is not None
        invalid = ""
        if day > 31 or (day > 29 and month == 2) or day > calendar.monthrange(2024, month)[1]:
            invalid = f"{MONTH_NAMES[month - 1]} has no day {day}"
        if year_s:
            year = int(year_s)
        elif ref is not None:
            year = _nearest_year(month, min(day, 28), ref, future()) if not invalid else ref.year
        else:
            year = None
        if year is not None and not invalid:
            if day > calendar.monthrange(year, month)[1]:
                invalid = f"{MONTH_NAMES[month - 1]} {year} has no day {day}"
        if invalid:
            v = Value(lo=None, hi=None, unit="day", gran="day", month=month, day=day, weekday=weekday,
                      invalid=invalid, display=f"{MONTH_NAMES[month - 1]} {day} (no such date)", year_known=year_known)
            return Claim("date", start, end, text[start:end], v)
        if year is None:
            v = Value(lo=None, hi=None, unit="day", gran="monthday", month=month, day=day, weekday=weekday,
                      display=f"{MONTH_NAMES[month - 1]} {day} (no year)", year_known=False)
            if g["rday"]:
                rday = _day_value(g["rday"])
                if rday is not None:
                    v.bound = "range"
            return Claim("date", start, end, text[start:end], v)
        lo = dt.date(year, month, day)
        hi = lo
        bound = "exact"
        if g["rday"]:
            rday = _day_value(g["rday"])
            rmon = _month(g["rmon"]) if g["rmon"] else month
            try:
                hi = dt.date(year, rmon, rday) if rday else lo
            except ValueError:
                hi = lo
            if hi < lo:
                try:
                    hi = dt.date(year + 1, rmon, rday)
                except ValueError:
                    hi = lo
            if hi != lo:
                bound = "range"
        v = date_value(lo, hi, "day", bound, month=month, day=day, weekday=weekday, year_known=year_known)
        return Claim("date", start, end, text[start:end], _apply_mod(v, mod, lo, hi, "day"))

    if g["mon3"]:
        month, year = _month(g["mon3"]), int(g["year3"])
        lo, hi = dt.date(year, month, 1), _month_end(year, month)
        v = date_value(lo, hi, "month", month=month)
        return Claim("date", start, end, text[start:end], _apply_mod(v, mod, lo, hi, "month"))

    if g["iso"]:
        try:
            lo = dt.date(int(g["iy"]), int(g["im"]), int(g["id"]))
        except ValueError:
            v = Value(lo=None, hi=None, unit="day", gran="day", invalid=f"{g['iso']} is not a date",
                      display=f"{g['iso']} (no such date)")
            return Claim("date", start, end, text[start:end], v)
        v = date_value(lo, lo, "day", month=lo.month, day=lo.day)
        return Claim("date", start, end, text[start:end], _apply_mod(v, mod, lo, lo, "day"))

    if g["slash"]:
        d = _parse_slash(g["slash"], ref, day_first)
        if d is None:
            return None
        lo, year_known = d
        v = date_value(lo, lo, "day", month=lo.month, day=lo.day, year_known=year_known)
        return Claim("date", start, end, text[start:end], _apply_mod(v, mod, lo, lo, "day"))

    if g["qtr"]:
        q = int(g["qnum"]) if g["qnum"] else {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2,
                                               "3rd": 3, "4th": 4}[g["qord"].lower()]
        year = _period_year(g, "qyear", "qyy", "qrel", ref, q * 3 - 2, future)
        if not (g["qyear"] or g["qyy"] or g["qrel"]) and re.match(r"-|\s+[a-z]", text[end:end + 2]):
            return None  # "third-quarter revenue": a qualifier of another claim, not a claim of its own
        if year is None:
            v = Value(lo=None, hi=None, unit="day", gran="quarter", month=q * 3 - 2,
                      display=f"Q{q} (year unknown)", year_known=False)
            return Claim("date", start, end, text[start:end], v)
        lo, hi = dt.date(year, q * 3 - 2, 1), _month_end(year, q * 3)
        v = date_value(lo, hi, "quarter", year_known=bool(g["qyear"] or g["qyy"]))
        return Claim("date", start, end, text[start:end], _apply_mod(v, mod, lo, hi, "quarter"))

    if g["half"]:
        h = int(g["hnum"]) if g["hnum"] else (1 if g["hord"].lower() == "first" else 2)
        if g["hyear"]:
            year = int(g["hyear"])
        elif ref is not None:
            year = ref.year
        else:
            return None
        if not g["hyear"] and not g["hnum"] and not re.search(r"\b(?:of the year|year)\b", text[end:end + 12]):
            if not re.search(r"(?:in|during|for|over)\s+(?:the\s+)?$", text[max(0, start - 12):start]):
                return None
        lo, hi = dt.date(year, h * 6 - 5, 1), _month_end(year, h * 6)
        v = date_value(lo, hi, "half", year_known=bool(g["hyear"]))
        return Claim("date", start, end, text[start:end], _apply_mod(v, mod, lo, hi, "half"))

    if g["decade"]:
        y = int(g["dec4"]) if g["dec4"] else (1900 + int(g["dec2"]) if int(g["dec2"]) >= 30 else 2000 + int(g["dec2"]))
        lo, hi = dt.date(y, 1, 1), dt.date(y + 9, 12, 31)
        v = date_value(lo, hi, "decade")
        return Claim("date", start, end, text[start:end], _apply_mod(v, mod, lo, hi, "decade"))

    if g["fiscal"]:
        fy = g["fyear"]
        year = int(fy) if len(fy) == 4 else 2000 + int(fy)
        # a fiscal year's calendar span is company-specific: compare fiscal years only with each other
        v = Value(lo=float(year), hi=float(year), unit="fiscal_year", gran="year", display=f"FY{year}")
        return Claim("date", start, end, text[start:end], v)

    if g["year4"]:
        year = int(g["year4"])
        before = text[max(0, m.start("year4") - 14):m.start("year4")]
        after = text[end:end + 16]
        if not mod and not re.search(r"(?:\b(?:in|of|during|for|throughout|from|to|and|between|year|the|mid|early|late|fiscal|FY)\s*-?\s*|')$", before, re.I):
            if not re.match(r"\s+[a-z]", after):  # the 2025 summit
                return None
        if re.match(r"\s*(?:-|–)\s*\d", after) or re.search(r"[A-Za-z]-$|#$|No\.\s*$|[Pp]age\s*$", before):
            return None
        lo, hi = dt.date(year, 1, 1), dt.date(year, 12, 31)
        v = date_value(lo, hi, "year")
        return Claim("date", start, end, text[start:end], _apply_mod(v, mod, lo, hi, "year"))

    if g["wd5"]:
        wd = WEEKDAY_NUM[g["wd5"].lower().rstrip(".")[:3] if len(g["wd5"]) > 4 else g["wd5"].lower().rstrip(".")]
        rel = (g["wrel"] or "").lower()
        if g["wd5"].endswith(".") and not rel:
            return None
        rel_kind = rel
        if ref is None:
            v = Value(lo=None, hi=None, unit="day", gran="weekday", weekday=wd, year_known=False,
                      display=f"{WEEKDAYS[wd]} (no reference date)")
        else:
            d = _resolve_weekday(wd, ref, rel_kind, future())
            v = date_value(d, d, "day", weekday=wd, year_known=False)
            v.gran = "day"
            v.display = d.isoformat()
        s = m.start("wd5")
        e = m.end()
        return Claim("date", s, e, text[s:e], v)

    if g["mon6"]:
        month = _month(g["mon6"])
        if g["mon6"] == "May":
            if not mod and not re.search(r"(?:\b(?:in|of|since|until|by|from|during|through|early|mid|late|last|next|this)\s+)$",
                                         text[max(0, start - 10):start]):
                return None
        elif not mod and not re.search(r"(?:\b(?:in|of|since|until|by|from|during|through|early|mid|late|last|next|this|on|before|after)[\s-]+)$",
                                       text[max(0, start - 10):start]):
            return None
        if _NOT_MONTH_AFTER.match(text[end:end + 12]) and not text[end:end + 1] in ",.":
            return None  # "April Smith", "March Madness"
        if ref is None:
            v = Value(lo=None, hi=None, unit="day", gran="month", month=month, year_known=False,
                      display=f"--{month:02d} (year unknown)")
            return Claim("date", start, end, text[start:end], v)
        fut = future()
        year = ref.year
        if fut and month < ref.month:
            year += 1
        elif not fut and month > ref.month:
            year -= 1
        lo, hi = dt.date(year, month, 1), _month_end(year, month)
        v = date_value(lo, hi, "month", month=month, year_known=False)
        return Claim("date", start, end, text[start:end], _apply_mod(v, mod, lo, hi, "month"))

    if g["rel"]:
        return _relative(text, m, start, end, ref, mod)
    return None


def _period_year(g, year_key, yy_key, rel_key, ref, month, future) -> Optional[int]:
    if g.get(year_key):
        return int(g[year_key])
    if g.get(yy_key):
        return 2000 + int(g[yy_key])
    rel = (g.get(rel_key) or "").lower()
    if ref is None:
        return None
    if rel == "last year":
        return ref.year - 1
    if rel == "next year":
        return ref.year + 1
    if rel == "this year":
        return ref.year
    # an unanchored quarter: the latest one that has started by the reference date (or the next one)
    if future():
        return ref.year if month >= ref.month - 2 else ref.year + 1
    return ref.year if month <= ref.month else ref.year - 1


def _resolve_weekday(wd: int, ref: dt.date, rel: str, future: bool) -> dt.date:
    delta = (wd - ref.weekday()) % 7
    if rel == "next":
        return ref + dt.timedelta(days=delta or 7)
    if rel == "this":
        return ref + dt.timedelta(days=wd - ref.weekday())
    back = (ref.weekday() - wd) % 7
    if rel == "last":
        return ref - dt.timedelta(days=back or 7)
    if future:
        return ref + dt.timedelta(days=delta)
    return ref - dt.timedelta(days=back)


def _parse_slash(s: str, ref: Optional[dt.date], day_first: bool) -> Optional[tuple[dt.date, bool]]:
    parts = s.split("/")
    a, b = int(parts[0]), int(parts[1])
    month, day = (b, a) if day_first else (a, b)
    if len(parts) == 3:
        year = int(parts[2])
        year = year + 2000 if year < 100 else year
        known = True
    elif ref is not None:
        year = _nearest_year(month, day, ref, False) if 1 <= month <= 12 else None
        known = False
    else:
        return None
    if year is None:
        return None
    try:
        return dt.date(year, month, day), known
    except ValueError:
        return _dateparser_fallback(s, ref, day_first)


@lru_cache(maxsize=4096)
def _dateparser_fallback(span: str, ref: Optional[dt.date], day_first: bool) -> Optional[tuple[dt.date, bool]]:
    """The odd numeric span our own reader rejects: dateparser, English only, against the reference."""
    import dateparser

    settings = {"DATE_ORDER": "DMY" if day_first else "MDY", "REQUIRE_PARTS": ["day", "month"],
                "PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False}
    if ref is not None:
        settings["RELATIVE_BASE"] = dt.datetime(ref.year, ref.month, ref.day)
    try:
        parsed = dateparser.parse(span, languages=["en"], settings=settings)
    except Exception:  # dateparser raises assorted errors on odd input; a span it cannot read is no date
        return None
    return (parsed.date(), True) if parsed else None


_REL_NUM = {"a": 1, "one": 1, **{w: UNITS[w] for w in ("two", "three", "four", "five", "six", "seven", "eight",
                                                        "nine", "ten", "eleven", "twelve")}}


def _shift_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    y += d.year
    m += 1
    return dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def _relative(text, m, start, end, ref, mod) -> Optional[Claim]:
    expr = m.group("rel")
    low = expr.lower().replace("’", "'")
    if ref is None:
        v = Value(lo=None, hi=None, unit="day", gran="relative", year_known=False, display=f"{expr} (no reference date)")
        return Claim("date", start, end, text[start:end], v)
    if low in ("today", "tonight"):
        lo = hi = ref
        gran = "day"
    elif low == "yesterday" or low in ("the day before", "the previous day"):
        lo = hi = ref - dt.timedelta(days=1)
        gran = "day"
    elif low == "tomorrow":
        lo = hi = ref + dt.timedelta(days=1)
        gran = "day"
    else:
        parts = low.replace("'s", "").split()
        if parts[0] in ("last", "this", "next", "past", "previous", "coming") and len(parts) == 2:
            unit = parts[1]
            step = {"last": -1, "previous": -1, "past": -1, "this": 0, "next": 1, "coming": 1}[parts[0]]
            if unit == "year":
                y = ref.year + step
                lo, hi, gran = dt.date(y, 1, 1), dt.date(y, 12, 31), "year"
                if parts[0] == "past":
                    lo, hi, gran = ref - dt.timedelta(days=365), ref, "range"
            elif unit == "month":
                first = _shift_months(ref.replace(day=1), step)
                lo, hi, gran = first, _month_end(first.year, first.month), "month"
                if parts[0] == "past":
                    lo, hi, gran = ref - dt.timedelta(days=31), ref, "range"
            elif unit == "quarter":
                q0 = (ref.month - 1) // 3
                first = _shift_months(dt.date(ref.year, q0 * 3 + 1, 1), 3 * step)
                lo, hi, gran = first, _month_end(*divmod(first.month + 2 - 1, 12)[::-1] and (first.year, first.month + 2)), "quarter"
            elif unit in ("week", "weekend"):
                monday = ref - dt.timedelta(days=ref.weekday()) + dt.timedelta(weeks=step)
                lo, hi, gran = monday, monday + dt.timedelta(days=6), "range"
                if unit == "weekend":
                    lo = monday + dt.timedelta(days=5)
                if parts[0] == "past":
                    lo, hi = ref - dt.timedelta(days=7), ref
            else:
                return None
        elif parts[0] in ("earlier", "later"):
            unit = parts[-1]
            if unit == "year":
                lo, hi = (dt.date(ref.year, 1, 1), ref) if parts[0] == "earlier" else (ref, dt.date(ref.year, 12, 31))
            elif unit == "month":
                lo, hi = (ref.replace(day=1), ref) if parts[0] == "earlier" else (ref, _month_end(ref.year, ref.month))
            else:
                monday = ref - dt.timedelta(days=ref.weekday())
                lo, hi = (monday, ref) if parts[0] == "earlier" else (ref, monday + dt.timedelta(days=6))
            gran = "range"
        elif parts[0] == "in":  # in the past week/month/year
            unit = parts[-1]
            days = {"week": 7, "month": 31, "year": 366}[unit]
            lo, hi, gran = ref - dt.timedelta(days=days), ref, "range"
        else:
            n_s, unit = parts[0], parts[1].rstrip("s")
            n = int(n_s) if n_s.isdigit() else _REL_NUM.get(n_s)
            if n is None:
                return None
            # "two months ago" is about that long ago: half a unit either way
            if unit == "day":
                lo = hi = ref - dt.timedelta(days=n)
                gran = "day"
            elif unit == "week":
                c = ref - dt.timedelta(weeks=n)
                lo, hi, gran = c - dt.timedelta(days=3), c + dt.timedelta(days=3), "range"
            elif unit == "month":
                c = _shift_months(ref, -n)
                lo, hi, gran = c - dt.timedelta(days=15), c + dt.timedelta(days=15), "range"
            else:
                c = ref.replace(year=ref.year - n) if not (ref.month == 2 and ref.day == 29) else dt.date(ref.year - n, 2, 28)
                lo, hi, gran = c - dt.timedelta(days=183), c + dt.timedelta(days=183), "range"
    v = date_value(lo, hi, gran, "exact" if gran in ("day", "month", "year", "quarter") else "range", year_known=False)
    if gran == "range":
        v.bound = "approx" if "ago" in low or "earlier" in low.split()[-1:] else "range"
    return Claim("date", start, end, text[start:end], v)


def extract_times(text: str) -> Iterator[Claim]:
    for m in TIME.finditer(text):
        if m.group("named"):
            minutes = 720 if m.group("named").lower() in ("noon", "midday") else 0
        elif m.group("ampm"):
            h = int(m.group("h"))
            if h > 12 or h == 0:
                continue
            mins = int(m.group("m") or 0)
            pm = m.group("ampm").lower().startswith("p")
            minutes = (h % 12 + (12 if pm else 0)) * 60 + mins
        else:
            minutes = int(m.group("h24")) * 60 + int(m.group("m24"))
            if re.match(r"\s*(?:-|–)\s*\d", text[m.end():m.end() + 4]):
                continue  # a score or a ratio, "3:1"
        start, end = m.start(), m.end()
        zone = ""
        z = _ZONE.match(text, end)
        if z and (z.group("zone") or z.group("local")):
            end = z.end()
            if z.group("zone"):
                off = ZONES[z.group("zone")] + (int(z.group("off")) * 60 if z.group("off") else 0)
                minutes = (minutes - off) % 1440
                zone = "UTC"
        v = Value(lo=float(minutes), hi=float(minutes), unit="min", gran="minute", zone=zone)
        # "6:15 p.m. local time (10:15 GMT)": the bracketed zone time is the same instant
        paren = re.match(r"\s*\(\s*", text[end:end + 4])
        if paren and not zone:
            inner = TIME.match(text, end + paren.end())
            if inner:
                sub = list(extract_times(text[end + paren.end():inner.end() + 12]))
                if sub and sub[0].value.zone == "UTC" and sub[0].start == 0:
                    close = text.find(")", end + paren.end() + sub[0].end, end + paren.end() + sub[0].end + 3)
                    v = sub[0].value
                    end = close + 1 if close != -1 else end + paren.end() + sub[0].end
        v.display = f"{int(v.lo) // 60:02d}:{int(v.lo) % 60:02d}" + (" UTC" if v.zone else "")
        yield Claim("time", start, end, text[start:end], v)


def extract_word_durations(text: str) -> Iterator[Claim]:
    from checker.extract.numbers import counted_noun

    for m in _WORD_DURATION.finditer(text):
        g = m.groupdict()
        if g["frac"]:
            f = g["frac"].lower().replace("-", " ").split()
            num = {"half": 0.5, "quarter": 0.25, "third": 1 / 3}.get(f[-1])
            if f[-1] in ("quarters", "thirds"):
                num = (3 if f[0] == "three" else 2) * (0.25 if f[-1] == "quarters" else 1 / 3)
            seconds = num * _DUR_UNIT[g["funit"].lower()]
        elif g["a"]:
            if not g["ahalf"] and not g["along"]:
                if not _A_DURATION_CONTEXT.search(text, max(0, m.start() - 16), m.start() + (len(g["q"]) if g["q"] else 0)):
                    continue
                if re.match(r"\s+(?:ago|earlier|later|before)\b", text[m.end():m.end() + 10]):
                    continue
            seconds = _DUR_UNIT[g["aunit"].lower()] * (1.5 if g["ahalf"] else 1)
        elif g["wnum"]:
            n = float(g["wnum"]) if g["wnum"][0].isdigit() else UNITS[g["wnum"].lower()]
            seconds = (n + 0.5) * _DUR_UNIT[g["hunit"].lower().rstrip("s")]
        else:
            seconds = _DUR_UNIT[g["long"].lower()]
        from checker.extract.numbers import display

        v = Value(lo=seconds, hi=seconds, unit="s", bound="exact")
        q = (g["q"] or "").strip().lower()
        if q in ("about", "around", "nearly", "almost", "roughly"):
            v.bound = "approx"
        elif q in ("more than", "over", "just over"):
            v.bound, v.hi = "lower", None
        elif q in ("less than", "under", "just under"):
            v.bound, v.lo = "upper", None
        v.display = display("duration", v)
        start = m.start("aunit") if g["a"] and g["along"] else m.start()
        c = Claim("duration", start, m.end(), text[start:m.end()], v)
        c.context["noun"] = counted_noun(text, m.end())
        yield c
