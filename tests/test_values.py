"""Conflicts are arithmetic on normalized values: what can and cannot both be true."""
from __future__ import annotations

import datetime as dt

import pytest

from checker.extract import extract
from checker.models import Document
from checker.normalize.values import compatible


def value(text: str, kind: str, ref=dt.date(2026, 1, 5)):
    doc = Document(path="x.txt", raw=text, text=text, reference_date=ref)
    claims, _ = extract(doc)
    (c,) = [c for c in claims if c.kind == kind]
    return c.value


@pytest.mark.parametrize("a, b, kind, ok", [
    ("killed at least 12 people", "killed 15 people", "count", True),
    ("killed at least 12 people", "killed 9 people", "count", False),
    ("more than 3,000 residents", "about 3,000 residents", "count", True),
    ("about 1,200 workers", "roughly 1,150 workers", "count", True),
    ("winds of up to 140 km/h", "winds of 160 km/h", "quantity", False),
    ("winds of 140 km/h", "winds of 87 mph", "quantity", True),
    ("about $4.7 billion", "between $4.6 billion and $4.8 billion", "money", True),
    ("$4.9 billion", "between $4.6 billion and $4.8 billion", "money", False),
    ("$3.500 to 3.575 billion", "$3.515 to 3.575 billion", "money", False),
    ("52.4% of the vote", "52.4 percent of the vote", "percent", True),
    ("68% turnout", "71 percent turnout", "percent", False),
    ("in June", "in June 2025", "date", True),
    ("two months ago", "on November 1, 2025", "date", True),
    ("two months ago", "on September 1, 2025", "date", False),
    ("on January 6", "on January 5, 2026", "date", False),
    ("a three-year project", "36 months of work", "duration", True),
    ("a 90-minute meeting", "an hour and a half", "duration", True),
    ("40 minutes", "two-thirds of an hour", "duration", True),
    ("an 11-hour flight", "a 13-hour flight", "duration", False),
    ("at 6:15 p.m. local time (10:15 GMT)", "at 10:15 GMT", "time", True),
    ("at 10:15 GMT", "at 11:15 GMT", "time", False),
])
def test_compatible(a, b, kind, ok):
    from checker.checks import load_rules

    options = next(r.options for r in load_rules() if r.check == "conflict" and r.kind == kind)
    assert compatible(value(a, kind), value(b, kind), options) is ok
