"""The finding-matching contract of ../shared/eval/README.md, for fixture clusters of our own."""
from __future__ import annotations

import unicodedata
from pathlib import Path

FAMILY = {"count": "number", "quantity": "number", "number": "number"}


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def text_matches(expected: str, predicted: str) -> bool:
    a, b = norm(expected), norm(predicted)
    if not a or not b:
        return False
    if a in b:
        return len(b) <= len(a) + 25
    if b in a:
        return len(b) >= 0.3 * len(a)
    return False


def finding_matches(label: dict, finding: dict) -> bool:
    if FAMILY.get(label["kind"], label["kind"]) != FAMILY.get(finding["kind"], finding["kind"]):
        return False
    return all(any(Path(c["path"]).name == path and text_matches(text, c["text"]) for c in finding["claims"])
               for path, text in label["claims"])


def score(expected: dict, report: dict) -> tuple[list[dict], list[dict]]:
    """(missed labels, false alarms) of one cluster."""
    findings = [f for f in report["findings"] if f["kind"] != "input"]
    missed = [label for label in expected.get("expect", []) if not any(finding_matches(label, f) for f in findings)]
    false = [f for f in findings
             if not any(finding_matches(label, f) for label in expected.get("expect", []) + expected.get("tolerate", []))]
    return missed, false


def describe(finding: dict) -> str:
    return f'{finding["rule"]} ' + "; ".join(f'{Path(c["path"]).name}: "{c["text"]}"' for c in finding["claims"])
