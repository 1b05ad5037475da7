"""JUnit XML for CI dashboards: a test case per document, a failure per finding that involves it."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from checker.models import Finding, Report

# code points XML 1.0 cannot carry at all, even escaped (ElementTree would write them raw)
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render_junit(report: Report) -> str:
    paths: list[str] = [d.path for d in report.documents]
    involved: dict[str, list[Finding]] = {p: [] for p in paths}
    for f in report.findings:
        for path in dict.fromkeys(c.path for c in f.claims):  # once per document, even with two claims in it
            if path not in involved:  # e.g. a path that was not found: still reported, as its own case
                paths.append(path)
                involved[path] = []
            involved[path].append(f)
    failing = sum(1 for p in paths if involved[p])
    counts = {"tests": str(len(paths)), "failures": str(failing), "errors": "0", "skipped": "0"}
    root = ET.Element("testsuites", {"name": "claimcheck", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "claimcheck", **counts})
    for path in paths:
        case = ET.SubElement(suite, "testcase", {"classname": _xml(path), "name": _xml(path)})
        for f in involved[path]:
            failure = ET.SubElement(case, "failure", {"message": _xml(f.message), "type": _xml(f.rule)})
            failure.text = _xml(_evidence(f))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _evidence(f: Finding) -> str:
    lines = [f"{f.severity} {f.rule} [{f.name}] {f.message}"]
    for c in f.claims:
        if f.kind == "input":
            lines.append(c.path)
        else:
            lines.append(f"{c.path}:{c.line}:{c.column} \"{c.text}\" = {c.value}")
    if f.reason:
        lines.append(f"why: {f.reason}")
    return "\n".join(lines)


def _xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)
