"""The shared evaluation corpus and seed articles (skipped when ../shared is absent)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

from tests.conftest import ROOT
from tests.scoring import score


def _score_corpus(corpus):
    tp = fp = fn = expected_total = 0
    for cluster in sorted(p for p in corpus.iterdir() if (p / "expected.json").is_file()):
        from checker.api import check

        expected = json.loads((cluster / "expected.json").read_text(encoding="utf-8"))
        report = json.loads(check([str(cluster / "docs")]).model_dump_json())
        missed, false = score(expected, report)
        findings = [f for f in report["findings"] if f["kind"] != "input"]
        fp += len(false)
        tp += len(findings) - len(false)
        fn += len(missed)
        expected_total += len(expected["expect"])
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = (expected_total - fn) / expected_total if expected_total else 0.0
    return precision, recall


def test_seed_cluster_is_perfect(shared):
    precision, recall = _score_corpus_only(shared / "eval" / "dev", "00-seeds")
    assert (precision, recall) == (1.0, 1.0)


def _score_corpus_only(corpus, name):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(corpus / name, Path(tmp) / name)
        return _score_corpus(Path(tmp))


def test_dev_corpus_precision_and_recall(shared):
    precision, recall = _score_corpus(shared / "eval" / "dev")
    assert precision >= 0.95, precision
    assert recall >= 0.90, recall


def test_official_scorer_runs_on_the_dev_corpus(shared):
    proc = subprocess.run([sys.executable, str(shared / "eval" / "score.py"), "--cmd",
                           f"{sys.executable} -m checker check --format json", "--min-precision", "0.95",
                           "--min-recall", "0.9"], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "failed_runs=0" in proc.stdout


def test_shared_seed_articles_report_the_summit_date_and_the_name_spelling(shared):
    report = json.loads(check_seeds(shared).model_dump_json())
    kinds = sorted(f["kind"] for f in report["findings"])
    assert kinds == ["date", "name"]
    name = next(f for f in report["findings"] if f["kind"] == "name")
    spellings = {c["text"] for c in name["claims"]}
    assert spellings == {"Lee Jae-myung", "Lee Jae Myung"}  # never Lee Jae-yong


def check_seeds(shared):
    from checker.api import check

    return check([str(shared / "seeds")])
