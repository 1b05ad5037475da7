"""The Python API: check(paths, config) -> Report. The CLI is a thin shell around this."""
from __future__ import annotations

import hashlib
import os
import time
from collections import Counter
from functools import partial
from typing import Optional

from checker import checks, runcache
from checker.align import AlignOptions, align, distinctive, idf_from_counts, word_counts
from checker.bulk import gc_paused
from checker.checks import primitives
from checker.config import Config
from checker.progress import Progress
from checker.executors import ExtractSettings, default_jobs, map_documents, process_document, reload_document
from checker.extract import entity_keys
from checker.ingest import InputError, discover
from checker.records import DocumentRecord, claims_from_record, entities_of, pack, suppressions_from_record
from checker.models import Claim, ClaimRef, Document, DocumentSummary, DraftView, Finding, Report, Summary, Support

DRAFT_ROLE = "draft"


class Run:
    """What one check run holds: compact records of the documents (not their text), their claims, and
    what could not be read."""

    def __init__(self) -> None:
        self.docs: list[DocumentRecord] = []  # reads like a Document for rendering evidence
        self.claims: list[Claim] = []
        self.errors: list[InputError] = []
        self.summaries: list[DocumentSummary] = []
        self.entities: list[list[str]] = []  # per document: distinctive proper nouns
        self.suppressions: list = []          # inline `claimcheck: ignore` regions
        self.shared: Optional[dict] = None    # while a run loads: equal values and packed contexts, one object each
        self.counts: Optional[list] = None    # while a run loads: [sentences, word document frequencies] (idf)
        self.idf: Optional[dict] = None       # align's word weights when known already (a store keeps them)
        self.state_dir: Optional[str] = None  # the run snapshot's folder (runcache), when the cache is on
        # per stage, summed over files (seconds in the workers), for benchmarks
        self.stats: dict = {"read": 0.0, "ingest": 0.0, "extract": 0.0, "cpu": 0.0, "bytes": 0, "cached": 0,
                            "extracted": 0}


def collect(paths: list[str], config: Config, engine: str = "local") -> Run:
    run = Run()
    run.shared = {}
    run.counts = [0, Counter()]
    settings = ExtractSettings.from_config(config)
    # in order of path: the same files give the same run (claim indices, ties between equal scores),
    # whatever the order they were named in
    items = sorted((item for item in discover(paths, include_hidden=config.include_hidden)
                    if isinstance(item, InputError) or config.path_selected(item)),
                   key=lambda item: item.path if isinstance(item, InputError) else item)
    snapshot = writer = None
    # path -> (sha256, signature): the last run's snapshot holds the file as it is
    unchanged: dict[str, tuple[str, Optional[tuple]]] = {}
    if settings.cache_dir:
        from checker.cache import open_cache

        open_cache(settings.cache_dir).look_again()  # a process that ran before may have missed new entries
        started = time.time_ns()
        folder = runcache.folder_of(settings.cache_dir, runcache.run_key(paths, settings, config.include_hidden))
        run.state_dir = folder
        snapshot = runcache.Snapshot(folder)
        if snapshot:
            unchanged = _unchanged(items, snapshot, settings, run.stats)
            # the word statistics of the last run, less the documents that are not as they were
            run.counts = _counts_without(snapshot, unchanged)
        writer = runcache.Writer(folder, snapshot, started)
    results = map_documents([item for item in items if not isinstance(item, InputError) and item not in unchanged],
                            settings, config.jobs, engine=engine, ahead=bool(unchanged))
    progress = Progress(len(items))
    with gc_paused():  # the run's claims are made here
        for item in items:
            progress.tick(item)
            if isinstance(item, InputError):
                run.errors.append(item)
                continue
            entry = snapshot.entry(item) if item in unchanged else None
            if entry is None and item in unchanged:
                run.counts = None  # counted in the snapshot's statistics, and its entry is lost: count anew
            if entry is not None:
                record, sha, size = entry, unchanged[item][0], entry["size"]
                sig = unchanged[item][1]
                run.stats["bytes"] += size
                run.stats["cached"] += 1
            else:
                result = next(results) if item not in unchanged else process_document(item, settings)
                record = result.load()
                sha, size, sig = record.get("sha256"), result.size, result.stat
                for stage, seconds in result.seconds.items():
                    run.stats[stage] += seconds
                run.stats["bytes"] += size
                run.stats["cpu"] += result.cpu
                run.stats["cached" if result.cached else "extracted"] += 1
            if record["error"] is not None:
                run.errors.append(InputError(item, record["error"]))
                run.summaries.append(DocumentSummary(path=item, error=record["error"]))
                continue
            found = record.get("found", len(record["claims"]))
            if config.max_claims and found > config.max_claims:  # 0: no limit, as for max_file_size
                run.errors.append(InputError(item, f"{found:,} claims found; only the first "
                                                   f"{config.max_claims:,} are checked (max-claims)"))
            part = document_part(item, record, len(run.docs), config, settings, run.shared,
                                 run.counts if entry is None else None)
            add_part(run, part)
            claims, doc = part[0], part[1]
            if writer is not None and sha:
                writer.add(item, sha, entry if entry is not None else runcache.entry_of(record, claims, part[2], size),
                           entry is not None, sig)
            run.summaries.append(document_summary(item, doc, claims))
    progress.close()
    if run.counts is None:
        n, df = word_counts(run.claims)
        run.counts = [n, df]
    if writer is not None:
        writer.close(run.counts)
    run.idf = idf_from_counts(*run.counts)  # the whole run's: a run made from part of this one works them out again
    run.shared = run.counts = None
    return run


def _counts_without(snapshot: "runcache.Snapshot", unchanged: dict) -> Optional[list]:
    """The snapshot's word statistics without the documents it holds that this run does not take from
    it (changed, gone, unreadable); None when one of them cannot be read back."""
    n, df = snapshot.counts
    df = Counter(df)
    for path in snapshot.where:
        if path not in unchanged:
            entry = snapshot.entry(path)
            if entry is None:
                return None
            k, gone = word_counts(claims_from_record(entry, -1))
            n -= k
            df.subtract(gone)
    return [n, df]


def _unchanged(items: list, snapshot: "runcache.Snapshot", settings: ExtractSettings, stats: dict) -> dict:
    """The files whose bytes are those the snapshot was made from: {path: (sha256, signature)}. A file
    whose signature the snapshot keeps (runcache.RACY_NS) is not read when it has that signature
    still; any other is read and hashed."""
    from checker.ingest import read_with_stat, signature

    out = {}
    t = time.perf_counter()
    for item in items:
        if isinstance(item, InputError):
            continue
        want = snapshot.sha(item)
        if want is None:
            continue
        kept = snapshot.stat(item)
        # (a file now over max-file-size is read, to be refused as a run without a snapshot refuses it)
        if kept is not None and not (settings.max_file_size and kept[0] > settings.max_file_size):
            try:
                if signature(os.stat(item)) == tuple(kept):
                    out[item] = (want, kept)
                    continue
            except OSError:
                pass
        data, sig = read_with_stat(item, settings.max_file_size)
        if isinstance(data, bytes) and hashlib.sha256(data).hexdigest() == want:
            out[item] = (want, sig)
    stats["read"] += time.perf_counter() - t
    return out


def add_document(run: Run, path: str, record: dict, config: Config, settings: ExtractSettings):
    """One document's claim record into a run (files, the cache or a claims store alike): its claims
    (the first max-claims of them), suppressions, what is kept to show evidence, its proper nouns.
    Returns (claims, the kept document)."""
    part = document_part(path, record, len(run.docs), config, settings, run.shared, run.counts)
    add_part(run, part)
    return part[0], part[1]


def document_part(path: str, record: dict, doc_index: int, config: Config, settings: ExtractSettings,
                  shared: Optional[dict] = None, counts: Optional[list] = None) -> tuple:
    """What add_part() adds to a run for one document record, as document `doc_index` of the run:
    (claims, kept document, proper nouns, suppressions). With `shared` (a memo of the run), equal
    values are one object and contexts are packed (records.pack); with `counts`, the document's
    sentences and words are added to them (align's word weights, without a pass over the run)."""
    claims = claims_from_record(record, doc_index, shared)
    if config.max_claims and len(claims) > config.max_claims:
        claims = claims[:config.max_claims]
    if counts is not None:
        n, df = word_counts(claims)
        counts[0] += n
        counts[1].update(df)
    entities = entities_of(record, claims)
    if shared is not None:
        pack(claims, shared)
    doc = DocumentRecord(path, record, reload=partial(reload_document, path, settings))
    return claims, doc, entities, suppressions_from_record(record, path)


def add_part(run: Run, part: tuple) -> None:
    claims, doc, entities, suppressions = part
    run.docs.append(doc)
    run.claims.extend(claims)
    run.entities.append(entities)
    run.suppressions.extend(suppressions)


def document_summary(path: str, doc, claims: list) -> DocumentSummary:
    return DocumentSummary(path=path, claims=len(claims),
                           reference_date=doc.reference_date.isoformat() if doc.reference_date else None,
                           reference_source=doc.reference_source or None, note="; ".join(doc.notes) or None)


def check(paths: list[str], config: Optional[Config] = None) -> Report:
    config = config or Config()
    rules = [r for r in checks.load_rules(config.rule_packs) if config.rule_enabled(r.code)]
    run = collect(paths, config)
    return evaluate(run, rules, config)


def check_draft(draft_paths: list[str], sources: list[str], config: Optional[Config] = None,
                strict_sources: bool = False, draft_data: Optional[bytes] = None) -> Report:
    """Draft mode: the draft (files, or bytes read from standard input named by draft_paths[0])
    against its sources."""
    config = config or Config()
    rules = [r for r in checks.load_rules(config.rule_packs) if config.rule_enabled(r.code)]
    run = collect_draft(draft_paths, sources, config, draft_data)
    return evaluate(run, rules, config, strict_sources=strict_sources)


def collect_draft(draft_paths: list[str], sources: list[str], config: Config,
                  draft_data: Optional[bytes] = None, engine: str = "local") -> Run:
    from checker import draft as draft_mode

    if draft_data is not None:
        draft_run = collect_bytes(draft_paths[0], draft_data, config)
    else:
        draft_run = collect(draft_paths, config, engine)
    source_run = collect(sources, config, engine) if sources else Run()
    draft_names = {os.path.realpath(d.path) for d in draft_run.docs}
    keep = [i for i, d in enumerate(source_run.docs) if os.path.realpath(d.path) not in draft_names]
    if len(keep) != len(source_run.docs):  # the draft sits inside a source folder: it is not its own source
        source_run = _subset(source_run, keep)
    return draft_mode.merge_runs(draft_run, source_run)


def _subset(run: Run, keep: list[int]) -> Run:
    out = Run()
    remap = {old: new for new, old in enumerate(keep)}
    out.docs = [run.docs[i] for i in keep]
    out.entities = [run.entities[i] for i in keep]
    out.claims = [c for c in run.claims if c.doc in remap]
    for c in out.claims:
        c.doc = remap[c.doc]
    paths = {d.path for d in out.docs}
    out.summaries = [s for s in run.summaries if s.path in paths or s.error]
    out.errors = run.errors
    out.suppressions = [s for s in run.suppressions if s.path in paths]
    return out


def collect_bytes(name: str, data: bytes, config: Config) -> Run:
    """One document given as bytes (standard input), shown under `name`; kept whole (it cannot be re-read)."""
    from checker.extract import ExtractOptions, extract
    from checker.ingest import load
    from checker.suppress import find_suppressions

    run = Run()
    options = ExtractOptions(day_first=config.day_first, max_claims=config.max_claims)
    doc = load(name, data=data, reference_date=config.reference_date)
    if isinstance(doc, InputError):
        run.errors.append(doc)
        run.summaries.append(DocumentSummary(path=name, error=doc.reason))
        return run
    claims, _ = extract(doc, options)
    for c in claims:
        c.doc = 0
    run.docs.append(doc)
    run.claims.extend(claims)
    run.entities.append(entity_keys(claims))
    run.suppressions.extend(find_suppressions(name, doc.raw))
    run.summaries.append(DocumentSummary(path=name, claims=len(claims),
                                         reference_date=doc.reference_date.isoformat() if doc.reference_date else None,
                                         reference_source=doc.reference_source or None))
    return run


def evaluate(run: Run, rules: list, config: Config, strict_sources: bool = False,
             draft_only: bool = False, aligner=None, entity_filter=None) -> Report:
    """Findings of a run. `draft_only` (draft mode): only findings that involve the draft, which is what
    an editor integration shows; the sources' disagreements among themselves are not computed."""
    try:
        with gc_paused():  # comparing and rendering make millions of small objects and no cycles
            return _evaluate(run, rules, config, strict_sources, draft_only, aligner, entity_filter)
    finally:
        runcache.wait()  # the alignment state kept for the next run is on disk


def _evaluate(run: Run, rules: list, config: Config, strict_sources: bool, draft_only: bool, aligner,
              entity_filter) -> Report:
    roles = getattr(run, "roles", None)
    focus = {i for i, r in enumerate(roles) if r == DRAFT_ROLE} if (draft_only and roles) else None
    notes: list[str] = []
    if aligner is None and focus is None and run.state_dir and type(run.claims) is list:
        from checker import incremental  # a plain run with the cache on: reuse the last run's comparison

        groups = incremental.align_run(run, AlignOptions(), ExtractSettings.from_config(config),
                                       config.jobs or default_jobs(), notes)
    else:
        aligner = aligner or partial(align, jobs=config.jobs or default_jobs(), idf=run.idf)
        groups = aligner(run.claims, doc_entities=run.entities, focus=focus, notes=notes)
    table = hasattr(run.claims, "materialize")
    if table:  # a ClaimTable: bring in the claims of the groups that may conflict (the rules read no other group)
        groups = [g for g in groups if run.claims.may_differ(g.claims)]
        run.claims.materialize(i for g in groups for i in g.claims)
    raw = _raw_findings(run, rules, config, groups, focus, entity_filter)
    if table:  # then only what the evidence quotes
        del groups
        keep = {i for f in raw for i in f.claims}
        run.claims.release(keep)
        run.claims.materialize(keep)
    if focus is not None:
        raw = [f for f in raw if any(run.claims[i].doc in focus for i in f.claims)]
    if roles:
        from checker import draft as draft_mode

        raw = draft_mode.classify(raw, run, strict_sources)
    findings = [f for f in (render(f, run) for f in raw) if not _suppressed(f, run.suppressions)]
    if config.report_unused_suppressions:
        findings.extend(_unused(run.suppressions, rules))
    input_rules = [r for r in rules if r.check == "input"]
    if input_rules:
        rule = input_rules[0]
        for err in run.errors:
            findings.append(Finding(
                rule=rule.code, name=rule.name, kind="input", category="input", severity=rule.severity,
                message=rule.message.format(path=err.path, detail=err.reason),
                claims=[ClaimRef(path=err.path, line=1, column=1, end_line=1, end_column=1, text="", value="",
                                 sentence="", kind="input")],
                reason=err.reason, fingerprint=_fingerprint(rule.code, [err.path, err.reason])))
    findings.sort(key=_finding_order)
    if roles:  # the draft's findings first, then what the sources alone disagree on
        findings.sort(key=lambda f: not any(c.role == "draft" for c in f.claims) or f.severity == "info"
                      and f.category != "input")
    by_sev: dict[str, int] = {}
    for f in findings:
        by_sev[f.severity] = by_sev.get(f.severity, 0) + 1
    draft_view = None
    if roles and DRAFT_ROLE in roles:
        d = run.docs[roles.index(DRAFT_ROLE)]
        draft_view = DraftView(path=d.path, text=d.raw)
        for summary in run.summaries:
            summary_role = "draft" if summary.path == d.path else "source"
            summary.role = summary_role
    return Report(findings=findings, documents=run.summaries, draft=draft_view,
                  summary=Summary(documents=len(run.docs), claims=len(run.claims), findings=len(findings),
                                  by_severity=by_sev), notes=sorted(set(notes)))


def _raw_findings(run: Run, rules: list, config: Config, groups, focus, entity_filter) -> list:
    raw = []
    by_kind: dict[str, list] = {}  # a conflict rule reads the groups of its kind only
    for g in groups:
        by_kind.setdefault(g.kind, []).append(g)
    entities = None
    for rule in rules:
        if rule.check == "conflict":
            raw.extend(primitives.conflict(rule, run.claims, by_kind.get(rule.kind, [])))
        elif rule.check == "variant":
            if entities is None:
                entities = (entity_filter or distinctive)(run.entities)
            raw.extend(primitives.variant(rule, run.claims, groups, house_style=config.names,
                                          doc_entities=entities, focus=focus))
        elif rule.check == "calendar":
            raw.extend(primitives.calendar(rule, run.claims, groups))
    return raw


def evaluate_engine(run: Run, rules: list, config: Config, engine: str = "local", **options) -> Report:
    """evaluate() with the comparison done by `engine` (checker.executors.<engine>.align, when it has
    one): the same Report, the pairwise work spread out."""
    import importlib

    module = importlib.import_module(f"checker.executors.{engine}")
    return evaluate(run, rules, config, aligner=getattr(module, "align", None), **options)


def claim_ref(c: Claim, doc: Document) -> ClaimRef:
    rs, re_ = doc.raw_offset(c.start), doc.raw_offset(c.end, is_end=True)
    line, col = doc.line_col(rs)
    end_line, end_col = doc.line_col(re_)
    s0, s1 = c.sentence
    sentence = " ".join(doc.text[s0:s1].split()) if s1 > s0 else ""
    return ClaimRef(path=doc.path, line=line, column=col, end_line=end_line, end_column=end_col,
                    text=" ".join(c.text.split()) if "\n" in c.text else c.text, value=c.value.display,
                    sentence=sentence, kind=c.kind, normalized=c.value.as_dict())


def render(f: "primitives.RawFinding", run: Run) -> Finding:
    rule = f.rule
    roles = getattr(run, "roles", None)
    refs = [claim_ref(run.claims[i], run.docs[run.claims[i].doc]) for i in f.claims]
    if roles:
        for i, ref in zip(f.claims, refs):
            ref.role = roles[run.claims[i].doc]
    order = sorted(range(len(refs)), key=lambda k: (refs[k].path, refs[k].line, refs[k].column, refs[k].text))
    f.claims = [f.claims[k] for k in order]
    refs = [refs[k] for k in order]
    first = run.claims[f.claims[0]]
    fields = {"subject": f.subject, "values": f.values, "detail": f.detail, "text": refs[0].text,
              "count": f.extra.get("count", len(refs)), "path": refs[0].path}
    try:
        message = rule.message.format(**fields)
    except (KeyError, IndexError, ValueError):
        message = f"{rule.name}: {f.values or f.detail}"
    category = {"conflict": "conflict", "variant": "variant", "calendar": "calendar"}.get(rule.check, rule.check)
    parts = [rule.code] + sorted(f"{os.path.basename(r.path)}|{r.text}|{r.value}" for r in refs)
    support = []
    if roles:
        by_index = dict(zip(f.claims, refs))
        support = [Support(value=s["value"], sources=s["sources"], claims=[by_index[i] for i in s["claims"]],
                           agrees_with_draft=s["agrees_with_draft"]) for s in f.extra.get("support", [])]
        if not f.extra.get("about_draft"):
            category = "source-" + category
        elif support:
            from checker import draft as draft_mode

            draft_refs = [r for r in refs if r.role == DRAFT_ROLE]
            message = f"{rule.name}: " + draft_mode.draft_message(
                Finding(rule=rule.code, name=rule.name, kind=first.kind, category=category, severity=rule.severity,
                        message="", claims=draft_refs), support)
        elif f.extra.get("suggest") and rule.check == "variant" and "house style" not in message:
            message = message.split("; most used:")[0] + f'; the sources write "{f.extra["suggest"]}"'
    return Finding(rule=rule.code, name=rule.name, kind=first.kind if rule.kind != "input" else "input",
                   category=category, severity=f.extra.get("severity", rule.severity), message=message, claims=refs,
                   reason=f.reason, fingerprint=_fingerprint(rule.code, parts), support=support)


def _suppressed(finding: Finding, suppressions: list) -> bool:
    hit = False
    for s in suppressions:
        if any(s.covers(c.path, c.line, finding.rule) for c in finding.claims):
            s.used = True
            hit = True
    return hit


def _unused(suppressions: list, rules: list) -> list[Finding]:
    out = []
    for s in suppressions:
        if s.used:
            continue
        codes = ", ".join(sorted(s.codes)) if s.codes else "every rule"
        out.append(Finding(
            rule="CC901", name="unused-suppression", kind="input", category="suppression", severity="warning",
            message=f"{s.path}:{s.line}: this suppression ({codes}) silences nothing",
            claims=[ClaimRef(path=s.path, line=s.line, column=1, end_line=s.line, end_column=1, text="", value="",
                             sentence="", kind="input")],
            reason="No finding lies in the region it covers.", fingerprint=_fingerprint("CC901", [s.path, codes])))
    return out


def _fingerprint(code: str, parts: list[str]) -> str:
    # surrogatepass: a file name that is not UTF-8 reaches us as lone surrogates ("caf\udce9.txt")
    return hashlib.sha256("\x1f".join([code] + parts).encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _finding_order(f: Finding):
    c = f.claims[0]
    return (c.path, c.line, c.column, f.rule, f.fingerprint)
