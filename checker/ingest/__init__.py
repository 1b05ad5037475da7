"""Ingest: files -> Documents. One small module per format; all I/O of reading lives here."""
from __future__ import annotations

import datetime as dt
import os
import stat
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
        data = _read(path, max_bytes)
        if isinstance(data, InputError):
            return data
    notes: list[str] = []
    try:
        raw = decode(data, notes)
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
    doc.notes[:0] = notes
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


def _read(path: str, max_bytes: int) -> bytes | InputError:
    """The file's bytes. Only regular files are read: a FIFO or a device would block or never end."""
    return read_with_stat(path, max_bytes)[0]


def signature(st: os.stat_result) -> tuple:
    """What a re-run compares to know a file is as it was without reading it (runcache)."""
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


def read_with_stat(path: str, max_bytes: int) -> tuple:
    """(_read's answer, the file's signature() taken before its bytes were read, or None)."""
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; regular files ignore the flag
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        gone = "broken symbolic link" if os.path.islink(path) else "file disappeared or does not exist"
        return InputError(path, gone), None
    except IsADirectoryError:
        return InputError(path, "is a folder, not a file"), None
    except PermissionError:
        return InputError(path, "permission denied"), None
    except OSError as err:
        return InputError(path, f"cannot read: {err.strerror or err}"), None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = ("a folder" if stat.S_ISDIR(st.st_mode) else "a FIFO (named pipe)" if stat.S_ISFIFO(st.st_mode)
                    else "a socket" if stat.S_ISSOCK(st.st_mode) else "a device" if stat.S_ISCHR(st.st_mode)
                    or stat.S_ISBLK(st.st_mode) else "not a regular file")
            return InputError(path, f"cannot read: {kind}, not a regular file"), None
        if max_bytes and st.st_size > max_bytes:
            return InputError(path, f"file is larger than the limit of {max_bytes:,} bytes (max-file-size)"), None
        with os.fdopen(fd, "rb", closefd=False) as fh:
            if max_bytes:
                # read(n) allocates n bytes first: ask for what the file holds, then for any growth
                data = fh.read(st.st_size + 1)
                if len(data) > st.st_size:
                    data += fh.read(max_bytes + 1 - len(data))
            else:
                data = fh.read()
        if max_bytes and len(data) > max_bytes:  # it grew while we read it
            return InputError(path, f"file is larger than the limit of {max_bytes:,} bytes (max-file-size)"), None
        return data, signature(st)
    except IsADirectoryError:
        return InputError(path, "is a folder, not a file"), None
    except OSError as err:
        return InputError(path, f"cannot read: {err.strerror or err}"), None
    finally:
        os.close(fd)


__all__ = ["discover", "load", "InputError", "parse_iso_date"]
