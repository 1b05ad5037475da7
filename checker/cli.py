"""Command line: argument parsing only. Builds a Config, calls the API, hands the Report to a reporter."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from typing import Iterable, Optional

from checker import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


def _limit(value: str) -> int:
    try:
        number = int(value.replace("_", "").replace(",", ""))
    except ValueError:
        number = -1
    if number < 0:
        raise argparse.ArgumentTypeError(f"not a whole number of 0 or more: {value!r}")
    return number


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {value!r}") from None


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="claimcheck", description="Find where documents disagree about the same facts.")
    p.add_argument("--version", action="version", version=f"claimcheck {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    def common(sp, paths="+"):
        sp.add_argument("paths", nargs=paths, help="files and folders (searched recursively for .txt, .md, .html)")
        sp.add_argument("--format", choices=("text", "json", "sarif", "github", "junit", "html"), default="text",
                        help="output format (default: text; claims: text or json)")
        sp.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of standard output")
        sp.add_argument("--reference-date", type=_date, metavar="YYYY-MM-DD",
                        help="date to resolve 'yesterday', 'on Monday' against when a document has none")
        sp.add_argument("--day-first", action="store_true", default=None, help="read 3/4 as 3 April (default: March 4)")
        sp.add_argument("--rules", action="append", default=None, metavar="DIR", help="extra rule pack folder")
        sp.add_argument("--max-file-size", type=_limit, default=None, metavar="BYTES", help="default 50,000,000; 0: no limit")
        sp.add_argument("--max-claims", type=_limit, default=None, metavar="N", help="per document (default 20,000; 0: no limit)")
        sp.add_argument("--config", metavar="FILE", help="use this claimcheck.toml / pyproject.toml, not the nearest one")
        sp.add_argument("--isolated", action="store_true", help="ignore every configuration file")
        sp.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                        help="extract (and compare a large run) with N processes (default: one per core)")
        sp.add_argument("--no-cache", dest="cache", action="store_false", default=None,
                        help="neither read nor write the extraction cache (.claimcheck_cache/)")

    def engines(sp):
        sp.add_argument("--engine", choices=("local", "dask"), default="local",
                        help="where to extract and compare: local processes (default) or a Dask cluster")
        sp.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                        help="--engine dask: use this running Dask scheduler (default: a local cluster of --jobs workers)")

    c = sub.add_parser("check", help="report conflicts between and within documents")
    common(c, paths="*")
    c.add_argument("--fail-on", choices=("info", "warning", "error", "none"), default=None,
                   help="exit 1 when a finding at or above this severity is found (default: warning)")
    c.add_argument("--select", action="append", default=None, metavar="CODE", help="only these rules (prefixes)")
    c.add_argument("--ignore", action="append", default=None, metavar="CODE", help="skip these rules (prefixes)")
    c.add_argument("--explain", action="store_true", help="say why claims were grouped and why they conflict")
    c.add_argument("--against", nargs="+", metavar="SOURCE",
                   help="draft mode: check the given draft against these source files and folders")
    c.add_argument("--strict-sources", action="store_true",
                   help="draft mode: disagreements among the sources alone also fail the run")
    c.add_argument("--stdin-filename", metavar="NAME", help="the name shown for a draft read from standard input (-)")
    c.add_argument("--write-baseline", metavar="FILE", help="record today's findings in FILE (then exit 0)")
    c.add_argument("--baseline", metavar="FILE", help="report only findings that are not in this baseline FILE")
    c.add_argument("--changed-since", metavar="REF",
                   help="report only findings that involve a document changed since this git ref")
    c.add_argument("--report-unused-suppressions", action="store_true",
                   help="report `claimcheck: ignore` comments that silence nothing")
    c.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    c.add_argument("--store", metavar="DIR", help="check every document of this claims store (claimcheck index)")
    c.add_argument("--against-store", metavar="DIR",
                   help="draft mode against a claims store: the draft's findings, reading only what its claims need")
    engines(c)

    ix = sub.add_parser("index", help="extract documents into a claims store (only new or changed ones)")
    common(ix, paths="*")
    ix.add_argument("--store", metavar="DIR", required=True, help="the claims store folder (created if missing)")
    ix.add_argument("--compact", action="store_true", help="rewrite the store's live records into one segment")
    engines(ix)

    cl = sub.add_parser("claims", help="list every extracted claim with its normalized value")
    common(cl)
    cl.add_argument("--kind", action="append", default=[], help="only claims of this kind")

    sub.add_parser("rules", help="list every rule with its code, severity and pack").add_argument(
        "--rules", action="append", default=[], metavar="DIR")
    sub.add_parser("schema", help="print the JSON Schema of the JSON report")
    e = sub.add_parser("explain", help="describe one rule")
    e.add_argument("code")
    e.add_argument("--rules", action="append", default=[], metavar="DIR")
    ls = sub.add_parser("lsp", help="run the language server (editors show findings while you type; needs pygls)")
    ls.add_argument("--stdio", action="store_true", help="talk over standard input and output (the default; "
                    "accepted because editors pass it)")
    return p


def main(argv: Optional[list[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    if argv is None and args.command != "lsp":  # the program itself, not a caller in its own process
        from checker import bulk

        bulk.ONE_SHOT = True
    try:
        if args.command == "check":
            return _check(args)
        if args.command == "claims":
            return _claims(args)
        if args.command == "index":
            return _index(args)
        if args.command == "rules":
            return _rules(args)
        if args.command == "explain":
            return _explain(args)
        if args.command == "lsp":
            return _lsp()
        if args.command == "schema":
            from checker.report.schema import json_schema

            sys.stdout.write(json_schema())
            return EXIT_OK
    except UsageError as err:
        print(f"claimcheck: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as err:  # a bug: say so in one line, never a traceback in a user's CI log
        if os.environ.get("CLAIMCHECK_DEBUG"):
            raise
        print(f"claimcheck: internal error: {type(err).__name__}: {err} (set CLAIMCHECK_DEBUG=1 for details)",
              file=sys.stderr)
        return 3
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    return EXIT_USAGE


def _config(args, **extra):
    """Defaults < the configuration file < flags given on the command line."""
    from pathlib import Path

    from pydantic import ValidationError

    from checker.config import Config
    from checker.configfile import ConfigError, find_config, load_config_file

    values: dict = {}
    if not getattr(args, "isolated", False):
        path = Path(args.config) if getattr(args, "config", None) else find_config(args.paths)
        if path is not None:
            try:
                values = load_config_file(path)
            except ConfigError as err:
                raise UsageError(str(err)) from None
    if getattr(args, "jobs", None) is not None and args.jobs < 1:
        raise UsageError(f"--jobs must be at least 1, not {args.jobs}")
    flags = {"reference_date": args.reference_date, "day_first": args.day_first,
             "max_file_size": args.max_file_size, "max_claims": args.max_claims,
             "jobs": getattr(args, "jobs", None), "cache": getattr(args, "cache", None), **extra}
    values.update({k: v for k, v in flags.items() if v is not None})
    if args.rules:
        values["rule_packs"] = list(values.get("rule_packs", [])) + list(args.rules)
    try:
        return Config(**values)
    except ValidationError as err:
        raise UsageError(str(err)) from None


def _load_rules(dirs, config=None):
    from checker.checks import RuleError, load_rules
    from checker.configfile import ConfigError, apply_rule_settings

    try:
        rules = load_rules(dirs)
        if config is not None and config.rule_settings:
            apply_rule_settings(rules, config.rule_settings, config.config_path or "configuration")
        return rules
    except (RuleError, ConfigError) as err:
        raise UsageError(str(err)) from None


def _check(args) -> int:
    from checker import api
    from checker.bulk import gc_paused
    from checker.config import SEVERITY_RANK
    from checker.report import render

    config = _config(args, fail_on=args.fail_on, select=args.select, ignore=args.ignore,
                     report_unused_suppressions=args.report_unused_suppressions or None)
    rules = [r for r in _load_rules(config.rule_packs, config) if config.rule_enabled(r.code)]
    from checker import baseline as bl

    changed = bl.changed_files(args.changed_since) if args.changed_since else None
    known = bl.read_baseline(args.baseline) if args.baseline else None
    sources = list(args.against or []) + ([] if args.against else list(config.sources))
    if not args.paths and not args.store:
        raise UsageError("name the files or folders to check (or a claims store: --store DIR)")
    if args.store or args.against_store or args.engine != "local":
        report = _check_scaled(args, config, rules)
    elif args.against or (config.sources and len(args.paths) == 1):
        data = None
        paths = list(args.paths)
        if paths == ["-"]:
            data = sys.stdin.buffer.read()
            paths = [args.stdin_filename or "stdin.md"]
        run = api.collect_draft(paths, sources, config, data)
        report = api.evaluate(run, rules, config, strict_sources=args.strict_sources)
    else:
        if "-" in args.paths:
            raise UsageError("reading standard input (-) is for a draft: add --against SOURCE…")
        run = api.collect(args.paths, config)
        report = api.evaluate(run, rules, config)
    if changed is not None:
        report = bl.only_changed(report, changed)
    if known is not None:
        report = bl.without_baseline(report, known)
    if args.write_baseline:
        try:
            bl.write_baseline(args.write_baseline, report)
        except OSError as err:
            raise UsageError(f"cannot write {args.write_baseline}: {err.strerror or err}") from None
        print(f"claimcheck: wrote {len(report.findings)} findings to {args.write_baseline}", file=sys.stderr)
        return EXIT_OK
    if args.format == "json":
        from checker.report.json import json_chunks

        text = json_chunks(report)  # written a finding at a time
    elif args.format != "text":
        with gc_paused():
            text = render(report, args.format, rules=rules)
    else:
        from checker.report.text import render_text

        color = args.color == "always" or (args.color == "auto" and not args.output and sys.stdout.isatty()
                                           and not os.environ.get("NO_COLOR"))
        text = render_text(report, color=color, explain=args.explain)
    _emit(text, args.output)
    threshold = SEVERITY_RANK[config.fail_on]
    failing = any(SEVERITY_RANK[f.severity] >= threshold for f in report.findings)
    return EXIT_FINDINGS if failing else EXIT_OK


def _engine(args):
    """The executor module for --engine; a missing optional extra is a usage error that says what to install."""
    if args.engine == "local":
        if args.scheduler:
            raise UsageError("--scheduler is for --engine dask")
        return "local"
    from checker.executors import dask as dask_engine

    try:
        dask_engine.configure(scheduler=args.scheduler, workers=args.jobs)
    except dask_engine.EngineUnavailable as err:
        raise UsageError(str(err)) from None
    return "dask"


def _check_scaled(args, config, rules):
    """check with --store, --against-store or --engine: the same Report as the plain run, found another way."""
    from checker import api
    from checker.store import StoreError

    if args.store and (args.paths or args.against or args.against_store):
        raise UsageError("--store checks the whole store: give no paths (for a draft use --against-store DIR)")
    if args.against_store and args.against:
        raise UsageError("use --against or --against-store, not both")
    engine = _engine(args)
    try:
        if args.against_store:
            from checker import store

            data = None
            paths = list(args.paths)
            if paths == ["-"]:
                data = sys.stdin.buffer.read()
                paths = [args.stdin_filename or "stdin.md"]
            return store.check_draft(paths, args.against_store, rules, config, data, args.strict_sources)
        if args.store:
            from checker import store

            run = store.load_run(args.store, config)
            return api.evaluate_engine(run, rules, config, engine)
        sources = list(args.against or []) + ([] if args.against else list(config.sources))
        if "-" in args.paths:
            raise UsageError("reading standard input (-) with --engine dask: not supported")
        if args.against or (config.sources and len(args.paths) == 1):
            run = api.collect_draft(args.paths, sources, config, engine=engine)
            return api.evaluate_engine(run, rules, config, engine, strict_sources=args.strict_sources)
        run = api.collect(args.paths, config, engine=engine)
        return api.evaluate_engine(run, rules, config, engine)
    except StoreError as err:
        raise UsageError(str(err)) from None


def _index(args) -> int:
    from checker import store

    if not args.paths and not args.compact:
        raise UsageError("name the files or folders to index (or --compact)")
    config = _config(args)
    engine = _engine(args)
    try:
        stats = store.index(list(args.paths), args.store, config, engine=engine, compact=args.compact)
    except store.StoreError as err:
        raise UsageError(str(err)) from None
    print(f"claimcheck: {args.store}: {stats['documents']:,} documents ({stats['extracted']:,} extracted, "
          f"{stats['kept']:,} kept, {stats['deleted']:,} removed, {stats['errors']:,} unreadable), "
          f"{stats['segments']} segment{'s' if stats['segments'] != 1 else ''}, {stats['seconds']:.1f} s",
          file=sys.stderr)
    return EXIT_OK


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


def _project_config():
    """For `rules` and `explain`: the configuration found from the current folder (its rule packs and settings)."""
    from checker.config import Config
    from checker.configfile import ConfigError, find_config, load_config_file

    path = find_config(["."])
    try:
        return Config(**load_config_file(path)) if path else Config()
    except ConfigError as err:
        raise UsageError(str(err)) from None


def _rules(args) -> int:
    config = _project_config()
    rules = _load_rules(config.rule_packs + args.rules, config)
    width = max(len(r.name) for r in rules)
    for r in rules:
        print(f"{r.code}  {r.name:<{width}}  {r.severity:<7}  {r.check:<8}  {r.pack}  {r.source}")
    return EXIT_OK


def _explain(args) -> int:
    config = _project_config()
    rules = {r.code: r for r in _load_rules(config.rule_packs + args.rules, config)}
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


def _lsp() -> int:
    try:
        import pygls  # noqa: F401
    except ImportError:
        print("claimcheck: the language server needs pygls: pip install 'claimcheck[lsp]' "
              "(from a checkout: pip install '.[lsp]')", file=sys.stderr)
        return EXIT_USAGE
    from checker import lsp

    return lsp.main()


def _emit(text: str | Iterable[str], output: Optional[str]) -> None:
    """Write a report (a string, or its pieces in order) to standard output or, atomically, to `output`."""
    chunks = (text,) if isinstance(text, str) else text
    if not output:
        for chunk in chunks:
            sys.stdout.write(_encodable(chunk))
        sys.stdout.flush()
        return
    from checker.report.files import write_atomic

    try:
        write_atomic(output, (_encodable(chunk) for chunk in chunks))
    except OSError as err:
        raise UsageError(f"cannot write {output}: {err.strerror or err}") from None


def _encodable(text: str) -> str:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a file name that is not UTF-8: show its bytes as \udcXX (a valid JSON escape)
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text
