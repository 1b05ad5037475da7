"""Benchmark the archive workflow: claims store and engines, on a generated corpus (bench/generate.py).

    python bench/archive.py --docs 2000 [--small 200] [--jobs 2] [--no-dask] [--json OUT]
    python bench/archive.py --docs 200000 --small 20000 --store-only --keep /tmp/archive-200k

Measures, each in a fresh process (as a user runs it), wall clock:
  index (cold)            documents/s, MB/s, claim records, store bytes per MB of text, peak memory
  re-index (10 changed)   time, as a share of the cold index
  draft vs store          one document checked against the store (--against-store), cold process
  full check from store   at --small and --docs documents: growth factor (--repeat N: the two sizes
                          alternate N times and the medians give it; every time is printed)
  check, local / Dask     local --jobs N vs --engine dask with 1 and N workers (extraction + comparison)
Peak memory is the largest resident set of any one process (the bench's children and, for Dask, the
workers as they report it). Targets (issue 10): draft < 2 s cold; full 10x docs grows <= 12x;
Dask N workers <= 1.5x local --jobs N; re-index after 10 changes < 5% of cold.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from statistics import median
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from procpeak import Peaks  # noqa: E402

HERE = Path(__file__).resolve().parent


PEAKS: list = []  # the Peaks of each _run, in order


def _run(args: list[str], cwd: Path) -> tuple[float, int, str]:
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "checker", *args], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    peaks = Peaks(proc.pid)
    stdout, stderr = proc.communicate()
    PEAKS.append(peaks.stop())
    seconds = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)}: exit {proc.returncode}: {stderr[-2000:]}")
    return seconds, proc.returncode, stdout


def _peak_children_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _generate(out: Path, docs: int) -> None:
    subprocess.run([sys.executable, str(HERE / "generate.py"), str(out), "--docs", str(docs)], check=True,
                   capture_output=True)


def _drafts(files: list[Path], work: Path, count: int = 5, words: int = 1000) -> list[str]:
    """Drafts of about `words` words: the reports of one story (files story<N>-a, -b, ...) run together,
    from stories spread over the archive. Written under `work`, so each is a new document."""
    stories: dict[str, list[Path]] = {}
    for p in files:
        if p.suffix in (".md", ".txt"):  # plain text runs together; HTML would need its markup taken off
            stories.setdefault(p.stem.rsplit("-", 1)[0], []).append(p)
    names = sorted(stories)
    out = []
    for k in range(count):
        parts, total = [], 0
        for p in stories[names[(k * 2 + 1) * len(names) // (count * 2)]] * 4:
            if total >= words:
                break
            text = p.read_text(encoding="utf-8")
            parts.append(text)
            total += len(text.split())
        name = f"draft-{k}.md"
        (work / name).write_text("\n\n".join(parts), encoding="utf-8")
        out.append(name)
    return out


def _text_mb(root: Path) -> float:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and p.suffix in (".txt", ".md", ".html")) / 1e6


def _store_stats(store: Path) -> dict:
    import pyarrow.parquet as pq

    claims = sum(pq.ParquetFile(p).metadata.num_rows for p in store.glob("*.claims.parquet"))
    size = sum(p.stat().st_size for p in store.iterdir() if p.is_file())
    return {"claim_records": claims, "store_bytes": size}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--small", type=int, default=0, help="smaller archive for the growth factor (default docs/10)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=1,
                    help="full checks from the store at each size, alternating (the growth is of the medians)")
    ap.add_argument("--no-dask", action="store_true")
    ap.add_argument("--store-only", action="store_true",
                    help="only the store's figures: skip the plain check and the Dask runs (for the largest sizes)")
    ap.add_argument("--json", metavar="OUT")
    ap.add_argument("--keep", metavar="DIR", help="work in DIR (kept), not a temporary folder")
    args = ap.parse_args(argv)
    small = args.small or max(10, args.docs // 10)
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="claimcheck-archive-"))
    work.mkdir(parents=True, exist_ok=True)
    results: dict = {"docs": args.docs, "small": small, "jobs": args.jobs}
    try:
        big, little = work / "corpus", work / "corpus-small"
        if not big.exists():
            _generate(big, args.docs)
        if not little.exists():
            _generate(little, small)
        mb = _text_mb(big)
        results["text_mb"] = round(mb, 2)
        j = ["--jobs", str(args.jobs)]

        # index, cold (no extraction cache), then re-index after changing 10 documents
        shutil.rmtree(work / "store", ignore_errors=True)
        seconds, _, _ = _run(["index", "corpus", "--store", "store", "--no-cache", *j], work)
        stats = _store_stats(work / "store")
        results["index_cold"] = {"seconds": round(seconds, 2), "docs_per_s": round(args.docs / seconds, 1),
                                 "mb_per_s": round(mb / seconds, 2), **stats,
                                 "claim_records_per_mb": round(stats["claim_records"] / mb, 1),
                                 "store_bytes_per_mb": round(stats["store_bytes"] / mb),
                                 "peak_mb_per_process": round(_peak_children_mb())}
        files = sorted(p for p in big.rglob("*") if p.suffix in (".txt", ".md", ".html"))
        for p in files[:: max(1, len(files) // 10)][:10]:
            p.write_text(p.read_text(encoding="utf-8") + "\nOfficials said 12 people attended.\n", encoding="utf-8")
        re_seconds, _, _ = _run(["index", "corpus", "--store", "store", "--no-cache", *j], work)
        results["reindex_10_changed"] = {"seconds": round(re_seconds, 2),
                                         "share_of_cold": round(re_seconds / seconds, 3)}

        # 1,000-word drafts (reports of one story run together) against the store, each in a cold process
        timings, found = [], []
        for k, draft in enumerate(_drafts(files, work)):
            d_seconds, _, out = _run(["check", draft, "--against-store", "store", "--format", "json"], work)
            timings.append(d_seconds)
            found.append(len(json.loads(out)["findings"]))
        timings.sort()
        results["draft_vs_store_cold_s"] = {"drafts": len(timings), "median": round(timings[len(timings) // 2], 2),
                                            "max": round(timings[-1], 2), "findings": found}

        # full comparison from the store at two sizes
        shutil.rmtree(work / "store-small", ignore_errors=True)
        _run(["index", "corpus-small", "--store", "store-small", "--no-cache", *j], work)
        smalls, bigs, peaks_small, peaks_big = [], [], [], []
        for _ in range(max(1, args.repeat)):  # alternating: a drift of the machine's speed hits both sizes
            seconds_small, _, out_small = _run(["check", "--store", "store-small", "--format", "json"], work)
            peaks_small.append(PEAKS[-1])
            seconds_big, _, out_big = _run(["check", "--store", "store", "--format", "json"], work)
            peaks_big.append(PEAKS[-1])
            smalls.append(seconds_small)
            bigs.append(seconds_big)
        s_small, s_big = median(smalls), median(bigs)
        p_small, p_big = (SimpleNamespace(main_mb=max(p.main_mb for p in ps), worker_mb=max(p.worker_mb for p in ps))
                          for ps in (peaks_small, peaks_big))
        results["full_from_store"] = {f"{small}_docs_s": round(s_small, 2), f"{args.docs}_docs_s": round(s_big, 2),
                                      "growth": round(s_big / s_small, 2), "size_factor": round(args.docs / small, 1),
                                      "runs_s": {str(small): [round(x, 2) for x in smalls],
                                                 str(args.docs): [round(x, 2) for x in bigs]},
                                      f"{small}_docs_peak_mb": {"main": round(p_small.main_mb),
                                                                "largest_worker": round(p_small.worker_mb)},
                                      f"{args.docs}_docs_peak_mb": {"main": round(p_big.main_mb),
                                                                    "largest_worker": round(p_big.worker_mb)}}
        if args.store_only:
            return _finish(results, args)
        plain_s, _, plain_out = _run(["check", "corpus", "--format", "json", "--no-cache", *j], work)
        results["store_equals_plain"] = plain_out == out_big
        results["check_local"] = {"seconds": round(plain_s, 2), "docs_per_s": round(args.docs / plain_s, 1),
                                  "mb_per_s": round(mb / plain_s, 2), "peak_mb_per_process": round(_peak_children_mb())}

        if not args.no_dask:
            for workers in sorted({1, args.jobs}):
                seconds, _, out = _run(["check", "corpus", "--format", "json", "--no-cache", "--engine", "dask",
                                        "--jobs", str(workers)], work)
                results[f"check_dask_{workers}"] = {"seconds": round(seconds, 2),
                                                    "docs_per_s": round(args.docs / seconds, 1),
                                                    "vs_local": round(seconds / plain_s, 2),
                                                    "equals_local": out == plain_out}
            results["dask_peak_mb_per_worker"] = _dask_worker_peak(work, args.jobs)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return _finish(results, args)


def _finish(results: dict, args) -> int:
    text = json.dumps(results, indent=2)
    print(text)
    if args.json:
        Path(args.json).write_text(text + "\n", encoding="utf-8")
    return 0


def _dask_worker_peak(work: Path, workers: int) -> float:
    """Index the corpus on a local cluster in this process and ask each worker its peak RSS."""
    import logging

    from distributed import Client, LocalCluster

    sys.path.insert(0, str(HERE.parent))
    from checker import store
    from checker.config import Config
    from checker.executors import dask as dask_engine

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                      silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        dask_engine.configure(client=client)
        cwd = os.getcwd()
        os.chdir(work)
        try:
            shutil.rmtree("store-dask", ignore_errors=True)
            store.index(["corpus"], "store-dask", Config(cache=False, jobs=workers), engine="dask")
        finally:
            os.chdir(cwd)
        peaks = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        dask_engine.shutdown()
    return round(max(peaks.values()))


if __name__ == "__main__":
    sys.exit(main())
