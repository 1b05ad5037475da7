"""Data-driven: each fixture cluster (documents + expected.json) must give exactly its findings."""
from __future__ import annotations

import json

import pytest

from checker.api import check
from tests.conftest import FIXTURES, ROOT
from tests.scoring import describe, score

CLUSTERS = sorted(p for p in (FIXTURES / "clusters").iterdir() if (p / "expected.json").is_file())
# Expected findings we do not find yet: listed so that fixing one makes its test XPASS loudly.
KNOWN_MISSES: dict[str, str] = {}


def _run(folder):
    return json.loads(check([str(folder / "docs")]).model_dump_json())


@pytest.mark.parametrize("cluster", CLUSTERS, ids=[c.name for c in CLUSTERS])
def test_cluster_raises_no_false_alarm(cluster):
    expected = json.loads((cluster / "expected.json").read_text(encoding="utf-8"))
    _, false = score(expected, _run(cluster))
    assert not false, "false alarms: " + " | ".join(describe(f) for f in false)


@pytest.mark.parametrize("cluster", [c for c in CLUSTERS if json.loads((c / "expected.json").read_text())["expect"]],
                         ids=lambda c: c.name)
def test_cluster_finds_every_expected_finding(cluster, request):
    if cluster.name in KNOWN_MISSES:
        request.applymarker(pytest.mark.xfail(reason=KNOWN_MISSES[cluster.name], strict=True))
    expected = json.loads((cluster / "expected.json").read_text(encoding="utf-8"))
    missed, _ = score(expected, _run(cluster))
    assert not missed, f"missed: {missed}"


def test_seeds_give_exactly_the_two_planted_findings():
    seeds = ROOT / "seeds"
    expected = json.loads((seeds / "expected.json").read_text(encoding="utf-8"))
    report = json.loads(check([str(seeds)]).model_dump_json())
    missed, false = score(expected, report)
    assert not missed and not false, (missed, [describe(f) for f in false])
    assert sorted(f["kind"] for f in report["findings"]) == ["date", "name"]
