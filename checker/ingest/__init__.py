"""Ingest: files -> Documents. One small module per format; all I/O of reading lives here."""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

from checker.ingest.decode import DecodeError, decode
from checker.ingest.dateline import find_dateline, parse_iso_date
from checker.models import Document

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown", ".html", ".htm"}


@dataclass(slots=True)
class InputError:
    path: str
    reason: str


def discover(paths: list[str], include_hidden: bool = False) -> Iterator[str | InputError]:
    """Yield file paths (as the user would write them) under files and folders, in a stable order."""
    seen_dirs: set[tuple[int, int]] = set()
    for p in paths:
        if os.path.isdir(p):
            yield from _walk(p, seen_dirs, include_hidden)
        elif os.path.exists(p) or os.path.islink(p):
            yield p
        else:
            yield InputError(p, "no such file or folder")


def _walk(top: str, seen: set, include_hidden: bool) -> Iterator[str | InputError]:
    try:
        st = os.stat(top)
    except OSError as err:
        yield InputError(top, f"cannot read folder: {err.strerror or err}")
        return
    key = (st.st_dev, st.st_ino)
    if key in seen:  # a symlink loop, or the same folder reached twice
        return
    seen.add(key)
    try:
        entries = sorted(os.scandir(top), key=lambda e: e.name)
    except OSError as err:
        yield InputError(top, f"cannot list folder: {err.strerror or err}")
        return
    for entry in entries:
        if entry.name.startswith(".") and not include_hidden:
            continue
        path = os.path.join(top, entry.name)
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            yield from _walk(path, seen, include_hidden)
        elif Path(entry.name).suffix.lower() in TEXT_SUFFIXES:
            yield path


def load(path: str, data: Optional[bytes] = None, reference_date: Optional[dt.date] = None,
         max_bytes: int = 0) -> Document | InputError:
    """Read and parse one file. Never raises for bad input: returns an InputError with the reason."""
    if data is None:
        try:
            if max_bytes and os.path.getsize(path) > max_bytes:
                return InputError(path, f"file is larger than the limit of {max_bytes:,} bytes (max-file-size)")
            with open(path, "rb") as fh:
                data = fh.read()
        except FileNotFoundError:
            return InputError(path, "file disappeared or does not exist")
        except IsADirectoryError:
            return InputError(path, "is a folder, not a file")
        except PermissionError:
            return InputError(path, "permission denied")
        except OSError as err:
            return InputError(path, f"cannot read: {err.strerror or err}")
    try:
        raw = decode(data)
    except DecodeError as err:
        return InputError(path, str(err))
    suffix = Path(path).suffix.lower()
    try:
        if suffix in (".md", ".markdown"):
            from checker.ingest.markdown import parse_markdown

            doc = parse_markdown(path, raw)
        elif suffix in (".html", ".htm"):
            from checker.ingest.html import parse_html

            doc = parse_html(path, raw)
        else:
            doc = Document(path=path, raw=raw, text=raw)
    except RecursionError:
        return InputError(path, "document structure is nested too deeply to read")
    if isinstance(doc, InputError):
        return doc
    if doc.reference_date is None:
        found = find_dateline(doc.text)
        if found is not None:
            doc.reference_date, span = found
            doc.reference_source = "dateline"
            doc.skip_spans.append(span)
    if doc.reference_date is None and reference_date is not None:
        doc.reference_date = reference_date
        doc.reference_source = "option"
    return doc


__all__ = ["discover", "load", "InputError", "parse_iso_date"]
