"""Can two normalized values both be true? Interval arithmetic with the tolerances of a rule."""
from __future__ import annotations

import datetime as dt

from checker.models import Value

INF = float("inf")


def interval(v: Value, approx_tolerance: float, relative_tolerance: float) -> tuple[float, float] | None:
    """The set of true values a statement allows."""
    if v.lo is None and v.hi is None:
        return None
    lo = -INF if v.lo is None else v.lo
    hi = INF if v.hi is None else v.hi
    prec = v.prec or 0.0
    if v.bound == "approx" and v.unit != "day":
        mid = lo
        slack = max(abs(mid) * approx_tolerance, prec)
        return mid - slack, mid + slack
    if v.bound in ("exact", "range", "approx"):
        rel = max(abs(lo if lo != -INF else 0), abs(hi if hi != INF else 0)) * relative_tolerance
        pad = max(prec * 0.999, rel)
        return lo - pad, hi + pad
    if v.bound == "lower":
        return lo - prec * 0.999, INF
    if v.bound == "upper":
        return -INF, hi + prec * 0.999
    return lo, hi


def compatible(a: Value, b: Value, options: dict) -> bool:
    """True when both statements can hold at once (so they do not conflict)."""
    if a.invalid or b.invalid:
        return True  # the calendar rule reports impossible values; they conflict with nothing
    if a.unit == "day" and b.unit == "day":
        return _dates_compatible(a, b)
    tol = float(options.get("approx_tolerance", 0.1))
    rel = float(options.get("relative_tolerance", 0.0))
    if a.bound == "range" and b.bound == "range" and options.get("range_endpoints_must_match", True):
        pad = max(a.prec or 0, b.prec or 0) * 0.999 + max(abs(a.hi or 0), abs(b.hi or 0)) * rel
        return abs((a.lo or 0) - (b.lo or 0)) <= pad and abs((a.hi or 0) - (b.hi or 0)) <= pad
    ia, ib = interval(a, tol, rel), interval(b, tol, rel)
    if ia is None or ib is None:
        return True
    return ia[0] <= ib[1] and ib[0] <= ia[1]


def _dates_compatible(a: Value, b: Value) -> bool:
    # a year that was inferred, not written, narrows nothing: compare month and day only
    if (not a.year_known and a.gran in ("day", "monthday") and a.weekday is None) or \
       (not b.year_known and b.gran in ("day", "monthday") and b.weekday is None):
        ma, mb = _month_day(a), _month_day(b)
        if ma and mb and a.bound != "range" and b.bound != "range":
            return ma == mb
    if a.gran == "weekday" and b.gran == "weekday" and a.lo is None and b.lo is None:
        return a.weekday == b.weekday  # "on Thursday" and "on Friday" for one event, no date known
    if a.lo is None and a.hi is None or b.lo is None and b.hi is None:
        return True  # unresolved (no reference date): nothing to compare
    return _overlap(a, b)


def _overlap(a: Value, b: Value) -> bool:
    alo = -INF if a.lo is None else a.lo
    ahi = INF if a.hi is None else a.hi
    blo = -INF if b.lo is None else b.lo
    bhi = INF if b.hi is None else b.hi
    return alo <= bhi and blo <= ahi


def _month_day(v: Value) -> tuple[int, int] | None:
    if v.month and v.day:
        return v.month, v.day
    if v.lo is not None and v.lo == v.hi and v.gran == "day":
        d = dt.date.fromordinal(int(v.lo))
        return d.month, d.day
    return None
