"""The comparison as tasks that carry their own data: what a worker process needs to run align's
edges() over one unit block, and nothing of the rest of the run.

    statistics(idf, doc_entities, focus, options, sizes) -> (token, bytes)   once per run, to every worker
    block_rows(claims, ids) -> bytes                                          one unit block's claims
    compare_block((unit block, ids, rows), statistics) -> (edges, notes)      in the worker

A worker forked from a process that holds a whole run counts that run in its own memory and copies
every page it touches; a worker that receives its block holds that block only (the local engine's
comparison pool, like the Dask engine's partitions).
"""
from __future__ import annotations

import hashlib
import marshal
from dataclasses import astuple

from checker.bulk import gc_paused
from checker.claimtable import claims_of, read_chunks
from checker.models import Claim
from checker.records import VALUE_FIELDS


def statistics(idf: dict, doc_entities: list, focus, options, sizes=None) -> tuple[str, bytes]:
    """What every task of a run shares (the whole run's word weights, distinctive proper nouns, the
    focus, the options, the block sizes of a store), marshalled once; with a token that names it."""
    data = marshal.dumps((idf, [tuple(e) for e in doc_entities], None if focus is None else sorted(focus),
                          astuple(options), None if sizes is None else dict(sizes)), 4)
    return hashlib.sha256(data).hexdigest(), data


_DECODED: dict[str, tuple] = {}  # per worker process: the statistics of the current run, decoded once


def decoded(payload: tuple[str, bytes]) -> tuple:
    """(idf, doc_entities, focus, options, sizes) of a payload made by statistics()."""
    from checker.align import AlignOptions

    token, data = payload
    if token not in _DECODED:
        _DECODED.clear()  # one run at a time: keep the memory of the last payload only
        idf, entities, focus, options, sizes = marshal.loads(data)
        _DECODED[token] = (idf, [list(e) for e in entities], None if focus is None else set(focus),
                           AlignOptions(*options), sizes)
    return _DECODED[token]


def block_rows(claims, ids: list[int]) -> bytes:
    """The claims `ids` as one marshalled list: equal values and contexts (one object each in a run)
    are written once."""
    values: dict[int, tuple] = {}
    rows = []
    for i in ids:
        c = claims[i]
        v = c.value
        vt = values.get(id(v))
        if vt is None:
            vt = values[id(v)] = tuple(getattr(v, f) for f in VALUE_FIELDS)
        rows.append((i, c.kind, c.start, c.end, c.text, vt, c.doc, c.sentence, c.context, c.suppressed))
    return marshal.dumps(rows, 4)


def claims_of_rows(blob: bytes) -> dict[int, Claim]:
    """block_rows() read back: {claim index: claim}, contexts unpacked (one dict per packed context)."""
    return claims_of(marshal.loads(blob), True)


def compare_block(task: tuple, payload: tuple[str, bytes]) -> tuple:
    """align's edges() over one unit block: task = (unit block, its claim indices, block_rows()), or
    (unit block, None, (spool, places)) for a ClaimTable's block -> (edges, notes). A fourth element
    True in the task: (edges, notes, what an incremental.Recorder kept of the block)."""
    unit, ids, blob = task[:3]
    record = None
    if len(task) > 3 and task[3]:
        from checker.incremental import Recorder

        record = Recorder()
    with gc_paused():  # as align runs in the main process: millions of small objects, no cycles
        return _compare(unit, ids, blob, decoded(payload), record)


def _compare(unit, ids, blob, statistics: tuple, record) -> tuple:
    from checker.align import edges

    idf, doc_entities, focus, options, sizes = statistics
    if type(blob) is tuple:  # (spool, places): the chunks of a claim table (ClaimTable.block_task)
        claims: dict[int, Claim] = {}
        contexts: dict[bytes, dict] = {}  # equal contexts of the whole block: one dict
        for rows in read_chunks(*blob):
            claims.update(claims_of(rows, True, contexts))
        del contexts
        ids = sorted(claims)
    else:
        claims = claims_of_rows(blob)
    notes: list[str] = []
    found = edges(claims, {unit: ids}, options, doc_entities, focus, idf, notes, sizes, record)
    return (found, notes) if record is None else (found, notes, record.packs)
