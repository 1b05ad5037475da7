"""Alignment cost as the corpus grows: time and peak memory of align() alone, per corpus.

    python bench/generate.py ...   # or reuse the corpora bench/align_cost.py generates under /tmp/claimcheck-bench
    python bench/align_scale.py /tmp/claimcheck-bench/corpus-200-seed7 /tmp/claimcheck-bench/corpus-2000-seed7 ...

Claims come through the extraction cache (a re-run pays for alignment only); growth between corpora shows
whether alignment stays near-linear in the number of claims.
"""
from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from checker.align import align  # noqa: E402
from checker.api import collect  # noqa: E402
from checker.config import Config  # noqa: E402


def main(corpora: list[str]) -> None:
    for folder in corpora:
        config = Config(cache_dir=os.path.join(os.path.dirname(os.path.abspath(folder)), "align-cache"))
        t = time.perf_counter()
        run = collect([folder], config)
        collected = time.perf_counter() - t
        t = time.perf_counter()
        groups = align(run.claims, doc_entities=run.entities)
        aligned = time.perf_counter() - t
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{os.path.basename(folder)}: {len(run.docs):,} docs, {len(run.claims):,} claims, collect {collected:.1f} s, "
              f"align {aligned:.2f} s ({len(run.claims) / max(aligned, 1e-9):,.0f} claims/s), {len(groups):,} groups, "
              f"peak RSS {rss:,.0f} MB", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
