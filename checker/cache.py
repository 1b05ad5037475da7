"""The extraction cache: one claim record per document, under .claimcheck_cache/.

An entry's name is a hash of everything its content depends on: the file's bytes, its format (the
suffix), the settings that change what extraction finds, the claimcheck version and a fingerprint of
the package's own code (so that editing an extractor never serves stale claims), and the record
format. Entries are written to a temporary file beside their final name and renamed into place, so
concurrent runs never see half an entry; a damaged or foreign entry is a miss. Nothing is written
outside the cache folder.
"""
from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Optional

from checker import __version__
from checker.atomic import write_atomic
from checker.records import FORMAT_VERSION, MAGIC

_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
        "# This file is a cache directory tag created by claimcheck.\n"
        "# For information about cache directory tags, see https://bford.info/cachedir/\n")


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
    """One Cache per folder and process (it remembers which sub-folders it has made)."""
    return Cache(directory)


class Cache:
    def __init__(self, directory: str):
        self.root = Path(directory)
        self.entries = self.root / f"records-v{FORMAT_VERSION}"
        self._made: set[str] = set()

    def _path(self, key: str) -> Path:
        return self.entries / key[:2] / key[2:]

    def get(self, key: str) -> Optional[bytes]:
        """The entry's bytes, or None. Decoding them (records.loads) is the caller's: a damaged entry is a miss."""
        try:
            blob = self._path(key).read_bytes()
        except OSError:
            return None
        return blob if blob.startswith(MAGIC) else None

    def put(self, key: str, blob: bytes) -> None:
        """Best effort: a cache that cannot be written (read-only folder, full disk) is no cache."""
        target = self._path(key)
        folder = str(target.parent)
        try:
            if folder not in self._made:
                self._prepare(target.parent)
                self._made.add(folder)
            write_atomic(str(target), blob, prefix=".tmp-")
        except OSError:
            pass

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
