"""The JSON Schema of the JSON report (`claimcheck schema`), generated from the Report model."""
from __future__ import annotations

import json

from checker.models import Report

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_schema() -> str:
    # serialization mode: the schema of what render_json writes, not of what Report accepts
    body = Report.model_json_schema(mode="serialization")
    body.pop("title", None)
    schema = {"$schema": JSON_SCHEMA_DIALECT, "title": "claimcheck report",
              "description": "The report written by `claimcheck check --format json`.", **body}
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
