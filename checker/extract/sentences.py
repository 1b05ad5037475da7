"""Sentence spans over prose: punctuation, blank lines, and short unpunctuated lines (headlines)."""
from __future__ import annotations

import re

_ABBREV = set("mr mrs ms dr prof sen rep gen st jr sr inc corp co ltd no vs etc jan feb mar apr jun jul aug "
              "sep sept oct nov dec u.s u.k a.m p.m e.g i.e approx est fig col capt lt gov pres".split())
_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s)|\n[ \t]*\n|\n(?=[ \t]*[-*•#>])")


def split_sentences(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    n = len(text)
    for m in _END.finditer(text):
        end = m.end()
        tok = m.group(0)
        if tok[0] == ".":
            word_start = text.rfind(" ", 0, m.start()) + 1
            word = text[word_start:m.start()].lower().lstrip("(\"'“")
            nxt = text[end:end + 3].lstrip()
            if word in ("a.m", "p.m") and nxt[:1].isupper():
                pass
            elif word in _ABBREV or (len(word) == 1 and word.isalpha()):
                continue
            if nxt and nxt[0].islower():
                continue
        _add_lines(text, start, end, spans)
        start = end
    if start < n:
        _add_lines(text, start, n, spans)
    return spans


def _add_lines(text: str, start: int, end: int, spans: list) -> None:
    """Inside one punctuation-delimited chunk, a short line without end punctuation is a headline."""
    pos = start
    while True:
        nl = text.find("\n", pos, end)
        if nl == -1:
            break
        line = text[pos:nl].strip()
        if line and (len(line) < 70 and not line.endswith((",", ";", ":", "-", "–", "—")) and
                     not text[nl + 1:nl + 2].islower()):
            _push(text, start, nl, spans)
            start = nl + 1
        pos = nl + 1
    _push(text, start, end, spans)


MAX_SENTENCE = 1000  # news sentences stay far below; longer runs (tables, junk) are cut so context stays linear


def _push(text: str, a: int, b: int, spans: list) -> None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    while b - a > MAX_SENTENCE:
        cut = text.rfind(" ", a + MAX_SENTENCE // 2, a + MAX_SENTENCE)
        cut = cut if cut != -1 else a + MAX_SENTENCE
        _push(text, a, cut, spans)
        a = cut
        while a < b and text[a].isspace():
            a += 1
    if a < b:
        spans.append((a, b))
