"""HTML: the article text only (no script, style, nav, footer), with a map back to file offsets.

The standard library's tokenizer is used on purpose: it never fetches anything, never resolves
external entities and does not recurse, so hostile or absurdly nested pages cannot hurt us.
"""
from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

from checker.ingest.dateline import parse_iso_date
from checker.models import Document

SKIP = {"script", "style", "nav", "footer", "head", "noscript", "template", "svg", "aside", "form",
        "button", "select", "iframe", "object", "math", "header", "figure"}
BLOCK = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "tr", "td", "th",
         "table", "article", "section", "main", "blockquote", "figcaption", "title", "dd", "dt",
         "pre", "hr", "body", "html", "caption"}
VOID = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source", "track", "wbr"}
DATE_META = {"date", "pubdate", "publishdate", "article:published_time", "datepublished", "dc.date",
             "dc.date.issued", "og:published_time", "sailthru.date", "publication_date"}


class _Reducer(HTMLParser):
    def __init__(self, raw: str):
        super().__init__(convert_charrefs=False)
        self.raw = raw
        self.line_starts = [0]
        i = raw.find("\n")
        while i != -1:
            self.line_starts.append(i + 1)
            i = raw.find("\n", i + 1)
        self.parts: list[str] = []
        self.segments: list[tuple[int, int, int, int]] = []  # text_start, raw_start, text_len, raw_len
        self.length = 0
        self.skip_depth = 0
        self.stack: list[str] = []
        self.open: dict[str, int] = {}  # tag -> how many are on the stack (membership without scanning it)
        self.meta_date = None
        self.in_article = 0
        self.has_article = "<article" in raw.lower() or "<main" in raw.lower()
        self.title = ""
        self.notes: list[str] = []

    def _pos(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def _emit(self, text: str, raw_start: int, raw_len: int) -> None:
        if not text:
            return
        self.segments.append((self.length, raw_start, len(text), raw_len))
        self.parts.append(text)
        self.length += len(text)

    def _visible(self) -> bool:
        return self.skip_depth == 0 and (not self.has_article or self.in_article > 0)

    def handle_starttag(self, tag, attrs):
        if tag == "meta":
            a = {k.lower(): (v or "") for k, v in attrs}
            key = (a.get("name") or a.get("property") or a.get("itemprop") or "").lower()
            if key in DATE_META and self.meta_date is None:
                self.meta_date = parse_iso_date(a.get("content", ""))
                if self.meta_date is None and a.get("content", "").strip():
                    self.notes.append(f"date meta tag {a['content'].strip()[:60]!r} is not a date; ignored")
            return
        if tag in VOID:
            if tag in BLOCK and self._visible():
                self._emit("\n\n", self._pos(), 0)
            return
        self.stack.append(tag)
        self.open[tag] = self.open.get(tag, 0) + 1
        if tag in SKIP:
            self.skip_depth += 1
        if tag in ("article", "main"):
            self.in_article += 1
        if tag in BLOCK and self._visible():
            self._emit("\n\n", self._pos(), 0)

    def handle_startendtag(self, tag, attrs):
        if tag == "meta":
            self.handle_starttag(tag, attrs)
        elif tag in BLOCK and self._visible():
            self._emit("\n\n", self._pos(), 0)

    def handle_endtag(self, tag):
        if not self.open.get(tag):
            return
        while self.stack:  # close implicitly-closed children as browsers do
            top = self.stack.pop()
            self.open[top] -= 1
            if top in SKIP:
                self.skip_depth -= 1
            if top in ("article", "main"):
                self.in_article -= 1
            if top == tag:
                break
        if tag in BLOCK and self._visible():
            self._emit("\n\n", self._pos(), 0)

    def handle_data(self, data):
        if self._visible():
            start = self._pos()  # the original characters: the parser may have read a defused copy
            self._emit(self.raw[start:start + len(data)], start, len(data))

    def handle_entityref(self, name):
        if self._visible():
            raw_text = f"&{name};"
            start = self._pos()
            length = len(raw_text) if self.raw.startswith(raw_text, start) else len(name) + 1
            self._emit(unescape(self.raw[start:start + length]), start, length)

    def handle_charref(self, name):
        if self._visible():
            start = self._pos()
            end = self.raw.find(";", start, start + 12)
            length = (end + 1 - start) if end != -1 else len(name) + 2
            decoded = unescape(self.raw[start:start + length])
            self._emit(decoded if decoded.isprintable() else " ", start, length)


_CHARREF = re.compile(r"&#(?:[0-9]+|[xX][0-9a-fA-F]+)[^0-9a-fA-F]")  # html.parser's own
_COMMENT_CLOSE = re.compile(r"--\s*>")
_MARKED_NAME = re.compile(r"[a-zA-Z][-_.a-zA-Z0-9]*")
_MARKED_KEYWORDS = {"temp", "cdata", "ignore", "include", "rcdata", "if", "else", "endif"}
_INERT = "\ue000"  # a private-use character: plain text to the parser; the original is emitted instead


def defuse(raw: str) -> str:
    """A same-length copy of raw in which what html.parser would choke on is plain text.

    Openers that can never close (a '<' after the last '>', '<!--' after the last '-->') make it rescan
    the rest of the page for each one: quadratic on junk. A '&#' that is no character reference makes it
    read the rest of the page, scripts and menus included, as text; an odd '<![' raises AssertionError.
    Offsets are kept, so every position still points into the original file."""
    spots: list[int] = []
    last_gt = raw.rfind(">")
    i = raw.find("<", last_gt + 1)
    while i != -1:
        spots.append(i)
        i = raw.find("<", i + 1)
    last_close = -1
    for m in _COMMENT_CLOSE.finditer(raw):
        last_close = m.end()
    i = raw.find("<!--", max(last_close, 0))
    while i != -1 and i < last_gt:
        spots.append(i)
        i = raw.find("<!--", i + 1)
    last_section_close = raw.rfind("]>")
    i = raw.find("<![")
    while i != -1:
        name = _MARKED_NAME.match(raw, i + 3)
        if name is None or name.group(0).lower() not in _MARKED_KEYWORDS or i > last_section_close:
            spots.append(i)
        i = raw.find("<![", i + 1)
    i = raw.find("&#")
    while i != -1:
        if not _CHARREF.match(raw, i):
            spots.append(i)
        i = raw.find("&#", i + 1)
    if not spots:
        return raw
    chars = list(raw)
    for i in spots:
        chars[i] = _INERT
    return "".join(chars)


def parse_html(path: str, raw: str) -> Document:
    reducer = _Reducer(raw)
    reducer.feed(defuse(raw))
    reducer.close()
    text = "".join(reducer.parts)
    doc = Document(path=path, raw=raw, text=text, offset_map=reducer.segments, notes=reducer.notes[:1] if reducer.meta_date is None else [])
    if reducer.meta_date is not None:
        doc.reference_date, doc.reference_source = reducer.meta_date, "meta"
    return doc
