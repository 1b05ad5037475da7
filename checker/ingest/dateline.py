"""Reference dates from the document itself: ISO strings in metadata, and a dateline near the top."""
from __future__ import annotations

import datetime as dt
import re
from typing import Optional

MONTHS = {m: i + 1 for i, m in enumerate(
    "january february march april may june july august september october november december".split())}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9

_MON = r"(?P<mon>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_DATE_FORMS = [
    re.compile(r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?" + _MON + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})"),
    re.compile(r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MON + r",?\s+(?P<year>\d{4})"),
    re.compile(r"(?P<year>\d{4})-(?P<monnum>\d{2})-(?P<day>\d{2})"),
]
_LEAD = re.compile(r"^\s*(?:(?:first\s+)?(?:published|updated|posted|last updated|dated?)\b[:\s]*(?:on\s+)?)?", re.I)
_TAIL = re.compile(r"^[\s,.;:|·–—-]*(?:(?:at\s+)?\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,4})?)?[\s.]*$", re.I)


def parse_iso_date(value: object) -> Optional[dt.date]:
    """A date from front matter or a meta tag: a date, a datetime, or a string starting YYYY-MM-DD."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        m = re.match(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})", value)
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                return None
        found = parse_date_line(value)
        return found
    return None


def parse_date_line(line: str) -> Optional[dt.date]:
    """The date a line consists of (with an optional 'Published' lead and a time after), else None."""
    lead = _LEAD.match(line)
    rest = line[lead.end():] if lead else line
    for form in _DATE_FORMS:
        m = form.match(rest)
        if not m or not _TAIL.match(rest[m.end():]):
            continue
        month = int(m["monnum"]) if "monnum" in m.groupdict() and m["monnum"] else MONTHS.get(m["mon"].lower().rstrip("."))
        try:
            return dt.date(int(m["year"]), month, int(m["day"]))
        except (ValueError, TypeError):
            return None
    return None


def find_dateline(text: str, max_lines: int = 6) -> Optional[tuple[dt.date, tuple[int, int]]]:
    """A line near the top that is only a date ("October 12, 2025", "Published November 8, 2025")."""
    pos = 0
    seen = 0
    while pos < len(text) and seen < max_lines:
        nl = text.find("\n", pos)
        end = len(text) if nl == -1 else nl
        line = text[pos:end]
        if line.strip():
            seen += 1
            if len(line) <= 80:
                found = parse_date_line(line)
                if found is not None:
                    return found, (pos, end)
        pos = end + 1
    return None
