"""A re-run that compares only what changed finds what a whole comparison finds (issue 6).

The run snapshot (checker.runcache) and the incremental alignment (checker.incremental) are checked
against runs without a cache on a generated corpus that changes between runs: a document edited, one
added, one removed, several at once; and at the level of align() with block sizes small enough that
changes move blocking keys across every size class, edge for edge and note for note.
"""
from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from test_performance import _generate, _report_in_process

SENTENCES = [
    "\nA later update said {n} people had been treated in hospital.\n",
    "\nOfficials said {n} people attended the meeting on March {d}, 2024.\n",
    "\nThe repairs will cost ${n} million, the council said on Tuesday.\n",
    "\nThe storm killed {n} people and damaged {m} homes, police said.\n",
]


def _mutate(corpus: Path, rng: random.Random) -> str:
    """One change to the corpus, as an editor's day brings them; returns what it did."""
    files = sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix in (".txt", ".md", ".html"))
    what = rng.choice(["append", "append", "edit", "add", "remove", "several"])
    if what == "several":
        return "; ".join(_mutate(corpus, rng) for _ in range(3))
    victim = rng.choice(files)
    if what == "append":
        text = rng.choice(SENTENCES).format(n=rng.randint(2, 900), m=rng.randint(2, 90), d=rng.randint(1, 28))
        victim.write_bytes(victim.read_bytes() + text.encode())
    elif what == "edit":  # a figure changed in place
        data = victim.read_text(encoding="utf-8")
        digits = [k for k, ch in enumerate(data) if ch.isdigit()]
        if digits:
            k = rng.choice(digits)
            data = data[:k] + str((int(data[k]) + 1) % 10) + data[k + 1:]
        victim.write_text(data, encoding="utf-8")
    elif what == "add":  # a new report of an existing story
        source = rng.choice(files)
        target = source.with_name(source.stem + f"-copy{rng.randint(0, 10**6)}" + source.suffix)
        target.write_bytes(source.read_bytes() + b"\nThe figure was revised to 41 people on Friday.\n")
        return f"add {target.name}"
    elif what == "remove" and len(files) > 10:
        victim.unlink()
    return f"{what} {victim.name}"


@pytest.mark.parametrize("seed", [1, 2])
def test_rerun_after_changes_reports_as_a_run_without_cache(tmp_path, seed):
    corpus = _generate(tmp_path / "corpus", docs=40, seed=seed)
    cache_dir = str(tmp_path / "cache")
    rng = random.Random(seed)
    kinds = set()
    for step in range(8):
        report, stats = _report_in_process(corpus, True, cache_dir)
        kinds.add(stats.get("aligned"))
        expected, _ = _report_in_process(corpus, False, cache_dir)
        assert report == expected, f"after step {step}"
        _mutate(corpus, rng)
    assert "incremental" in kinds  # the re-runs compared only what changed, at least once


def _align_both(corpus: Path, cache_dir: str, options) -> tuple:
    from checker import api, incremental, runcache
    from checker.align import align
    from checker.config import Config
    from checker.executors import ExtractSettings

    config = Config(jobs=1, cache=True, cache_dir=cache_dir)
    run = api.collect([str(corpus)], config)
    notes: list[str] = []
    groups = incremental.align_run(run, options, ExtractSettings.from_config(config), 1, notes)
    runcache.wait()  # the state is written on a thread of its own (api.evaluate waits for it)
    whole_notes: list[str] = []
    whole = align(run.claims, options, run.entities, idf=run.idf, notes=whole_notes)

    def plain(gs):
        return [(g.kind, g.claims, [(s, i, j, tuple(why)) for s, i, j, why in g.links]) for g in gs]

    return plain(groups), plain(whole), sorted(set(notes)), sorted(set(whole_notes)), run.stats["aligned"]


@pytest.mark.parametrize("sizes", [(3, 5, 8), (6, 12, 30), (64, 200, 600)])
def test_incremental_alignment_is_the_whole_alignment_edge_for_edge(tmp_path, sizes):
    """With tiny blocks nearly every change moves a key to another size class (a whole alignment);
    with the defaults most changes are compared alone."""
    from checker.align import AlignOptions

    small, sub, cap = sizes
    options = AlignOptions(small_block=small, sub_block=sub, max_block=cap)
    corpus = _generate(tmp_path / "corpus", docs=60, seed=5)
    cache_dir = str(tmp_path / "cache")
    rng = random.Random(sum(sizes))
    kinds = []
    for step in range(10):
        groups, whole, notes, whole_notes, how = _align_both(corpus, cache_dir, options)
        assert groups == whole, f"step {step}"
        assert notes == whole_notes, f"step {step}"
        kinds.append(how)
        _mutate(corpus, rng)
    assert kinds[0] == "whole"
    if sizes[0] >= 6:
        assert "incremental" in kinds[1:], kinds


def test_a_damaged_or_foreign_alignment_state_means_a_whole_alignment(tmp_path):
    from checker.align import AlignOptions

    corpus = _generate(tmp_path / "corpus", docs=30, seed=3)
    cache_dir = tmp_path / "cache"
    options = AlignOptions()
    _align_both(corpus, str(cache_dir), options)
    (state,) = cache_dir.glob("runs-v*/*/align")
    good = state.read_bytes()
    for bad in (good[:len(good) // 2], good[:6] + b"\x00" * 50, b"nonsense"):
        state.write_bytes(bad)
        groups, whole, notes, whole_notes, how = _align_both(corpus, str(cache_dir), options)
        assert groups == whole and notes == whole_notes and how == "whole"
    # options of another run: the kept pairs were scored on other blocks
    groups, whole, *_ , how = _align_both(corpus, str(cache_dir), AlignOptions(small_block=5))
    assert groups == whole and how == "whole"
    shutil.rmtree(cache_dir)


def test_without_the_size_class_check_a_rerun_would_differ(tmp_path, monkeypatch):
    """The check that keeps an incremental alignment honest is needed: with blocks this small,
    trusting the kept pairs after a change gives other groups than a whole alignment."""
    from checker import incremental
    from checker.align import AlignOptions

    monkeypatch.setattr(incremental, "_same_classes", lambda *a: [])
    monkeypatch.setattr(incremental, "DIRTY_SHARE", 1.0)
    options = AlignOptions(small_block=3, sub_block=5, max_block=8)
    corpus = _generate(tmp_path / "corpus", docs=60, seed=5)
    rng = random.Random(1)
    differ = 0
    for step in range(10):
        groups, whole, notes, whole_notes, how = _align_both(corpus, str(tmp_path / "cache"), options)
        differ += (groups, notes) != (whole, whole_notes)
        _mutate(corpus, rng)
    assert differ


def test_the_sizes_kept_by_blocks_are_the_sum_of_each_documents_share(tmp_path):
    """A run counts its blocking keys block by block (in the comparison workers); a re-run counts the
    changed documents' share one document at a time: both must be the same numbers."""
    from collections import Counter

    from checker import api, incremental
    from checker.align import AlignOptions, distinctive
    from checker.config import Config

    corpus = _generate(tmp_path / "corpus", docs=40, seed=8)
    run = api.collect([str(corpus)], Config(jobs=1, cache=False))
    options = AlignOptions(small_block=4)
    ents = distinctive(run.entities)
    anchors = [e[:options.anchors] for e in ents]
    docs = [(d.path, d.sha256, 0, e) for d, e in zip(run.docs, ents)]
    _, state = incremental._whole(run.claims, docs, anchors, ents, run.idf, options, 1)
    by_doc = incremental._claims_by_doc(run.claims, range(len(run.docs)))
    summed: Counter = Counter()
    for d, claims in by_doc.items():
        summed.update(incremental._contribution(claims, anchors[d], options))
    assert state["sizes"] == dict(summed)
    assert any(k[0] == "s" for k in summed) and any(k[0] == "a" for k in summed)
    kept = incremental.Scored.decode(state)
    assert len(kept.i) > 100 and sorted(kept.cid) == sorted(set(kept.cid))


def test_snapshots_of_other_settings_do_not_pile_up(tmp_path):
    from checker import runcache

    corpus = _generate(tmp_path / "corpus", docs=20, seed=4)
    cache_dir = tmp_path / "cache"
    for n in range(runcache.KEEP_RUNS + 4):  # each reference date is other settings: a run folder of its own
        _report_in_process(corpus, True, str(cache_dir), reference_date=f"2024-01-{n + 1:02d}")
    runs = [p for p in cache_dir.glob("runs-v*/*") if p.is_dir()]
    assert len(runs) == runcache.KEEP_RUNS + 1
    newest = max(runs, key=lambda p: (p / "manifest").stat().st_mtime)
    report, stats = _report_in_process(corpus, True, str(cache_dir), reference_date=f"2024-01-{runcache.KEEP_RUNS + 4:02d}")
    assert stats["cached"] == 20 and newest.exists()
