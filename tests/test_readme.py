"""The README's examples run as written (blocks marked `<!-- example -->`)."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tests.conftest import ROOT

BLOCK = re.compile(r"<!-- example -->\n```sh\n(.*?)```", re.S)


def _blocks():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [[line.split("  #")[0].strip() for line in block.splitlines() if line.split("  #")[0].strip()]
            for block in BLOCK.findall(text)]


BLOCKS = _blocks()


def test_readme_has_examples():
    assert sum(len(b) for b in BLOCKS) >= 12


@pytest.mark.parametrize("block", BLOCKS, ids=[b[0][:50] for b in BLOCKS])
def test_readme_example_block_runs(block, tmp_path):
    """Each block runs in order in a fresh folder with the samples; every command exits 0 or 1."""
    if shutil.which("claimcheck") is None:
        pytest.skip("the claimcheck command is not installed")
    for name in ("seeds", "tests"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    for command in block:
        proc = subprocess.run(["bash", "-c", command], cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert proc.returncode in (0, 1), (command, proc.stderr)
        assert "Traceback" not in proc.stderr, command
