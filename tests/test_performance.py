"""Parallel extraction and the extraction cache change nothing in the output (issue 6).

Small generated corpora (bench/generate.py), so that the process pool really starts (it only does
from checker.executors.local.MIN_POOL_FILES files on).
"""
from __future__ import annotations

import importlib.util
import json
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

DOCS = 20


def _generate(out: Path, docs: int = DOCS, seed: int = 11) -> Path:
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.generate(out, docs, seed)
    (out / "planted.json").unlink()
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return _generate(tmp_path_factory.mktemp("perf") / "corpus")


def _check(corpus: Path, *extra: str, cwd: Path) -> dict:
    env = {**os.environ, "NO_PROGRESS": "1"}  # each process its own hash seed: the output must not care
    env.pop("PYTHONHASHSEED", None)
    proc = subprocess.run([sys.executable, "-m", "checker", "check", "--format", "json", "--isolated", *extra,
                           str(corpus)], capture_output=True, text=True, cwd=cwd, env=env, timeout=300)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory) -> dict:
    """One process, no cache; and a --no-cache run writes nothing where it runs."""
    where = tmp_path_factory.mktemp("nocache")
    report = _check(corpus, "--jobs", "1", "--no-cache", cwd=where)
    assert report["summary"]["documents"] == DOCS and report["findings"]
    assert not _files(where)
    return report


def test_jobs_1_and_jobs_2_give_identical_json(corpus, reference, tmp_path):
    assert _check(corpus, "--jobs", "2", "--no-cache", cwd=tmp_path) == reference


def _report_in_process(corpus: Path, cache: bool, cache_dir: str, **settings) -> tuple[str, dict]:
    from checker import api, checks
    from checker.config import Config
    from checker.report import render

    rules = checks.load_rules([])
    config = Config(**{"jobs": 1, **settings}, cache=cache, cache_dir=cache_dir)
    run = api.collect([str(corpus)], config)
    return render(api.evaluate(run, rules, config), "json"), run.stats


def test_warm_cache_matches_a_cold_run_also_after_a_file_changes(tmp_path):
    corpus = _generate(tmp_path / "corpus")
    cache_dir = str(tmp_path / "cache")

    uncached, _ = _report_in_process(corpus, False, cache_dir)
    cold, stats = _report_in_process(corpus, True, cache_dir)
    assert stats["extracted"] == DOCS and stats["cached"] == 0
    warm, stats = _report_in_process(corpus, True, cache_dir)
    assert stats["cached"] == DOCS and stats["extracted"] == 0
    assert cold == uncached and warm == uncached

    victim = sorted(corpus.rglob("*.txt"))[0]
    victim.write_text(victim.read_text(encoding="utf-8").replace("Published", "Published on") +
                      "\nOfficials said 1,234 people attended on March 3, 2024.\n", encoding="utf-8")
    changed_uncached, _ = _report_in_process(corpus, False, cache_dir)
    changed_warm, stats = _report_in_process(corpus, True, cache_dir)
    assert stats["cached"] == DOCS - 1 and stats["extracted"] == 1
    assert changed_warm == changed_uncached
    assert changed_warm != uncached


def test_changed_files_extracted_ahead_in_a_forked_child_give_the_same_report(tmp_path, monkeypatch):
    """A re-run with a snapshot and --jobs 2 extracts its few changed files in a child forked at once
    (executors.local._Ahead); when the child fails, this process extracts them: the same report."""
    from checker.executors import local

    if local._start_method() != "fork":
        if "fork" not in multiprocessing.get_all_start_methods():
            pytest.skip("no fork here: the changed files are extracted in this process")
        # another test left a thread in this process (Dask's offload pool), so this process would not
        # fork: the test runs in a fresh one
        proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                               f"{__file__}::test_changed_files_extracted_ahead_in_a_forked_child_give_the_same_report"],
                              capture_output=True, text=True, cwd=ROOT, timeout=600)
        assert proc.returncode == 0 and " passed" in proc.stdout, proc.stdout[-3000:] + proc.stderr[-2000:]
        return
    corpus = _generate(tmp_path / "corpus")
    cache_dir = str(tmp_path / "cache")
    _report_in_process(corpus, True, cache_dir)
    started = []

    class Counted(local._Ahead):
        def __init__(self, paths, settings):
            started.append(list(paths))
            super().__init__(paths, settings)

    monkeypatch.setattr(local, "_Ahead", Counted)
    victims = sorted(corpus.rglob("*.txt"))[:2]
    for round_, child_fails in enumerate((False, True)):
        for victim in victims:
            victim.write_text(victim.read_text(encoding="utf-8") +
                              f"\nA later count put the crowd at {4321 + round_:,} on May 2, 2024.\n", encoding="utf-8")
        if child_fails:  # the child dies after its first file, with nothing sent
            monkeypatch.setattr(local, "_framed", lambda body: os._exit(3))
        expected, _ = _report_in_process(corpus, False, cache_dir)
        ahead, stats = _report_in_process(corpus, True, cache_dir, jobs=2)
        assert started[-1] == [str(v) for v in victims] and len(started) == round_ + 1
        # (the failing child wrote the first file's cache entry before it could not send it: a cache hit here)
        assert stats["extracted"] == (1 if child_fails else 2) and stats["cached"] + stats["extracted"] == DOCS
        assert ahead == expected


def test_a_rerun_trusts_a_kept_file_signature_and_reads_a_file_whose_signature_moved(tmp_path, monkeypatch):
    """Files older than the racy window are not read again while their signature (size, times, inode)
    holds; a same-size edit with its modification time set back still moves the change time."""
    import checker.ingest as ingest
    from checker import runcache

    corpus = _generate(tmp_path / "corpus")
    cache_dir = str(tmp_path / "cache")
    reads = []
    real_read = ingest.read_with_stat
    monkeypatch.setattr(ingest, "read_with_stat", lambda path, max_bytes: reads.append(path) or real_read(path, max_bytes))

    # files written a moment ago are in the racy window: none is trusted, every one is read again
    _report_in_process(corpus, True, cache_dir)
    reads.clear()
    _, stats = _report_in_process(corpus, True, cache_dir)
    assert len(reads) == DOCS and stats["cached"] == DOCS

    monkeypatch.setattr(runcache, "RACY_NS", 0)  # as if they were older
    _report_in_process(corpus, True, cache_dir)
    reads.clear()
    warm, stats = _report_in_process(corpus, True, cache_dir)
    assert reads == [] and stats["cached"] == DOCS
    assert warm == _report_in_process(corpus, False, cache_dir)[0]

    victim = sorted(corpus.rglob("*.txt"))[3]
    before = victim.stat()
    text = victim.read_text(encoding="utf-8")
    first = next(ch for ch in text if ch.isdigit())
    other = "7" if first != "7" else "8"
    victim.write_text(text.replace(first, other, 1), encoding="utf-8")  # same size
    os.utime(victim, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the same modification time
    assert victim.stat().st_size == before.st_size and victim.stat().st_mtime_ns == before.st_mtime_ns
    reads.clear()
    changed, stats = _report_in_process(corpus, True, cache_dir)
    assert reads == [str(victim)] * 2 and stats["extracted"] == 1  # hashed, then extracted
    assert changed == _report_in_process(corpus, False, cache_dir)[0] and changed != warm

    # a lower max-file-size refuses the files it refuses without a snapshot, signatures kept or not
    small = sorted(corpus.rglob("*.txt"), key=lambda p: p.stat().st_size)[0].stat().st_size + 1
    limited, stats = _report_in_process(corpus, True, cache_dir, max_file_size=small)
    assert limited == _report_in_process(corpus, False, cache_dir, max_file_size=small)[0]
    assert "max-file-size" in limited


def test_concurrent_runs_write_the_cache_only_under_its_folder_and_agree(corpus, reference, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    before = _files(tmp_path) | _files(corpus)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONHASHSEED"}
    env["NO_PROGRESS"] = "1"
    args = [sys.executable, "-m", "checker", "check", "--format", "json", "--isolated", str(corpus)]
    procs = [subprocess.Popen(args + extra, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=work,
                              env=env) for extra in (["--jobs", "2"], ["--jobs", "1"])]
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode in (0, 1), err
        assert json.loads(out) == reference
    cache = work / ".claimcheck_cache"
    new = (_files(tmp_path) | _files(corpus)) - before
    assert new and all(cache in p.parents for p in new), sorted(new)[:5]
    assert not [p for p in new if p.name.startswith(".tmp-")]  # every file written was renamed into place
    packs = [p for p in new if p.parent.parent.name.startswith("records-")]
    entries = _pack_entries(packs)
    assert len(packs) >= 2  # a pack per writing process: the two runs never append to one file
    assert all(ok for *_, ok in entries)
    assert len({key for _, _, key, _ in entries}) == DOCS and DOCS <= len(entries) <= 2 * DOCS


def _pack_entries(packs) -> list[tuple[Path, int, bytes, bool]]:
    """Every entry of the given extraction cache packs, read as the format says (not with checker.cache's
    reader): (pack, where its record starts, key, whether the record is whole and its CRC-32 matches)."""
    import zlib

    from checker.cache import HEADER, PACK_MAGIC

    out = []
    for pack in packs:
        data = pack.read_bytes()
        at = 0
        while at + HEADER.size <= len(data):
            magic, key, length, crc = HEADER.unpack_from(data, at)
            if magic != PACK_MAGIC:
                break
            record = data[at + HEADER.size:at + HEADER.size + length]
            out.append((pack, at + HEADER.size, key, len(record) == length and zlib.crc32(record) == crc))
            at += HEADER.size + length
    return out


def _forget_snapshots(cache_dir: str) -> None:
    """Without its run snapshot, a re-run reads the extraction cache (the snapshot serves every document
    without reading an entry)."""
    for manifest in Path(cache_dir).glob("runs-v*/*/manifest"):
        manifest.unlink()


def _cached_run(corpus: Path, cache_dir: str) -> tuple[str, dict]:
    """A run from the extraction cache alone, read by a fresh reader."""
    _forget_snapshots(cache_dir)
    from checker.cache import open_cache

    open_cache.cache_clear()  # a fresh reader, as in a new process
    return _report_in_process(corpus, True, cache_dir)


def test_a_damaged_cache_entry_is_a_miss(corpus, tmp_path):
    cache_dir = str(tmp_path / "cache")
    expected, _ = _report_in_process(corpus, False, cache_dir)
    _report_in_process(corpus, True, cache_dir)
    (pack,) = Path(cache_dir).glob("records-v*/packs-*/*.pack")  # one process wrote them all
    entries = _pack_entries([pack])
    assert len(entries) == DOCS and all(ok for *_, ok in entries)
    data = bytearray(pack.read_bytes())
    first = entries[0][1]
    data[first + 10:first + 20] = b"x" * 10  # a damaged record: its CRC fails
    del data[entries[-1][1] + 20:]  # the last one cut short, as after a crash
    pack.write_bytes(bytes(data))
    again, stats = _cached_run(corpus, cache_dir)
    assert again == expected
    assert stats["extracted"] == 2 and stats["cached"] == DOCS - 2
    final, stats = _cached_run(corpus, cache_dir)
    assert final == expected and stats["cached"] == DOCS  # the two were appended again, to a new pack


def test_a_run_finds_the_entries_the_last_run_s_workers_wrote(corpus, tmp_path, monkeypatch):
    from checker import cache

    monkeypatch.setattr(cache, "REFRESH_SECONDS", 3600.0)  # a process looks for others' entries once an hour
    cache_dir = str(tmp_path / "cache")
    expected, _ = _report_in_process(corpus, False, cache_dir)
    assert cache.open_cache(cache_dir).get("00" * 32) is None  # this process has just looked: nothing there
    cold, stats = _report_in_process(corpus, True, cache_dir, jobs=2)  # the pool's workers write the entries
    assert cold == expected and stats["extracted"] == DOCS
    assert Path(cache_dir, "records-v2").exists() and not cache.open_cache(cache_dir)._index
    _forget_snapshots(cache_dir)
    warm, stats = _report_in_process(corpus, True, cache_dir)  # a run looks again at its first miss
    assert warm == expected and stats["cached"] == DOCS


def test_a_pack_is_read_up_to_a_header_it_cannot_parse(corpus, tmp_path):
    cache_dir = str(tmp_path / "cache")
    expected, _ = _report_in_process(corpus, False, cache_dir)
    _report_in_process(corpus, True, cache_dir)
    (pack,) = Path(cache_dir).glob("records-v*/packs-*/*.pack")
    entries = _pack_entries([pack])
    data = bytearray(pack.read_bytes())
    from checker.cache import HEADER

    header = entries[5][1] - HEADER.size
    data[header:header + 4] = b"JUNK"  # the sixth entry's header: it and all after it are lost
    pack.write_bytes(bytes(data))
    again, stats = _cached_run(corpus, cache_dir)
    assert again == expected
    assert stats["cached"] == 5 and stats["extracted"] == DOCS - 5


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="tells a pack's descriptor by /proc")
def test_a_cache_that_cannot_be_written_is_no_cache(corpus, tmp_path, monkeypatch):
    from checker import cache

    cache_dir = str(tmp_path / "cache")
    expected, _ = _report_in_process(corpus, False, cache_dir)
    writes = []

    write = os.write

    def full_disk(fd, data):  # for the cache's packs only
        if not os.readlink(f"/proc/self/fd/{fd}").endswith(".pack"):
            return write(fd, data)
        writes.append(len(data))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", full_disk)
    cache.open_cache.cache_clear()
    report, stats = _report_in_process(corpus, True, cache_dir)
    assert report == expected and stats["extracted"] == DOCS
    assert len(writes) == 1  # after a failed write, the process appends nothing more


@pytest.mark.parametrize("max_claims", [20_000, 3])
def test_a_rerun_reads_the_run_snapshot_and_a_damaged_chunk_is_a_miss(corpus, tmp_path, max_claims):
    cache_dir = tmp_path / "cache"
    expected, _ = _report_in_process(corpus, False, str(cache_dir), max_claims=max_claims)
    cold, _ = _report_in_process(corpus, True, str(cache_dir), max_claims=max_claims)
    chunks = [p for p in cache_dir.glob("runs-v*/*/*") if p.name not in ("manifest", "align")]
    assert cold == expected and chunks
    for folder in cache_dir.glob("records-v*"):
        shutil.rmtree(folder)  # the snapshot alone serves a re-run: no entry is read
    warm, stats = _report_in_process(corpus, True, str(cache_dir), max_claims=max_claims)
    assert warm == expected
    assert stats["cached"] == DOCS and stats["extracted"] == 0
    chunks[0].write_bytes(chunks[0].read_bytes()[:30])  # truncated
    again, stats = _report_in_process(corpus, True, str(cache_dir), max_claims=max_claims)
    assert again == expected
    assert stats["extracted"] >= 1 and stats["cached"] + stats["extracted"] == DOCS
    final, stats = _report_in_process(corpus, True, str(cache_dir), max_claims=max_claims)
    assert final == expected and stats["cached"] == DOCS  # the chunk was written again


def test_claim_records_round_trip_what_extraction_found():
    from checker import records
    from checker.extract import ExtractOptions, extract
    from checker.ingest import discover, load

    paths = [p for p in discover([str(ROOT / "seeds"), str(ROOT / "tests" / "fixtures" / "clusters")])
             if isinstance(p, str)]
    assert len(paths) > 20
    for path in paths:
        doc = load(path)
        if not hasattr(doc, "text"):
            continue
        claims = extract(doc, ExtractOptions())[0]
        record = records.loads(records.dumps(records.document_record(doc, claims, "0" * 64)))
        for c in claims:
            c.doc = 3
        assert repr(records.claims_from_record(record, 3)) == repr(claims), path  # repr: 1 != 1.0 != True
        kept = records.DocumentRecord(path, record)
        for c in claims:
            s0, s1 = c.sentence
            assert kept.text[s0:s1] == doc.text[s0:s1]
            for pos, end in ((c.start, False), (c.end, True)):
                assert kept.raw_offset(pos, end) == doc.raw_offset(pos, end)
                assert kept.line_col(kept.raw_offset(pos, end)) == doc.line_col(doc.raw_offset(pos, end))


def test_alignment_spread_over_processes_gives_the_same_groups(tmp_path):
    """align(jobs=2) hands the unit blocks (a task each, with its claims) to a pool of fresh worker
    processes: the same groups, links and notes. The script has no __main__ guard and runs threads:
    the workers must neither run it again nor depend on forking."""
    corpus = _generate(tmp_path / "corpus", docs=120, seed=5)
    script = tmp_path / "script.py"
    script.write_text(f"""
import json, sys, threading
sys.path.insert(0, {str(ROOT)!r})
import checker.align as align_module
from checker import api
from checker.config import Config
from checker.executors import local

threading.Thread(target=threading.Event().wait, args=(60,), daemon=True).start()
run = api.collect([{str(corpus)!r}], Config(jobs=1, cache=False))
align_module.PARALLEL_CLAIMS = 0
tasks = []
real = local.map_compare
local.map_compare = lambda claims, blocks, order, stats, jobs: tasks.append(len(order)) or real(claims, blocks, order, stats, jobs)
small = align_module.AlignOptions(small_block=3, max_block=10, sub_block=6)  # caps hit: notes to compare too
out = []
for jobs in (1, 2):
    notes = []
    groups = align_module.align(run.claims, small, doc_entities=run.entities, notes=notes, jobs=jobs)
    out.append([[(g.kind, g.claims, g.links) for g in groups], sorted(notes)])
print(json.dumps({{"tasks": tasks, "results": out}}))
""", encoding="utf-8")
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    found = json.loads(proc.stdout)  # one line: the script ran once
    assert len(found["tasks"]) == 1 and found["tasks"][0] > 2  # one pool, several unit blocks
    one, two = found["results"]
    assert one == two
    assert one[0] and one[1]


def test_block_rows_carry_a_unit_block_to_a_worker_whole():
    """What a comparison worker receives: the block's claims, equal, with contexts unpacked."""
    from checker import api, records
    from checker.align import unit_blocks
    from checker.config import Config
    from checker.executors import compare

    run = api.collect([str(ROOT / "seeds")], Config(jobs=1, cache=False))
    for ub, ids in unit_blocks(run.claims).items():
        got = compare.claims_of_rows(compare.block_rows(run.claims, ids))
        assert list(got) == ids
        want = records.unpacked(run.claims, ids)
        assert all(repr(got[i]) == repr(want[i]) for i in ids), ub


def test_story_pairs_are_the_related_pairs_of_a_block():
    """_story_pairs() enumerates an anchored block's pairs through the documents' other nouns: never a
    pair that combinations() would not give, and every pair whose documents are related (random blocks
    drawn from a small pool of nouns, so that documents share the anchor and more, or only the anchor;
    with months of publication, pairs far apart are not enumerated)."""
    import random
    from itertools import combinations
    from types import SimpleNamespace

    from checker import align as align_module

    rng = random.Random(3)
    pool = [f"n{k}" for k in range(12)]
    checked = 0
    for _ in range(600):
        docs = rng.randrange(1, 40)
        entities = [rng.sample(pool, rng.randrange(0, 5)) for _ in range(docs)]
        anchor = rng.choice(pool)
        for ents in entities:
            if rng.random() < 0.8 and anchor not in ents:
                ents.insert(0, anchor)
        claims = [SimpleNamespace(doc=d) for d in range(docs) for _ in range(rng.randrange(0, 3))]
        ids = [i for i, c in enumerate(claims) if anchor in entities[c.doc]]
        # dates of publication on half of the runs, some documents without one
        months = {d: rng.randrange(24300, 24330) for d in range(docs) if rng.random() < 0.8} if _ % 2 else None
        related = align_module.related_documents(entities, months)
        everything = set(combinations(ids, 2))
        pairs, sure = align_module._story_pairs(claims, ids, anchor, related)
        got = set(pairs)
        assert got <= everything
        assert {(i, j) for i, j in everything if related(claims[i].doc, claims[j].doc)} <= got
        if sure:  # then the edges skip related(): it must hold for every pair
            assert all(related(claims[i].doc, claims[j].doc) for i, j in got)
            checked += 1
        # and _related_pairs() gives exactly the related ones, each once, asking once per pair of documents
        asked = []
        memo: dict = {}

        def counted(a, b):
            asked.append((a, b))
            return related(a, b)
        found = align_module._related_pairs(claims, ids, counted, memo)
        assert len(found) == len(set(found))
        assert set(found) == {(i, j) for i, j in everything if related(claims[i].doc, claims[j].doc)}
        assert len(asked) == len(set(asked)) and all(a < b for a, b in asked)
        assert align_module._related_pairs(claims, ids, counted, memo) == found and len(asked) == len(memo)
    assert checked > 100


def test_blocking_through_second_nouns_keeps_the_groups(tmp_path, monkeypatch):
    """The same groups, links and notes whether blocks enumerate every pair, only the pairs of
    documents that share a second noun (anchored blocks), or only the pairs of related documents (a
    generated corpus: stories share names and places)."""
    from checker import api
    from checker import align as align_module
    from checker.config import Config

    run = api.collect([str(_generate(tmp_path / "corpus", docs=300, seed=8))], Config(jobs=1, cache=False))
    out = []
    for story, related in ((10**9, 10**9), (2, 2), (10**9, 2), (12, 8)):
        monkeypatch.setattr(align_module, "STORY_PAIRS_FROM", story)
        monkeypatch.setattr(align_module, "RELATED_FROM", related)
        notes: list[str] = []
        groups = align_module.align(run.claims, doc_entities=run.entities, notes=notes)
        out.append(([(g.kind, g.claims, g.links) for g in groups], sorted(notes)))
    assert out[0] == out[1] == out[2] == out[3]
    assert len(out[0][0]) > 50


def test_gc_pause_freezes_only_in_a_one_shot_process(monkeypatch):
    """The command line (ONE_SHOT) freezes what a paused stretch made, so the collector never walks a
    large run again; a caller in its own process (tests, the language server) keeps collecting it."""
    import gc

    from checker import bulk, cli

    assert gc.isenabled()
    gc.unfreeze()
    with bulk.gc_paused():
        assert not gc.isenabled()
        kept = [[i] for i in range(1000)]
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert cli.main(["rules"]) == 0 and not bulk.ONE_SHOT  # main() with arguments: not the program
    monkeypatch.setattr(bulk, "ONE_SHOT", True)
    try:
        with bulk.gc_paused():
            kept.append([0])
        assert gc.isenabled() and gc.get_freeze_count() >= len(kept)
    finally:
        gc.unfreeze()


def test_a_chain_of_stories_bridged_by_one_related_pair_stays_three_groups():
    """link() joins two groups only when most pairs of their documents are related: three two-document
    stories, the second report of each sharing two nouns with the first report of the next, give three
    groups (pairwise links alone made one group of all six; in a large archive such chains grew to
    thousands of claims). A brief that shares nouns with one report of a story still joins it."""
    from types import SimpleNamespace

    from checker import align as align_module

    entities = [["Anna Berg", "Oslo"], ["Anna Berg", "Oslo", "Carl Dahl", "Bergen"],
                ["Carl Dahl", "Bergen", "Gdansk"], ["Carl Dahl", "Gdansk", "Eva Falk", "Malmo"],
                ["Eva Falk", "Malmo", "Ivar Lund"], ["Ivar Lund", "Malmo", "Hanna Ek"]]
    claims = [SimpleNamespace(doc=d, kind="count", context={}) for d in range(6)]
    inside = [(0.9, 0, 1, ["killed"]), (0.9, 2, 3, ["killed"]), (0.9, 4, 5, ["killed"])]
    bridges = [(0.8, 1, 2, ["killed"]), (0.8, 3, 4, ["killed"])]
    groups = align_module.link(claims, inside + bridges, entities)
    assert [g.claims for g in groups] == [[0, 1], [2, 3], [4, 5]]
    assert all(edge in inside for g in groups for edge in g.links)

    # a one-document brief (doc 2 alone) related to one report of a two-document story joins it
    groups = align_module.link(claims[:3], [inside[0], bridges[0]], entities[:3])
    assert [g.claims for g in groups] == [[0, 1, 2]]


def test_a_brief_with_one_proper_noun_joins_one_story():
    """A brief whose only distinctive noun is a town ('Trovale') relates to every story of that town;
    like a brief with none, it joins only the story of its strongest link, never two stories."""
    from types import SimpleNamespace

    from checker import align as align_module

    entities = [["trovale", "zoak"], ["trovale", "bothienbridge"], ["trovale"]]
    claims = [SimpleNamespace(doc=d, kind="percent", context={}) for d in range(3)]
    found = [(0.8, 0, 2, ["jobless"]), (0.7, 1, 2, ["jobless"])]
    groups = align_module.link(claims, found, entities)
    assert [g.claims for g in groups] == [[0, 2]]


def test_a_run_keeps_contexts_packed_and_reports_as_if_they_were_not(tmp_path):
    """A run's claims keep their contexts packed (bytes, equal ones one object: two thirds of a
    claim's memory); align unpacks one unit block at a time, the rules the claims they read. The
    report is the one a run of unpacked claims gives, and the word weights worked out while loading
    are compute_idf's."""
    from checker import api, checks, records
    from checker.align import compute_idf
    from checker.config import Config
    from checker.extract import ExtractOptions, extract
    from checker.ingest import load

    corpus = _generate(tmp_path / "corpus", docs=30, seed=3)
    twin = corpus / "twin.md"
    first = sorted(corpus.rglob("*.md"))[0]
    twin.write_text(first.read_text(encoding="utf-8"), encoding="utf-8")  # every context has an equal one
    config = Config(jobs=1, cache=False)
    run = api.collect([str(corpus)], config)
    assert run.claims and all(type(c.context) is bytes for c in run.claims)
    paths = [d.path for d in run.docs]
    a, b = paths.index(str(first)), paths.index(str(twin))
    mine = [c for c in run.claims if c.doc == a]
    theirs = [c for c in run.claims if c.doc == b]
    assert all(x.context is y.context for x, y in zip(mine, theirs, strict=True))
    assert [records.context_of(c) for c in mine] == [c.context for c in extract(load(str(first)), ExtractOptions())[0]]
    rules = [r for r in checks.load_rules(config.rule_packs) if config.rule_enabled(r.code)]
    packed = api.evaluate(run, rules, config)
    plain_idf = compute_idf(run.claims)
    assert run.idf == plain_idf
    for c in run.claims:
        c.context = records.context_of(c)
    run.idf = None
    assert compute_idf(run.claims) == plain_idf
    plain = api.evaluate(run, rules, config)
    assert packed.findings and packed.model_dump_json() == plain.model_dump_json()


def test_evidence_keeps_few_documents_decompressed_and_reads_the_same(monkeypatch):
    """Rendering evidence decompresses a document's kept sentences; only the most recent few stay so
    (an archive's findings quote 100,000s of documents): the report is the same with a budget of one."""
    from checker import api, checks, records
    from checker.config import Config

    config = Config(jobs=1, cache=False)
    rules = [r for r in checks.load_rules(config.rule_packs) if config.rule_enabled(r.code)]
    paths = [str(ROOT / "seeds"), str(ROOT / "tests" / "fixtures" / "clusters")]
    plenty = api.evaluate(api.collect(paths, config), rules, config)
    monkeypatch.setattr(records, "DECOMPRESSED_DOCUMENTS", 1)
    run = api.collect(paths, config)
    tight = api.evaluate(run, rules, config)
    assert len({f.claims[0].path for f in tight.findings}) > 5
    assert tight.model_dump_json() == plenty.model_dump_json()
    assert sum(d._kept is not None for d in run.docs) <= 1


def test_link_takes_edges_strongest_first_as_a_sort_on_negated_scores_would():
    import random

    from checker.align import _strongest_first

    rnd = random.Random(4)
    pairs = rnd.sample([(i, j) for i in range(60) for j in range(i + 1, 60)], 900)
    edges = [(rnd.choice((0.25, 0.5, 0.5, 0.75, 0.9)), i, j, ("w",)) for i, j in pairs]
    assert list(_strongest_first(sorted(edges))) == sorted(edges, key=lambda e: (-e[0], e[1], e[2]))
    assert list(_strongest_first([])) == []


def test_extraction_pool_in_a_threaded_script_without_a_main_guard(corpus, tmp_path):
    """A process that runs threads does not fork its extraction pool (forkserver instead): the
    workers must not import the caller's script again (it has no __main__ guard)."""
    script = tmp_path / "script.py"
    script.write_text(f"""
import json, sys, threading
sys.path.insert(0, {str(ROOT)!r})
from checker import api
from checker.config import Config
from checker.executors import local

threading.Thread(target=threading.Event().wait, args=(60,), daemon=True).start()
assert local._start_method() != "fork"
counts = [len(api.collect([{str(corpus)!r}], Config(jobs=jobs, cache=False)).claims) for jobs in (1, 2)]
print(json.dumps(counts))
""", encoding="utf-8")
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    one, two = json.loads(proc.stdout)  # one line: the script ran once
    assert one == two > 0


def test_average_linkage_stops_asking_once_the_answer_is_certain():
    """most_pairs() answers as counting every pair would (lists with repeats, sets, overlaps, empty),
    asking `same` no more often."""
    import random

    from checker.align import most_pairs

    rnd = random.Random(7)
    for _ in range(3000):
        xs = [rnd.randrange(6) for _ in range(rnd.randrange(5))]
        ys = [rnd.randrange(6) for _ in range(rnd.randrange(5))]
        if rnd.random() < 0.5:
            xs, ys = set(xs), set(ys)
        table = {(a, b): rnd.random() < 0.5 for a in range(6) for b in range(6)}
        asked = []
        got = most_pairs(xs, ys, lambda a, b: asked.append((a, b)) or table[a, b])
        pairs = [table[x, y] for x in xs for y in ys if x != y]
        assert got == (2 * sum(pairs) >= len(pairs))
        assert len(asked) <= len(pairs)
    calls = []
    assert most_pairs(set(range(100)), set(range(100, 200)), lambda a, b: calls.append(1) or True) is True
    assert len(calls) == 5_000  # half of the 10,000 pairs settle it


def test_derived_prefilters_are_kept_per_code_version_and_a_damaged_file_is_ignored(corpus, tmp_path, monkeypatch):
    from checker import executors
    from checker.extract import prefilter

    cache = tmp_path / "cache"
    doc = sorted(corpus.rglob("*.txt"))[0]
    # a fresh process (its scanners not built yet) extracts a file: it derives the start regexes and keeps them
    code = ("import sys; from checker import executors; from checker.config import Config; "
            "from checker.extract import prefilter; "
            f"s = executors.ExtractSettings.from_config(Config(cache_dir={str(cache)!r})); "
            f"executors.process_document({str(doc)!r}, s, reuse=False); print(len(prefilter.DERIVED))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    derived = int(out.stdout)
    (kept,) = cache.glob("prefilters-*")
    assert derived > 0
    (cache / "prefilters-0123456789abcdef").write_bytes(kept.read_bytes())  # another code version's
    kept.unlink()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert [p.name for p in cache.glob("prefilters-*")] == [kept.name]  # written again, the other removed
    # another fresh process reads them instead of deriving them
    code = ("import sys; from checker import executors; from checker.extract import prefilter; "
            f"executors._Derived({str(kept)!r}); print(len(prefilter.DERIVED))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert int(out.stdout) == derived
    for damaged in (kept.read_bytes()[:-5], b"x" * 40, b""):
        kept.write_bytes(damaged)
        monkeypatch.setattr(prefilter, "DERIVED", {})
        executors._Derived(str(kept))
        assert prefilter.DERIVED == {}


def test_stages_benchmark_times_every_step_of_extract(corpus):
    """bench/stages.py times each step where extract() calls it and the candidate scanners alone."""
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "stages.py"), "--corpus", str(corpus)],
                          capture_output=True, text=True, timeout=300, env={**os.environ, "NO_PROGRESS": "1"})
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert f"{DOCS} documents" in out
    for step in ("extract_dates", "extract_numbers", "extract_names", "annotate", "split_sentences",
                 "document_record"):
        assert any(line.split()[:1] == [step] and line.endswith("us per claim") for line in out.splitlines()), step
    assert "dates._DATE_SCAN" in out and "numbers._CANDIDATE_SCAN" in out
    assert "2 MB/s end to end allows" in out
    floor = next(line for line in out.splitlines() if line.startswith("a run that only found candidates"))
    seconds, rate = re.search(r"take ([\d.]+) s = ([\d.]+) MB/s \((?:within|over) the", floor).groups()
    assert float(seconds) > 0 and float(rate) > 0
