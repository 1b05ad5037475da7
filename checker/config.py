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
    include: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)
    rule_settings: dict = Field(default_factory=dict)
    names: list[dict] = Field(default_factory=list)      # house style: {canonical, aliases}
    sources: list[str] = Field(default_factory=list)
    config_path: Optional[str] = None
    report_unused_suppressions: bool = False
    jobs: Optional[int] = Field(default=None, ge=1)   # extraction and comparison processes; None: one per core
    cache: bool = True                                # per-file extraction cache
    cache_dir: str = ".claimcheck_cache"

    def path_selected(self, path: str) -> bool:
        """include / exclude globs, matched against the path as given and against its file name."""
        import fnmatch
        import os

        norm = path.replace(os.sep, "/")
        name = norm.rsplit("/", 1)[-1]

        def hit(patterns):
            return any(fnmatch.fnmatch(norm, p) or fnmatch.fnmatch(name, p) or fnmatch.fnmatch(norm, "*/" + p)
                       for p in patterns)

        if self.include and not hit(self.include):
            return False
        return not hit(self.exclude)

    def rule_enabled(self, code: str) -> bool:
        if self.select and not any(code.startswith(s) for s in self.select):
            return False
        return not any(code.startswith(s) for s in self.ignore)
