"""SARIF 2.1.0 report, for code-scanning dashboards (GitHub, Azure DevOps, VS Code SARIF viewer)."""
from __future__ import annotations

import json
import os
from pathlib import PurePath
from typing import Optional
from urllib.parse import quote

import checker
from checker.models import ClaimRef, Finding, Report

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "claimcheck/v1"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
# characters a relative URI reference may carry unescaped ("/" separates segments; ":" is escaped so a
# first segment never reads as a scheme)
_URI_SAFE = "/-._~!$&'()*+,;=@"


def render_sarif(report: Report, rules: Optional[list] = None) -> str:
    """The report as one SARIF run; rule metadata from `rules` (default: the built-in packs)."""
    known = {r.code: r for r in (rules if rules is not None else _builtin_rules())}
    codes: list[str] = []
    for f in report.findings:
        if f.rule not in codes:
            codes.append(f.rule)
    codes.sort()
    descriptors = [_descriptor(code, known.get(code), report.findings) for code in codes]
    index = {code: i for i, code in enumerate(codes)}
    run = {
        "tool": {"driver": {
            "name": "claimcheck",
            "version": checker.__version__,
            "semanticVersion": checker.__version__,
            "rules": descriptors,
        }},
        "columnKind": "unicodeCodePoints",  # ClaimRef columns count code points, not UTF-16 units
        "results": [_result(f, index[f.rule]) for f in report.findings],
    }
    log = {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def artifact_uri(path: str) -> tuple[str, Optional[str]]:
    """(uri, uriBaseId): absolute paths become file: URIs; relative ones stay relative to %SRCROOT%."""
    # a file name that is not valid UTF-8 reaches us with surrogate escapes: percent-encode its raw bytes
    pure = PurePath(path)
    if pure.is_absolute():
        return "file://" + quote(pure.as_posix(), safe=_URI_SAFE, errors="surrogateescape"), None
    return quote(path.replace(os.sep, "/"), safe=_URI_SAFE, errors="surrogateescape"), SRCROOT


def _builtin_rules() -> list:
    from checker.checks import load_rules

    return load_rules()


def _descriptor(code: str, rule, findings: list[Finding]) -> dict:
    if rule is not None:
        name, description, severity = rule.name, rule.description, rule.severity
    else:  # a rule from a user pack the report was made with: what the finding itself says
        f = next(f for f in findings if f.rule == code)
        name, description, severity = f.name, "", f.severity
    return {
        "id": code,
        "name": name,
        "shortDescription": {"text": _first_sentence(description) or name},
        "fullDescription": {"text": description or name},
        "defaultConfiguration": {"level": LEVELS.get(severity, "warning")},
    }


def _first_sentence(text: str) -> str:
    i = text.find(". ")
    return text[:i + 1] if i != -1 else text


def _result(f: Finding, rule_index: int) -> dict:
    result: dict = {
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": LEVELS.get(f.severity, "warning"),
        "message": {"text": f.message},
        "locations": [_location(c, f.kind == "input") for c in f.claims],
    }
    if f.fingerprint:
        result["partialFingerprints"] = {FINGERPRINT_KEY: f.fingerprint}
    props = {k: v for k, v in (("category", f.category), ("kind", f.kind), ("reason", f.reason)) if v}
    if props:
        result["properties"] = props
    return result


def _location(c: ClaimRef, input_error: bool) -> dict:
    uri, base = artifact_uri(c.path)
    artifact = {"uri": uri, "uriBaseId": base} if base else {"uri": uri}
    physical: dict = {"artifactLocation": artifact}
    if input_error:  # the file as a whole: it could not be read, so there is no region
        return {"physicalLocation": physical}
    region = {"startLine": c.line, "startColumn": c.column, "endLine": c.end_line, "endColumn": c.end_column}
    if c.text:
        region["snippet"] = {"text": c.text}
    physical["region"] = region
    location = {"physicalLocation": physical}
    if c.text:
        location["message"] = {"text": f"\"{c.text}\" = {c.value}" if c.value else f"\"{c.text}\""}
    return location
