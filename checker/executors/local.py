"""The local engine: a pool of worker processes on this machine (or this process, for small inputs)."""
from __future__ import annotations

import multiprocessing
import threading
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
    ctx = multiprocessing.get_context(_start_method())
    if ctx.get_start_method() == "forkserver":
        ctx.set_forkserver_preload(["checker.executors", "checker.extract", "checker.ingest"])
    chunk = max(1, min(32, len(paths) // (jobs * 8)))
    with ctx.Pool(jobs) as pool:
        yield from pool.imap(partial(process_document, settings=settings), paths, chunksize=chunk)


def _start_method() -> str:
    """fork when this process runs a single thread: workers start at once, with the package already
    imported, and the caller's main module is not run again (a script without a __main__ guard works).
    Forking a process that runs other threads can deadlock, so then forkserver (or spawn)."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


# ---- comparison ----------------------------------------------------------------------------------

_SHARED: dict = {}  # what forked workers inherit: the function and the run's data, never sent to them


def map_forked(fn, shared, tasks: list, jobs: int) -> list:
    """[fn(shared, task) for task in tasks], on up to `jobs` forked processes when this process may
    fork (see _start_method): the workers inherit `shared` (a run's claims, say) instead of receiving
    it, and only each task and its result travel. Otherwise, or for one task, in this process."""
    jobs = min(jobs, len(tasks))
    if jobs <= 1 or _start_method() != "fork":
        return [fn(shared, task) for task in tasks]
    _SHARED.update(fn=fn, shared=shared)
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            return pool.map(_forked_task, tasks, chunksize=1)
    finally:
        _SHARED.clear()


def _forked_task(task):
    return _SHARED["fn"](_SHARED["shared"], task)
