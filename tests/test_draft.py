"""Draft mode: a draft against its sources."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.api import check_draft
from tests.conftest import ROOT, run_cli
from tests.scoring import finding_matches

SEEDS = ROOT / "seeds"


def _report(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for name in ("wire-report.md", "culture-page.html"):
        (src / name).write_bytes((SEEDS / name).read_bytes())
    draft = tmp_path / "draft.txt"
    draft.write_bytes((SEEDS / "evening-blurb.txt").read_bytes())
    return draft, src


def test_draft_findings_give_the_sources_values_and_counts(tmp_path):
    draft, src = _report(tmp_path)
    proc = run_cli("check", "--format", "json", str(draft), "--against", str(src))
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    assert report["draft"]["path"] == str(draft) and "January 6" in report["draft"]["text"]
    date = next(f for f in report["findings"] if f["kind"] == "date")
    assert date["severity"] == "error"
    assert {c["role"] for c in date["claims"]} == {"draft", "source"}
    assert [(s["value"], s["sources"], s["agrees_with_draft"]) for s in date["support"]] == [("2026-01-05", 2, False)]
    assert "draft: January 6" in date["message"] and "2 sources" in date["message"]
    name = next(f for f in report["findings"] if f["kind"] == "name")
    assert 'the sources write "Lee Jae-myung"' in name["message"]
    assert {d["role"] for d in report["documents"]} == {"draft", "source"}


def test_draft_from_standard_input(tmp_path):
    draft, src = _report(tmp_path)
    proc = run_cli("check", "--format", "json", "-", "--stdin-filename", "blurb.txt", "--against", str(src),
                   input=draft.read_text(encoding="utf-8"))
    report = json.loads(proc.stdout)
    assert report["draft"]["path"] == "blurb.txt"
    assert any(c["path"] == "blurb.txt" and c["role"] == "draft" for f in report["findings"] for c in f["claims"])


def test_disagreement_among_sources_only_is_info_unless_strict(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("November 8, 2025\n\nThe storm killed 12 people on Saturday.\n", encoding="utf-8")
    (src / "b.txt").write_text("November 9, 2025\n\nThe storm killed 9 people on Saturday.\n", encoding="utf-8")
    draft = tmp_path / "draft.md"
    draft.write_text("---\ndate: 2025-11-09\n---\nThe storm hit the coast on Saturday.\n", encoding="utf-8")
    proc = run_cli("check", "--format", "json", str(draft), "--against", str(src))
    report = json.loads(proc.stdout)
    assert proc.returncode == 0
    assert [(f["severity"], f["category"]) for f in report["findings"]] == [("info", "source-conflict")]
    assert run_cli("check", str(draft), "--against", str(src), "--strict-sources").returncode == 1


def test_sources_from_the_configuration(tmp_path):
    draft, src = _report(tmp_path)
    (tmp_path / "claimcheck.toml").write_text('sources = ["src"]\n', encoding="utf-8")
    report = json.loads(run_cli("check", "--format", "json", str(draft)).stdout)
    assert report["draft"]["path"] == str(draft)


def _clusters():
    dev = ROOT.parent / "shared" / "eval" / "dev"
    return sorted(p for p in dev.iterdir() if (p / "expected.json").is_file()) if dev.is_dir() else []


@pytest.mark.parametrize("cluster", _clusters(), ids=lambda p: p.name)
def test_each_dev_document_as_the_draft_finds_its_expected_findings(cluster, shared):
    expected = json.loads((cluster / "expected.json").read_text(encoding="utf-8"))
    docs = sorted((cluster / "docs").iterdir())
    for draft in docs:
        labels = [lab for lab in expected["expect"] if any(path == draft.name for path, _ in lab["claims"])]
        if not labels:
            continue
        sources = [str(d) for d in docs if d != draft]
        report = json.loads(check_draft([str(draft)], sources).model_dump_json())
        for label in labels:
            assert any(finding_matches(label, f) for f in report["findings"]), (draft.name, label)


def test_a_dated_draft_meets_sources_of_its_time_an_undated_one_any_source(tmp_path):
    """Stories published more than STORY_MONTHS apart tell different stories: the office's budget in
    2023 is not a fact the 2025 draft got wrong (fixture noflag-budget-two-years-apart). A draft without
    a date of its own is compared with sources of any date."""
    docs = ROOT / "tests" / "fixtures" / "clusters" / "noflag-budget-two-years-apart" / "docs"
    source = [str(docs / "river-gazette-2023.md")]
    dated = check_draft([str(docs / "river-gazette-2025.md")], source)
    assert [f for f in dated.findings if f.kind == "money"] == []
    text = (docs / "river-gazette-2025.md").read_text(encoding="utf-8")
    undated = tmp_path / "draft.md"
    undated.write_text(text.split("---\n", 2)[2], encoding="utf-8")  # without its front matter
    money = [f for f in check_draft([str(undated)], source).findings if f.kind == "money"]
    assert len(money) == 1
    assert "$12 million" in json.dumps(money[0].model_dump()) and "$19 million" in json.dumps(money[0].model_dump())
