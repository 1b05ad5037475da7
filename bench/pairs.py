"""Debug aid: print alignment scores and vetoes for every same-block claim pair in some documents.

    python bench/pairs.py DOCS... [--kind count]
"""
from __future__ import annotations

import argparse
from itertools import combinations

from checker.align import _veto, compute_idf, score, unit_block
from checker.api import collect
from checker.config import Config


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("paths", nargs="+")
    p.add_argument("--kind")
    p.add_argument("--min", type=float, default=0.0)
    a = p.parse_args()
    run = collect(a.paths, Config())
    idf = compute_idf(run.claims)
    for i, j in combinations(range(len(run.claims)), 2):
        x, y = run.claims[i], run.claims[j]
        if unit_block(x) is None or unit_block(x) != unit_block(y) or (a.kind and x.kind != a.kind):
            continue
        v = _veto(x, y)
        s, why = score(x, y, idf)
        if s < a.min and not v:
            continue
        print(f"{s:.2f} {'VETO ' + v if v else ''} d{x.doc}:{x.text!r} ~ d{y.doc}:{y.text!r} {why}")


if __name__ == "__main__":
    main()
