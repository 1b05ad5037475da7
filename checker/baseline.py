"""Baselines (only new findings fail) and `--changed-since` (only findings touching changed files)."""
from __future__ import annotations

import json
import os
import subprocess

from checker.models import Report, Summary
from checker.report.files import write_atomic


class BaselineError(ValueError):
    pass


def write_baseline(path: str, report: Report) -> None:
    entries = sorted({(f.fingerprint, f.rule, f.message) for f in report.findings})
    payload = {"version": 1, "tool": "claimcheck",
               "findings": [{"fingerprint": fp, "rule": rule, "message": msg} for fp, rule, msg in entries]}
    write_atomic(path, json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


def read_baseline(path: str) -> set[str]:
    from checker.cli import UsageError

    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        return {str(e["fingerprint"]) for e in data["findings"]}
    except FileNotFoundError:
        raise UsageError(f"{path}: baseline file not found (create it with --write-baseline)") from None
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise UsageError(f"{path}: not a claimcheck baseline: {err}") from None


def _rebuild(report: Report, findings: list) -> Report:
    by_sev: dict[str, int] = {}
    for f in findings:
        by_sev[f.severity] = by_sev.get(f.severity, 0) + 1
    summary = Summary(documents=report.summary.documents, claims=report.summary.claims, findings=len(findings),
                      by_severity=by_sev)
    return report.model_copy(update={"findings": findings, "summary": summary})


def without_baseline(report: Report, known: set[str]) -> Report:
    return _rebuild(report, [f for f in report.findings if f.fingerprint not in known])


def changed_files(ref: str) -> set[str]:
    """Absolute paths of files changed since REF (committed, staged, unstaged or untracked)."""
    from checker.cli import UsageError

    def git(*args: str) -> list[str]:
        proc = subprocess.run(["git", *args], capture_output=True, text=True)
        if proc.returncode != 0:
            raise UsageError(f"--changed-since {ref}: git {' '.join(args)} failed: {proc.stderr.strip()}")
        return [line for line in proc.stdout.splitlines() if line]

    try:
        top = git("rev-parse", "--show-toplevel")[0]
    except (FileNotFoundError, IndexError):
        raise UsageError("--changed-since needs git and a git checkout") from None
    names = git("diff", "--name-only", ref, "--") + git("ls-files", "--others", "--exclude-standard")
    return {os.path.realpath(os.path.join(top, n)) for n in names}


def only_changed(report: Report, changed: set[str]) -> Report:
    keep = [f for f in report.findings if any(os.path.realpath(c.path) in changed for c in f.claims)]
    return _rebuild(report, keep)
