"""The local engine: a pool of worker processes on this machine (or this process, for small inputs)."""
from __future__ import annotations

import contextlib
import multiprocessing
import sys
import threading
import types
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
    with _main_not_imported():
        pool = ctx.Pool(jobs)
    with pool:
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


def map_compare(claims, blocks: dict[str, list[int]], order: list[str], stats: tuple, jobs: int,
                record: bool = False) -> Iterator[tuple]:
    """align's edges() of each unit block in `order` (largest first), on a pool of `jobs` processes
    that each receive the run's statistics once (stats: idf, doc_entities, focus, options, sizes) and
    then one block's claims per task: (edges, notes) per block, in the order they finish; with
    `record`, (edges, notes, what an incremental.Recorder kept of the block).

    The workers start from a fresh interpreter (forkserver, or spawn), not as forks of this process:
    a fork counts the whole run in its own memory and copies each page it touches; these hold the
    block at hand. The tasks are made as the workers take them, so this process holds one or two
    encoded blocks at a time."""
    from checker.executors import compare

    if jobs <= 1 or len(order) <= 1:
        from checker.align import edges

        idf, doc_entities, focus, options, sizes = stats
        for ub in order:
            notes: list[str] = []
            kept = None
            if record:
                from checker.incremental import Recorder

                kept = Recorder()
            found = edges(claims, {ub: blocks[ub]}, options, doc_entities, focus, idf, notes, sizes, kept)
            yield (found, notes) if kept is None else (found, notes, kept.packs)
        return
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if ctx.get_start_method() == "forkserver":
        ctx.set_forkserver_preload(["checker.align", "checker.executors.compare"])
    if hasattr(claims, "block_task"):  # a ClaimTable: the workers read their block from its spool
        tasks = (claims.block_task(ub) + ((True,) if record else ()) for ub in order)
    else:
        tasks = ((ub, blocks[ub], compare.block_rows(claims, blocks[ub])) + ((True,) if record else ())
                 for ub in order)
    with _main_not_imported():
        pool = ctx.Pool(min(jobs, len(order)), initializer=_receive, initargs=(compare.statistics(*stats),))
    with pool:
        yield from pool.imap_unordered(_compare_task, tasks, chunksize=1)


@contextlib.contextmanager
def _main_not_imported():
    """Start workers without importing the caller's main module in them (what spawn and forkserver
    do, to find functions defined there): the tasks are checker's own functions, and a script that
    calls checker without an `if __name__ == "__main__"` guard would run again in every worker."""
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


_PAYLOAD: list = []  # in a comparison worker: the run's statistics, as received


def _receive(payload) -> None:
    _PAYLOAD[:] = [payload]


def _compare_task(task):
    from checker.executors.compare import compare_block

    return compare_block(task, _PAYLOAD[0])
