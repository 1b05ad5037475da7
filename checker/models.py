"""Models shared by every stage.

Inner stages use slots dataclasses (cheap to build by the thousand); the Report and what users see
are pydantic models (validated, serialisable, with a JSON Schema).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Optional

from pydantic import BaseModel, Field

KINDS = ("date", "time", "duration", "count", "money", "percent", "quantity", "name")


@dataclass(slots=True)
class Value:
    """A normalized value: a closed interval [lo, hi] in a base unit, plus how it was stated.

    unit: 'day' (dates, as proleptic ordinals), 'min' (time of day), 's' (durations), a currency
    code, '%', 'pp', '' (plain counts) or an SI dimension name ('m', 'm/s', 'kg', ...).
    bound: exact | approx | lower | upper | range.
    gran: for dates day | month | quarter | half | year | decade | weekday | monthday; else 'unit'.
    """

    lo: Optional[float]
    hi: Optional[float]
    unit: str
    bound: str = "exact"
    gran: str = "unit"
    month: Optional[int] = None      # yearless dates keep their month/day
    day: Optional[int] = None
    weekday: Optional[int] = None    # stated weekday (0 = Monday)
    display: str = ""
    invalid: str = ""                # why the stated value cannot exist ("February 30")
    zone: str = ""                   # times: 'UTC' when converted from a stated zone, '' for local
    prec: float = 0.0                # half a unit of the last digit the writer gave ("2.3 billion": 0.05e9)
    year_known: bool = True          # dates: False when the year was inferred, not written

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__slots__ if getattr(self, k) not in (None, "")}


@dataclass(slots=True)
class Claim:
    kind: str
    start: int            # offsets into Document.text (same as the original for txt/md)
    end: int
    text: str
    value: Value
    doc: int = -1         # index of the document in the run
    sentence: tuple[int, int] = (0, 0)
    context: dict = field(default_factory=dict)  # alignment features, filled by extract.context (a large run
    # keeps them packed, as bytes: read them with records.context_of)
    suppressed: bool = False


@dataclass(slots=True)
class Document:
    path: str                     # as the user named it
    raw: str                      # the original file text (decoded)
    text: str                     # prose to extract from; same length as raw unless offset_map is set
    reference_date: Optional[dt.date] = None
    reference_source: str = ""    # front matter | meta | dateline | option
    source: str = ""
    title: str = ""
    offset_map: Optional[list] = None  # [(text_start, raw_start, text_len, raw_len)] for HTML
    skip_spans: list = field(default_factory=list)  # (start, end) in text: datelines etc., not claims
    notes: list = field(default_factory=list)       # what was odd but not fatal ("front matter date ... is not a date")
    _line_starts: Optional[list] = None

    def raw_offset(self, pos: int, is_end: bool = False) -> int:
        if self.offset_map is None:
            return pos
        from bisect import bisect_right

        segs = self.offset_map
        i = bisect_right([s[0] for s in segs], pos) - 1 if not is_end else bisect_right([s[0] for s in segs], pos - 1) - 1
        if i < 0:
            return 0
        t0, r0, tl, rl = segs[i]
        if tl == rl:
            return r0 + (pos - t0)
        return r0 + (rl if is_end else 0)

    def line_col(self, raw_pos: int) -> tuple[int, int]:
        from bisect import bisect_right

        if self._line_starts is None:
            starts = [0]
            find = self.raw.find
            i = find("\n")
            while i != -1:
                starts.append(i + 1)
                i = find("\n", i + 1)
            self._line_starts = starts
        line = bisect_right(self._line_starts, raw_pos) - 1
        return line + 1, raw_pos - self._line_starts[line] + 1


# ---- what users see -------------------------------------------------------------------------


class ClaimRef(BaseModel):
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    text: str
    value: str
    sentence: str
    kind: str = ""
    normalized: dict = Field(default_factory=dict)
    role: Optional[str] = None


class Support(BaseModel):
    """Draft mode: one value the sources give for a fact, and which source claims give it."""
    value: str
    sources: int                      # how many source documents state this value
    claims: list[ClaimRef] = Field(default_factory=list)
    agrees_with_draft: bool = False


class Finding(BaseModel):
    rule: str
    name: str
    kind: str
    category: str
    severity: str
    message: str
    claims: list[ClaimRef]
    reason: str = ""
    fingerprint: str = ""
    support: list[Support] = Field(default_factory=list)   # draft mode: what the sources say


class DocumentSummary(BaseModel):
    path: str
    reference_date: Optional[str] = None
    reference_source: Optional[str] = None
    claims: int = 0
    error: Optional[str] = None
    role: Optional[str] = None
    note: Optional[str] = None  # read and checked, but something was ignored (a front matter date that is no date)


class Summary(BaseModel):
    documents: int
    claims: int
    findings: int
    by_severity: dict[str, int] = Field(default_factory=dict)


class DraftView(BaseModel):
    """Draft mode: the draft's original text, so that a report can show it whole with highlights."""
    path: str
    text: str


class Report(BaseModel):
    version: int = 1
    tool: str = "claimcheck"
    findings: list[Finding]
    draft: Optional[DraftView] = None
    documents: list[DocumentSummary]
    summary: Summary
    notes: list[str] = Field(default_factory=list)  # limits applied on the way (blocking keys over the cap)
