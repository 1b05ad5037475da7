"""GitHub Actions workflow commands: one annotation per claim of every finding."""
from __future__ import annotations

from checker.models import ClaimRef, Finding, Report

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def render_github(report: Report) -> str:
    lines = [_annotation(f, c) for f in report.findings for c in f.claims]
    return "".join(line + "\n" for line in lines)


def escape_data(text: str) -> str:
    """The message after '::' (GitHub's escapeData): only %, CR and LF are special."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value (GitHub's escapeProperty): also ':' and ',' which separate properties."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _annotation(f: Finding, c: ClaimRef) -> str:
    props = [("file", _workspace_path(c.path))]
    if f.kind != "input":  # an unreadable file has no position: a file-level annotation
        props.append(("line", str(c.line)))
        if c.end_line == c.line:  # GitHub takes columns only for a single-line range
            props += [("col", str(c.column)), ("endLine", str(c.end_line)), ("endColumn", str(c.end_column))]
        else:
            props.append(("endLine", str(c.end_line)))
    props.append(("title", f"{f.rule} {f.name}"))
    head = ",".join(f"{k}={escape_property(v)}" for k, v in props)
    return f"::{COMMANDS.get(f.severity, 'warning')} {head}::{escape_data(f.message)}"


def _workspace_path(path: str) -> str:
    # GitHub matches file= against paths relative to the workspace; "./a.md" is the same file as "a.md"
    while path.startswith("./"):
        path = path[2:]
    return path
