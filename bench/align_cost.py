"""Where alignment spends its time: blocks, candidate pairs, and how many of them cross stories.

    python bench/align_cost.py CORPUS [CORPUS ...]          # corpora from bench/generate.py
    python bench/align_cost.py --sizes 1000,2000,4000        # generate (or reuse) and measure each

Claims come through the extraction cache (--cache-dir), so re-runs only pay for alignment. For each
corpus: claims, the largest blocks, the candidate pairs that blocking generates (a set of pairs
built before `related` and the vetoes look at them), how many of those join documents of the same
generated story, the share of cross-story document pairs that `related_documents` lets through, and
the time align() takes. Growth between sizes shows whether alignment is linear in the corpus.
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def story_of(path: str) -> int:
    m = re.search(r"story(\d+)-", path)
    return int(m.group(1)) if m else -1


def measure(corpus: str, cache_dir: str, jobs: int | None, max_pairs: int) -> dict:
    from checker import align as A
    from checker.api import collect
    from checker.config import Config

    t = time.perf_counter()
    run = collect([corpus], Config(jobs=jobs, cache_dir=cache_dir))
    t_collect = time.perf_counter() - t
    claims = run.claims
    stories = [story_of(d.path) for d in run.docs]
    opts = A.AlignOptions()
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(claims):
        ub = A.unit_block(c)
        if ub is not None and not c.suppressed:
            blocks[ub].append(i)
    generated = 0          # pair insertions the blocking loop performs (before de-duplication)
    skipped_keys = 0
    biggest_keys: Counter = Counter()
    indexes = []
    for ub, members in blocks.items():
        index: dict[str, list[int]] = defaultdict(list)
        for i in members:
            for k in A._keys(claims[i], opts.block_keys):
                index[k].append(i)
        for k, ids in index.items():
            if len(ids) > opts.max_block:
                skipped_keys += 1
            elif len(ids) >= 2:
                generated += len(ids) * (len(ids) - 1) // 2
                biggest_keys[f"{ub} {k}"] = len(ids)
        indexes.append(index)
    pairs = same_story = None
    t_blocking = t_align = None
    groups = []
    if generated <= max_pairs:
        t = time.perf_counter()
        cand = set()
        for index in indexes:
            for k, ids in index.items():
                if 2 <= len(ids) <= opts.max_block:
                    for x in range(len(ids)):
                        for y in range(x + 1, len(ids)):
                            cand.add((ids[x], ids[y]) if ids[x] < ids[y] else (ids[y], ids[x]))
        t_blocking = time.perf_counter() - t
        pairs = len(cand)
        same_story = sum(1 for i, j in cand if stories[claims[i].doc] == stories[claims[j].doc])
        del cand
    del indexes

    related = A.related_documents(run.entities)
    rng = random.Random(1)
    n = len(run.docs)
    cross = rel = 0
    for _ in range(min(20000, n * n)):
        a, b = rng.randrange(n), rng.randrange(n)
        if stories[a] != stories[b]:
            cross += 1
            rel += related(a, b)

    if generated <= max_pairs:
        t = time.perf_counter()
        groups = A.align(claims, doc_entities=run.entities)
        t_align = time.perf_counter() - t
    multi = sum(1 for g in groups if len({stories[claims[i].doc] for i in g.claims}) > 1)
    return {"corpus": corpus, "docs": n, "claims": len(claims), "collect": t_collect, "blocks": len(blocks),
            "generated": generated, "pairs": pairs, "same_story": same_story, "skipped_keys": skipped_keys,
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "biggest": biggest_keys.most_common(5), "cross_related": rel / cross if cross else 0.0,
            "blocking_s": t_blocking, "align_s": t_align, "groups": len(groups), "multi_story_groups": multi}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("corpora", nargs="*")
    p.add_argument("--sizes", help="generate corpora of these sizes (comma-separated) under --workdir")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "claimcheck-bench"))
    p.add_argument("--cache-dir", default=None, help="extraction cache (default: WORKDIR/align-cache)")
    p.add_argument("--jobs", type=int, default=None)
    p.add_argument("--max-pairs", type=int, default=20_000_000,
                   help="do not build the pair set or run align() above this many candidate pairs (memory)")
    a = p.parse_args()
    corpora = list(a.corpora)
    if a.sizes:
        from bench.perf import ensure_corpus

        for size in (int(s) for s in a.sizes.split(",")):
            corpora.append(str(ensure_corpus(Path(a.workdir), size, a.seed)))
    cache_dir = a.cache_dir or os.path.join(a.workdir, "align-cache")
    prev = None
    for corpus in corpora:
        r = measure(corpus, cache_dir, a.jobs, a.max_pairs)
        print(f"{r['docs']:,} docs, {r['claims']:,} claims ({r['collect']:.1f} s to collect), {r['blocks']} blocks")
        print(f"  blocking generates {r['generated']:,} candidate pairs; keys skipped as too common "
              f"(> max_block): {r['skipped_keys']}")
        print(f"  largest keys: " + ", ".join(f"{k} ({v:,})" for k, v in r["biggest"]))
        print(f"  document pairs from different stories that related_documents() accepts: {r['cross_related']:.1%}")
        if r["pairs"] is not None:
            print(f"  {r['pairs']:,} distinct pairs ({r['same_story'] / max(r['pairs'], 1):.1%} inside one story), "
                  f"set built in {r['blocking_s']:.1f} s")
            print(f"  align(): {r['align_s']:.1f} s, {r['groups']:,} groups, {r['multi_story_groups']:,} of them "
                  f"mixing stories; peak RSS {r['rss_mb']:.0f} MB")
        else:
            print(f"  align() not run: more than --max-pairs {a.max_pairs:,} candidate pairs")
        if prev:
            k = r["docs"] / prev["docs"]
            line = f"  growth vs {prev['docs']:,} docs ({k:.1f}x docs): candidate pairs {r['generated'] / max(prev['generated'], 1):.1f}x"
            if r["align_s"] is not None and prev["align_s"]:
                line += f", align time {r['align_s'] / prev['align_s']:.1f}x"
            print(line)
        sys.stdout.flush()
        prev = r


if __name__ == "__main__":
    main()
