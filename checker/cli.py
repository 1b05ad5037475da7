"""Command line: argument parsing only. Builds a Config, calls the API, hands the Report to a reporter."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from typing import Optional

from checker import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {value!r}") from None


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="claimcheck", description="Find where documents disagree about the same facts.")
    p.add_argument("--version", action="version", version=f"claimcheck {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    def common(sp):
        sp.add_argument("paths", nargs="+", help="files and folders (searched recursively for .txt, .md, .html)")
        sp.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
        sp.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of standard output")
        sp.add_argument("--reference-date", type=_date, metavar="YYYY-MM-DD",
                        help="date to resolve 'yesterday', 'on Monday' against when a document has none")
        sp.add_argument("--day-first", action="store_true", help="read 3/4 as 3 April (default: March 4)")
        sp.add_argument("--rules", action="append", default=[], metavar="DIR", help="extra rule pack folder")
        sp.add_argument("--max-file-size", type=int, default=50_000_000, metavar="BYTES")
        sp.add_argument("--max-claims", type=int, default=20_000, metavar="N", help="per document")

    c = sub.add_parser("check", help="report conflicts between and within documents")
    common(c)
    c.add_argument("--fail-on", choices=("info", "warning", "error", "none"), default="warning",
                   help="exit 1 when a finding at or above this severity is found (default: warning)")
    c.add_argument("--select", action="append", default=[], metavar="CODE", help="only these rules (prefixes)")
    c.add_argument("--ignore", action="append", default=[], metavar="CODE", help="skip these rules (prefixes)")
    c.add_argument("--explain", action="store_true", help="say why claims were grouped and why they conflict")
    c.add_argument("--color", choices=("auto", "always", "never"), default="auto")

    cl = sub.add_parser("claims", help="list every extracted claim with its normalized value")
    common(cl)
    cl.add_argument("--kind", action="append", default=[], help="only claims of this kind")

    sub.add_parser("rules", help="list every rule with its code, severity and pack").add_argument(
        "--rules", action="append", default=[], metavar="DIR")
    e = sub.add_parser("explain", help="describe one rule")
    e.add_argument("code")
    e.add_argument("--rules", action="append", default=[], metavar="DIR")
    return p


def main(argv: Optional[list[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        if args.command == "check":
            return _check(args)
        if args.command == "claims":
            return _claims(args)
        if args.command == "rules":
            return _rules(args)
        if args.command == "explain":
            return _explain(args)
    except UsageError as err:
        print(f"claimcheck: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    return EXIT_USAGE


def _config(args, **extra):
    from pydantic import ValidationError

    from checker.config import Config

    try:
        return Config(reference_date=args.reference_date, day_first=args.day_first, rule_packs=args.rules,
                      max_file_size=args.max_file_size, max_claims=args.max_claims, **extra)
    except ValidationError as err:
        raise UsageError(str(err)) from None


def _load_rules(dirs):
    from checker.checks import RuleError, load_rules

    try:
        return load_rules(dirs)
    except RuleError as err:
        raise UsageError(str(err)) from None


def _check(args) -> int:
    from checker import api
    from checker.config import SEVERITY_RANK
    from checker.report import render

    config = _config(args, fail_on=args.fail_on, select=args.select, ignore=args.ignore)
    rules = [r for r in _load_rules(config.rule_packs) if config.rule_enabled(r.code)]
    run = api.collect(args.paths, config)
    report = api.evaluate(run, rules, config)
    if args.format == "json":
        text = render(report, "json")
    else:
        from checker.report.text import render_text

        color = args.color == "always" or (args.color == "auto" and not args.output and sys.stdout.isatty()
                                           and not os.environ.get("NO_COLOR"))
        text = render_text(report, color=color, explain=args.explain)
    _emit(text, args.output)
    threshold = SEVERITY_RANK[config.fail_on]
    failing = any(SEVERITY_RANK[f.severity] >= threshold for f in report.findings)
    return EXIT_FINDINGS if failing else EXIT_OK


def _claims(args) -> int:
    from checker import api
    from checker.models import ClaimRef

    config = _config(args)
    run = api.collect(args.paths, config)
    rows: list[ClaimRef] = []
    for c in run.claims:
        if args.kind and c.kind not in args.kind:
            continue
        rows.append(api.claim_ref(c, run.docs[c.doc]))
    if args.format == "json":
        payload = {"version": 1, "claims": [r.model_dump(mode="json", exclude_none=True) for r in rows],
                   "documents": [d.model_dump(mode="json", exclude_none=True) for d in run.summaries],
                   "errors": [{"path": e.path, "reason": e.reason} for e in run.errors]}
        text = json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
    else:
        lines = [f"{r.path}:{r.line}:{r.column}  {r.kind:<8} {r.text!r} = {r.value}" for r in rows]
        lines += [f"{e.path}: cannot check: {e.reason}" for e in run.errors]
        text = "\n".join(lines) + "\n"
    _emit(text, args.output)
    return EXIT_OK


def _rules(args) -> int:
    rules = _load_rules(args.rules)
    width = max(len(r.name) for r in rules)
    for r in rules:
        print(f"{r.code}  {r.name:<{width}}  {r.severity:<7}  {r.check:<8}  {r.pack}")
    return EXIT_OK


def _explain(args) -> int:
    rules = {r.code: r for r in _load_rules(args.rules)}
    rule = rules.get(args.code.upper())
    if rule is None:
        raise UsageError(f"no rule {args.code!r}; `claimcheck rules` lists them")
    print(f"{rule.code} {rule.name} ({rule.severity}, {rule.check} check, pack {rule.pack})\n")
    print(rule.description)
    if rule.options:
        print("\nOptions:")
        for k, v in rule.options.items():
            print(f"  {k} = {v!r}")
    if rule.example:
        print(f"\nExample: {rule.example}")
    return EXIT_OK


def _emit(text: str, output: Optional[str]) -> None:
    if not output:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from checker.report.files import write_atomic

    try:
        write_atomic(output, text)
    except OSError as err:
        raise UsageError(f"cannot write {output}: {err.strerror or err}") from None
