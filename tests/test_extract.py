"""Extractors against a table of cases (tests/fixtures/extraction.yaml)."""
from __future__ import annotations

import datetime as dt

import pytest
import yaml

from checker.extract import extract
from checker.models import Document
from tests.conftest import FIXTURES

CASES = yaml.safe_load((FIXTURES / "extraction.yaml").read_text(encoding="utf-8"))


def _claims(case):
    doc = Document(path="case.txt", raw=case["text"], text=case["text"], reference_date=case.get("ref"))
    claims, _ = extract(doc)
    return [(c.kind, c.text, c.value.display) for c in claims], claims


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:40] for c in CASES])
def test_extraction_case(case):
    found, claims = _claims(case)
    for kind, text, value in case.get("expect", []):
        assert (kind, text, value) in found, f"{kind} {text!r}={value!r} not in {found}"
    for kind, text in case.get("absent", []):
        assert not any(k == kind and t == text for k, t, _ in found), f"{kind} {text!r} should not be extracted"
    for c in claims:  # every claim's span is exactly its text
        assert case["text"][c.start:c.end] == c.text


def test_yearless_date_keeps_month_and_day_without_reference():
    doc = Document(path="x.txt", raw="They met on January 6.", text="They met on January 6.")
    claims, _ = extract(doc)
    (c,) = [c for c in claims if c.kind == "date"]
    assert (c.value.month, c.value.day, c.value.lo) == (1, 6, None)


def test_relative_expressions_stay_unresolved_without_reference_date():
    text = "He was elected last year and spoke on Monday, two months ago."
    doc = Document(path="x.txt", raw=text, text=text)
    claims, _ = extract(doc)
    assert all(c.value.lo is None for c in claims if c.kind == "date")


def test_weekday_follows_tense():
    text = "The talks were held on Friday. The vote will take place on Friday."
    doc = Document(path="x.txt", raw=text, text=text, reference_date=dt.date(2025, 6, 4))
    claims, _ = extract(doc)
    values = [c.value.display for c in claims if c.kind == "date"]
    assert values == ["2025-05-30", "2025-06-06"]


def test_anchored_date_scan_equals_a_full_scan():
    """date_matches() tries the date pattern only where a date can start; it must find exactly what
    DATE.finditer finds, on every text we have."""
    from checker.extract.dates import DATE, date_matches

    texts = [p.read_text(encoding="utf-8", errors="replace") for p in FIXTURES.rglob("*")
             if p.is_file() and p.suffix in (".md", ".txt", ".html", ".yaml")]
    texts += [case["text"] for case in CASES]
    for text in texts:
        assert [m.span() for m in date_matches(text)] == [m.span() for m in DATE.finditer(text)]


def test_story_nouns_leave_out_words_capitalised_only_by_the_sentence_start():
    """What story a document tells comes from its proper nouns: 'Engineers' and 'Revenue' opening a
    sentence are ordinary words, 'Kestrel Viaduct' inside one is a name, and 'Nov.' is a month."""
    from checker.extract import entity_keys, extract
    from checker.models import Document

    text = ("Engineers said the Kestrel Viaduct would reopen on Nov. 3, 2025, after 14 months. "
            "Revenue rose 4 percent at Orlen Freight, which runs 12 trains a day over the Kestrel Viaduct. "
            "Kestrel is the longest bridge in the county, 1.2 kilometres long.")
    claims, _ = extract(Document(path="a.txt", raw=text, text=text))
    keys = entity_keys(claims)
    assert {"kestrel", "viaduct", "orlen", "freight"} <= set(keys)
    assert not {"engineers", "revenue", "nov"} & set(keys)
