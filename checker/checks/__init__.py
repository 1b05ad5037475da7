"""The rule engine: rule packs are data (rules/*.toml); each rule extends one check primitive."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Optional

from pydantic import BaseModel, Field, ValidationError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PRIMITIVES = ("conflict", "variant", "calendar", "input")
SEVERITIES = ("info", "warning", "error")


class RuleError(ValueError):
    pass


class Rule(BaseModel):
    code: str
    name: str
    kind: str
    check: str
    severity: str
    message: str
    description: str = ""
    example: str = ""
    options: dict[str, Any] = Field(default_factory=dict)
    pack: str = "core"
    source: str = ""

    def model_post_init(self, _ctx) -> None:
        if self.check not in PRIMITIVES:
            raise ValueError(f"check must be one of {', '.join(PRIMITIVES)}, not {self.check!r}")
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {', '.join(SEVERITIES)}, not {self.severity!r}")


def builtin_rules_dir() -> Path:
    """rules/ as shipped in the wheel (checker/rules), or the checkout's top-level rules/."""
    installed = Path(__file__).resolve().parent.parent / "rules"  # inside the wheel: checker/rules
    if any(installed.glob("*.toml")):
        return installed
    return Path(__file__).resolve().parent.parent.parent / "rules"  # an editable install: the checkout's rules/


def load_pack(path: Path) -> list[Rule]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise RuleError(f"{path}: cannot read rule pack: {err}") from None
    except tomllib.TOMLDecodeError as err:
        raise RuleError(f"{path}: not valid TOML: {err}") from None
    pack = (data.get("pack") or {}).get("name") or path.stem
    rules = []
    for i, entry in enumerate(data.get("rule") or []):
        try:
            rules.append(Rule(**entry, pack=pack, source=str(path)))
        except (ValidationError, ValueError, TypeError) as err:
            raise RuleError(f"{path}: rule #{i + 1} ({entry.get('code', '?')}): {_short_error(err)}") from None
    return rules


def _short_error(err: Exception) -> str:
    if isinstance(err, ValidationError):
        return "; ".join(f"{'.'.join(str(x) for x in e['loc']) or 'rule'}: {e['msg']}" for e in err.errors())
    return str(err)


def load_rules(extra_dirs: Optional[list[str]] = None) -> list[Rule]:
    """Built-in packs, then user packs in order; a later rule with the same code replaces the earlier."""
    by_code: dict[str, Rule] = {}
    dirs = [builtin_rules_dir()] + [Path(d) for d in (extra_dirs or [])]
    for d in dirs:
        if not d.is_dir():
            raise RuleError(f"{d}: rule pack folder not found")
        for path in sorted(d.glob("*.toml")):
            for rule in load_pack(path):
                by_code[rule.code] = rule
    return sorted(by_code.values(), key=lambda r: r.code)
