"""The local engine: a pool of worker processes on this machine (or this process, for small inputs)."""
from __future__ import annotations

import contextlib
import multiprocessing
import marshal
import os
import sys
import threading
import types
from functools import partial
from typing import Iterator

from checker.executors import ExtractSettings, Result, process_document

# below this many files a pool costs more to start than it saves
MIN_POOL_FILES = 16


def map_documents(paths: list[str], settings: ExtractSettings, jobs: int, ahead: bool = False) -> Iterator[Result]:
    """`ahead`: the caller has other work to do before it asks for the first result (a re-run that
    takes most documents from its snapshot): with a few files and more than one job, they are
    extracted at once in a forked process (_Ahead) while the caller goes on."""
    if ahead and jobs > 1 and 0 < len(paths) < MIN_POOL_FILES and _start_method() == "fork":
        return _Ahead(paths, settings)
    return _mapped(paths, settings, jobs)


def _mapped(paths: list[str], settings: ExtractSettings, jobs: int) -> Iterator[Result]:
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


class _Ahead:
    """process_document over a few paths in a child forked now, results read back in order through a
    pipe (marshal frames of the Result's plain fields). The child's first extraction pays for
    compiling the extraction patterns (a tenth of a second) while this process reads its snapshot.
    Whatever the child did not send back (it died, or its record is not plain values) is extracted
    here, so the results are the same either way."""

    def __init__(self, paths: list[str], settings: ExtractSettings):
        self.paths, self.settings, self.done = paths, settings, 0
        read, write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child: never returns
            os.close(read)
            status = 1
            try:
                with os.fdopen(write, "wb") as out:
                    for path in paths:
                        r = process_document(path, settings)
                        # plain values (marshal): a record marshal cannot write is extracted again there
                        sent = None if r.blob is None else (r.path, r.blob, r.cached, r.seconds, r.size, r.cpu, r.stat)
                        out.write(_framed(marshal.dumps(sent, 4)))
                status = 0
            finally:
                os._exit(status)
        os.close(write)
        self.pipe = os.fdopen(read, "rb")

    def __iter__(self):
        return self

    def __next__(self) -> Result:
        if self.done >= len(self.paths):
            self._end()
            raise StopIteration
        path = self.paths[self.done]
        result = None
        if self.pipe is not None:
            sent = _unframed(self.pipe)
            if sent is None:  # the child died, or sent something unreadable: the rest is done here
                self._end()
            elif sent[0] is not None and sent[0][0] == path:
                _, blob, cached, seconds, size, cpu, sig = sent[0]
                result = Result(path, blob, cached=cached, seconds=seconds, size=size, cpu=cpu,
                                settings=self.settings if cached else None, stat=sig)
        if result is None:
            result = process_document(path, self.settings)
        self.done += 1
        return result

    def _end(self) -> None:
        if self.pipe is not None:
            self.pipe.close()
            self.pipe = None
            try:
                os.waitpid(self.pid, 0)
            except ChildProcessError:
                pass

    def __del__(self):
        self._end()


def _framed(body: bytes) -> bytes:
    return len(body).to_bytes(8, "little") + body


def _unframed(pipe):
    """(the value) of the next frame, or None when the pipe ends early or the frame does not decode."""
    try:
        head = pipe.read(8)
        size = int.from_bytes(head, "little")
        body = pipe.read(size) if len(head) == 8 else b""
        if len(body) != size or len(head) != 8:
            return None
        value = marshal.loads(body)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    ok = value is None or (type(value) is tuple and len(value) == 7 and type(value[1]) is bytes)
    return (value,) if ok else None


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
