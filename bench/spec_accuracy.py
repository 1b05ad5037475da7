"""Extraction accuracy on Recognizers-Text specification files (Microsoft Recognizers-Text format).

    python bench/spec_accuracy.py FILE [FILE ...] [--json] [--sample N] [--errors]

Each FILE is a JSON list of cases ``{"Input", "Context": {"ReferenceDateTime"}, "Results": [{"Text",
"Start", "End" (inclusive), "TypeName", "Resolution"}]}``. The files are read in place, never copied.
For every file the script prints, per TypeName and for the whole file: span precision, recall and F1,
value accuracy on the matched spans, and the expected results it declares out of scope, by category.

What runs
---------
* DateTime files (TypeNames ``datetimeV2.*``): ``checker.extract.extract`` on a ``Document`` built from
  the Input, with ``reference_date`` = the date part of ``Context.ReferenceDateTime`` (no context: no
  reference date), default ``ExtractOptions`` (month-first numeric dates); the date, time and duration
  claims are the predictions.
* Percent, currency and dimension files: the same ``extract`` call; percent, money and quantity claims.
* Number and number-range files: claimcheck's news extractor deliberately ignores bare numbers (a count
  needs a counted noun or a verb context), so these files use the lower-level ``number`` mode,
  ``checker.extract.numbers.number_mentions(text)``: every number the shared number grammar reads, with
  the bound words before it ("more than", "between ... and"). The news extractor is not loosened.
* Other TypeNames (``age``, ...) are out of scope ("unsupported type").

Spans
-----
A prediction matches an expected result when their character spans overlap (our claim text overlaps the
expected Text). Each prediction is assigned to the overlapping expected result it shares most characters
with; several predictions may cover one result ("tomorrow" + "8:00am" for "tomorrow 8:00am"). An
expected result with at least one prediction is a true positive, one without is a false negative; a
prediction overlapping no expected result is a false positive, charged to the TypeName it would have
(date claims of one day, a weekday or a month-day -> ``datetimeV2.date``, other dates ->
``datetimeV2.daterange``, time points -> ``time``, time ranges or bounded times -> ``timerange``,
durations -> ``duration``, numbers -> ``number``/``numberrange``, percent -> ``percentage``,
money -> ``currency``, quantity -> ``dimension``). Predictions overlapping an out-of-scope result are
ignored, neither right nor wrong.

Values: our interval Value against the resolution
--------------------------------------------------
A resolution with several ``values`` is ambiguous: the prediction is right when it equals any one.
Resolutions whose values are all ``"not resolved"`` / null cannot be compared: they count for spans only
and are listed as "value not resolved". Dates are proleptic day ordinals; Recognizers' ``end`` is
exclusive, ours inclusive, so an expected [start, end) equals our [lo, hi] when lo = start and
hi = end - 1 day.

* ``date`` (value ``YYYY-MM-DD``): a date claim whose interval is exactly that day; a yearless claim
  without an interval (month and day kept, year unknown) is right when month and day equal the timex's;
  a day of the month alone ("on the 18th": we keep day 18, month unknown, no interval) is right when the
  timex is ``XXXX-XX-18``. Offsets from the reference counted in weeks or longer ("two months ago",
  "in 2 weeks") are approximate in our model (an ``approx`` interval of half a unit either way): right
  when the expected day is the centre of our interval.
* ``daterange`` (start/end): a single date claim with lo = start and hi = end - 1. For a range written
  as two expressions (timex ``(A,B,Pn)``: "from 2014 to 2018", "Jan 12 - Jan 22") Recognizers' end is
  the first day of the closing expression while ours is its last day: right when lo = start and hi lies
  between end - 1 and end - 1 + one unit of the stated duration (a year for ``P4Y``, 92 days for months,
  a week for weeks, a day for days). ``Mod``:
  ``since``/``after``/``*-start``/``*-end`` openers -> our bound ``lower`` (hi open) with lo = start;
  ``before``/``until`` -> bound ``upper`` (lo open) with hi = end - 1. Whether the edge day itself is
  inside an open range is a convention that differs between the two projects (Recognizers gives "after
  January 1, 2007" start 2007-01-01 but "later than 2020" start 2021-01-01), so an open edge may be
  one day off. ``approx`` -> our bound ``approx`` with the same centre day. ``start``/``mid``/``end``
  (early/mid/late, beginning/middle/end of) -> our approx sub-interval must lie inside the base
  period, touch its start (start), its end (end) or neither (mid), and have its midpoint inside the
  expected sub-period (the two projects cut the parts differently: Recognizers makes "end of 1989"
  September-December but "end of this year" July-December).
* ``datetime`` (value ``YYYY-MM-DD HH:MM:SS``): a date claim right for the day (as for ``date``) and a
  time claim right for the time of day (as for ``time``), both inside the expected span.
* ``datetimerange``: a date claim right for the day and a time claim right for the time range.
* ``time`` (``HH:MM:SS``): a time claim with lo = hi = minutes since midnight (seconds as a fraction).
  A time we converted from a stated zone (``zone == "UTC"``) is compared with the expected local time
  converted through the same zone table (``checker.extract.dates.ZONES``).
* ``timerange`` (start/end): a time claim with lo = start and hi = end in minutes; ``Mod``
  since/after -> lower bound, until/before -> upper bound, as for dates.
* ``duration``: the timex (``P3.5Y``, ``PT1H30M``, ``P2W``, ``P1DT5H``) converted with claimcheck's own
  unit sizes (``checker.extract.units.DURATION``: a year is 365.25 days, a month a twelfth of it; the
  ``value`` seconds of Recognizers use 365- and 30-day units) must equal our seconds (relative 1e-6);
  ``Mod`` more/less -> bound lower/upper.
* ``number`` (value string): our value within a relative 1e-9 (1e-12 absolute).
* ``numberrange`` ("[20,30)", "(,100]", "(30,)"): our lo/hi equal the ends; whether an end is open or
  closed is not compared ("more than 30" and "at least 30" both give lo = 30 in our model).
* ``percentage`` ("20%"): our percent value.
* ``currency`` (value, unit, isoCurrency): our amount in our currency unit: the ISO code when given,
  else the unit name through ``_CURRENCY_UNITS`` (Dollar -> USD, Pound -> GBP, ...); sub-units (Cent,
  Penny, Pence) are divided by 100, since we store cents as dollars.
* ``dimension`` (value, unit): the value times the SI factor of the unit (``_DIMENSION_UNITS``, built on
  ``checker.extract.units.QUANTITY``) equals our base-unit value (relative 1e-4).

Out of scope (listed by category, never dropped)
------------------------------------------------
* ``recurring (set)``: every TypeName ``datetimeV2.set`` ("every Tuesday", "daily").
* ``present reference (now)``: timex ``PRESENT_REF`` ("now", "at present", "till date").
* ``part of day``: timex parts TMO/TAF/TEV/TNI/TDT/TMI/TME* ("tomorrow night", "lunchtime"): no clock
  times to compare, and claimcheck has no value for them.
* ``clock offset from now``: datetimes and ranges counted in minutes or hours from the reference
  instant ("in 5 minutes", "next hour", "half an hour from now"): claimcheck's reference is a date.
* ``end of a day``: datetimes resolved to 23:59:59 ("end of tomorrow", "eod"): claimcheck reads the day
  ("tomorrow") but has no instant for its end.
* ``unit without a number``: a currency, dimension or percent result whose value is null ("dollar",
  "metric ton", "percentage" written alone): claimcheck extracts measured amounts only.
* ``unsupported type``: TypeNames outside the files above (``age``, ...).

``--sample N`` scores N cases spread evenly over each file (case i * len / N), the same ones every run.
``--errors`` prints every miss, false alarm and wrong value, for tuning.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from checker.extract import ExtractOptions, extract  # noqa: E402
from checker.extract.dates import ZONES  # noqa: E402
from checker.extract.numbers import number_mentions  # noqa: E402
from checker.extract.units import DURATION, QUANTITY  # noqa: E402
from checker.models import Document  # noqa: E402

_KINDS = {"datetime": ("date", "time", "duration"), "percent": ("percent",), "currency": ("money",),
          "dimension": ("quantity",)}

_CURRENCY_UNITS = {"dollar": ("USD", 1), "united states dollar": ("USD", 1), "cent": ("USD", 0.01),
                   "pound": ("GBP", 1), "british pound": ("GBP", 1), "pence": ("GBP", 0.01),
                   "penny": ("GBP", 0.01), "euro": ("EUR", 1), "japanese yen": ("JPY", 1),
                   "chinese yuan": ("CNY", 1), "franc": ("CHF", 1), "swiss franc": ("CHF", 1),
                   "rupee": ("INR", 1), "canadian dollar": ("CAD", 1), "australian dollar": ("AUD", 1),
                   "bitcoin": ("BTC", 1)}

_DIMENSION_UNITS = {"inch": "inch", "mile": "mile", "foot": "foot", "kilometer": "km", "meter": "meter",
                    "millimeter": "mm", "centimeter": "cm", "ton": "ton", "metric ton": "tonne",
                    "pound": "lb", "gallon": "gallons", "barrel": "barrels", "kilogram": "kg", "gram": "gram",
                    "megabyte": "MB", "gigabyte": "GB", "square meter": "m2", "square kilometer": "km2",
                    "mile per hour": "mph", "kilometer per hour": "km/h", "acre": "acre", "hectare": "hectare",
                    "liter": "liter", "microgram": "micrograms", "milligram": "milligrams"}

_PART_OF_DAY = re.compile(r"T(?:MO|AF|EV|NI|DT|MI|ME[A-Z]?|BH)\b|T(?:MO|AF|EV|NI|DT)$")
_TIMEX_DUR = re.compile(r"(\d+(?:\.\d+)?)(WE|WD|[YMWDHS])")


@dataclass
class Pred:
    start: int
    end: int
    kind: str
    text: str
    value: object            # checker.models.Value, or a NumberMention for the number mode
    assigned: int = -1       # index of the expected result it covers; -1 none


@dataclass
class Expected:
    start: int
    end: int                 # exclusive
    text: str
    type: str                # short TypeName: date, daterange, number, currency, ...
    resolution: dict
    scope: str = ""          # out-of-scope category, '' when in scope


@dataclass
class TypeStats:
    tp: int = 0
    fn: int = 0
    fp: int = 0
    value_ok: int = 0
    value_checked: int = 0
    unresolved: int = 0
    out: Counter = field(default_factory=Counter)

    def add(self, other: "TypeStats") -> None:
        self.tp += other.tp
        self.fn += other.fn
        self.fp += other.fp
        self.value_ok += other.value_ok
        self.value_checked += other.value_checked
        self.unresolved += other.unresolved
        self.out.update(other.out)

    def row(self) -> dict:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        va = self.value_ok / self.value_checked if self.value_checked else 1.0
        return {"expected": self.tp + self.fn, "tp": self.tp, "fn": self.fn, "fp": self.fp,
                "precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
                "value_accuracy": round(va, 3), "value_checked": self.value_checked,
                "value_not_resolved": self.unresolved, "out_of_scope": dict(sorted(self.out.items())),
                "out_of_scope_total": sum(self.out.values())}


# ---- reading the files -------------------------------------------------------------------------


def load_cases(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8-sig"))


def _type_name(result: dict) -> str:
    for k, v in result.items():
        if k.lower() == "typename":
            return v
    return ""


def _short(type_name: str) -> str:
    return type_name.split(".")[-1].lower()


def model_of(cases: list[dict]) -> str:
    names = Counter(_short(_type_name(r)) for c in cases for r in c.get("Results", []))
    if any(_type_name(r).lower().startswith("datetimev2") for c in cases for r in c.get("Results", [])):
        return "datetime"
    for model in ("numberrange", "number", "percentage", "currency", "dimension"):
        if names.get(model):
            return {"percentage": "percent"}.get(model, model)
    return "other"


def _expected(case: dict, model: str) -> list[Expected]:
    text = case["Input"]
    out = []
    for r in case.get("Results", []):
        start, end = r.get("Start"), r.get("End")
        want = r.get("Text", "")
        if start is None or text[start:end + 1].lower() != want.lower():
            i = text.lower().find(want.lower())
            start, end = (i, i + len(want) - 1) if i != -1 else (0, len(text) - 1)
        e = Expected(start, end + 1, want, _short(_type_name(r)), r.get("Resolution") or {})
        e.scope = _scope(e, model)
        out.append(e)
    return out


def _scope(e: Expected, model: str) -> str:
    supported = {"datetime": {"date", "daterange", "datetime", "datetimerange", "time", "timerange", "duration",
                              "set"},
                 "number": {"number"}, "numberrange": {"numberrange"}, "percent": {"percentage"},
                 "currency": {"currency"}, "dimension": {"dimension"}}.get(model, set())
    if e.type not in supported:
        return "unsupported type"
    if e.type == "set":
        return "recurring (set)"
    if model != "datetime":
        if e.resolution.get("value") in (None, "null") and e.type in ("currency", "dimension", "percentage"):
            return "unit without a number"
        return ""
    timexes = [v.get("timex", "") or "" for v in e.resolution.get("values", [])]
    if any("PRESENT_REF" in t for t in timexes):
        return "present reference (now)"
    if any(_PART_OF_DAY.search(t) for t in timexes):
        return "part of day"
    if e.type in ("datetime", "datetimerange") and any(t.endswith("T23:59:59") for t in timexes):
        return "end of a day"
    if e.type in ("datetime", "datetimerange") and re.search(r"\b(?:minutes?|mins?|hours?|hrs?)\b", e.text) \
            and not re.search(r"\d:\d\d|\b[ap]\.?m\b|o'?clock", e.text):
        return "clock offset from now"
    return ""


# ---- running claimcheck --------------------------------------------------------------------------


def predict(case: dict, model: str) -> list[Pred]:
    text = case["Input"]
    if model in ("number", "numberrange"):
        preds = [Pred(m.start, m.end, "number", text[m.start:m.end], m.value) for m in number_mentions(text)]
        if model == "numberrange":  # a range, a bound or "equal to": a bare number is no number range
            preds = [p for p in preds if p.value.bound != "exact" or re.match(r"(?:equal|=)", p.text, re.I)]
        return preds
    kinds = _KINDS.get(model)
    if not kinds:
        return []
    ref = None
    ctx = (case.get("Context") or {}).get("ReferenceDateTime")
    if ctx:
        ref = dt.date.fromisoformat(ctx[:10])
    doc = Document(path="case.txt", raw=text, text=text, reference_date=ref)
    claims, _ = extract(doc, ExtractOptions(kinds=kinds))
    return [Pred(c.start, c.end, c.kind, c.text, c.value) for c in claims if c.kind in kinds]


def _guess_type(p: Pred, model: str) -> str:
    if model == "datetime":
        v = p.value
        if p.kind == "date":
            return "date" if v.gran in ("day", "weekday", "monthday") and v.bound in ("exact", "approx") else "daterange"
        if p.kind == "time":
            return "time" if v.bound in ("exact", "approx") else "timerange"
        return "duration"
    return {"number": "number", "numberrange": "numberrange", "percent": "percentage", "currency": "currency",
            "dimension": "dimension"}.get(model, model)


# ---- judging values ------------------------------------------------------------------------------


def _day(s: str) -> int:
    return dt.date.fromisoformat(s[:10]).toordinal()


def _minutes(s: str) -> float:
    part = s.split(" ")[-1]
    h, m, sec = (part.split(":") + ["0", "0"])[:3]
    return int(h) * 60 + int(m) + int(float(sec)) / 60


def _unresolved(values: list[dict]) -> bool:
    def empty(v: dict) -> bool:
        keys = [v.get(k) for k in ("value", "start", "end")]
        return all(k in (None, "not resolved", "null") for k in keys)
    return not values or all(empty(v) for v in values)


def _timex_monthday(timex: str) -> Optional[tuple[int, int]]:
    m = re.match(r"XXXX-(\d\d)-(\d\d)", timex or "")
    return (int(m.group(1)), int(m.group(2))) if m else None


def _date_ok(p: Pred, value: dict) -> bool:
    v = p.value
    want = _day(value["value"])
    if v.lo is not None and v.hi is not None:
        if v.bound == "approx" and v.gran == "range":  # "two months ago": about that day
            return (v.lo + v.hi) / 2 == want
        return v.lo == v.hi == want
    timex = value.get("timex", "")
    md = _timex_monthday(timex)
    if md is not None:
        return (v.month, v.day) == md
    dom = re.fullmatch(r"XXXX-XX-(\d\d)", timex or "")
    return bool(dom) and v.month is None and v.day == int(dom.group(1))


def _close(a: Optional[float], b: Optional[float], slack: float = 0.0) -> bool:
    return a is not None and b is not None and abs(a - b) <= slack


def _range_ok(v, start: Optional[float], end_incl: Optional[float], mod: str, slack_open: float,
              base: Optional[tuple[float, float]] = None) -> bool:
    """Our interval value against an expected [start, end_incl] with a Recognizers Mod."""
    mod = (mod or "").lower()
    if mod in ("start", "mid", "end") and v.lo is not None and v.hi is not None and start is not None \
            and end_incl is not None:
        if v.bound != "approx" or base is None:
            return v.lo == start and v.hi == end_incl
        b0, b1 = base
        if not (b0 <= v.lo <= v.hi <= b1):
            return False
        edge = {"start": v.lo == b0, "end": v.hi == b1, "mid": v.lo > b0 and v.hi < b1}[mod]
        mid = (v.lo + v.hi) / 2
        return edge and start - 0.5 <= mid <= end_incl + 0.5
    if mod.startswith(("since", "after")) or (mod.endswith(("start", "end")) and start is not None and end_incl is None):
        return v.bound == "lower" and v.hi is None and _close(v.lo, start, slack_open)
    if mod.startswith(("before", "until")):
        return v.bound == "upper" and v.lo is None and _close(v.hi, end_incl, slack_open)
    if mod == "approx":
        return v.bound == "approx" and v.lo is not None and v.hi is not None and \
            _close((v.lo + v.hi) / 2, start if end_incl is None else (start + end_incl) / 2, 0.5)
    return v.lo == start and v.hi == end_incl and v.bound in ("exact", "range", "approx")


def _base_period(timex: str) -> Optional[tuple[float, float]]:
    """The whole period a start/mid/end Mod cuts a part of: '1989' -> the year, 'XXXX-11' -> November."""
    m = re.fullmatch(r"(\d{4})(?:-(\d\d))?", timex or "")
    if m:
        y = int(m.group(1))
        if m.group(2):
            mo = int(m.group(2))
            nxt = dt.date(y + (mo == 12), mo % 12 + 1, 1)
            return dt.date(y, mo, 1).toordinal(), nxt.toordinal() - 1
        return dt.date(y, 1, 1).toordinal(), dt.date(y, 12, 31).toordinal()
    return None


_UNIT_DAYS = {"Y": 366, "M": 92, "W": 7, "D": 1}


def _daterange_ok(p: Pred, value: dict) -> bool:
    v = p.value
    start = _day(value["start"]) if value.get("start") else None
    end_incl = _day(value["end"]) - 1 if value.get("end") else None
    composite = re.match(r"\(.*,P[\d.]+(?P<u>[YMWD])\)$", value.get("timex", "") or "")
    if composite and start is not None and end_incl is not None and v.lo is not None and v.hi is not None:
        # "from 2014 to 2018" -> (2014-01-01, 2018-01-01, P4Y): Recognizers' end is where the closing
        # expression starts; ours is its last day, up to one unit of the stated duration later
        return v.lo == start and end_incl <= v.hi <= end_incl + _UNIT_DAYS[composite.group("u")]
    mod = value.get("Mod", "")
    base = _base_period(value.get("timex", ""))
    if base is None and mod in ("start", "mid", "end") and start is not None:
        # an unanchored month ('XXXX-11'): the month of the resolved start
        d = dt.date.fromordinal(int(start))
        base = _base_period(f"{d.year}-{d.month:02d}") if re.fullmatch(r"XXXX-\d\d", value.get("timex", "")) else None
    return _range_ok(v, start, end_incl, mod, 1.0, base)


def _zone_shift(p: Pred) -> float:
    """Minutes to add to an expected local time to compare it with our UTC-converted time."""
    if getattr(p.value, "zone", "") != "UTC":
        return 0.0
    for z in re.findall(r"[A-Z]{2,4}", p.text):
        if z in ZONES and z not in ("GMT", "UTC"):
            return -ZONES[z]
    return 0.0


def _time_ok(p: Pred, minutes: float) -> bool:
    v = p.value
    want = (minutes + _zone_shift(p)) % 1440
    return v.bound in ("exact", "approx") and _close(v.lo, want, 1e-6) and _close(v.hi, want, 1e-6)


def _timerange_ok(p: Pred, value: dict) -> bool:
    shift = _zone_shift(p)
    start = (_minutes(value["start"]) + shift) % 1440 if value.get("start") else None
    end = (_minutes(value["end"]) + shift) % 1440 if value.get("end") else None
    return _range_ok(p.value, start, end, value.get("Mod", ""), 0.0)


def duration_seconds(timex: str) -> Optional[float]:
    """'P3.5Y' -> seconds in claimcheck's units; 'PT1H30M' -> 5400; None for what it cannot read."""
    m = re.fullmatch(r"P(?:([\d.]+[YMWD]|[\d.]+WE|[\d.]+WD)*)(?:T([\d.]+[HMS])*)?", timex or "")
    if not m or timex in ("P", "PT"):
        return None
    date_part, _, time_part = timex[1:].partition("T")
    total = 0.0
    sizes = {"Y": DURATION["year"], "M": DURATION["month"], "W": DURATION["week"], "D": DURATION["day"],
             "WE": 2 * DURATION["day"], "WD": DURATION["day"]}
    for n, u in _TIMEX_DUR.findall(date_part):
        total += float(n) * sizes[u]
    for n, u in _TIMEX_DUR.findall(time_part):
        total += float(n) * {"H": 3600, "M": 60, "S": 1}[u]
    return total


def _duration_ok(p: Pred, value: dict) -> bool:
    want = duration_seconds(value.get("timex", ""))
    if want is None:
        try:
            want = float(value["value"])
        except (KeyError, TypeError, ValueError):
            return False
    v = p.value
    mod = (value.get("Mod") or "").lower()
    if mod == "more":
        got, ok_bound = v.lo, v.bound == "lower"
    elif mod == "less":
        got, ok_bound = v.hi, v.bound == "upper"
    else:
        got, ok_bound = v.lo, v.bound in ("exact", "approx") and v.lo == v.hi
    return ok_bound and got is not None and abs(got - want) <= 1e-6 * max(abs(want), 1)


def _datetime_ok(preds: list[Pred], value: dict, typ: str) -> bool:
    dates = [p for p in preds if p.kind == "date"]
    times = [p for p in preds if p.kind == "time"]
    if typ == "datetime":
        day_value = {"value": value["value"][:10], "timex": value.get("timex", "")}
        minutes = _minutes(value["value"])
        return any(_date_ok(d, day_value) for d in dates) and any(_time_ok(t, minutes) for t in times)
    start, end = value.get("start"), value.get("end")
    anchor = (start or end)[:10]
    if start and end and start[:10] != end[:10] and not (end[11:] in ("00:00:00",) and
                                                        _day(end) == _day(start) + 1):
        return False  # a range over several days with clock times: nothing in our model holds it
    day_value = {"value": anchor, "timex": value.get("timex", "").strip("(").split(",")[0].split("T")[0]}
    trange = {"start": start[11:] if start else None, "end": end[11:] if end else None, "Mod": value.get("Mod", "")}
    if trange["end"] == "00:00:00":
        trange["end"] = "24:00:00"
    return any(_date_ok(d, day_value) for d in dates) and any(_timerange_ok(t, trange) for t in times)


def _number_ok(p: Pred, want: float) -> bool:
    got = p.value.lo if p.value.bound in ("exact", "approx") else None
    return got is not None and abs(got - want) <= max(1e-9 * abs(want), 1e-12)


def _numberrange_ok(p: Pred, value: str) -> bool:
    m = re.fullmatch(r"\s*[\[(]\s*([-\d.e+]*)\s*,\s*([-\d.e+]*)\s*[\])]\s*", value or "")
    if not m:
        return False
    lo = float(m.group(1)) if m.group(1) else None
    hi = float(m.group(2)) if m.group(2) else None
    v = p.value
    if lo is not None and hi is not None and lo == hi:
        return v.lo == v.hi == lo
    return v.lo == lo and v.hi == hi


def _currency_ok(p: Pred, res: dict) -> bool:
    try:
        want = float(res["value"])
    except (KeyError, TypeError, ValueError):
        return False
    code, factor = _CURRENCY_UNITS.get((res.get("unit") or "").lower(), (res.get("isoCurrency"), 1))
    if res.get("isoCurrency") and factor == 1:
        code = res["isoCurrency"]
    v = p.value
    return v.unit == code and v.lo is not None and abs(v.lo - want * factor) <= 1e-9 * max(abs(want), 1)


def _dimension_ok(p: Pred, res: dict) -> bool:
    try:
        want = float(res["value"])
    except (KeyError, TypeError, ValueError):
        return False
    key = _DIMENSION_UNITS.get((res.get("unit") or "").lower())
    if key is None or key not in QUANTITY:
        return False
    dim, factor = QUANTITY[key]
    v = p.value
    if dim == "temp_f":
        return False
    return v.unit == dim and v.lo is not None and abs(v.lo - want * factor) <= 1e-4 * max(abs(want * factor), 1e-9)


def judge(e: Expected, preds: list[Pred]) -> Optional[bool]:
    """True/False: is our value right; None: the expected value cannot be compared (not resolved)."""
    res = e.resolution
    if e.type in ("number", "percentage", "numberrange", "currency", "dimension"):
        raw = res.get("value")
        if raw in (None, "null", "not resolved"):
            return None
        if e.type == "number":
            return any(_number_ok(p, float(raw)) for p in preds)
        if e.type == "percentage":
            return any(p.value.lo is not None and abs(p.value.lo - float(raw.rstrip("%"))) < 1e-9 for p in preds)
        if e.type == "numberrange":
            return any(_numberrange_ok(p, raw) for p in preds)
        if e.type == "currency":
            return any(_currency_ok(p, res) for p in preds)
        return any(_dimension_ok(p, res) for p in preds)
    values = res.get("values", [])
    if _unresolved(values):
        return None
    for value in values:
        try:
            if e.type == "date" and any(_date_ok(p, value) for p in preds if p.kind == "date"):
                return True
            if e.type == "daterange" and any(_daterange_ok(p, value) for p in preds if p.kind == "date"):
                return True
            if e.type == "time" and any(_time_ok(p, _minutes(value["value"])) for p in preds if p.kind == "time"):
                return True
            if e.type == "timerange" and any(_timerange_ok(p, value) for p in preds if p.kind == "time"):
                return True
            if e.type == "duration" and any(_duration_ok(p, value) for p in preds if p.kind == "duration"):
                return True
            if e.type in ("datetime", "datetimerange") and _datetime_ok(preds, value, e.type):
                return True
        except (KeyError, ValueError, TypeError):
            continue
    return False


# ---- scoring -------------------------------------------------------------------------------------


def sample_indices(n_cases: int, n: Optional[int]) -> list[int]:
    if not n or n >= n_cases:
        return list(range(n_cases))
    return sorted({i * n_cases // n for i in range(n)})


def score_file(path: Path, sample: Optional[int] = None, errors: Optional[list] = None) -> dict:
    cases = load_cases(path)
    model = model_of(cases)
    by_type: dict[str, TypeStats] = defaultdict(TypeStats)
    picked = sample_indices(len(cases), sample)
    for i in picked:
        case = cases[i]
        exp = _expected(case, model)
        preds = predict(case, model)
        for p in preds:
            best, best_len = -1, 0
            for j, e in enumerate(exp):
                ov = min(p.end, e.end) - max(p.start, e.start)
                if ov > best_len:
                    best, best_len = j, ov
            p.assigned = best
        for j, e in enumerate(exp):
            st = by_type[e.type]
            if e.scope:
                st.out[e.scope] += 1
                continue
            mine = [p for p in preds if p.assigned == j]
            if not mine:
                st.fn += 1
                if errors is not None:
                    errors.append(f"{path.name}#{i} MISS [{e.type}] {e.text!r} in {case['Input'][:160]!r}")
                continue
            st.tp += 1
            ok = judge(e, mine)
            if ok is None:
                st.unresolved += 1
                continue
            st.value_checked += 1
            st.value_ok += ok
            if not ok and errors is not None:
                got = "; ".join(f"{p.kind} {p.text!r}={_show(p)}" for p in mine)
                errors.append(f"{path.name}#{i} VALUE [{e.type}] {e.text!r} want {_want(e)} got {got}")
        for p in preds:
            if p.assigned == -1:
                by_type[_guess_type(p, model)].fp += 1
                if errors is not None:
                    errors.append(f"{path.name}#{i} FALSE [{_guess_type(p, model)}] {p.kind} {p.text!r}={_show(p)}"
                                  f" in {case['Input'][:160]!r}")
    total = TypeStats()
    for st in by_type.values():
        total.add(st)
    n_expected = sum(st.tp + st.fn + sum(st.out.values()) for st in by_type.values())
    return {"file": path.name, "model": model, "cases": len(picked),
            "types": {t: by_type[t].row() for t in sorted(by_type)}, "total": total.row(),
            "out_of_scope_share": round(sum(total.out.values()) / n_expected, 3) if n_expected else 0.0}


def _show(p: Pred) -> str:
    v = p.value
    return getattr(v, "display", "") or f"{getattr(v, 'lo', None)}..{getattr(v, 'hi', None)}"


def _want(e: Expected) -> str:
    vals = e.resolution.get("values")
    if vals:
        v = vals[0]
        return json.dumps({k: v[k] for k in v if k in ("timex", "value", "start", "end", "Mod")}) + \
            (f" (+{len(vals) - 1})" if len(vals) > 1 else "")
    return json.dumps({k: e.resolution.get(k) for k in ("value", "unit") if k in e.resolution})


def format_table(reports: list[dict]) -> str:
    lines = []
    head = f"{'file / type':<34} {'exp':>4} {'P':>6} {'R':>6} {'F1':>6} {'value':>6} {'(n)':>5}  out of scope"
    for rep in reports:
        lines.append(f"{rep['file']}  ({rep['model']}, {rep['cases']} cases, out of scope "
                     f"{rep['out_of_scope_share']:.1%})")
        lines.append(head)
        rows = list(rep["types"].items()) + [("ALL", rep["total"])]
        for t, r in rows:
            out = ", ".join(f"{k} {n}" for k, n in r["out_of_scope"].items()) or "-"
            extra = f"; value not resolved {r['value_not_resolved']}" if r["value_not_resolved"] else ""
            lines.append(f"  {t:<32} {r['expected']:>4} {r['precision']:>6.3f} {r['recall']:>6.3f} {r['f1']:>6.3f} "
                         f"{r['value_accuracy']:>6.3f} {r['value_checked']:>5}  {out}{extra}")
        lines.append("")
    return "\n".join(lines)


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--json", action="store_true", help="print the JSON report")
    ap.add_argument("--sample", type=int, default=None, help="score N cases spread evenly over each file")
    ap.add_argument("--errors", action="store_true", help="print every miss, false alarm and wrong value")
    a = ap.parse_args(argv)
    errors: Optional[list] = [] if a.errors else None
    reports = [score_file(f, a.sample, errors) for f in a.files]
    if a.json:
        print(json.dumps({"files": reports}, indent=2))
    else:
        print(format_table(reports))
    if errors:
        print("\n".join(errors), file=sys.stderr if a.json else sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
