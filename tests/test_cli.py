"""The real command line: subcommands, exit codes, the JSON contract."""
from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT, run_cli


def test_check_seeds_text_report_and_exit_status():
    proc = run_cli("check", "seeds")
    assert proc.returncode == 1, proc.stderr
    assert "CC101" in proc.stdout and "CC201" in proc.stdout
    assert "seeds/wire-report.md:" in proc.stdout  # path:line:col evidence
    assert "Traceback" not in proc.stderr


def test_json_contract_fields():
    proc = run_cli("check", "--format", "json", "seeds")
    report = json.loads(proc.stdout)
    assert report["version"] == 1 and report["summary"]["findings"] == len(report["findings"])
    for f in report["findings"]:
        for key in ("rule", "name", "kind", "category", "severity", "message", "claims"):
            assert key in f
        for c in f["claims"]:
            for key in ("path", "line", "column", "end_line", "end_column", "text", "value", "sentence"):
                assert key in c
            assert c["path"].startswith("seeds/")  # as the user named it
    assert {d["path"] for d in report["documents"]} >= {"seeds/wire-report.md", "seeds/evening-blurb.txt"}


def test_exit_zero_without_findings_and_fail_on_levels(tmp_path):
    (tmp_path / "a.txt").write_text("May 1, 2025\n\nThe bridge cost $2 billion.\n", encoding="utf-8")
    assert run_cli("check", str(tmp_path)).returncode == 0
    assert run_cli("check", "--fail-on", "error", "seeds").returncode == 1
    assert run_cli("check", "--fail-on", "none", "seeds").returncode == 0
    assert run_cli("check", "--select", "CC201", "--fail-on", "error", "seeds").returncode == 0  # a warning only


def test_usage_errors_exit_two():
    assert run_cli("check").returncode == 2
    assert run_cli("check", "--format", "xml", "seeds").returncode == 2
    assert run_cli("check", "--reference-date", "yesterday", "seeds").returncode == 2
    assert run_cli("explain", "CC999").returncode == 2
    assert run_cli().returncode == 2


def test_missing_path_is_an_input_finding_not_a_crash():
    proc = run_cli("check", "--format", "json", "no-such-folder", "seeds")
    report = json.loads(proc.stdout)
    assert any(f["kind"] == "input" and "no-such-folder" in f["message"] for f in report["findings"])


def test_claims_command_and_output_file(tmp_path):
    out = tmp_path / "claims.json"
    proc = run_cli("claims", "--format", "json", "--output", str(out), "seeds/wire-report.md")
    assert proc.returncode == 0 and proc.stdout == ""
    data = json.loads(out.read_text(encoding="utf-8"))
    assert any(c["text"] == "January 5, 2026" and c["value"] == "2026-01-05" for c in data["claims"])


def test_rules_and_explain():
    listing = run_cli("rules").stdout
    for code in ("CC101", "CC201", "CC301", "CC302", "CC900"):
        assert code in listing
    text = run_cli("explain", "CC104").stdout
    assert "count-conflict" in text and "approx_tolerance" in text


def test_console_script_matches_python_dash_m():
    proc = subprocess.run(["claimcheck", "check", "--format", "json", "seeds"], capture_output=True, text=True, cwd=ROOT)
    assert proc.stdout == run_cli("check", "--format", "json", "seeds").stdout


def test_rules_ship_inside_the_package():
    from checker.checks import builtin_rules_dir, load_rules

    assert (builtin_rules_dir() / "core.toml").is_file()
    assert len(load_rules()) >= 10


def test_a_plain_wheel_install_finds_its_rules(tmp_path):
    """Build the wheel, install it into a throw-away target, run it from elsewhere."""
    wheel_dir, target = tmp_path / "wheel", tmp_path / "site"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                            "-w", str(wheel_dir), str(ROOT)], capture_output=True, text=True)
    if build.returncode != 0:
        import pytest

        pytest.skip(f"cannot build a wheel here: {build.stderr[-300:]}")
    wheel = next(wheel_dir.glob("claimcheck-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    env = {"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-m", "checker", "rules"], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "CC101" in proc.stdout
    assert str(target) in subprocess.run([sys.executable, "-c", "import checker; print(checker.__file__)"],
                                         capture_output=True, text=True, cwd=tmp_path, env=env).stdout


def test_colour_only_on_request_or_a_terminal_and_never_with_no_color():
    import os

    plain = run_cli("check", "seeds").stdout
    assert "\x1b[" not in plain  # piped: no colour
    coloured = run_cli("check", "--color", "always", "seeds").stdout
    assert "\x1b[31m" in coloured
    env = dict(os.environ, NO_COLOR="1")
    proc = subprocess.run([sys.executable, "-m", "checker", "check", "--color", "auto", "seeds"], capture_output=True,
                          text=True, cwd=ROOT, env=env)
    assert "\x1b[" not in proc.stdout


def test_report_bytes_do_not_depend_on_file_system_order(tmp_path):
    import shutil

    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    names = sorted(p.name for p in (ROOT / "seeds").iterdir())
    for name in names:  # create the files in opposite orders
        shutil.copy(ROOT / "seeds" / name, a / name)
    for name in reversed(names):
        shutil.copy(ROOT / "seeds" / name, b / name)
    out_a = run_cli("check", "--format", "json", ".", cwd=a).stdout
    out_b = run_cli("check", "--format", "json", ".", cwd=b).stdout
    assert out_a == out_b and out_a


def test_report_bytes_do_not_depend_on_the_hash_seed():
    """Set and dict orders must never reach scores or wording: two processes, two seeds, one report."""
    import os

    outs = []
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        proc = subprocess.run([sys.executable, "-m", "checker", "check", "--format", "json", "--no-cache",
                               "tests/fixtures/clusters"], capture_output=True, text=True, cwd=ROOT, env=env)
        assert proc.returncode in (0, 1), proc.stderr
        outs.append(proc.stdout)
    assert outs[0] == outs[1]
