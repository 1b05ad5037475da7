"""Bytes -> str, without guessing wildly: BOMs, UTF-8, then Windows-1252; binary is refused."""
from __future__ import annotations

import codecs
import re
from typing import Optional


class DecodeError(ValueError):
    pass


def decode(data: bytes, notes: Optional[list] = None) -> str:
    """The text of a file. What was repaired on the way (stray invalid bytes) is appended to notes."""
    if data.startswith(codecs.BOM_UTF8):
        text = data[3:].decode("utf-8", errors="replace")
        bad = text.count("\ufffd") - data.count("\ufffd".encode("utf-8"))
        if bad and notes is not None:
            notes.append(f"{bad} invalid UTF-8 sequence{'s' if bad != 1 else ''} read as U+FFFD")
        return _normalize_newlines(text)
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
                     (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(enc)
            except UnicodeDecodeError as err:
                raise DecodeError(f"invalid {enc.upper()} text after its byte-order mark: {err.reason}") from None
            _refuse_controls(text)  # binary that happens to start with FF FE
            return _normalize_newlines(text)
    head = data[:8192]
    if b"\x00" in head:
        raise DecodeError("binary file (contains NUL bytes), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = _damaged_utf8(data, notes)
        if text is None:
            # Windows-1252 is what most non-UTF-8 newsroom exports are; undefined bytes make it binary
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                raise DecodeError("not valid UTF-8 and not Windows-1252 text") from None
        _refuse_controls(text)
    return _normalize_newlines(text)


def _refuse_controls(text: str) -> None:
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > 8:
        raise DecodeError("binary file (control bytes), not text")


def _damaged_utf8(data: bytes, notes: Optional[list]) -> Optional[str]:
    """UTF-8 with a few stray bytes (a bad paste, a cut multi-byte character): keep it, mark the bytes U+FFFD.

    Only when the file shows real UTF-8 (multi-byte characters) or is not Windows-1252 either, and the
    damage is small; otherwise None, and the caller tries Windows-1252."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode("utf-8"))
    multibyte = sum(1 for ch in text if ord(ch) > 127 and ch != "\ufffd")
    try:
        data.decode("cp1252")
        is_cp1252 = True
    except UnicodeDecodeError:
        is_cp1252 = False
    if is_cp1252 and multibyte <= bad:
        return None
    if bad > max(16, len(data) // 100):
        return None
    if notes is not None:
        notes.append(f"{bad} invalid UTF-8 sequence{'s' if bad != 1 else ''} read as U+FFFD")
    return text


_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _normalize_newlines(text: str) -> str:
    # keep one character per original character so columns stay right; \r\n -> " \n" keeps offsets
    if "\r" in text:
        text = text.replace("\r\n", " \n").replace("\r", "\n")
    # control characters are no prose, and an ESC quoted in a text report would drive the reader's terminal
    return _CONTROLS.sub(" ", text)
