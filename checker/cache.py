"""The extraction cache: one claim record per document, under .claimcheck_cache/.

An entry's key is a hash of everything its content depends on: the file's bytes, its format (the
suffix), the settings that change what extraction finds, the claimcheck version and a fingerprint of
the package's own code (so that editing an extractor never serves stale claims), and the record
format.

Entries are appended to pack files, one pack per writing process, in a folder per code version.
A file per entry cost the kernel 0.5-7 s per 10,000 documents on a virtual machine's ext4 (creating
and renaming 10,000 files; a fifth of a cold run), where appending to one file costs next to
nothing. Each entry is a fixed header (magic, key, record length, CRC-32 of the record) and the
record. A process appends whole entries to its own pack only, so concurrent runs never write the
same file; a reader takes an entry whose record is short or fails its CRC (a crash, a writer half
way through it, a damaged disk) for a miss, and stops reading that pack's headers at one it cannot
parse. A process that starts a pack where more than MAX_PACKS small idle ones are joins them into
one, and removes other code versions' entries untouched for a week. Nothing is written outside the cache
folder.
"""
from __future__ import annotations

import hashlib
import marshal
import os
import secrets
import shutil
import struct
import sys
import tempfile
import time
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Optional

from checker import __version__
from checker.records import FORMAT_VERSION, MAGIC

_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
        "# This file is a cache directory tag created by claimcheck.\n"
        "# For information about cache directory tags, see https://bford.info/cachedir/\n")

PACK_MAGIC = b"CCP1"
HEADER = struct.Struct("<4s32sQI")  # magic, key (a sha256, raw), record length, CRC-32 of the record
REFRESH_SECONDS = 1.0  # a miss looks for other processes' new entries at most this often
MAX_PACKS = 32         # more small idle packs than this in a folder: a process that starts one joins them
JOIN_BELOW = 8 << 20   # a pack this large or larger is not joined (few runs write one; joining costs its size)
IDLE_SECONDS = 600.0   # a pack not appended to for this long is idle (a run appends as it goes)
STALE_DAYS = 7         # other code versions' entries untouched this long are removed
_BINARY = getattr(os, "O_BINARY", 0)
_PREAD = getattr(os, "pread", None)  # not on Windows


@lru_cache(maxsize=1)
def code_version() -> str:
    """claimcheck's version plus a hash of the package's Python sources."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        try:
            h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
        except OSError:
            h.update(b"?")
    return f"{__version__}+{h.hexdigest()[:16]}"


def entry_key(content_sha256: str, settings_key: str) -> str:
    material = "\x1f".join([content_sha256, settings_key, code_version(), f"records-{FORMAT_VERSION}",
                            f"marshal-{marshal.version}", sys.implementation.cache_tag or "", sys.byteorder])
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


@lru_cache(maxsize=8)
def open_cache(directory: str) -> "Cache":
    """One Cache per folder and process (it keeps the index of the entries it has seen, and its pack)."""
    return Cache(directory)


class Cache:
    def __init__(self, directory: str):
        self.root = Path(directory)
        self.entries = self.root / f"records-v{FORMAT_VERSION}"
        self.folder = self.entries / f"packs-{code_version()}"  # entries of other code versions never match
        self._index: dict[bytes, tuple[str, int, int, int]] = {}  # key -> (pack name, offset, length, crc)
        self._read_to: dict[str, int] = {}  # pack name -> where its next unread header starts
        self._ended: set[str] = set()       # packs with a header that cannot be parsed: not read further
        self._damaged: set[tuple[str, int]] = set()  # (pack, offset) of records found damaged
        self._looked: Optional[tuple[int, float]] = None  # the last look for new entries: (pid, time.monotonic())
        self._readers: dict[str, int] = {}  # pack name -> open descriptor, in process self._readers_of
        self._readers_of = os.getpid()
        self._pack: Optional[tuple[int, str, int]] = None  # this process's pack: (pid, name, descriptor)
        self._end = 0                                      # its length
        self._broken = False                               # a write failed: write no more

    def get(self, key: str) -> Optional[bytes]:
        """The entry's bytes, or None. Decoding them (records.loads) is the caller's: a damaged entry is a miss."""
        raw = bytes.fromhex(key)
        where = self._index.get(raw)
        if where is None and self._look():
            where = self._index.get(raw)
        while where is not None:
            name, offset, length, crc = where
            try:
                blob = self._read(name, offset, length)
            except OSError:  # the pack is gone (joined into another by _tidy)
                blob = b""
            if len(blob) == length and zlib.crc32(blob) == crc and blob.startswith(MAGIC):
                return blob
            # damaged or gone: another copy of the entry (the one written when it was found damaged, or
            # the joined pack) may be in a pack read before or after this one. Read every header again,
            # without this place
            self._damaged.add((name, offset))
            self._forget()
            self._look()
            where = self._index.get(raw)
        return None

    def _read(self, name: str, offset: int, length: int) -> bytes:
        """`length` bytes of a pack. The descriptors stay open, per process: a forked child opens its
        own (a descriptor's file position is shared with the parent's)."""
        pid = os.getpid()
        if self._readers_of != pid:
            self._readers, self._readers_of = {}, pid
        fd = self._readers.get(name)
        if fd is None:
            fd = self._readers[name] = os.open(self.folder / name, os.O_RDONLY | _BINARY)
        if _PREAD is not None:
            return _PREAD(fd, length, offset)
        os.lseek(fd, offset, os.SEEK_SET)
        return os.read(fd, length)

    def put(self, key: str, blob: bytes) -> None:
        """Best effort: a cache that cannot be written (read-only folder, full disk) is no cache."""
        if self._broken:
            return
        raw, crc = bytes.fromhex(key), zlib.crc32(blob)
        try:
            _, name, fd = self._own_pack()
            _write_all(fd, HEADER.pack(PACK_MAGIC, raw, len(blob), crc) + blob)
        except OSError:
            self._broken = True  # nothing more is appended after an entry that may be cut short
            return
        self._index[raw] = (name, self._end + HEADER.size, len(blob), crc)
        self._end += HEADER.size + len(blob)
        self._read_to[name] = self._end

    def _own_pack(self) -> tuple[int, str, int]:
        """This process's pack, made at its first entry (a forked child makes its own)."""
        pid = os.getpid()
        if self._pack is None or self._pack[0] != pid:
            self._prepare(self.folder)
            name, fd = self._new_pack()
            self._pack, self._end = (pid, name, fd), 0
            self._tidy(name)
        return self._pack

    def _new_pack(self) -> tuple[str, int]:
        """A new pack, readable by its owner only (as the rest of the cache: records quote the documents)."""
        name = f"{os.getpid()}-{secrets.token_hex(4)}.pack"
        return name, os.open(self.folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND | _BINARY, 0o600)

    def _tidy(self, own: str) -> None:
        """At a process's first entry, best effort: when the folder holds more than MAX_PACKS small packs
        untouched for IDLE_SECONDS (each run that writes adds one per process; many small runs, many
        packs to open), join them into one; remove the entries of other code versions (and of the
        file-per-entry layout) untouched for STALE_DAYS. A reader that had found an entry in a joined
        pack finds it again in the new one."""
        now = time.time()
        try:
            idle = sorted(entry.name for entry in os.scandir(self.folder)
                          if entry.name.endswith(".pack") and entry.name != own
                          and entry.stat().st_size < JOIN_BELOW and now - entry.stat().st_mtime > IDLE_SECONDS)
            if len(idle) > MAX_PACKS:
                self._join(idle)
            for entry in os.scandir(self.entries):
                if entry.name != self.folder.name and now - entry.stat().st_mtime > STALE_DAYS * 86400:
                    if entry.is_dir(follow_symlinks=False):
                        shutil.rmtree(entry.path, ignore_errors=True)
        except OSError:
            pass

    def _join(self, names: list[str]) -> None:
        """The whole entries of these packs (each key once) into a new pack, then the packs removed. One
        process at a time joins (the others find the lock and go on)."""
        lock = self.folder / "join.lock"
        try:
            if time.time() - lock.stat().st_mtime > IDLE_SECONDS:
                lock.unlink()  # left by a process that died while joining
        except OSError:
            pass
        try:
            os.close(os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, 0o600))
        except OSError:
            return
        try:
            seen: set[bytes] = set()
            name, fd = self._new_pack()
            try:
                for source in names:
                    for raw, header, blob in _entries(self.folder / source):
                        if raw not in seen:
                            seen.add(raw)
                            _write_all(fd, header + blob)
            finally:
                os.close(fd)
            for source in names:
                try:
                    os.unlink(self.folder / source)
                except OSError:  # (Windows) a reader holds it open
                    pass
        finally:
            lock.unlink(missing_ok=True)
        self._forget()  # its places were in the joined packs

    def _forget(self) -> None:
        """Drop the index: the next miss reads every pack's headers again."""
        self._index.clear()
        self._read_to.clear()
        self._ended.clear()
        self._looked = None

    def look_again(self) -> None:
        """The next miss reads the headers appended since the last look, however recent that was (a run
        starts: the entries of the last one, written by its workers, are to be found)."""
        self._looked = None

    def _look(self) -> bool:
        """Read the headers other processes have appended since the last look: at a miss, at most once a
        second in a process (the first miss of a process, or after look_again(), always looks; a cold
        run misses at every document). Whether it looked."""
        now = time.monotonic()
        if self._looked is not None and self._looked[0] == os.getpid() and now - self._looked[1] < REFRESH_SECONDS:
            return False
        self._looked = (os.getpid(), now)
        try:
            found = [(entry.name, entry.stat().st_size) for entry in os.scandir(self.folder)
                     if entry.name.endswith(".pack")]
        except OSError:
            return True
        for name, size in found:
            start = self._read_to.get(name, 0)
            if size > start and name not in self._ended:
                self._read_headers(name, start, size)
        return True

    def _read_headers(self, name: str, offset: int, size: int) -> None:
        try:
            while offset + HEADER.size <= size:
                magic, raw, length, crc = HEADER.unpack(self._read(name, offset, HEADER.size))
                if magic != PACK_MAGIC:
                    self._ended.add(name)
                    break
                start = offset + HEADER.size
                if start + length > size:
                    break  # being written, or cut short: looked at again next time
                if (name, start) not in self._damaged:
                    self._index.setdefault(raw, (name, start, length, crc))
                offset = start + length
        except (OSError, struct.error):
            self._ended.add(name)
        self._read_to[name] = offset

    def _prepare(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        if not (self.root / "CACHEDIR.TAG").exists():
            # backup tools skip a tagged folder; git ignores it
            for name, text in (("CACHEDIR.TAG", _TAG), (".gitignore", "# created by claimcheck\n*\n")):
                if not (self.root / name).exists():
                    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=str(self.root))
                    with os.fdopen(fd, "w", encoding="utf-8") as fh:
                        fh.write(text)
                    os.replace(tmp, self.root / name)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _entries(path: Path):
    """(key, header, record) of each whole entry of a pack whose record matches its CRC, up to the first
    header that cannot be parsed."""
    try:
        with open(path, "rb") as fh:
            while True:
                header = fh.read(HEADER.size)
                if len(header) < HEADER.size:
                    return
                magic, raw, length, crc = HEADER.unpack(header)
                if magic != PACK_MAGIC:
                    return
                blob = fh.read(length)
                if len(blob) < length:
                    return
                if zlib.crc32(blob) == crc and blob.startswith(MAGIC):
                    yield raw, header, blob
    except OSError:
        return
