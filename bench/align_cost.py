"""What alignment costs as a corpus grows: time, memory, and whether groups stay inside one story.

    python bench/align_cost.py CORPUS [CORPUS ...]          # corpora from bench/generate.py
    python bench/align_cost.py --sizes 1000,2000,4000        # generate (or reuse) and measure each

Claims come through the extraction cache (--cache-dir), so re-runs only pay for alignment. Each
corpus is measured in its own process (peak memory is then alignment's own), and reports: claims,
the time align() takes and the peak RSS, how many pairs of documents from different generated
stories `related_documents` accepts (a sample), how many groups mix stories, and the growth
against the previous size (a linear aligner grows like the corpus).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def story_of(path: str) -> int:
    m = re.search(r"story(\d+)-", path)
    return int(m.group(1)) if m else -1


def measure(corpus: str, cache_dir: str, jobs: int | None) -> dict:
    from checker import align as A
    from checker.api import collect
    from checker.config import Config

    t = time.perf_counter()
    run = collect([corpus], Config(jobs=jobs, cache_dir=cache_dir))
    t_collect = time.perf_counter() - t
    rss_collect = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    claims = run.claims
    stories = [story_of(d.path) for d in run.docs]

    # as align() judges them: on the distinctive proper nouns and the dates of publication
    related = A.related_documents(A.distinctive(run.entities), A.publication_months(claims))
    rng = random.Random(1)
    n = len(run.docs)
    cross = rel = 0
    for _ in range(min(20000, n * n)):
        a, b = rng.randrange(n), rng.randrange(n)
        if stories[a] != stories[b]:
            cross += 1
            rel += bool(related(a, b))

    t = time.perf_counter()
    groups = A.align(claims, doc_entities=run.entities)
    t_align = time.perf_counter() - t
    multi = sum(1 for g in groups if len({stories[claims[i].doc] for i in g.claims}) > 1)
    biggest = max((len(g.claims) for g in groups), default=0)
    return {"docs": n, "claims": len(claims), "collect": t_collect, "align": t_align, "groups": len(groups),
            "multi_story_groups": multi, "biggest_group": biggest, "cross_related": rel / cross if cross else 0.0,
            "rss_collect_mb": rss_collect, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("corpora", nargs="*")
    p.add_argument("--sizes", help="generate corpora of these sizes (comma-separated) under --workdir")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "claimcheck-bench"))
    p.add_argument("--cache-dir", default=None, help="extraction cache (default: WORKDIR/align-cache)")
    p.add_argument("--jobs", type=int, default=None)
    p.add_argument("--child", help=argparse.SUPPRESS)
    a = p.parse_args()
    cache_dir = a.cache_dir or os.path.join(a.workdir, "align-cache")
    if a.child:
        print(json.dumps(measure(a.child, cache_dir, a.jobs)))
        return
    corpora = list(a.corpora)
    if a.sizes:
        from bench.perf import ensure_corpus

        for size in (int(s) for s in a.sizes.split(",")):
            corpora.append(str(ensure_corpus(Path(a.workdir), size, a.seed)))
    prev = None
    for corpus in corpora:
        args = [sys.executable, __file__, "--child", corpus, "--cache-dir", cache_dir]
        if a.jobs:
            args += ["--jobs", str(a.jobs)]
        proc = subprocess.run(args, capture_output=True, text=True, env={**os.environ, "NO_PROGRESS": "1"})
        if proc.returncode != 0:
            print(f"{corpus}: failed: {proc.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        print(f"{r['docs']:,} docs, {r['claims']:,} claims ({r['collect']:.1f} s to collect, "
              f"{r['rss_collect_mb']:.0f} MB)")
        print(f"  align(): {r['align']:.1f} s, peak RSS {r['rss_mb']:.0f} MB; {r['groups']:,} groups "
              f"(largest {r['biggest_group']:,} claims), {r['multi_story_groups']:,} of them mixing stories")
        print(f"  document pairs from different stories that related_documents() accepts: {r['cross_related']:.1%}")
        if prev:
            k = r["docs"] / prev["docs"]
            print(f"  growth vs {prev['docs']:,} docs ({k:.1f}x documents): align time "
                  f"{r['align'] / max(prev['align'], 1e-9):.1f}x, peak RSS {r['rss_mb'] / prev['rss_mb']:.1f}x")
        sys.stdout.flush()
        prev = r


if __name__ == "__main__":
    main()
