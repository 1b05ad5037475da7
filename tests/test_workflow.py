"""CI-gate workflow: configuration files, user rule packs, suppressions, baselines, --changed-since."""
from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from tests.conftest import FIXTURES, ROOT, run_cli

STORM_A = "Storm makes landfall\nNovember 8, 2025\n\nThe storm killed at least 12 people on Saturday.\n"
STORM_B = "November 9, 2025\n\nThe storm killed 9 people when it struck the coast on Saturday.\n"


def _corpus(tmp_path, a=STORM_A, b=STORM_B):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text(a, encoding="utf-8")
    (tmp_path / "docs" / "b.txt").write_text(b, encoding="utf-8")
    return tmp_path / "docs"


def _json(*args, cwd=ROOT):
    proc = run_cli("check", "--format", "json", *args, cwd=cwd)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def test_pyproject_config_is_found_by_walking_up(tmp_path):
    docs = _corpus(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.claimcheck]\nignore = ["CC104"]\n', encoding="utf-8")
    code, report = _json(str(docs))
    assert code == 0 and report["findings"] == []
    # a flag beats the file: a list given on the command line replaces the file's list
    code, report = _json("--ignore", "CC2", str(docs))
    assert [f["rule"] for f in report["findings"]] == ["CC104"]


def test_claimcheck_toml_per_rule_severity_and_fail_on(tmp_path):
    docs = _corpus(tmp_path)
    (tmp_path / "claimcheck.toml").write_text('fail-on = "error"\n[rules.CC104]\nseverity = "warning"\n', encoding="utf-8")
    code, report = _json(str(docs))
    assert code == 0 and report["findings"][0]["severity"] == "warning"


@pytest.mark.parametrize("body, message", [
    ('fail-onn = "error"\n', "unknown key 'fail-onn'"),
    ('fail-on = "fatal"\n', "key 'fail-on'"),
    ('[rules.CC104]\nslack = 1\n', "unknown option(s) slack"),
    ('[rules.CC999]\nseverity = "error"\n', "no such rule"),
    ('names = [{spelling = "x"}]\n', "names[0]"),
])
def test_bad_configuration_is_a_usage_error_naming_file_and_key(tmp_path, body, message):
    docs = _corpus(tmp_path)
    (tmp_path / "claimcheck.toml").write_text(body, encoding="utf-8")
    proc = run_cli("check", str(docs))
    assert proc.returncode == 2
    assert "claimcheck.toml" in proc.stderr and message in proc.stderr


def test_user_pack_overrides_a_builtin_rule(tmp_path):
    a = "March 3, 2025\n\nAbout 1,000 workers built the dam.\n"
    b = "March 3, 2025\n\nSome 1,300 workers built the dam.\n"
    docs = _corpus(tmp_path, a, b)
    code, report = _json(str(docs))
    assert [f["rule"] for f in report["findings"]] == ["CC104"]  # 10% tolerance: a conflict
    pack = FIXTURES / "workflow" / "userpack"
    code, report = _json("--rules", str(pack), str(docs))
    assert report["findings"] == []  # the house pack allows 30%
    listing = run_cli("rules", "--rules", str(pack)).stdout
    assert any(line.startswith("CC104") and "house" in line for line in listing.splitlines())


def test_inline_suppressions_used_and_unused(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text(
        "---\ndate: 2025-11-08\n---\n\n<!-- claimcheck: ignore CC104 -->\nThe storm killed at least 12 people.\n\n"
        "<!-- claimcheck: ignore CC101 -->\nNothing to see here.\n", encoding="utf-8")
    (tmp_path / "docs" / "b.txt").write_text(STORM_B, encoding="utf-8")
    code, report = _json(str(tmp_path / "docs"))
    assert report["findings"] == [] and code == 0
    code, report = _json("--report-unused-suppressions", str(tmp_path / "docs"))
    assert [(f["rule"], f["claims"][0]["line"]) for f in report["findings"]] == [("CC901", 8)]
    # plain text: on the line itself
    (tmp_path / "t").mkdir()
    docs = _corpus(tmp_path / "t", STORM_A, STORM_B.replace("Saturday.", "Saturday. claimcheck: ignore CC104"))
    assert _json(str(docs))[1]["findings"] == []


def test_baseline_survives_a_line_shift(tmp_path):
    docs = _corpus(tmp_path)
    base = tmp_path / "baseline.json"
    proc = run_cli("check", "--write-baseline", str(base), str(docs))
    assert proc.returncode == 0 and json.loads(base.read_text())["findings"]
    (docs / "b.txt").write_text("\n\n\n" + STORM_B, encoding="utf-8")
    code, report = _json("--baseline", str(base), str(docs))
    assert code == 0 and report["findings"] == []
    (docs / "b.txt").write_text(STORM_B.replace("9 people", "7 people"), encoding="utf-8")
    code, report = _json("--baseline", str(base), str(docs))
    assert code == 1 and len(report["findings"]) == 1  # a new disagreement is reported


def test_changed_since_reports_only_findings_touching_changed_files(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    docs = _corpus(tmp_path)
    (docs / "c.txt").write_text("November 9, 2025\n\nThe bridge cost $2 billion.\n", encoding="utf-8")

    def git(*args):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.email=t@example.com", "-c", "user.name=t", "add", ".")
    git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "start")
    (docs / "c.txt").write_text("November 9, 2025\n\nThe bridge cost $3 billion.\n", encoding="utf-8")
    code, report = _json("--changed-since", "HEAD", str(docs), cwd=tmp_path)
    assert report["findings"] == []  # the storm conflict is in files that did not change
    (docs / "b.txt").write_text(STORM_B.replace("killed 9", "killed 8"), encoding="utf-8")
    code, report = _json("--changed-since", "HEAD", str(docs), cwd=tmp_path)
    assert [f["rule"] for f in report["findings"]] == ["CC104"]
    assert run_cli("check", "--changed-since", "no-such-ref", str(docs), cwd=tmp_path).returncode == 2


@pytest.mark.parametrize("fail_on, expected", [("info", 1), ("warning", 1), ("error", 0), ("none", 0)])
def test_exit_status_for_every_fail_on_level_with_a_warning(tmp_path, fail_on, expected):
    a = "March 3, 2025\n\nMayor Ingrid Halvorsen opened the bridge.\n"
    b = "March 3, 2025\n\nMayor Ingrid Halvorson said the bridge was open.\n"
    docs = _corpus(tmp_path, a, b)
    assert run_cli("check", "--fail-on", fail_on, str(docs)).returncode == expected


def test_include_and_exclude(tmp_path):
    docs = _corpus(tmp_path)
    (tmp_path / "claimcheck.toml").write_text('exclude = ["b.txt"]\n', encoding="utf-8")
    code, report = _json(str(docs))
    assert [d["path"].rsplit("/", 1)[-1] for d in report["documents"]] == ["a.txt"]


def test_pre_commit_hook_manifest():
    import yaml

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hooks[0]["id"] == "claimcheck" and hooks[0]["entry"].startswith("claimcheck check")
