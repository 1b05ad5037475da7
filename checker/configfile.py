"""Configuration files: `claimcheck.toml` or `[tool.claimcheck]` in pyproject.toml, found by walking up
from the checked paths (as ruff does). Unknown keys and bad values are errors naming the file, the
key and what is allowed."""
from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any, Optional

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


class ConfigError(ValueError):
    pass


# key in the file -> (Config field, what is allowed)
KEYS: dict[str, tuple[str, str]] = {
    "include": ("include", "a list of glob patterns"),
    "exclude": ("exclude", "a list of glob patterns"),
    "select": ("select", "a list of rule codes or prefixes"),
    "ignore": ("ignore", "a list of rule codes or prefixes"),
    "fail-on": ("fail_on", "one of info, warning, error, none"),
    "reference-date": ("reference_date", "a date, YYYY-MM-DD"),
    "rule-packs": ("rule_packs", "a list of folders holding *.toml rule packs"),
    "rules": ("rule_settings", "a table per rule code: severity and options"),
    "names": ("names", "a list of {canonical = \"…\", aliases = [\"…\"]} tables"),
    "sources": ("sources", "a list of files or folders checked against a draft"),
    "day-first": ("day_first", "true or false"),
    "max-file-size": ("max_file_size", "a number of bytes (0: no limit)"),
    "max-claims": ("max_claims", "a number of claims per document (0: no limit)"),
    "jobs": ("jobs", "a number of worker processes"),
    "cache": ("cache", "true or false"),
}
PATH_KEYS = {"rule-packs", "sources"}
SEVERITIES = ("info", "warning", "error")


def find_config(paths: list[str]) -> Optional[Path]:
    """The nearest claimcheck.toml, or pyproject.toml with [tool.claimcheck], above the first path."""
    start = Path(paths[0]).resolve() if paths and paths[0] != "-" else Path.cwd().resolve()
    if not start.is_dir():
        start = start.parent
    for folder in [start, *start.parents]:
        candidate = folder / "claimcheck.toml"
        if candidate.is_file():
            return candidate
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            try:
                data = tomllib.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                continue
            if isinstance(data.get("tool"), dict) and "claimcheck" in data["tool"]:
                return candidate
    return None


def load_config_file(path: Path) -> dict[str, Any]:
    """Config fields from one file, validated; relative folders resolved against the file's folder."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: cannot read: {err}") from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: not valid TOML: {err}") from None
    table = data.get("tool", {}).get("claimcheck", {}) if path.name == "pyproject.toml" else data
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.claimcheck] must be a table")
    out: dict[str, Any] = {"config_path": str(path)}
    for key, value in table.items():
        norm = key.replace("_", "-")
        if norm not in KEYS:
            allowed = ", ".join(sorted(KEYS))
            raise ConfigError(f"{path}: unknown key '{key}' (allowed: {allowed})")
        field, what = KEYS[norm]
        out[field] = _check(path, key, norm, value, what)
        if norm in PATH_KEYS:
            out[field] = [str((path.parent / p).resolve()) if not os.path.isabs(p) else p for p in out[field]]
    return out


def _check(path: Path, key: str, norm: str, value: Any, what: str) -> Any:
    def bad(detail: str = "") -> ConfigError:
        return ConfigError(f"{path}: key '{key}': expected {what}, got {value!r}{detail}")

    if norm in ("include", "exclude", "select", "ignore", "rule-packs", "sources"):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise bad()
        return value
    if norm == "fail-on":
        if value not in ("info", "warning", "error", "none"):
            raise bad()
        return value
    if norm == "reference-date":
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise bad() from None
    if norm in ("day-first", "cache"):
        if not isinstance(value, bool):
            raise bad()
        return value
    if norm in ("max-file-size", "max-claims", "jobs"):
        lowest = 1 if norm == "jobs" else 0  # 0 lifts a limit, as on the command line
        if not isinstance(value, int) or isinstance(value, bool) or value < lowest:
            raise bad()
        return value
    if norm == "rules":
        if not isinstance(value, dict):
            raise bad()
        for code, settings in value.items():
            if not isinstance(settings, dict):
                raise ConfigError(f"{path}: key 'rules.{code}': expected a table of severity and options")
            sev = settings.get("severity")
            if sev is not None and sev not in SEVERITIES:
                raise ConfigError(f"{path}: key 'rules.{code}.severity': expected one of {', '.join(SEVERITIES)}, got {sev!r}")
        return value
    if norm == "names":
        if not isinstance(value, list):
            raise bad()
        for i, entry in enumerate(value):
            if not isinstance(entry, dict) or not isinstance(entry.get("canonical"), str):
                raise ConfigError(f"{path}: key 'names[{i}]': expected a table with 'canonical' (and 'aliases')")
            unknown = set(entry) - {"canonical", "aliases"}
            if unknown:
                raise ConfigError(f"{path}: key 'names[{i}]': unknown key(s) {', '.join(sorted(unknown))} (allowed: canonical, aliases)")
            aliases = entry.get("aliases", [])
            if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
                raise ConfigError(f"{path}: key 'names[{i}].aliases': expected a list of spellings")
        return value
    return value


def apply_rule_settings(rules: list, settings: dict, source: str = "") -> list:
    """Per-rule severity and options from the config; an unknown rule code is an error."""
    by_code = {r.code: r for r in rules}
    for code, table in (settings or {}).items():
        rule = by_code.get(code.upper())
        if rule is None:
            raise ConfigError(f"{source}: key 'rules.{code}': no such rule (see `claimcheck rules`)")
        table = dict(table)
        if "severity" in table:
            rule.severity = table.pop("severity")
        unknown = set(table) - set(rule.options)
        if unknown:
            allowed = ", ".join(sorted(rule.options)) or "none"
            raise ConfigError(f"{source}: key 'rules.{code}': unknown option(s) {', '.join(sorted(unknown))} "
                              f"(allowed: severity, {allowed})")
        rule.options.update(table)
    return rules
