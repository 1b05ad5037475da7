"""End-to-end benchmark: generated news corpora of 1k, 10k and 100k documents through claimcheck.

    python bench/perf.py                         # sizes 1000,10000,100000
    python bench/perf.py --sizes 1000,10000      # a quicker run
    python bench/perf.py --sizes 1000 --jobs 2 --workdir /tmp/cc-bench

Corpora come from bench/generate.py (seeded, reused when already generated under --workdir). Each
measurement runs in a fresh process so that its peak memory is its own, under an address-space limit
(--memory-limit-gb) and a time limit (--timeout); a run that hits one still reports its extraction.
Prints, per size: MB/s, documents/s, claims, findings, time per stage, peak RSS, the --jobs N
speed-up (with --jobs 1 up to --single-max documents), and for sizes up to 10k a re-run after one
file changed with the extraction cache warm; then yardsticks measured in the same run (reading, a
comparable claim regex, a prefilter regex, dateparser search_dates, pure-Python work on N processes)
and the targets of issue 6.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from procpeak import Peaks  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


# ---- one measured run (child process) -------------------------------------------------------------

def measure(corpus: str, jobs: int, cache_dir: str | None, emit) -> None:
    """check() on a corpus with the stages timed; runs inside its own process. Emits a partial
    result after extraction, so that a run whose alignment does not finish still reports it."""
    from checker import api, bulk, checks
    from checker.checks import primitives
    from checker.config import Config
    from checker.bulk import gc_paused
    from checker.report import render as render_report

    stage = {"align": 0.0, "rules": 0.0}
    bulk.ONE_SHOT = True  # as `claimcheck check` runs: what a stage made is frozen, not walked by the collector again

    def timed(name, fn):
        def wrapper(*a, **kw):
            t = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                stage[name] += time.perf_counter() - t
        return wrapper

    api.align = timed("align", api.align)
    from checker import incremental
    incremental.align_run = timed("align", incremental.align_run)
    for name in ("conflict", "variant", "calendar"):
        setattr(primitives, name, timed("rules", getattr(primitives, name)))

    config = Config(jobs=jobs, cache=cache_dir is not None, cache_dir=cache_dir or ".claimcheck_cache")
    rules = [r for r in checks.load_rules(config.rule_packs) if config.rule_enabled(r.code)]
    t0 = time.perf_counter()
    run = api.collect([corpus], config)
    t1 = time.perf_counter()
    out = {
        "phase": "collected", "collect": t1 - t0,
        "ingest_sum": run.stats["read"] + run.stats["ingest"], "extract_sum": run.stats["extract"],
        "worker_cpu": run.stats["cpu"], "cached": run.stats["cached"], "extracted": run.stats["extracted"],
        "bytes": run.stats["bytes"], "documents": len(run.docs), "claims": len(run.claims),
        "rss_main_mb": _rss(resource.RUSAGE_SELF), "rss_worker_mb": _rss(resource.RUSAGE_CHILDREN),
    }
    out["rss_collect_mb"] = out["rss_main_mb"]  # what the run holds once every document is extracted
    emit(out)
    try:
        report = api.evaluate(run, rules, config)
        t2 = time.perf_counter()
        with gc_paused():  # as the command line renders
            text = render_report(report, "json", rules=rules)
    except MemoryError:
        out.update(phase="failed", error="MemoryError (over --memory-limit-gb) after "
                                         f"{time.perf_counter() - t1:.0f} s of alignment",
                   rss_main_mb=_rss(resource.RUSAGE_SELF))
        emit(out)
        return
    t3 = time.perf_counter()
    out.update(
        phase="done", wall=t3 - t0, evaluate=t2 - t1, json=t3 - t2, align=stage["align"], rules=stage["rules"],
        report=(t2 - t1 - stage["align"] - stage["rules"]) + (t3 - t2), findings=len(report.findings),
        report_bytes=len(text.encode("utf-8")), planted=_planted_found(corpus, report),
        aligned=run.stats.get("aligned", "whole"),
        rss_main_mb=_rss(resource.RUSAGE_SELF), rss_worker_mb=_rss(resource.RUSAGE_CHILDREN))
    emit(out)


def _rss(who) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # kilobytes on Linux


def _planted_found(corpus: str, report) -> dict:
    """Planted conflicts with a finding of their kind that quotes two of the story's documents, and
    findings whose claims come from more than one (unrelated) story."""
    try:
        manifest = json.loads((Path(corpus) / "planted.json").read_text())
    except OSError:
        return {"planted": 0, "found": 0, "mixed": 0}
    family = {"count": "number", "quantity": "number"}
    seen = set()
    mixed = 0
    for f in report.findings:
        docs_by_story: dict[int, set] = {}
        for c in f.claims:
            m = re.search(r"story(\d+)-(\w)", c.path)
            if m:
                docs_by_story.setdefault(int(m.group(1)), set()).add(m.group(2))
        mixed += len(docs_by_story) > 1
        for story, docs in docs_by_story.items():
            if len(docs) > 1:
                seen.add((story, family.get(f.kind, f.kind)))
    planted = manifest["planted"]
    found = sum((p["story"], family.get(p["kind"], p["kind"])) in seen for p in planted)
    return {"planted": len(planted), "found": found, "mixed": mixed}


def run_child(corpus: str, jobs: int, cache_dir: str | None, timeout: float, memory_gb: float) -> dict:
    """One measured run in a fresh process; on timeout, what it reported after extraction. The disk is
    settled first (os.sync): the writeback of what came before (a corpus just generated, a cache just
    deleted) is not charged to this run's processes."""
    if hasattr(os, "sync"):
        os.sync()
    args = [sys.executable, str(Path(__file__).resolve()), "--child", corpus, "--jobs", str(jobs),
            "--memory-limit-gb", str(memory_gb)]
    if cache_dir:
        args += ["--cache-dir", cache_dir]
    with tempfile.TemporaryFile("w+") as out:
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.PIPE, text=True, start_new_session=True,
                                env={**os.environ, "NO_PROGRESS": "1"})
        peaks = Peaks(proc.pid)
        try:
            _, err = proc.communicate(timeout=timeout)
            timed_out = False
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)  # the child and any pool workers it still has
            _, err = proc.communicate()
            timed_out = True
        sampled = peaks.stop().worker_mb
        out.seek(0)
        lines = [json.loads(line) for line in out.read().splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"measurement failed: {err[-2000:]}")
    result = lines[-1]
    result["rss_worker_mb"] = max(result.get("rss_worker_mb", 0), sampled)
    if timed_out:
        result.update(phase="failed", error=f"did not finish within --timeout {timeout:.0f} s "
                                             f"({timeout - result['collect']:.0f} s after extraction)")
    elif result["phase"] == "collected":
        result.update(phase="failed", error=f"exited with {proc.returncode}: {err.strip().splitlines()[-1:]}")
    return result


# ---- yardsticks -------------------------------------------------------------------------------------

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
# one alternation over the claim kinds, as a first attempt would write it (compare: checker/extract)
COMPARABLE = re.compile(
    rf"(?:{_WEEKDAYS}),?\s+(?:{_MONTHS})\s+\d{{1,2}}(?:,\s+\d{{4}})?"
    rf"|(?:{_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|\d{{1,2}}\s+(?:{_MONTHS})(?:\s+\d{{4}})?"
    rf"|(?:{_MONTHS})\s+\d{{4}}"
    r"|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b"
    r"|\b\d{1,2}(?::\d{2})?\s?(?:a\.m\.|p\.m\.|am|pm)|\b\d{1,2}:\d{2}\b"
    r"|(?:first|second|third|fourth)[\s-]quarter|\bQ[1-4]\b"
    r"|(?:about|around|nearly|more than|less than|at least|up to)?\s*[$€£]\s?\d[\d,.]*(?:\s?(?:million|billion|bn|m))?"
    r"|\b\d[\d,.]*\s?(?:%|percent|per cent|percentage points?)"
    r"|\b\d[\d,.]*\s?(?:km/h|mph|km|kilometres|kilometers|miles|metres|meters|m|kg|tonnes|mm|cm)\b"
    r"|\b\d[\d,.]*[\s-](?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?)\b"
    r"|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d[\d,.]*)\s+(?:million\s+|billion\s+)?[a-z]+"
    rf"|\b(?:yesterday|today|tomorrow|last (?:week|month|year)|next (?:week|month|year)|{_WEEKDAYS})\b"
    r"|\b(?:Mr|Mrs|Ms|Dr)\.?\s+[A-Z][a-z]+|\b[A-Z][a-z]+(?:[\s-][A-Z][a-z]+)+")
PREFILTER = re.compile(rf"\d|\b(?:{_MONTHS}|{_WEEKDAYS}|yesterday|today|tomorrow)\b")


def _burn(n: int) -> int:
    s = 0
    for i in range(n):
        s += i * i
    return s


def parallel_yardstick(jobs: int, tasks: int = 16, n: int = 2_000_000) -> float:
    """Speed-up of pure-Python busy work with `jobs` processes over one: what the machine gives right now."""
    import multiprocessing

    t = time.perf_counter()
    for _ in range(tasks):
        _burn(n)
    one = time.perf_counter() - t
    with multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn").Pool(jobs) as pool:
        t = time.perf_counter()
        pool.map(_burn, [n] * tasks, chunksize=1)
        many = time.perf_counter() - t
    return one / many


def yardsticks(corpus: str, budget_bytes: int = 8_000_000, dateparser_bytes: int = 40_000) -> dict:
    paths = sorted(p for p in Path(corpus).rglob("*") if p.suffix in (".txt", ".md", ".html"))
    best = float("inf")
    for _ in range(2):  # the second pass reads from the page cache, as the measured runs mostly do
        t = time.perf_counter()
        texts, total = [], 0
        for p in paths:
            data = p.read_bytes()
            texts.append(data.decode("utf-8"))
            total += len(data)
            if total >= budget_bytes:
                break
        best = min(best, time.perf_counter() - t)
    out = {"sample_mb": total / 1e6, "read_decode": total / best / 1e6}
    for name, rx in (("comparable_regex", COMPARABLE), ("prefilter_regex", PREFILTER)):
        best = float("inf")
        for _ in range(2):
            t = time.perf_counter()
            for s in texts:
                for _m in rx.finditer(s):
                    pass
            best = min(best, time.perf_counter() - t)
        out[name] = total / best / 1e6
    try:
        import warnings

        from dateparser.search import search_dates

        sample, size = [], 0
        for s in texts:
            plain = re.sub(r"<[^>]+>", " ", s)
            sample.append(plain)
            size += len(plain.encode("utf-8"))
            if size >= dateparser_bytes:
                break
        search_dates("warm up on Monday, March 3, 2025", languages=["en"])
        t = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for s in sample:
                search_dates(s, languages=["en"])
        out["dateparser_search_dates"] = size / (time.perf_counter() - t) / 1e6
    except ImportError:
        out["dateparser_search_dates"] = None
    return out


# ---- orchestration ------------------------------------------------------------------------------------

def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count()
    return (f"{platform.system()} {platform.machine()}, {cores} cores ({model}), Python "
            f"{platform.python_version()}, {_load()}")


def _load() -> str:
    try:
        return "load average %.1f %.1f %.1f" % os.getloadavg()
    except OSError:
        return ""


def ensure_corpus(workdir: Path, size: int, seed: int) -> Path:
    from bench.generate import GENERATOR_VERSION, generate

    path = workdir / f"corpus-{size}-seed{seed}"
    manifest = path / "planted.json"
    if manifest.exists():
        try:
            m = json.loads(manifest.read_text())
            if m.get("documents") == size and m.get("seed") == seed and m.get("generator") == GENERATOR_VERSION:
                return path
        except ValueError:
            pass
    if path.exists():
        shutil.rmtree(path)
    t = time.perf_counter()
    m = generate(path, size, seed)
    print(f"  generated {size:,} documents ({m['bytes'] / 1e6:.1f} MB, {len(m['planted']):,} planted conflicts) "
          f"in {time.perf_counter() - t:.0f} s", flush=True)
    return path


def change_one_file(corpus: Path) -> tuple[Path, bytes]:
    victim = sorted(corpus.rglob("story*.txt"))[len(list(corpus.rglob("story*.txt"))) // 2]
    original = victim.read_bytes()
    victim.write_bytes(original + b"\nA later update said 14 people had been treated in hospital.\n")
    return victim, original


def fmt_row(label: str, r: dict) -> str:
    mb = r["bytes"] / 1e6
    if r["phase"] != "done":
        return (f"  {label:<24} extraction: {r['collect']:7.1f} s {mb / r['collect']:7.3f} MB/s "
                f"{r['documents'] / r['collect']:8.1f} docs/s  claims {r['claims']:>9,}  RSS after extraction "
                f"{r['rss_collect_mb']:6.0f} MB, {r['rss_main_mb']:.0f} MB when it stopped; end to end NOT "
                f"FINISHED: {r['error']}")
    return (f"  {label:<24} {r['wall']:7.1f} s {mb / r['wall']:7.3f} MB/s {r['documents'] / r['wall']:8.1f} docs/s  "
            f"claims {r['claims']:>9,}  findings {r['findings']:>7,}  peak RSS {r['rss_main_mb']:6.0f} MB "
            f"({r['rss_collect_mb']:.0f} MB after extraction; largest worker {r['rss_worker_mb']:.0f} MB)")


def fmt_stages(r: dict) -> str:
    line = (f"      stages: ingest {r['ingest_sum']:.1f} s + extract {r['extract_sum']:.1f} s summed over worker "
            f"processes (CPU {r['worker_cpu']:.1f} s; {r['cached']:,} documents from the cache) = "
            f"{r['collect']:.1f} s wall")
    if r["phase"] == "done":
        line += (f"; align {r['align']:.1f} s ({r.get('aligned', 'whole')}); rules {r['rules']:.1f} s; "
                 f"report {r['report']:.1f} s")
    return line


def mbs(r: dict) -> float:
    return r["bytes"] / 1e6 / (r["wall"] if r["phase"] == "done" else r["collect"])


def ratio(a: dict, b: dict) -> tuple[float, str]:
    """a's time over b's: end to end when both finished, else on ingest + extract."""
    if a["phase"] == "done" and b["phase"] == "done":
        return a["wall"] / b["wall"], "end to end"
    return a["collect"] / b["collect"], "ingest+extract only"


def measure_size(corpus: Path, size: int, jobs: int, workdir: Path, single_max: int, run, tag: str):
    """One round at one size: --jobs 1 and --jobs N from a cold cache, then (up to 10k documents) a
    re-run after one file changed. Yields (kind, result) as each run ends, and prints it."""
    cache = workdir / f"cache-{size}"
    shutil.rmtree(cache, ignore_errors=True)
    if size <= single_max and jobs > 1:
        one_cache = workdir / f"cache-{size}-one"
        shutil.rmtree(one_cache, ignore_errors=True)
        one = run(corpus, 1, str(one_cache))  # cold cache too, so that only --jobs differs
        shutil.rmtree(one_cache, ignore_errors=True)
        print(fmt_row("--jobs 1, cold cache" + tag, one) + "\n" + fmt_stages(one), flush=True)
        yield "one", one
    par = run(corpus, jobs, str(cache))
    print(fmt_row(f"--jobs {jobs}, cold cache" + tag, par) + "\n" + fmt_stages(par), flush=True)
    yield "par", par
    if size <= 10_000:
        victim, original = change_one_file(corpus)
        try:
            warm = run(corpus, jobs, str(cache))
        finally:
            victim.write_bytes(original)
        print(fmt_row("one file changed, warm" + tag, warm) + "\n" + fmt_stages(warm), flush=True)
        yield "warm", warm
    shutil.rmtree(cache, ignore_errors=True)


def _wall(r: dict) -> float:
    return r["wall"] if r["phase"] == "done" else r["collect"]


def _median(runs: list[dict]) -> dict:
    """The run of median end-to-end time (the lower middle one of an even number)."""
    return sorted(runs, key=lambda r: (r["phase"] != "done", _wall(r)))[(len(runs) - 1) // 2]


def _ratios(res: dict, jobs: int) -> None:
    if "one" in res:
        x, how = ratio(res["one"], res["par"])
        eff = res["par"]["worker_cpu"] / (jobs * res["par"]["collect"])
        print(f"      --jobs {jobs} speed-up over --jobs 1: {x:.2f}x ({how}); ingest+extract "
              f"{res['one']['collect'] / res['par']['collect']:.2f}x; the workers got {eff:.0%} of {jobs} cores "
              f"(CPU seconds over wall: below 100% when other processes compete)", flush=True)
    if "warm" in res:
        x, how = ratio(res["par"], res["warm"])
        print(f"      warm re-run {x:.1f}x faster than cold ({how})", flush=True)
    if res["par"]["phase"] == "done":
        pf = res["par"]["planted"]
        print(f"      planted conflicts reported: {pf['found']:,} of {pf['planted']:,}; findings quoting more "
              f"than one story: {pf['mixed']:,} of {res['par']['findings']:,}", flush=True)


def main() -> None:
    p = argparse.ArgumentParser(description="claimcheck end-to-end benchmark")
    p.add_argument("--sizes", default="1000,10000,100000", help="corpus sizes in documents (comma-separated)")
    p.add_argument("--jobs", type=int, default=0, help="processes for the parallel runs (default: all cores)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "claimcheck-bench"),
                   help="where corpora and caches are kept (default: $TMPDIR/claimcheck-bench)")
    p.add_argument("--single-max", type=int, default=10_000,
                   help="largest size also measured with --jobs 1 (default 10000)")
    p.add_argument("--timeout", type=float, default=1800, help="seconds per measured run (default 1800)")
    p.add_argument("--repeat", type=int, default=1,
                   help="rounds of the runs at each size; figures and targets use the median round of each kind "
                        "(file-system costs on a virtual machine move a single run by 20%%)")
    p.add_argument("--memory-limit-gb", type=float, default=8.0,
                   help="address-space limit of each measured run (default 8): a run that needs more fails "
                        "with MemoryError instead of taking the machine down")
    p.add_argument("--child", metavar="CORPUS", help=argparse.SUPPRESS)
    p.add_argument("--cache-dir", help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.child:
        limit = int(a.memory_limit_gb * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        measure(a.child, a.jobs or 1, a.cache_dir, lambda r: print(json.dumps(r), flush=True))
        return

    from checker.executors import default_jobs

    jobs = a.jobs or default_jobs()
    sizes = [int(s) for s in a.sizes.split(",") if s.strip()]
    workdir = Path(a.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"machine: {machine()}")
    print(f"sizes: {', '.join(f'{s:,}' for s in sizes)} documents; parallel runs with --jobs {jobs}; "
          f"workdir {workdir}", flush=True)
    results: dict[int, dict] = {}
    run = lambda corpus, j, cache: run_child(str(corpus), j, cache, a.timeout, a.memory_limit_gb)  # noqa: E731
    for size in sizes:
        print(f"\n{size:,} documents ({_load()})", flush=True)
        corpus = ensure_corpus(workdir, size, a.seed)
        rounds: dict[str, list] = {}
        for n in range(a.repeat):
            tag = f" (round {n + 1} of {a.repeat})" if a.repeat > 1 else ""
            for key, r in measure_size(corpus, size, jobs, workdir, a.single_max, run, tag):
                rounds.setdefault(key, []).append(r)
        res = {key: _median(runs) for key, runs in rounds.items()}
        if a.repeat > 1:
            print("  medians of the rounds, by end-to-end time:", flush=True)
            for key, label in (("one", "--jobs 1, cold cache"), ("par", f"--jobs {jobs}, cold cache"),
                               ("warm", "one file changed, warm")):
                if key in res:
                    print(fmt_row(label, res[key]) + "  [all: " + ", ".join(
                        f"{_wall(r):.1f} s" for r in rounds[key]) + "]", flush=True)
            res["par"] = {**res["par"], "rss_main_mb": max(r["rss_main_mb"] for r in rounds["par"]),
                          "rss_collect_mb": max(r["rss_collect_mb"] for r in rounds["par"])}
        _ratios(res, jobs)
        results[size] = res

    print("\nyardsticks (same machine, same run, on a sample of the first corpus):", flush=True)
    ys = yardsticks(str(ensure_corpus(workdir, sizes[0], a.seed)))
    ys["parallel"] = parallel_yardstick(jobs) if jobs > 1 else 1.0
    dp = ys["dateparser_search_dates"]
    print(f"  sample {ys['sample_mb']:.1f} MB: read+decode {ys['read_decode']:.0f} MB/s; comparable claim regex "
          f"(one pass) {ys['comparable_regex']:.2f} MB/s; prefilter regex {ys['prefilter_regex']:.1f} MB/s; "
          f"dateparser search_dates {dp:.3f} MB/s" if dp else "dateparser not installed")
    print(f"  pure-Python busy work, {jobs} processes over 1: {ys['parallel']:.2f}x (what the cores give right now)")
    for size, res in results.items():
        for key, label in (("one", "--jobs 1"), ("par", f"--jobs {jobs}")):
            if key not in res:
                continue
            r = res[key]
            v = mbs(r)
            what = "end to end" if r["phase"] == "done" else "ingest+extract"
            print(f"  {size:>7,} docs {label:<9} {v:.3f} MB/s {what}: {v / ys['read_decode']:.4f}x read+decode, "
                  f"{v / ys['comparable_regex']:.3f}x comparable regex, {v / ys['prefilter_regex']:.4f}x prefilter"
                  + (f", {v / dp:.1f}x dateparser search_dates" if dp else ""))

    print("\ntargets (issue 6):")
    one = [(s, r) for s, r in results.items() if "one" in r]
    if one:
        s, r = one[-1]
        v = mbs(r["one"])
        what = "end to end" if r["one"]["phase"] == "done" else "ingest+extract only"
        print(f"  one process >= 2 MB/s:          {v:.3f} MB/s at {s:,} docs ({what})  {'MET' if v >= 2 else 'NOT MET'}")
        x, how = ratio(r["one"], r["par"])
        print(f"  --jobs {jobs} >= 1.7x one process:   {x:.2f}x at {s:,} docs ({how})  {'MET' if x >= 1.7 else 'NOT MET'}"
              f" (busy-work yardstick: {ys['parallel']:.2f}x)")
    if 10_000 in results and 100_000 in results:
        x, how = ratio(results[100_000]["par"], results[10_000]["par"])
        print(f"  10k -> 100k time <= 12x:        {x:.1f}x ({how})  {'MET' if x <= 12 else 'NOT MET'}")
    big = max(results)
    r = results[big]["par"]
    print(f"  peak memory < 2 GB:             {r['rss_main_mb']:.0f} MB at {big:,} docs"
          f"{'' if r['phase'] == 'done' else ' (run did not finish)'}, {r['rss_collect_mb']:.0f} MB after "
          f"extraction  {'MET' if r['rss_main_mb'] < 2048 and r['phase'] == 'done' else 'NOT MET'}")
    warm = [(s, r) for s, r in results.items() if "warm" in r]
    if warm:
        s, r = warm[-1]
        x, how = ratio(r["par"], r["warm"])
        print(f"  warm re-run >= 10x faster:      {x:.1f}x at {s:,} docs ({how})  {'MET' if x >= 10 else 'NOT MET'}")


if __name__ == "__main__":
    main()
