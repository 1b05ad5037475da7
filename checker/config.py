"""Run configuration. Defaults < [tool.claimcheck] in pyproject.toml / claimcheck.toml < CLI flags."""
from __future__ import annotations

import datetime as dt
from typing import Optional

from pydantic import BaseModel, ConfigDict, Field

SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2, "none": 99}


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reference_date: Optional[dt.date] = None
    fail_on: str = "warning"
    select: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    rule_packs: list[str] = Field(default_factory=list)
    day_first: bool = False
    max_file_size: int = 50_000_000
    max_claims: int = 20_000
    include_hidden: bool = False

    def rule_enabled(self, code: str) -> bool:
        if self.select and not any(code.startswith(s) for s in self.select):
            return False
        return not any(code.startswith(s) for s in self.ignore)
