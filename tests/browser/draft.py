"""Draft-mode reports built by hand from a plain check, until `check draft --against SOURCES` lands.

The draft's claims get role "draft", every other claim role "source", each finding a support list
(one entry per value the sources give), and the report a DraftView with the draft's file text.
"""
from __future__ import annotations

import os
from pathlib import Path

from checker.api import check
from checker.models import DraftView, Report, Support

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "draft"
DRAFT = "draft.md"


def as_draft_report(report: Report, draft_path: str, draft_text: str) -> Report:
    report = report.model_copy(deep=True)
    report.draft = DraftView(path=draft_path, text=draft_text)
    for f in report.findings:
        for c in f.claims:
            c.role = "draft" if c.path == draft_path else "source"
        drafts = {c.value for c in f.claims if c.role == "draft"}
        if not drafts or f.kind == "input":
            continue
        by_value: dict[str, list] = {}
        for c in f.claims:
            if c.role == "source":
                by_value.setdefault(c.value, []).append(c)
        f.support = [Support(value=v, sources=len({c.path for c in cs}), claims=cs, agrees_with_draft=v in drafts)
                     for v, cs in sorted(by_value.items(), key=lambda kv: (-len(kv[1]), kv[0]))]
    return report


def fixture_draft_report(folder: Path = FIXTURE, draft: str = DRAFT) -> Report:
    """The draft fixture checked from inside its folder, so that paths read draft.md, wire.md, ..."""
    here = os.getcwd()
    os.chdir(folder)
    try:
        report = check(sorted(p.name for p in folder.iterdir() if p.is_file()))
    finally:
        os.chdir(here)
    text = (folder / draft).read_text(encoding="utf-8")
    return as_draft_report(report, draft, text)


def draft_claims_in_findings(report: Report) -> set[tuple[int, int, int, int]]:
    """The distinct spans of draft claims that findings hold: one highlight each."""
    return {(c.line, c.column, c.end_line, c.end_column)
            for f in report.findings for c in f.claims if c.role == "draft"}
