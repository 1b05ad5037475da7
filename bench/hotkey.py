"""A planted hot key: how alignment cost grows when one blocking key is shared by a huge number of claims.

    python bench/hotkey.py [--sizes 1000,4000,16000]

Each size is a run of stories of four short reports about one crossing of a ferry of the same
operator ('Vestral Lines'), spread over six years of publication dates. Every report says how many
passengers were aboard (the counted noun, the event words and the operator are the same in every
report, so every claim shares those blocking keys); each story has its own ship and captain, and one
report in four of them disagrees. One report in fifty names nobody (it cannot be placed in a story)
and is compared on plain keys while they stay under the cap. Printed per size: claims, align() time
and its growth against the previous size, groups, groups mixing stories, and the cap notes. A
quadratic aligner grows 16x for 4x the reports; near-linear grows about 4x.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from checker.align import align  # noqa: E402
from checker.extract import extract  # noqa: E402
from checker.extract import entity_keys  # noqa: E402
from checker.models import Document  # noqa: E402


SYLLABLES = ["ka", "lo", "mi", "ren", "sa", "tor", "vi", "dun", "bel", "ash", "cor", "ny"]


def _word(i: int) -> str:
    out = ""
    for _ in range(4):  # 20,736 names: no two stories of a run share one
        out += SYLLABLES[i % len(SYLLABLES)]
        i //= len(SYLLABLES)
    return out.capitalize()


def reports(n: int) -> list[Document]:
    docs = []
    start = dt.date(2020, 1, 1)
    for i in range(n):
        story = i // 4
        day = start + dt.timedelta(days=(story * 4 * 2190) // n)  # six years of publication dates
        passengers = 200 + story % 60 + (7 if i % 4 == 3 else 0)
        if i % 50 == 49:
            text = f"A ferry carried {passengers} passengers on the crossing on {day:%B} {day.day}, {day.year}.\n"
        else:
            text = (f"The Vestral Lines ferry {_word(story)} carried {passengers} passengers on its crossing to "
                    f"{_word(story + 7)} Point on {day:%B} {day.day}, {day.year}, Captain {_word(story + 3)} "
                    f"{_word(story + 11)}son said.\n")
        docs.append(Document(path=f"story{story:06d}-{i % 4}.txt", text=text, raw=text, reference_date=day))
    return docs


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="1000,4000,16000")
    a = p.parse_args()
    prev = None
    for n in (int(s) for s in a.sizes.split(",")):
        claims, entities = [], []
        for d, doc in enumerate(reports(n)):
            found, _ = extract(doc)
            for c in found:
                c.doc = d
            claims.extend(found)
            entities.append(entity_keys(found))
        notes: list[str] = []
        t = time.perf_counter()
        groups = align(claims, doc_entities=entities, notes=notes)
        took = time.perf_counter() - t
        mixed = sum(1 for g in groups if len({claims[i].doc // 4 for i in g.claims}) > 1)
        growth = f", {took / prev[1]:.1f}x the time for {n / prev[0]:.1f}x the reports" if prev else ""
        print(f"{n:,} reports, {len(claims):,} claims: align {took:.2f} s{growth}; {len(groups):,} groups; "
              f"{mixed:,} mixing stories; {len(notes)} cap notes")
        for note in notes[:2]:
            print(f"    note: {note}")
        prev = (n, took)


if __name__ == "__main__":
    main()
