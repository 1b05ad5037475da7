"""The local engine: a pool of worker processes on this machine (or this process, for small inputs)."""
from __future__ import annotations

import multiprocessing
from functools import partial
from typing import Iterator

from checker.executors import ExtractSettings, Result, process_document

# below this many files a pool costs more to start than it saves
MIN_POOL_FILES = 16


def map_documents(paths: list[str], settings: ExtractSettings, jobs: int) -> Iterator[Result]:
    jobs = min(jobs, len(paths))
    if jobs <= 1 or len(paths) < MIN_POOL_FILES:
        for path in paths:
            yield process_document(path, settings)
        return
    # forkserver: workers do not inherit the caller's threads or memory; spawn where there is no fork
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    ctx = multiprocessing.get_context(method)
    if method == "forkserver":
        ctx.set_forkserver_preload(["checker.executors", "checker.extract", "checker.ingest"])
    chunk = max(1, min(32, len(paths) // (jobs * 8)))
    with ctx.Pool(jobs) as pool:
        yield from pool.imap(partial(process_document, settings=settings), paths, chunksize=chunk)
