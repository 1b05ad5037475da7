"""Extraction: Document -> Claims. A pure function of (document text, reference date, options)."""
from __future__ import annotations

from dataclasses import dataclass

import re

from checker.extract import dates, numbers
from checker.extract.context import annotate
from checker.extract.dates import extract_dates, extract_times, extract_word_durations
from checker.extract.names import extract_names
from checker.extract.numbers import display, extract_numbers
from checker.extract.prefilter import ScanGroup
from checker.extract.sentences import split_sentences
from checker.models import Claim, Document
from checker.normalize.names import name_key

# the candidate scans of dates, times, durations and numbers run as one scan of each document; every
# one of them starts after a character that is not an ASCII letter or digit
SCANS = ScanGroup(dates._DATE_SCAN, dates._TIME_SCAN, dates._TIME_RANGE_SCAN, dates._WORD_DURATION_SCAN,
                  numbers._CANDIDATE_SCAN, before="[^A-Za-z0-9]")

_CAP_WORD = re.compile(r"\b[A-ZÀ-ÖØ-Þ][\w’'-]+")

# when two candidate spans overlap, the more specific reading wins
PRIORITY = {"date": 0, "time": 1, "money": 2, "percent": 3, "quantity": 4, "duration": 5, "count": 6, "name": 7}


@dataclass(frozen=True, slots=True)
class ExtractOptions:
    day_first: bool = False
    max_claims: int = 5000
    kinds: tuple = ("date", "time", "duration", "count", "money", "percent", "quantity", "name")


def extract(doc: Document, options: ExtractOptions = ExtractOptions()) -> tuple[list[Claim], list[tuple[int, int]]]:
    """All claims of one document, ordered by position, plus its sentence spans."""
    text = doc.text
    found: list[Claim] = []
    found.extend(extract_dates(text, doc.reference_date, options.day_first))
    found.extend(extract_times(text))
    found.extend(extract_numbers(text))
    found.extend(extract_word_durations(text))
    found.extend(extract_names(text))
    for c in found:
        if not c.value.display:
            c.value.display = display(c.kind, c.value)
    claims = _resolve_overlaps(found, doc.skip_spans)
    claims = [c for c in claims if c.kind in options.kinds]
    sentences = split_sentences(text)
    annotate(text, claims, sentences)
    if doc.reference_date is not None:  # when the story was told: sub-blocks a huge archive by time
        month = doc.reference_date.year * 12 + doc.reference_date.month - 1
        for c in claims:
            c.context["month"] = month
    _attach_times(claims)
    _attach_people(text, claims)
    for c in claims:
        c.context = _kept(c.context)
    return claims, sentences


def _kept(ctx: dict) -> dict:
    """What a claim keeps of its context once extraction is done: no empty or false entries (every
    reader treats a missing one alike) and not the clause bounds (used above only). A run holds
    hundreds of thousands of claims: this is a fifth of each one's memory."""
    return {k: v for k, v in ctx.items() if k != "clause" and v is not None and v is not False
            and not (type(v) in (list, tuple, dict, str) and not v)}


def entity_keys(claims: list[Claim]) -> list[str]:
    """Distinctive proper nouns of a document (from its claims' sentences): what story it tells."""
    counts: dict[str, int] = {}
    for c in claims:
        if c.kind == "name":
            for t in c.context.get("tokens", ()):
                if len(t) > 2:
                    counts[t] = counts.get(t, 0) + 1
        else:
            lead = c.context.get("lead")  # capitalised only because it opens the sentence
            for w in c.context.get("caps", ()):
                if len(w) > 2 and w != lead and w not in _COMMON_CAPS:
                    k = name_key(w)
                    counts[k] = counts.get(k, 0) + 1
    return sorted(counts, key=lambda k: (-counts[k], k))  # most mentioned first: what the story is about


_COMMON_CAPS = {"the", "a", "an", "in", "on", "at", "he", "she", "it", "they", "we", "his", "her", "their", "but",
                "and", "president", "minister", "mayor", "governor", "chief", "mr", "mrs", "ms", "dr", "officials",
                "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                "this", "that", "there", "after", "before", "when", "while", "during", "since", "for", "with", "from",
                "about", "more", "than", "some", "its", "our", "said", "one", "two", "new", "north", "south", "east",
                "west", "company", "group", "government", "police", "report", "reported",
                "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
                "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"}


def _attach_people(text: str, claims: list[Claim]) -> None:
    """The people named in each claim's sentence, by name tokens (a surname alone counts as its person)."""
    full = [c for c in claims if c.kind == "name" and c.context.get("evidence")]
    if not full:
        return
    by_sentence: dict[tuple, set[str]] = {}
    tokens_by_surname: dict[str, str] = {}
    for c in full:
        toks = c.context.get("tokens", [])
        by_sentence.setdefault(c.sentence, set()).update(t for t in toks if len(t) > 2)
        for t in toks:
            tokens_by_surname.setdefault(t, " ".join(toks))
    for c in claims:
        if c.kind == "name":
            continue
        people = set(by_sentence.get(c.sentence, ()))
        s0, s1 = c.sentence
        for m in _CAP_WORD.finditer(text, s0, s1):
            key = name_key(m.group(0))
            if key in tokens_by_surname:
                people.add(key)
        if people:
            c.context["people"] = sorted(people)


def _attach_times(claims: list[Claim]) -> None:
    """Each claim learns the dates stated in its sentence: figures tied to different dates are different facts."""
    by_sentence: dict[tuple, list[Claim]] = {}
    for c in claims:
        if c.kind == "date" and c.value.lo is not None and c.value.hi is not None and not c.value.invalid:
            by_sentence.setdefault(c.sentence, []).append(c)
    for c in claims:
        if c.kind == "name":
            continue
        lo, hi = c.context.get("clause", c.sentence)
        dates = [d for d in by_sentence.get(c.sentence, ()) if d is not c and lo <= d.start < hi]
        if dates:
            c.context["when"] = [(d.value.lo, d.value.hi) for d in dates]


def _resolve_overlaps(found: list[Claim], skip: list[tuple[int, int]]) -> list[Claim]:
    found.sort(key=lambda c: (PRIORITY[c.kind], -(c.end - c.start), c.start))
    from bisect import bisect_right

    # kept spans never overlap, so sorted by start they are sorted by end too: only the neighbours
    # of a candidate can overlap it (linear scans made claim-dense junk quadratic)
    starts: list[int] = []
    ends: list[int] = []
    kept: list[Claim] = []
    for c in found:
        if c.end <= c.start or not c.text.strip():
            continue
        if any(c.start < e and s < c.end for s, e in skip):
            continue
        i = bisect_right(starts, c.start)
        if (i > 0 and ends[i - 1] > c.start) or (i < len(starts) and starts[i] < c.end):
            continue
        kept.append(c)
        starts.insert(i, c.start)
        ends.insert(i, c.end)
    kept.sort(key=lambda c: (c.start, c.end))
    return kept
