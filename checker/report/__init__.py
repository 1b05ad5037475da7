"""Reporters: one module per format, all rendering the same Report."""
from __future__ import annotations

from checker.models import Report

FORMATS = ("text", "json")


def render(report: Report, fmt: str, color: bool = False) -> str:
    if fmt == "json":
        from checker.report.json import render_json

        return render_json(report)
    from checker.report.text import render_text

    return render_text(report, color=color)
