"""The draft fixture (tests/fixtures/draft: draft.md against three sources) as a draft-mode report."""
from __future__ import annotations

import os
from pathlib import Path

from checker.api import check_draft
from checker.models import Report

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "draft"
DRAFT = "draft.md"


def fixture_draft_report(folder: Path = FIXTURE, draft: str = DRAFT) -> Report:
    """Checked from inside the folder, so that paths read draft.md, wire.md, ..."""
    here = os.getcwd()
    os.chdir(folder)
    try:
        return check_draft([draft], sorted(p.name for p in folder.iterdir() if p.is_file() and p.name != draft))
    finally:
        os.chdir(here)


def draft_claims_in_findings(report: Report) -> set[tuple[int, int, int, int]]:
    """The distinct spans of draft claims that findings hold: one highlight each."""
    return {(c.line, c.column, c.end_line, c.end_column)
            for f in report.findings for c in f.claims if c.role == "draft"}
