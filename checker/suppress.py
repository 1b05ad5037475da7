"""Inline suppressions, as linters do it.

Markdown / HTML: `<!-- claimcheck: ignore CC101 -->` silences the paragraph that follows it (all rules
when no code is given). Plain text (any format): `claimcheck: ignore [CODES]` silences its own line.
A finding is silenced when any of its claims lies in a region silenced for its rule.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

_COMMENT = re.compile(r"<!--\s*claimcheck:\s*ignore\b(?P<codes>[^>]*?)\s*-->", re.I)
_LINE = re.compile(r"claimcheck:\s*ignore\b(?P<codes>[ \t]+[A-Za-z]+\d+(?:[ \t]*,?[ \t]*[A-Za-z]+\d+)*)?", re.I)


@dataclass(slots=True)
class Suppression:
    path: str
    line: int            # where the comment is
    start_line: int      # region silenced (inclusive)
    end_line: int
    codes: Optional[frozenset]  # None = every rule
    used: bool = field(default=False)

    def covers(self, path: str, line: int, code: str) -> bool:
        return (path == self.path and self.start_line <= line <= self.end_line
                and (self.codes is None or any(code.startswith(c) for c in self.codes)))


def _codes(text: str) -> Optional[frozenset]:
    codes = [c.upper() for c in re.findall(r"[A-Za-z]+\d+", text or "")]
    return frozenset(codes) if codes else None


def find_suppressions(path: str, raw: str) -> list[Suppression]:
    if "claimcheck" not in raw:
        return []
    lines = raw.split("\n")
    out: list[Suppression] = []
    comment_lines = set()
    for m in _COMMENT.finditer(raw):
        line = raw.count("\n", 0, m.start()) + 1
        end_of_comment = raw.count("\n", 0, m.end()) + 1
        comment_lines.update(range(line, end_of_comment + 1))
        # the paragraph after the comment: skip blank lines, then up to the next blank line
        start = end_of_comment + 1
        rest_of_line = lines[end_of_comment - 1][len(lines[end_of_comment - 1]) - len(raw[m.end():].split("\n", 1)[0]):]
        if rest_of_line.strip():
            start = end_of_comment
        while start <= len(lines) and not lines[start - 1].strip():
            start += 1
        end = start
        while end + 1 <= len(lines) and lines[end].strip():
            end += 1
        out.append(Suppression(path, line, start, end, _codes(m.group("codes"))))
    for i, text in enumerate(lines, 1):
        if i in comment_lines:
            continue
        m = _LINE.search(text)
        if m:
            out.append(Suppression(path, i, i, i, _codes(m.group("codes"))))
    return out
