"""The Dask engine: extraction and comparison spread over a Dask cluster (a local one by default).

Same interface as `local` (map_documents), plus `align`, which api.evaluate_engine uses instead of
checker.align.align:

- extraction maps batches of paths to claim records (records.dumps, the one record format) on the
  workers, with retries, so a worker that dies costs a retry, not the run;
- comparison puts one row per claim (its record) in a Dask DataFrame and shuffles it by the claim's
  unit block (align's first blocking key: kind and unit), so every block lands whole in one partition
  and a worker holds only the claims of its blocks; each
  partition scores its blocks' candidate pairs with checker.align.edges and the whole run's
  statistics (edges never join two unit blocks), and checker.align.link chooses among all the
  gathered edges on the client, as the local engine does.

The Report is built by the same code as the local run, so it is byte-identical.
"""
from __future__ import annotations

import atexit
import logging
import math
import marshal
import os
from typing import Iterator, Optional

from checker import records
from checker.align import AlignOptions, ClaimGroup, compute_idf, unit_block
from checker.executors import ExtractSettings, Result, compare, default_jobs, process_document

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
                               dashboard_address=":0", silence_logs=logging.ERROR)
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
        out.append(process_document(path, settings))
    return out


def map_documents(paths: list[str], settings: ExtractSettings, jobs: int, ahead: bool = False) -> Iterator[Result]:
    """(ahead: tasks are submitted when the iterator is made, so they start early anyway.)"""
    if not paths:
        return iter(())
    client = get_client()
    workers = _workers(client)
    size = max(1, min(64, math.ceil(len(paths) / (workers * 4))))
    # workers run in their own folder (or machine, over a shared file system): send absolute paths
    absolute = [os.path.abspath(p) for p in paths]
    batches = [absolute[i:i + size] for i in range(0, len(paths), size)]
    futures = client.map(process_batch, batches, settings=settings, retries=RETRIES, pure=False,
                         key=[f"extract-{i}-{id(batches)}" for i in range(len(batches))])
    return _in_order(futures, iter(paths))


def _in_order(futures, names) -> Iterator[Result]:
    for future in futures:
        for result in future.result():
            result.path = next(names)  # as the user named it
            yield result
        future.release()


# ---- comparison ----------------------------------------------------------------------------------


def align_partition(ids: list[int], rows: list[bytes], payload) -> tuple[list, list[str]]:
    """checker.align.edges over whole unit blocks: `ids` are global claim indices (every claim of each
    of the partition's unit blocks) and `rows` their records (records.claim_tuples, marshalled one by
    one: they travel with the shuffle, so a worker holds only its own blocks' claims); the payload
    carries the run's word weights and distinctive proper nouns. Edges never join two unit blocks, so
    the partitions' edges (and notes) together are the run's."""
    import checker.align as align_module

    idf, doc_entities, focus, options, _ = compare.decoded(payload)
    claims = dict(zip(ids, records.claims_from_tuples(marshal.loads(r) for r in rows)))
    blocks: dict[str, list[int]] = {}
    for i in sorted(ids):
        blocks.setdefault(unit_block(claims[i]), []).append(i)
    notes: list[str] = []
    found = align_module.edges(claims, blocks, options, doc_entities, focus, idf, notes)
    return found, notes


def _partition_task(frame, payload) -> tuple[list, list[str]]:
    return align_partition(frame["claim"].tolist(), frame["row"].tolist(), payload)


def align(claims, options: AlignOptions = AlignOptions(), doc_entities=None, focus=None,
          notes: list[str] | None = None) -> list[ClaimGroup]:
    """checker.align.align on the cluster: one row per claim (its record), shuffled by its unit block
    (align's first blocking key) so that each block lands whole in one partition; each partition scores
    its blocks' candidate pairs with align's own edges(), with the whole run's statistics; the edges
    are gathered and linked into groups by align's own link(), as the local engine does."""
    import dask
    import dask.dataframe as dd
    import pandas as pd

    import checker.align as align_module

    client = get_client()
    idf = compute_idf(claims)
    entities = align_module.distinctive(doc_entities or [])
    blocks, ids, rows = [], [], []
    for i, c in enumerate(claims):
        ub = unit_block(c)
        if ub is None or c.suppressed:
            continue
        blocks.append(ub)
        ids.append(i)
        rows.append(marshal.dumps(records.claim_tuples([c])[0], 4))
    found: list = []
    if ids:
        parts = max(1, min(2 * _workers(client), len(set(blocks))))
        with dask.config.set({"dataframe.convert-string": False}):  # the records are bytes, not text
            frame = dd.from_pandas(pd.DataFrame({"block": blocks, "claim": ids, "row": rows}), npartitions=parts,
                                   sort=False)
            del rows
            shuffled = frame.shuffle("block", npartitions=parts)
        payload = client.scatter(compare.statistics(idf, entities, focus, options), broadcast=True, hash=False)
        tasks = [dask.delayed(_partition_task)(part, payload) for part in shuffled.to_delayed()]
        for part, part_notes in client.gather(client.compute(tasks, retries=RETRIES)):
            found.extend(part)
            if notes is not None:
                notes.extend(part_notes)
    return align_module.link(claims, found, entities)
