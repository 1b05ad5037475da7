"""Where one process's time goes, step by step and per claim, and what issue 6's 2 MB/s leaves.

    python bench/stages.py                 # the 1k corpus of bench/perf.py (generated when missing)
    python bench/stages.py --docs 10000
    python bench/stages.py --corpus DIR    # any folder of documents

Runs `claimcheck check --jobs 1 --no-cache` in this process (as bench/perf.py's --jobs 1 run does)
with every extraction step timed where extract() calls it, then times the candidate-finding regexes
alone (each extractor's prefilter scan plus its pattern's matches, checker.extract.prefilter.Scanner):
the part a faster matcher could speed up. The rest is Python work per claim, which the last lines
set against the time per claim that 2 MB/s end to end leaves.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from perf import ensure_corpus, machine  # noqa: E402

# extract()'s steps, by the names it calls them under in checker.extract
STEPS = ("extract_dates", "extract_times", "extract_numbers", "extract_word_durations", "extract_names",
         "_resolve_overlaps", "split_sentences", "annotate", "_attach_times", "_attach_people", "_kept")
# what the executor does with a document's claims (checker.executors._process)
RECORD_STEPS = (("checker.records", "document_record"), ("checker.extract", "entity_keys"))


def timed_steps() -> dict[str, float]:
    """Wrap extract()'s steps and the record steps with timers; returns the seconds they add up."""
    import importlib

    from checker import extract

    spent: dict[str, float] = {}

    def wrap(module, name):
        fn = getattr(module, name)

        def timed(*a, **kw):
            t = time.perf_counter()
            out = fn(*a, **kw)
            if hasattr(out, "__next__"):  # an extractor's generator: its work happens when it is read
                out = list(out)
            spent[name] = spent.get(name, 0.0) + time.perf_counter() - t
            return out
        setattr(module, name, timed)

    for name in STEPS:
        wrap(extract, name)
    for module, name in RECORD_STEPS:
        wrap(importlib.import_module(module), name)
    return spent


def scanners() -> dict:
    """Every candidate scanner the extraction modules define (found by looking): where -> Scanner."""
    import importlib
    import pkgutil

    import checker.extract
    from checker.extract.prefilter import Scanner

    found = {}
    for info in pkgutil.iter_modules(checker.extract.__path__):
        module = importlib.import_module(f"checker.extract.{info.name}")
        found.update((f"{info.name}.{name}", value) for name, value in vars(module).items()
                     if isinstance(value, Scanner))
    return found


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--docs", type=int, default=1000, help="size of bench/perf.py's generated corpus (default 1000)")
    p.add_argument("--corpus", help="a folder of documents instead of the generated corpus")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "claimcheck-bench"))
    p.add_argument("--target", type=float, default=2.0, help="MB/s end to end to set against (default 2)")
    a = p.parse_args()
    corpus = Path(a.corpus) if a.corpus else ensure_corpus(Path(a.workdir), a.docs, a.seed)

    from checker import api, bulk, checks
    from checker.config import Config
    from checker.ingest import load
    from checker.report import render

    bulk.ONE_SHOT = True  # as `claimcheck check` runs
    config = Config(jobs=1, cache=False)
    rules = [r for r in checks.load_rules(config.rule_packs) if config.rule_enabled(r.code)]
    api.collect([str(corpus)], config)  # warm up: imports, compiled patterns, the page cache
    spent = timed_steps()
    t0 = time.perf_counter()
    run = api.collect([str(corpus)], config)
    t1 = time.perf_counter()
    report = api.evaluate(run, rules, config)
    t2 = time.perf_counter()
    render(report, "json", rules=rules)
    t3 = time.perf_counter()
    size, claims = run.stats["bytes"], len(run.claims)
    total = t3 - t0
    print(f"machine: {machine()}")
    print(f"corpus {corpus}: {len(run.docs):,} documents, {size / 1e6:.2f} MB, {claims:,} claims "
          f"({size / max(claims, 1):.0f} bytes per claim)")
    print(f"end to end, one process, no cache: {total:.2f} s = {size / 1e6 / total:.3f} MB/s "
          f"(read {run.stats['read']:.2f} s, ingest {run.stats['ingest']:.2f} s, extract {run.stats['extract']:.2f} s, "
          f"evaluate {t2 - t1:.2f} s, JSON {t3 - t2:.2f} s)")
    us = 1e6 / max(claims, 1)
    rows = sorted(spent.items(), key=lambda kv: -kv[1])
    other = run.stats["extract"] - sum(spent.values())
    print("\nextraction steps (as extract() and the executor call them):")
    for name, s in rows + [("(the rest of extract and the executor)", other)]:
        print(f"  {name:<40} {s:6.2f} s {s / total:6.1%} of end to end {s * us:7.1f} us per claim")

    texts = []
    for record in run.docs:
        doc = load(record.path, reference_date=config.reference_date)
        if hasattr(doc, "text"):
            texts.append(doc.text)
    print("\ncandidate finding alone (prefilter scans + pattern matches, best of 2):")
    found = scanners()
    best = float("inf")
    for _ in range(2):
        counts = dict.fromkeys(found, 0)
        t = time.perf_counter()
        for text in texts:  # a document at a time, as extraction goes: scanners of a group share its scan
            for where, scanner in found.items():
                for _m in scanner.finditer(text):
                    counts[where] += 1
        best = min(best, time.perf_counter() - t)
    finding = best
    for where, n in counts.items():
        group = found[where].group
        print(f"  {where:<40} {n:8,} matches" + (" (shares the group scan)" if group is not None and group._scan else ""))
    for group in {s.group for s in found.values() if s.group is not None and s.group._scan is not None}:
        scan, pad = group._scan
        t = time.perf_counter()
        starts = sum(1 for text in texts for _m in scan.finditer(pad + text))
        print(f"  the group scan alone: {time.perf_counter() - t:.2f} s, {starts:,} starts for "
              f"{len(group.members)} scanners")
    budget = size / 1e6 / a.target
    print(f"  together {finding:.2f} s = {size / 1e6 / finding:.2f} MB/s")
    print(f"\n{a.target:g} MB/s end to end allows {budget:.2f} s here; candidate finding takes {finding:.2f} s of it, "
          f"leaving {max(budget - finding, 0) * us:.0f} us per claim for everything else (reading, normalizing, "
          f"context, records, alignment, rules, report); now {(total - finding) * us:.0f} us per claim.")
    # what is left with the per-claim Python work of extraction gone: reading and ingest, candidate
    # finding, and the comparison and report as they are now
    floor = run.stats["read"] + run.stats["ingest"] + finding + (t3 - t1)
    print(f"a run that only found candidates (no normalizing, context, names, sentences or records) but read, "
          f"compared and reported as now would take {floor:.2f} s = {size / 1e6 / floor:.2f} MB/s "
          f"({'within' if floor <= budget else 'over'} the {budget:.2f} s that {a.target:g} MB/s allows).")


if __name__ == "__main__":
    main()
