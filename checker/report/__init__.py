"""Reporters: one module per format, all rendering the same Report."""
from __future__ import annotations

from checker.models import Report

FORMATS = ("text", "json", "sarif", "github", "junit", "html")


def render(report: Report, fmt: str, color: bool = False, rules: list | None = None) -> str:
    if fmt == "json":
        from checker.report.json import render_json

        return render_json(report)
    if fmt == "sarif":
        from checker.report.sarif import render_sarif

        return render_sarif(report, rules)
    if fmt == "github":
        from checker.report.github import render_github

        return render_github(report)
    if fmt == "junit":
        from checker.report.junit import render_junit

        return render_junit(report)
    if fmt == "html":
        from checker.report.html import render_html

        return render_html(report)
    from checker.report.text import render_text

    return render_text(report, color=color)
