"""The Dask engine: extraction and comparison spread over a Dask cluster (a local one by default).

Same interface as `local` (map_documents), plus `align`, which api.evaluate_engine uses instead of
checker.align.align:

- extraction maps batches of paths to claim records (records.dumps, the one record format) on the
  workers, with retries, so a worker that dies costs a retry, not the run;
- comparison puts one row per (claim, blocking key) in a Dask DataFrame and shuffles it by key, so
  every block lands whole in one partition; each partition scores its candidate pairs with align's
  own veto and score functions; the driver then makes align's one-to-one choice and the groups.

The Report is built by the same code as the local run, so it is byte-identical.
"""
from __future__ import annotations

import atexit
import logging
import math
from collections import defaultdict
from typing import Iterator, Optional

from checker.align import (AlignOptions, ClaimGroup, _display_word, _keys, _same_event, _short, _sole_amounts,
                           _veto, compute_idf, related_documents, score, unit_block)
from checker.executors import ExtractSettings, Result, default_jobs, process_document

RETRIES = 3
INSTALL = "the Dask engine needs dask and distributed: pip install 'claimcheck[dask]' (from a checkout: pip install '.[dask]')"


class EngineUnavailable(Exception):
    pass


_state: dict = {"scheduler": None, "workers": None, "client": None, "cluster": None}


def available() -> bool:
    try:
        import dask.dataframe  # noqa: F401
        import distributed  # noqa: F401
    except ImportError:
        return False
    return True


def configure(scheduler: Optional[str] = None, workers: Optional[int] = None, client=None) -> None:
    """Where the work goes: a running scheduler's address, a Client, or (default) a local cluster of
    `workers` processes with one thread each, started on first use."""
    if not available():
        raise EngineUnavailable(INSTALL)
    if (scheduler, workers, client) != (_state["scheduler"], _state["workers"], _state["client"]):
        shutdown()
    _state.update(scheduler=scheduler, workers=workers, client=client)


def get_client():
    if not available():
        raise EngineUnavailable(INSTALL)
    if _state["client"] is not None:
        return _state["client"]
    from distributed import Client, LocalCluster

    if _state["scheduler"]:
        client = Client(_state["scheduler"])
    else:
        cluster = LocalCluster(n_workers=_state["workers"] or default_jobs(), threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=logging.ERROR)
        _state["cluster"] = cluster
        client = Client(cluster)
    _state["client"] = client
    _state["own"] = True
    atexit.register(shutdown)
    return client


def shutdown() -> None:
    """Close the client and cluster this module started (never one it was given)."""
    if _state.get("own"):
        for name in ("client", "cluster"):
            thing = _state.get(name)
            if thing is not None:
                try:
                    thing.close()
                except Exception:  # closing at exit: nothing left to tell
                    pass
        _state["own"] = False
    _state["client"] = _state["cluster"] = None


def _workers(client) -> int:
    try:
        return max(1, len(client.scheduler_info()["workers"]))
    except Exception:
        return 1


# ---- extraction ----------------------------------------------------------------------------------


def process_batch(paths: list[str], settings: ExtractSettings) -> list[Result]:
    """One task: a batch of documents (a task per file would cost more to schedule than to run)."""
    out = []
    for path in paths:
        result = process_document(path, settings)
        if result.blob is None and result.record is not None:
            result.load()
        result.settings = None
        out.append(result)
    return out


def map_documents(paths: list[str], settings: ExtractSettings, jobs: int) -> Iterator[Result]:
    if not paths:
        return iter(())
    client = get_client()
    workers = _workers(client)
    size = max(1, min(64, math.ceil(len(paths) / (workers * 4))))
    batches = [paths[i:i + size] for i in range(0, len(paths), size)]
    futures = client.map(process_batch, batches, settings=settings, retries=RETRIES, pure=False,
                         key=[f"extract-{i}-{id(batches)}" for i in range(len(batches))])
    return _in_order(client, futures)


def _in_order(client, futures) -> Iterator[Result]:
    for future in futures:
        yield from future.result()
        future.release()


# ---- comparison ----------------------------------------------------------------------------------


def block_rows(claims, options: AlignOptions = AlignOptions()) -> tuple[list[str], list[int]]:
    """One row per (claim, blocking key): the key is the unit block and the context key, as align's."""
    keys, ids = [], []
    for i, c in enumerate(claims):
        ub = unit_block(c)
        if ub is None or c.suppressed:
            continue
        for k in _keys(c, options.block_keys):  # duplicates kept: align counts them toward max_block
            keys.append(ub + "\x1f" + k)
            ids.append(i)
    return keys, ids


def partition_edges(keys, ids, payload) -> list[tuple]:
    """Candidate edges of the blocks in one partition: align's pairs, veto, score and thresholds."""
    claims, idf, entities, focus, options = payload
    related = related_documents(entities or [])
    members: dict[str, list[int]] = defaultdict(list)
    for k, i in zip(keys, ids):
        members[k].append(i)
    candidates = set()
    for k, block in members.items():
        block.sort()
        if len(block) < 2 or len(block) > options.max_block:
            continue  # too common to block on, as in align
        if focus is not None:
            for i in (i for i in block if claims[i].doc in focus):
                for j in block:
                    if j != i:
                        candidates.add((i, j) if i < j else (j, i))
            continue
        for x in range(len(block)):
            for y in range(x + 1, len(block)):
                if block[x] != block[y]:
                    candidates.add((block[x], block[y]))
    edges = []
    for i, j in candidates:
        a, b = claims[i], claims[j]
        if not related(a.doc, b.doc) or _veto(a, b):
            continue
        s, why = score(a, b, idf)
        threshold = options.cross_threshold
        if a.doc == b.doc:
            threshold = options.cross_threshold if _same_event(a, b) else options.within_threshold
        if s >= threshold:
            edges.append((s, i, j, why))
    return edges


def _partition_task(frame, payload) -> list[tuple]:
    return partition_edges(frame["key"].tolist(), frame["claim"].tolist(), payload)


def align(claims, options: AlignOptions = AlignOptions(), doc_entities=None, focus=None) -> list[ClaimGroup]:
    """checker.align.align, with the candidate edges found by a Dask shuffle on the blocking key."""
    import dask
    import dask.dataframe as dd
    import pandas as pd

    client = get_client()
    idf = compute_idf(claims)
    keys, ids = block_rows(claims, options)
    edges: dict[tuple[int, int], tuple] = {}
    if keys:
        workers = _workers(client)
        parts = max(1, min(4 * workers, len(keys) // 2000 + 1))
        frame = dd.from_pandas(pd.DataFrame({"key": keys, "claim": ids}), npartitions=parts, sort=False)
        shuffled = frame.shuffle("key", npartitions=parts)
        payload = client.scatter((claims, idf, doc_entities, focus, options), broadcast=True)
        tasks = [dask.delayed(_partition_task)(part, payload) for part in shuffled.to_delayed()]
        futures = client.compute(tasks, retries=RETRIES)
        for part in client.gather(futures):
            for e in part:
                edges[(e[1], e[2])] = e  # a pair sharing several keys is scored in several partitions
    return groups_from_edges(claims, list(edges.values()), doc_entities)


def groups_from_edges(claims, edges: list[tuple], doc_entities=None) -> list[ClaimGroup]:
    """align's second half, on the driver: sole amounts, best partner per other document, components.
    (The same code as the end of checker.align.align.)"""
    related = related_documents(doc_entities or [])
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(claims):
        ub = unit_block(c)
        if ub is None or c.suppressed:
            continue
        blocks[ub].append(i)
    edges = list(edges)
    edges.extend(_sole_amounts(claims, blocks, related, {(i, j) for _, i, j, _ in edges}))
    edges.sort(key=lambda e: (-e[0], e[1], e[2]))
    taken: set[tuple[int, int]] = set()
    parent = list(range(len(claims)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    accepted: list[tuple[int, str, list[str]]] = []
    for s, i, j, why in edges:
        a, b = claims[i], claims[j]
        if a.doc != b.doc:
            if (i, b.doc) in taken or (j, a.doc) in taken:
                continue
            taken.add((i, b.doc))
            taken.add((j, a.doc))
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)
        words = [_display_word(w, a, b) for w in why]
        first, second = sorted((_short(a), _short(b)))
        accepted.append((i, f"{first} ~ {second}: both about {', '.join(words)} (score {s:.2f})", words))

    comps: dict[int, list[int]] = defaultdict(list)
    for i in range(len(claims)):
        comps[find(i)].append(i)
    reasons: dict[int, list[str]] = defaultdict(list)
    shared: dict[int, list[str]] = defaultdict(list)
    for i, text, words in accepted:
        root = find(i)
        reasons[root].append(text)
        shared[root].extend(w for w in words if w not in shared[root])
    groups = [ClaimGroup(kind=claims[ids[0]].kind, claims=ids, reasons=reasons[root], shared=shared[root])
              for root, ids in comps.items() if len(ids) > 1]
    groups.sort(key=lambda g: g.claims[0])
    return groups
