"""JSON report: the contract in ../shared/eval/README.md, plus explanations and fingerprints."""
from __future__ import annotations

import json

from checker.models import Report


def render_json(report: Report) -> str:
    return json.dumps(report.model_dump(mode="json", exclude_none=True), ensure_ascii=False, indent=2) + "\n"
