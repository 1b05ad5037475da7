"""Bytes -> str, without guessing wildly: BOMs, UTF-8, then Windows-1252; binary is refused."""
from __future__ import annotations

import codecs


class DecodeError(ValueError):
    pass


def decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return _normalize_newlines(data[3:].decode("utf-8", errors="replace"))
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
                     (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return _normalize_newlines(data[len(bom):].decode(enc))
            except UnicodeDecodeError as err:
                raise DecodeError(f"invalid {enc.upper()} text after its byte-order mark: {err.reason}") from None
    head = data[:8192]
    if b"\x00" in head:
        raise DecodeError("binary file (contains NUL bytes), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        # Windows-1252 is what most non-UTF-8 newsroom exports are; undefined bytes make it binary
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise DecodeError("not valid UTF-8 and not Windows-1252 text") from None
        controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\t\n\r\f")
        if controls > 8:
            raise DecodeError("binary file (control bytes), not text")
    return _normalize_newlines(text)


def _normalize_newlines(text: str) -> str:
    # keep one character per original character so columns stay right; \r\n -> " \n" keeps offsets
    if "\r" in text:
        text = text.replace("\r\n", " \n").replace("\r", "\n")
    return text
