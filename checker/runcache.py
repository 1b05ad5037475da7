"""The run snapshot: what a run made of its documents, kept beside the extraction cache so that a
re-run reads a few files instead of a cache entry per document.

A run over the same inputs with the same settings (run_key()) finds, under
.claimcheck_cache/runs-v<N>/<run key>/:

    manifest      which documents (path, sha256 of their bytes) each chunk holds, in order of path
    <chunk key>   a chunk: (path, entry) for a few hundred consecutive documents

An entry is the document's claim record as the run keeps it: the claims it checks (max-claims
applied), their contexts packed (records.pack) and its proper nouns; the manifest also keeps the
run's word statistics (align's idf), from which a re-run takes away the documents that changed or
went. A document is taken from the snapshot only when its bytes hash to the sha256 the manifest
names; any other document, and any chunk that cannot be read, goes through the extraction cache as
before.

Chunks end where a path's CRC-32 says so (content-defined): adding or changing one document
rewrites its chunk only. Every file is written to a temporary name and renamed; a chunk that no
manifest of this key names any more is removed. Two runs at once each write whole files, so a
reader sees one run's snapshot or the other's; a chunk removed under a reader is a miss.

The alignment state of the same run (checker.incremental) lives in the same folder.
"""
from __future__ import annotations

import hashlib
import marshal
import os
import sys
import threading
import zlib
from typing import Optional

from checker.atomic import write_atomic
from checker.records import CLAIM_FIELDS, FORMAT_VERSION

SNAPSHOT_FORMAT = 2
MAGIC = b"CCRUN" + bytes([SNAPSHOT_FORMAT])
CHUNK_EVERY = 256   # a chunk ends after a path whose CRC-32 is a multiple of this (about this many documents)
CHUNK_MAX = 2048    # or after this many documents
_CTX = CLAIM_FIELDS.index("context")


def run_key(roots: list[str], settings, include_hidden: bool) -> str:
    """What a run's snapshot depends on: the inputs as named (absolute), the extraction settings and
    code (ExtractSettings.key), the record and snapshot formats."""
    material = "\x1f".join([*sorted(os.path.abspath(r) for r in roots), settings.key(""),
                            f"hidden={include_hidden}", f"records-{FORMAT_VERSION}", f"run-{SNAPSHOT_FORMAT}",
                            f"marshal-{marshal.version}", sys.implementation.cache_tag or "", sys.byteorder])
    return hashlib.sha256(material.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def folder_of(cache_dir: str, key: str) -> str:
    return os.path.join(cache_dir, f"runs-v{SNAPSHOT_FORMAT}", key)


def _load(path: str):
    """A file of this folder, decoded; None when it is missing, damaged or of another format."""
    wait()  # this process's own writes first
    try:
        with open(path, "rb") as fh:
            blob = fh.read()
        if not blob.startswith(MAGIC):
            return None
        return marshal.loads(memoryview(blob)[len(MAGIC):])
    except (OSError, EOFError, ValueError, TypeError):
        return None


def _save(path: str, obj, background: bool = False) -> bool:
    """Write obj to path; with `background`, the bytes go to disk on a thread of their own (the
    alignment state, 20 MB at 10k documents: the run links and reports meanwhile) and False means
    only that obj could not be encoded. wait() ends such writes; so does the end of the process."""
    try:
        blob = MAGIC + marshal.dumps(obj, 4)
    except ValueError:
        return False
    if background:
        writer = threading.Thread(target=_write, args=(path, blob), name="claimcheck-state-writer")
        writer.start()
        _PENDING.append(writer)
        return True
    return _write(path, blob)


def _write(path: str, blob: bytes) -> bool:
    try:
        write_atomic(path, blob, prefix=".tmp-")
        return True
    except OSError:
        return False


_PENDING: list[threading.Thread] = []


def wait() -> None:
    """Until this process's background writes have ended."""
    while _PENDING:
        _PENDING.pop().join()


class Snapshot:
    """The last run's snapshot of one run key, read lazily: chunks are decoded when a document of
    theirs is asked for, one at a time (a run asks in order of path, as the chunks are laid out)."""

    def __init__(self, folder: str):
        self.folder = folder
        self.chunks: list[str] = []
        self.where: dict[str, tuple[int, str]] = {}  # path -> (chunk number, sha256)
        self.stats: dict[str, tuple] = {}  # path -> the file's signature when it can be trusted (Writer)
        manifest = _load(os.path.join(folder, "manifest"))
        if type(manifest) is dict and manifest.get("format") == SNAPSHOT_FORMAT:
            for n, (key, docs) in enumerate(manifest["chunks"]):
                self.chunks.append(key)
                for path, sha in docs:
                    self.where[path] = (n, sha)
            stats = manifest.get("stat")
            if type(stats) is dict:
                self.stats = stats
        self._open: tuple[int, Optional[dict]] = (-1, None)
        self.counts = (manifest["sentences"], manifest["df"]) if self.where else (0, {})

    def __bool__(self) -> bool:
        return bool(self.where)

    def sha(self, path: str) -> Optional[str]:
        at = self.where.get(path)
        return at[1] if at else None

    def stat(self, path: str) -> Optional[tuple]:
        """The file's ingest.signature() when the last run could vouch that it names the bytes of
        sha(path), else None (then the file is read and hashed)."""
        return self.stats.get(path)

    def entry(self, path: str) -> Optional[dict]:
        """The document's entry, or None (not in the snapshot, or its chunk cannot be read)."""
        at = self.where.get(path)
        if at is None:
            return None
        n = at[0]
        if self._open[0] != n:
            data = _load(os.path.join(self.folder, self.chunks[n]))
            self._open = (n, dict(data) if type(data) is list else None)
        docs = self._open[1]
        return None if docs is None else docs.get(path)

    def chunk_of(self, path: str) -> Optional[str]:
        at = self.where.get(path)
        return self.chunks[at[0]] if at else None


def entry_of(record: dict, claims: list, entities: list, size: int) -> dict:
    """A document's snapshot entry: its record with the run's claims (packed contexts) and proper
    nouns."""
    entry = dict(record)
    entry["claims"] = tuple(rec[:_CTX] + (c.context,) + rec[_CTX + 1:] for rec, c in zip(record["claims"], claims))
    entry["found"] = len(record["claims"])
    entry["entities"] = entities
    entry["size"] = size
    return entry


# A file's signature (size, modification and change times in ns, inode, device) is kept only when its
# change time is this much older than the run that read it: a later change of the file then gives it
# another change time (the kernel sets ctime on every write, and no tool can set it back), so an
# equal signature means the same bytes, without reading them. A file changed within this window of a
# run (a write in the same clock tick as the read, or a clock a little off on a network file system)
# is read and hashed again next time: git's "racily clean" entries, for the same reason.
RACY_NS = 2_000_000_000


class Writer:
    """Writes the snapshot of this run as its documents come, in order of path: a chunk the last
    snapshot holds with the same documents (all of them taken from it) is kept, any other is written."""

    def __init__(self, folder: str, old: Optional[Snapshot], started: Optional[int] = None):
        """started: time.time_ns() when the run began, before it looked at any file."""
        self.folder = folder
        self.old = old
        self.started = started
        self.stats: dict[str, tuple] = {}
        self.manifest: list[tuple[str, list]] = []
        self.group: list[tuple[str, str, dict, bool]] = []  # (path, sha256, entry, taken from the old snapshot)
        self.failed = False
        try:
            os.makedirs(folder, exist_ok=True)
        except OSError:
            self.failed = True

    def add(self, path: str, sha: str, entry: dict, unchanged: bool, sig: Optional[tuple] = None) -> None:
        """One document, in order of path. sig: the file's ingest.signature(), taken before the bytes
        that hash to sha were read (or found equal to a signature kept for them)."""
        self.group.append((path, sha, entry, unchanged))
        if sig is not None and self.started is not None and sig[2] < self.started - RACY_NS:
            self.stats[path] = sig
        if len(self.group) >= CHUNK_MAX or zlib.crc32(path.encode("utf-8", "surrogatepass")) % CHUNK_EVERY == 0:
            self._flush()

    def _flush(self) -> None:
        group, self.group = self.group, []
        if not group or self.failed:
            return
        docs = [(p, s) for p, s, _, _ in group]
        key = hashlib.sha256("\x1f".join(f"{p}\0{s}" for p, s in docs).encode("utf-8", "surrogatepass")).hexdigest()[:32]
        kept = (self.old is not None and all(u and self.old.chunk_of(p) == key for p, _, _, u in group)
                and os.path.exists(os.path.join(self.folder, key)))
        if not kept and not _save(os.path.join(self.folder, key), [(p, e) for p, _, e, _ in group]):
            self.failed = True
            return
        self.manifest.append((key, docs))

    def close(self, counts: list) -> None:
        """The manifest, with the run's word statistics (`counts`: sentences, document frequencies)."""
        self._flush()
        if self.failed:
            return
        if not _save(os.path.join(self.folder, "manifest"), {"format": SNAPSHOT_FORMAT, "chunks": self.manifest,
                                                               "sentences": counts[0], "df": dict(+counts[1]),
                                                               "stat": self.stats}):
            return
        keep = {k for k, _ in self.manifest} | {"manifest", "align"}
        try:
            names = os.listdir(self.folder)
        except OSError:
            return
        for name in names:
            if name not in keep and not name.startswith(".tmp-"):
                try:
                    os.unlink(os.path.join(self.folder, name))
                except OSError:
                    pass
        _forget_old_runs(os.path.dirname(self.folder), KEEP_RUNS)


KEEP_RUNS = 8  # snapshots of other inputs or settings kept beside this one (the most recently written)


def _forget_old_runs(parent: str, keep: int) -> None:
    """Remove all but the `keep` most recently written run folders (each code version, setting or set
    of inputs has its own: without this they would pile up). A run reading a folder removed under it
    finds its chunks missing: a miss, never a wrong answer."""
    import shutil

    runs = []
    try:
        for entry in os.scandir(parent):
            if entry.is_dir(follow_symlinks=False):
                try:
                    runs.append((os.stat(os.path.join(entry.path, "manifest")).st_mtime, entry.path))
                except OSError:
                    runs.append((entry.stat(follow_symlinks=False).st_mtime, entry.path))
    except OSError:
        return
    for _, path in sorted(runs, reverse=True)[keep + 1:]:
        shutil.rmtree(path, ignore_errors=True)
