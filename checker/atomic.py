"""Every file claimcheck writes (reports, baselines, cache entries, store manifests) is written to a
temporary file in the same folder and renamed over the target: readers see the old file or the new
one, never half of one, and a failed write leaves the old file as it was."""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable


def write_atomic(path: str, data: str | bytes | Iterable[str], prefix: str = ".claimcheck-") -> None:
    """Write `data` (bytes, text, or text in pieces) to `path`."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=folder)
    try:
        if isinstance(data, bytes):
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
        else:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                for chunk in (data,) if isinstance(data, str) else data:
                    fh.write(chunk)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
