from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FIXTURES = ROOT / "tests" / "fixtures"


def run_cli(*args: str, cwd: Path | None = None, input: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "checker", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, input=input, timeout=300)


def check_json(path: Path | str, *extra: str) -> dict:
    proc = run_cli("check", "--format", "json", *extra, str(path))
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture
def shared() -> Path:
    if not (SHARED / "eval").is_dir():
        pytest.skip("../shared is not present (CI has it)")
    return SHARED
