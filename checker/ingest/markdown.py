"""Markdown: YAML front matter for metadata; code blocks, HTML comments and markup are blanked
out in place so that every offset in the prose is the offset in the original file."""
from __future__ import annotations

import re

import yaml
from markdown_it import MarkdownIt

from checker.ingest.dateline import parse_iso_date
from checker.models import Document

_FRONT = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1", re.S)
_LINK_TARGET = re.compile(r"\]\([^)\n]{0,2048}\)|\]\[[^\]\n]*\]")  # bounded: "](" repeated made it quadratic
_REF_DEF = re.compile(r"^ {0,3}\[[^\]\n]+\]:[^\n]*$", re.M)
_TAG = re.compile(r"</?[A-Za-z][^>\n]{0,500}>")
_MARKUP = re.compile(r"^ {0,3}#{1,6}[ \t]|^ {0,3}>[ \t]?|^ {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]|[*_]{1,3}(?=\S)|(?<=\S)[*_]{1,3}|!?\[", re.M)

_BLOCK_MARK = re.compile(r"[<`~\t]| {4}")
_md = MarkdownIt("commonmark").disable("inline")  # only block structure is read; inline parsing cost time on junk


class _FrontMatterLoader(yaml.SafeLoader):
    """safe_load without timestamp resolution: a `date:` stays text, so '2025-02-30' is reported, not raised."""


class _FastFrontMatterLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """The same with libyaml's parser when PyYAML was built with it (its wheels are): 5-10x faster on
    front matter, with the same constructor and resolvers, so the same values. Its composer recurses
    in C: tens of thousands of nested "[" or "{" overflow the stack and kill the process, so front
    matter with more than _FLOW_OPENERS of them goes to the Python parser (which raises RecursionError)."""


_FLOW_OPENERS = 1000


_FrontMatterLoader.yaml_implicit_resolvers = _FastFrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def blank(chars: list[str], start: int, end: int) -> None:
    for i in range(start, min(end, len(chars))):
        if chars[i] != "\n":
            chars[i] = " "


def parse_markdown(path: str, raw: str):
    from checker.ingest import InputError

    chars = list(raw)
    meta: dict = {}
    fm = _FRONT.match(raw)
    if fm:
        try:
            text = fm.group(1) or ""
            nested = text.count("[") + text.count("{") > _FLOW_OPENERS
            loaded = yaml.load(text, Loader=_FrontMatterLoader if nested else _FastFrontMatterLoader) or {}
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            where = f" (line {mark.line + 2})" if mark is not None else ""
            return InputError(path, f"front matter is not valid YAML{where}: {getattr(err, 'problem', None) or err}")
        except (RecursionError, ValueError, TypeError, OverflowError) as err:  # deep nesting, odd scalars
            return InputError(path, f"front matter cannot be read: {type(err).__name__}")
        if not isinstance(loaded, dict):
            return InputError(path, "front matter is not a mapping of keys to values")
        meta = loaded
        blank(chars, 0, fm.end())

    # block structure from a real CommonMark parser: fenced/indented code and HTML blocks
    body_offset_line = raw.count("\n", 0, fm.end()) if fm else 0
    body = raw[fm.end():] if fm else raw
    tokens = []
    # each of those blocks needs a "<", a fence of "`" or "~", or four columns of indentation (spaces or
    # a tab): most news files have none, and parsing was most of the cost of reading them
    if _BLOCK_MARK.search(body):
        try:
            tokens = _md.parse(body)
        except RecursionError:
            pass
    line_starts = None
    for tok in tokens:
        if tok.type in ("fence", "code_block", "html_block") and tok.map:
            if line_starts is None:
                line_starts = [0] + [m.end() for m in re.finditer("\n", raw)] + [len(raw)]
            a, b = tok.map
            start = line_starts[min(a + body_offset_line, len(line_starts) - 1)]
            end = line_starts[min(b + body_offset_line, len(line_starts) - 1)]
            if tok.type == "html_block":
                _blank_html(chars, raw, start, end)
            else:
                blank(chars, start, end)
    text = "".join(chars)
    for rx in (_COMMENT, _INLINE_CODE, _LINK_TARGET, _REF_DEF, _TAG, _MARKUP):
        text = rx.sub(_spaces, text)  # each pattern reads the text the previous ones left

    doc = Document(path=path, raw=raw, text=text)
    ref = parse_iso_date(meta.get("date")) if "date" in meta else None
    if ref is not None:
        doc.reference_date, doc.reference_source = ref, "front matter"
    elif meta.get("date") not in (None, ""):
        value = meta["date"]
        shown = repr(value) if isinstance(value, (str, int, float)) else f"(a {type(value).__name__})"
        doc.notes.append(f"front matter date {shown[:60]} is not a date; ignored")
    # only scalars: an alias bomb ("billion laughs") in a list must never be turned into a string
    doc.source = _scalar(meta.get("source"))
    doc.title = _scalar(meta.get("title"))
    return doc


def _spaces(m: re.Match) -> str:
    """What blank() leaves of a match: spaces, and its line breaks where they were."""
    found = m.group(0)
    return " " * len(found) if "\n" not in found else _NOT_NEWLINE.sub(" ", found)


_NOT_NEWLINE = re.compile(r"[^\n]")


def _scalar(value: object) -> str:
    return str(value)[:500] if isinstance(value, (str, int, float)) and not isinstance(value, bool) else ""


def _blank_html(chars: list[str], raw: str, start: int, end: int) -> None:
    """An HTML block: comments and tags go; text between tags stays (it is prose)."""
    seg = raw[start:end]
    for m in _COMMENT.finditer(seg):
        blank(chars, start + m.start(), start + m.end())
    for m in _TAG.finditer(seg):
        blank(chars, start + m.start(), start + m.end())
    low = seg.lower()
    for tag in ("script", "style"):
        i = low.find("<" + tag)
        while i != -1:
            j = low.find("</" + tag, i)
            j = len(seg) if j == -1 else j
            blank(chars, start + i, start + j)
            i = low.find("<" + tag, j + 1)
