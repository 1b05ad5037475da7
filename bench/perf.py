"""End-to-end benchmark: generated news corpora of 1k, 10k and 100k documents through claimcheck.

    python bench/perf.py                         # sizes 1000,10000,100000
    python bench/perf.py --sizes 1000,10000      # a quicker run
    python bench/perf.py --sizes 1000 --jobs 2 --workdir /tmp/cc-bench

Corpora come from bench/generate.py (seeded, reused when already generated under --workdir). Each
measurement runs in a fresh process so that its peak memory is its own. Prints, per size: MB/s,
documents/s, claims, findings, time per stage, peak RSS, the --jobs N speed-up, and for the largest
size up to 10k a re-run after one file changed with the extraction cache warm; then the same-run
yardsticks (reading, a comparable regex, a prefilter regex, dateparser) and the targets of issue 6.
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

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


# ---- one measured run (child process) -------------------------------------------------------------

def measure(corpus: str, jobs: int, cache_dir: str | None) -> dict:
    """check() on a corpus with the stages timed; runs inside its own process."""
    from checker import api, checks
    from checker.checks import primitives
    from checker.config import Config
    from checker.report import render as render_report

    stage = {"align": 0.0, "rules": 0.0}

    def timed(name, fn):
        def wrapper(*a, **kw):
            t = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                stage[name] += time.perf_counter() - t
        return wrapper

    api.align = timed("align", api.align)
    for name in ("conflict", "variant", "calendar"):
        setattr(primitives, name, timed("rules", getattr(primitives, name)))

    config = Config(jobs=jobs, cache=cache_dir is not None, cache_dir=cache_dir or ".claimcheck_cache")
    rules = [r for r in checks.load_rules(config.rule_packs) if config.rule_enabled(r.code)]
    t0 = time.perf_counter()
    run = api.collect([corpus], config)
    t1 = time.perf_counter()
    report = api.evaluate(run, rules, config)
    t2 = time.perf_counter()
    text = render_report(report, "json", rules=rules)
    t3 = time.perf_counter()
    planted = _planted_found(corpus, report)
    return {
        "wall": t3 - t0, "collect": t1 - t0, "evaluate": t2 - t1, "json": t3 - t2,
        "align": stage["align"], "rules": stage["rules"], "report": (t2 - t1 - stage["align"] - stage["rules"]) + (t3 - t2),
        "ingest_sum": run.stats["read"] + run.stats["ingest"], "extract_sum": run.stats["extract"],
        "worker_cpu": run.stats["cpu"], "cached": run.stats["cached"], "extracted": run.stats["extracted"],
        "bytes": run.stats["bytes"], "documents": len(run.docs), "claims": len(run.claims),
        "findings": len(report.findings), "report_bytes": len(text.encode("utf-8")),
        "planted": planted,
        "rss_main_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rss_worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def _planted_found(corpus: str, report) -> list[int]:
    """[planted conflicts, of which reported]: a finding of the planted kind inside the planted story."""
    try:
        manifest = json.loads((Path(corpus) / "planted.json").read_text())
    except OSError:
        return [0, 0]
    family = {"count": "number", "quantity": "number", "duration": "duration"}
    seen = set()
    for f in report.findings:
        stories = {m.group(1) for c in f.claims if (m := re.search(r"story(\d+)-", c.path))}
        if len(stories) == 1:
            seen.add((int(stories.pop()), family.get(f.kind, f.kind)))
    planted = manifest["planted"]
    return [len(planted), sum((p["story"], family.get(p["kind"], p["kind"])) in seen for p in planted)]


def run_child(corpus: str, jobs: int, cache_dir: str | None, timeout: float) -> dict:
    args = [sys.executable, str(Path(__file__).resolve()), "--child", corpus, "--jobs", str(jobs)]
    if cache_dir:
        args += ["--cache-dir", cache_dir]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "NO_PROGRESS": "1"})
    if proc.returncode != 0:
        raise RuntimeError(f"measurement failed: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


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


def yardsticks(corpus: str, budget_bytes: int = 8_000_000, dateparser_bytes: int = 40_000) -> dict:
    paths = sorted(p for p in Path(corpus).rglob("*") if p.suffix in (".txt", ".md", ".html"))
    t = time.perf_counter()
    texts, total = [], 0
    for p in paths:
        s = p.read_bytes().decode("utf-8")
        texts.append(s)
        total += len(s.encode("utf-8"))
        if total >= budget_bytes:
            break
    read = total / (time.perf_counter() - t) / 1e6
    out = {"sample_mb": total / 1e6, "read_decode": read}
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
    try:
        load = "load %.1f %.1f %.1f" % os.getloadavg()
    except OSError:
        load = ""
    return (f"{platform.system()} {platform.machine()}, {cores} cores ({model}), Python "
            f"{platform.python_version()}, {load}")


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
    return (f"  {label:<22} {r['wall']:8.1f} s {mb / r['wall']:7.3f} MB/s {r['documents'] / r['wall']:8.1f} docs/s  "
            f"claims {r['claims']:>9,}  findings {r['findings']:>7,}  peak RSS {r['rss_main_mb']:6.0f} MB "
            f"(workers {r['rss_worker_mb']:.0f} MB)")


def fmt_stages(r: dict) -> str:
    return (f"      stages: collect {r['collect']:.1f} s wall [ingest {r['ingest_sum']:.1f} s + extract "
            f"{r['extract_sum']:.1f} s summed over workers, worker CPU {r['worker_cpu']:.1f} s, "
            f"{r['cached']:,} from cache], align {r['align']:.1f} s, rules {r['rules']:.1f} s, "
            f"report {r['report']:.1f} s")


def main() -> None:
    p = argparse.ArgumentParser(description="claimcheck end-to-end benchmark")
    p.add_argument("--sizes", default="1000,10000,100000", help="corpus sizes in documents (comma-separated)")
    p.add_argument("--jobs", type=int, default=0, help="processes for the parallel runs (default: all cores)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "claimcheck-bench"),
                   help="where corpora and caches are kept (default: $TMPDIR/claimcheck-bench)")
    p.add_argument("--single-max", type=int, default=10_000,
                   help="largest size also measured with --jobs 1 (default 10000)")
    p.add_argument("--timeout", type=float, default=7200, help="seconds per measured run")
    p.add_argument("--child", metavar="CORPUS", help=argparse.SUPPRESS)
    p.add_argument("--cache-dir", help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.child:
        print(json.dumps(measure(a.child, a.jobs or 1, a.cache_dir)))
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
    for size in sizes:
        print(f"\n{size:,} documents", flush=True)
        corpus = ensure_corpus(workdir, size, a.seed)
        res: dict = {}
        cache = workdir / f"cache-{size}"
        shutil.rmtree(cache, ignore_errors=True)
        if size <= a.single_max and jobs > 1:
            res["one"] = run_child(str(corpus), 1, None, a.timeout)
            print(fmt_row("--jobs 1 (no cache)", res["one"]) + "\n" + fmt_stages(res["one"]), flush=True)
        res["par"] = run_child(str(corpus), jobs, str(cache), a.timeout)
        print(fmt_row(f"--jobs {jobs} (cold cache)", res["par"]) + "\n" + fmt_stages(res["par"]), flush=True)
        if "one" in res:
            print(f"      --jobs {jobs} speed-up: {res['one']['wall'] / res['par']['wall']:.2f}x end to end, "
                  f"{res['one']['collect'] / res['par']['collect']:.2f}x on ingest+extract", flush=True)
        if size <= 10_000:
            victim, original = change_one_file(corpus)
            try:
                res["warm"] = run_child(str(corpus), jobs, str(cache), a.timeout)
            finally:
                victim.write_bytes(original)
            print(fmt_row("one file changed, warm", res["warm"]) + "\n" + fmt_stages(res["warm"]), flush=True)
            print(f"      warm re-run {res['par']['wall'] / res['warm']['wall']:.1f}x faster than cold", flush=True)
        planted, found = res["par"]["planted"]
        print(f"      planted conflicts reported: {found:,} of {planted:,}", flush=True)
        results[size] = res
        shutil.rmtree(cache, ignore_errors=True)

    print("\nyardsticks (same machine, same run, on the first corpus):", flush=True)
    ys = yardsticks(str(ensure_corpus(workdir, sizes[0], a.seed)))
    print(f"  sample {ys['sample_mb']:.1f} MB: read+decode {ys['read_decode']:.0f} MB/s, comparable claim regex "
          f"{ys['comparable_regex']:.2f} MB/s, prefilter regex {ys['prefilter_regex']:.1f} MB/s, dateparser "
          f"search_dates {ys['dateparser_search_dates'] or float('nan'):.3f} MB/s")
    for size, res in results.items():
        for key, label in (("one", "--jobs 1"), ("par", f"--jobs {jobs}")):
            if key not in res:
                continue
            mbs = res[key]["bytes"] / 1e6 / res[key]["wall"]
            print(f"  {size:>7,} docs {label:<9} {mbs:.3f} MB/s = {mbs / ys['read_decode']:.4f} x read, "
                  f"{mbs / ys['comparable_regex']:.3f} x comparable regex, {mbs / ys['prefilter_regex']:.3f} x prefilter, "
                  + (f"{mbs / ys['dateparser_search_dates']:.1f} x dateparser" if ys["dateparser_search_dates"] else ""))

    print("\ntargets (issue 6):")
    one = [(s, r["one"]) for s, r in results.items() if "one" in r]
    if one:
        s, r = one[-1]
        mbs = r["bytes"] / 1e6 / r["wall"]
        print(f"  one process >= 2 MB/s:            {mbs:.3f} MB/s at {s:,} docs  {'MET' if mbs >= 2 else 'NOT MET'}")
        sp = r["wall"] / results[s]["par"]["wall"]
        print(f"  --jobs {jobs} >= 1.7x one process:     {sp:.2f}x at {s:,} docs  {'MET' if sp >= 1.7 else 'NOT MET'}")
    if 10_000 in results and 100_000 in results:
        g = results[100_000]["par"]["wall"] / results[10_000]["par"]["wall"]
        print(f"  10k -> 100k time <= 12x:          {g:.1f}x  {'MET' if g <= 12 else 'NOT MET'}")
    big = max(results)
    rss = results[big]["par"]["rss_main_mb"]
    print(f"  peak memory < 2 GB:               {rss:.0f} MB at {big:,} docs  {'MET' if rss < 2048 else 'NOT MET'}")
    warm = [(s, r) for s, r in results.items() if "warm" in r]
    if warm:
        s, r = warm[-1]
        x = r["par"]["wall"] / r["warm"]["wall"]
        print(f"  warm re-run >= 10x faster:        {x:.1f}x at {s:,} docs  {'MET' if x >= 10 else 'NOT MET'}")


if __name__ == "__main__":
    main()
