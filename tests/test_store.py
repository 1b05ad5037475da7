"""The claims store (claimcheck index, check --store, check --against-store): the same answers as a plain
run on the same files, incremental re-indexing, compaction, and a clear error for another format."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT, run_cli

pytest.importorskip("pyarrow")

from checker import align, api, checks, store  # noqa: E402
from checker.config import Config  # noqa: E402
from checker.report import render  # noqa: E402

CLUSTERS = ["flag-death-toll-revision", "flag-name-three-spellings", "flag-passengers-230-vs-232",
            "flag-quarter-revenue-mismatch", "noflag-agreements-different-summits", "flag-time-gmt-mismatch"]


@pytest.fixture
def corpus(tmp_path, monkeypatch) -> Path:
    """A small archive: several fixture clusters, the seeds and the draft fixture's sources."""
    root = tmp_path / "archive"
    for name in CLUSTERS:
        shutil.copytree(FIXTURES / "clusters" / name / "docs", root / name)
    shutil.copytree(ROOT / "seeds", root / "seeds", ignore=shutil.ignore_patterns("*.json"))
    shutil.copytree(FIXTURES / "draft", root / "draft")
    (root / "draft" / "draft.md").rename(tmp_path / "draft.md")
    monkeypatch.chdir(tmp_path)
    return root


def _config() -> Config:
    return Config(cache=False, jobs=1)


def _rules(config):
    return [r for r in checks.load_rules(config.rule_packs) if config.rule_enabled(r.code)]


def _plain(paths, config) -> str:
    rules = _rules(config)
    return render(api.evaluate(api.collect(paths, config), rules, config), "json", rules=rules)


def _from_store(directory, config) -> str:
    rules = _rules(config)
    return render(api.evaluate(store.load_run(directory, config), rules, config), "json", rules=rules)


def _draft_plain(draft, sources, config) -> str:
    rules = _rules(config)
    run = api.collect_draft([draft], sources, config)
    return render(api.evaluate(run, rules, config, draft_only=True), "json", rules=rules)


def _draft_store(draft, directory, config) -> str:
    rules = _rules(config)
    return render(store.check_draft([draft], directory, rules, config), "json", rules=rules)


def _same_answer(from_store: str, plain: str) -> None:
    """A draft against the store answers as against all the files: the same findings, notes, totals
    and draft; its document list names the draft and the documents it was compared with (a subset)."""
    a, b = json.loads(from_store), json.loads(plain)
    docs_a, docs_b = a.pop("documents"), b.pop("documents")
    assert a == b
    assert docs_a[0] == docs_b[0] and docs_a[0]["role"] == "draft"
    assert all(d in docs_b for d in docs_a)
    cited = {c["path"] for f in a["findings"] for c in f["claims"]}
    assert cited <= {d["path"] for d in docs_a}  # every document a finding quotes is listed


def test_full_check_from_store_is_identical(corpus):
    config = _config()
    stats = store.index(["archive"], "st", config)
    assert stats["extracted"] == stats["documents"] > 10
    assert _from_store("st", config) == _plain(["archive"], config)
    assert sorted(os.listdir("st")) == ["catalog.parquet", "documents.json", "manifest.json",
                                        "seg-000001.claims.parquet", "seg-000001.docs.parquet",
                                        "seg-000001.keys.parquet", "stats.bin"]


def test_draft_against_store_is_identical_and_reads_part_of_it(corpus, monkeypatch):
    config = _config()
    store.index(["archive"], "st", config)
    expected = _draft_plain("draft.md", ["archive"], config)
    assert json.loads(expected)["findings"], "the draft fixture conflicts with its sources"
    loaded = []
    real = store._records_of
    monkeypatch.setattr(store, "_records_of", lambda d, entries: loaded.extend(entries) or real(d, entries))
    _same_answer(_draft_store("draft.md", "st", config), expected)
    total = store.read_manifest("st")["documents"]
    assert 0 < len({e["p"] for e in loaded}) < total  # only the documents its blocking keys reach
    # every archived document, checked as a draft against the rest (it is never its own source)
    for name in ("flag-passengers-230-vs-232", "flag-name-three-spellings", "seeds"):
        draft = str(sorted((corpus / name).iterdir())[0].relative_to(corpus.parent))
        _same_answer(_draft_store(draft, "st", config), _draft_plain(draft, ["archive"], config))


def test_incremental_index_add_change_delete_and_compact(corpus):
    config = _config()
    store.index(["archive"], "st", config)
    again = store.index(["archive"], "st", config)
    assert again["extracted"] == 0 and again["segments"] == 1
    changed = corpus / "flag-passengers-230-vs-232"
    first = sorted(changed.iterdir())[0]
    text = first.read_text(encoding="utf-8")
    first.write_text(text.replace("230", "231") if "230" in text else text + "\nIt carried 231 passengers.\n",
                     encoding="utf-8")
    (corpus / "seeds" / "new-note.txt").write_text("The bridge reopened on March 3, 2025, after 14 months.\n",
                                                   encoding="utf-8")
    gone = sorted((corpus / "flag-death-toll-revision").iterdir())[0]
    gone.unlink()
    os.utime(corpus / "seeds" / "wire-report.md")  # touched, not changed: kept
    stats = store.index(["archive"], "st", config)
    assert (stats["extracted"], stats["deleted"], stats["segments"]) == (2, 1, 2)
    assert _from_store("st", config) == _plain(["archive"], config)
    _same_answer(_draft_store("draft.md", "st", config), _draft_plain("draft.md", ["archive"], config))
    assert gone.name not in json.dumps(store.read_documents("st"))
    compacted = store.index([], "st", config, compact=True)
    assert compacted["segments"] == 1
    assert len([n for n in os.listdir("st") if n.endswith(".docs.parquet")]) == 1
    assert _from_store("st", config) == _plain(["archive"], config)
    _same_answer(_draft_store("draft.md", "st", config), _draft_plain("draft.md", ["archive"], config))


def test_cli_store_output_is_byte_identical(corpus):
    cwd = corpus.parent
    assert run_cli("index", "archive", "--store", "st", "--no-cache", cwd=cwd).returncode == 0
    plain = run_cli("check", "archive", "--no-cache", cwd=cwd)
    stored = run_cli("check", "--store", "st", cwd=cwd)
    assert plain.returncode == stored.returncode == 1
    assert stored.stdout == plain.stdout
    draft = run_cli("check", "draft.md", "--against-store", "st", "--format", "json", cwd=cwd)
    assert draft.returncode == 1, draft.stderr
    _same_answer(draft.stdout, _draft_plain("draft.md", ["archive"], _config()))


def test_store_of_another_format_version_is_a_clear_error(corpus):
    cwd = corpus.parent
    assert run_cli("index", "archive", "--store", "st", cwd=cwd).returncode == 0
    manifest = json.loads((cwd / "st" / "manifest.json").read_text())
    manifest["format"] = store.STORE_FORMAT + 1
    (cwd / "st" / "manifest.json").write_text(json.dumps(manifest))
    for args in (["check", "--store", "st"], ["check", "draft.md", "--against-store", "st"],
                 ["index", "archive", "--store", "st"]):
        proc = run_cli(*args, cwd=cwd)
        assert proc.returncode == 2, (args, proc.stderr)
        assert "claims store format" in proc.stderr and "Traceback" not in proc.stderr
        assert proc.stdout == ""
    missing = run_cli("check", "--store", "nowhere", cwd=cwd)
    assert missing.returncode == 2 and "not a claims store" in missing.stderr


def test_store_written_by_other_code_or_settings_is_refused(corpus):
    config = _config()
    store.index(["archive"], "st", config)
    with pytest.raises(store.StoreError, match="other extraction settings"):
        store.load_run("st", Config(cache=False, jobs=1, day_first=True))
    manifest = json.loads(Path("st/manifest.json").read_text())
    manifest["code_version"] = "0.0.0+older"
    Path("st/manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(store.StoreError, match="re-index"):
        store.load_run("st", config)
    stats = store.index(["archive"], "st", config)  # another claimcheck's store: extracted again, not trusted
    assert stats["extracted"] == stats["documents"]
    assert _from_store("st", config) == _plain(["archive"], config)


def test_generated_archive_full_and_drafts_are_identical(tmp_path, monkeypatch):
    """A generated archive (stories of several reports, shared names and places): the full check and
    drafts taken from it give the plain run's answers while loading part of the store."""
    import subprocess
    import sys

    subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), str(tmp_path / "corpus"), "--docs", "60"],
                   check=True, capture_output=True)
    monkeypatch.chdir(tmp_path)
    config = Config(cache_dir=str(tmp_path / "cache"), jobs=1)  # the cache makes the plain runs cheap
    store.index(["corpus"], "st", config)
    assert _from_store("st", config) == _plain(["corpus"], config)
    run = store.load_run("st", config)  # the full check takes its word weights from the statistics
    assert run.idf == align.compute_idf(run.claims) and len(run.idf) > 100
    files = sorted(str(p.relative_to(tmp_path)) for p in (tmp_path / "corpus").rglob("*")
                   if p.suffix in (".txt", ".md", ".html"))
    for draft in files[::12]:
        _same_answer(_draft_store(draft, "st", config), _draft_plain(draft, ["corpus"], config))


def test_draft_against_store_with_tiny_caps_is_identical(tmp_path, monkeypatch):
    """The draft look-up decides small blocks, caps, time windows and unplaced documents with the
    archive's sizes, not with the documents it loads: with caps small enough that a 120-document
    archive hits all of them, every draft still answers as against all the files (notes included)."""
    import subprocess
    import sys
    from functools import partial

    import checker.align as align_module

    subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), str(tmp_path / "corpus"), "--docs", "120",
                    "--seed", "3"], check=True, capture_output=True)
    monkeypatch.chdir(tmp_path)
    tiny = partial(align_module.AlignOptions, small_block=3, max_block=12, sub_block=6, anchors=2)
    monkeypatch.setattr(align_module, "AlignOptions", tiny)
    monkeypatch.setattr(store, "AlignOptions", tiny)
    config = Config(cache_dir=str(tmp_path / "cache"), jobs=1)
    store.index(["corpus"], "st", config)
    files = sorted(str(p.relative_to(tmp_path)) for p in (tmp_path / "corpus").rglob("*")
                   if p.suffix in (".txt", ".md", ".html"))
    notes = findings = 0
    for draft in files[::7]:
        plain = _draft_plain(draft, ["corpus"], config)
        _same_answer(_draft_store(draft, "st", config), plain)
        notes += len(json.loads(plain)["notes"])
        findings += len(json.loads(plain)["findings"])
    assert notes and findings  # the caps were hit, and drafts had findings


def test_a_lost_catalog_is_rebuilt_from_the_records(corpus):
    """catalog.parquet gone (or damaged): the next index rebuilds it from the stored records, and
    drafts answer as before."""
    config = _config()
    store.index(["archive"], "st", config)
    expected = _draft_plain("draft.md", ["archive"], config)
    Path("st/catalog.parquet").write_bytes(b"not parquet")
    stats = store.index(["archive"], "st", config)
    assert stats["extracted"] == 0
    _same_answer(_draft_store("draft.md", "st", config), expected)


def test_an_index_larger_than_a_segment_is_written_in_several(corpus, monkeypatch):
    """Indexing writes a segment every SEGMENT_DOCS documents (bounded memory); answers do not change,
    and --compact rewrites the live rows into as few segments as that allows."""
    monkeypatch.setattr(store, "SEGMENT_DOCS", 4)
    config = _config()
    stats = store.index(["archive"], "st", config)
    live = store.read_manifest("st")["documents"]
    assert stats["segments"] == -(-live // 4) > 2
    assert _from_store("st", config) == _plain(["archive"], config)
    _same_answer(_draft_store("draft.md", "st", config), _draft_plain("draft.md", ["archive"], config))
    first = sorted((corpus / "flag-passengers-230-vs-232").iterdir())[0]
    first.write_text(first.read_text(encoding="utf-8") + "\nIt carried 231 passengers.\n", encoding="utf-8")
    assert store.index(["archive"], "st", config)["segments"] == stats["segments"] + 1
    assert store.index([], "st", config, compact=True)["segments"] == stats["segments"]
    assert _from_store("st", config) == _plain(["archive"], config)
    _same_answer(_draft_store("draft.md", "st", config), _draft_plain("draft.md", ["archive"], config))


def test_draft_names_reach_every_spelling_of_its_people_and_no_other(tmp_path, monkeypatch):
    """Spellings one token apart that share a role are followed through the store, a chain and the
    house style included; a spelling one token apart with another role is never read."""
    from tests.test_variant_focus import CHAIN

    root = tmp_path / "archive"
    root.mkdir()
    for name, text in CHAIN.items():
        (root / name).write_text(text, encoding="utf-8")
    (root / "z.md").write_text("Goalkeeper Mohamed Salem saved a penalty for Lowmoor Rovers.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    config = Config(cache=False, jobs=1, names=[{"canonical": "Mohammed Salem", "aliases": ["Abu Salem"]}])
    store.index(["archive"], "st", config)
    people = []
    real = store._people
    monkeypatch.setattr(store, "_people", lambda *a: people.append(real(*a)) or people[-1])
    for name in sorted(CHAIN):
        draft = f"archive/{name}"
        people.clear()
        answer = _draft_store(draft, "st", config)
        _same_answer(answer, _draft_plain(draft, ["archive"], config))
        if name == "a.md":
            spellings = [f for f in json.loads(answer)["findings"] if f["rule"] == "CC201"]
            assert len(spellings) == 1 and len(spellings[0]["claims"]) == 4  # four spellings of one man
            # the documents read for the draft's people: the spokesman's other three spellings (the draft's
            # own stored copy is not its source), not the goalkeeper (one token away, another role)
            assert people == [{"archive/b.md", "archive/c.md", "archive/d.md"}]


def test_damaged_statistics_are_a_clear_error(corpus):
    cwd = corpus.parent
    assert run_cli("index", "archive", "--store", "st", cwd=cwd).returncode == 0
    (cwd / "st" / "stats.bin").write_bytes(b"CCSTATS1 0000\nnot marshal")
    for args in (["check", "draft.md", "--against-store", "st"], ["index", "archive", "--store", "st"]):
        proc = run_cli(*args, cwd=cwd)
        assert proc.returncode == 2, (args, proc.stderr)
        assert "stats.bin" in proc.stderr and "Traceback" not in proc.stderr
    assert run_cli("check", "--store", "st", cwd=cwd).returncode == 1  # the full check does not need them


def _claim_fields(c) -> tuple:
    from checker.records import context_of

    return (c.kind, c.start, c.end, c.text, c.value, c.doc, c.sentence, context_of(c), c.suppressed)


def test_a_stored_run_keeps_its_claims_in_a_spool_and_reads_them_as_collect_does(corpus, monkeypatch):
    """check --store holds each claim as a few bytes and writes the claim to a spool, next to its unit
    block's: the same claims in the same order as collect(), the same blocks and months, the same
    report whether the comparison runs here or in workers that read the spool, with chunks of a few
    claims and one document's evidence decompressed at a time; the spool goes when the table does."""
    import gc

    from checker import claimtable, records

    config = _config()
    store.index(["archive/seeds", "archive/draft"], "st", config)  # a first segment ...
    store.index(["archive"], "st", config)  # ... and a second: documents come out of order of path
    assert len(store.read_manifest("st")["segments"]) == 2
    monkeypatch.setattr(claimtable, "CHUNK_ROWS", 3)
    monkeypatch.setattr(claimtable, "CACHED_CHUNKS", 2)
    plain = api.collect(["archive"], config)
    run = store.load_run("st", config)
    table = run.claims
    assert isinstance(table, claimtable.ClaimTable) and len(table) == len(plain.claims) > 50
    assert [_claim_fields(c) for c in table] == [_claim_fields(c) for c in plain.claims]
    assert [_claim_fields(table[i]) for i in (-1, 7, 0, 7)] == [_claim_fields(plain.claims[i]) for i in (-1, 7, 0, 7)]
    assert {ub: list(ids) for ub, ids in table.unit_blocks().items()} == align.unit_blocks(plain.claims)
    assert table.months() == align.publication_months(plain.claims)
    assert list(table.doc_of) == [c.doc for c in plain.claims]
    with pytest.raises(IndexError):
        table[len(table)]

    rules = _rules(config)
    expected = render(api.evaluate(plain, rules, config), "json", rules=rules)
    assert render(api.evaluate(run, rules, config), "json", rules=rules) == expected
    monkeypatch.setattr(align, "PARALLEL_CLAIMS", 0)  # workers read their blocks from the spool
    monkeypatch.setattr(records, "DECOMPRESSED_DOCUMENTS", 1)
    two = Config(cache=False, jobs=2)
    assert render(api.evaluate(store.load_run("st", two), rules, two), "json", rules=rules) == expected

    spool = os.path.dirname(table.path)
    assert os.path.isdir(spool)
    del run, table
    gc.collect()
    assert not os.path.exists(spool)


def test_a_store_whose_records_disagree_with_its_document_list_says_re_index(corpus):
    config = _config()
    store.index(["archive/seeds"], "st", config)
    entries = store.read_documents("st")
    entries[0]["n"] += 1
    Path("st", "documents.json").write_text(json.dumps(entries), encoding="utf-8")
    with pytest.raises(store.StoreError, match="re-index"):
        store.load_run("st", config)


def test_a_spool_that_cannot_be_made_is_a_clear_error(corpus, monkeypatch):
    config = _config()
    store.index(["archive/seeds"], "st", config)
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(corpus / "no-such-folder"))  # what TMPDIR names
    with pytest.raises(store.StoreError) as err:
        store.load_run("st", config)
    assert "no-such-folder" in str(err.value) and "TMPDIR" in str(err.value) and "spool" in str(err.value)
