"""The Python API: check(paths, config) -> Report. The CLI is a thin shell around this."""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Optional

from checker import checks
from checker.align import align
from checker.checks import primitives
from checker.config import Config
from checker.extract import ExtractOptions, entity_keys, extract
from checker.ingest import InputError, discover, load
from checker.suppress import find_suppressions
from checker.models import Claim, ClaimRef, Document, DocumentSummary, Finding, Report, Summary


class Run:
    """What one check run holds: the documents, their claims, and what could not be read."""

    def __init__(self) -> None:
        self.docs: list[Document] = []
        self.claims: list[Claim] = []
        self.errors: list[InputError] = []
        self.summaries: list[DocumentSummary] = []
        self.entities: list[list[str]] = []  # per document: distinctive proper nouns
        self.suppressions: list = []          # inline `claimcheck: ignore` regions


def collect(paths: list[str], config: Config) -> Run:
    run = Run()
    options = ExtractOptions(day_first=config.day_first, max_claims=config.max_claims)
    for item in discover(paths, include_hidden=config.include_hidden):
        if isinstance(item, InputError):
            run.errors.append(item)
            continue
        if not config.path_selected(item):
            continue
        try:
            doc = load(item, reference_date=config.reference_date, max_bytes=config.max_file_size)
            claims = extract(doc, options)[0] if not isinstance(doc, InputError) else []
        except Exception as err:  # a bug on one odd file must not cost the user the other files
            doc = InputError(item, f"claimcheck failed on this file ({type(err).__name__}: {str(err)[:200]}); "
                                   f"please report it")
        if isinstance(doc, InputError):
            run.errors.append(doc)
            run.summaries.append(DocumentSummary(path=item, error=doc.reason))
            continue
        if len(claims) > config.max_claims:
            run.errors.append(InputError(item, f"{len(claims):,} claims found; only the first {config.max_claims:,} "
                                               f"are checked (max-claims)"))
            claims = claims[:config.max_claims]
        run.suppressions.extend(find_suppressions(item, doc.raw))
        index = len(run.docs)
        for c in claims:
            c.doc = index
        run.docs.append(doc)
        run.claims.extend(claims)
        run.entities.append(entity_keys(claims))
        run.summaries.append(DocumentSummary(
            path=item, claims=len(claims),
            reference_date=doc.reference_date.isoformat() if doc.reference_date else None,
            reference_source=doc.reference_source or None, note="; ".join(doc.notes) or None))
    return run


def check(paths: list[str], config: Optional[Config] = None) -> Report:
    config = config or Config()
    rules = [r for r in checks.load_rules(config.rule_packs) if config.rule_enabled(r.code)]
    run = collect(paths, config)
    return evaluate(run, rules, config)


def evaluate(run: Run, rules: list, config: Config) -> Report:
    groups = align(run.claims, doc_entities=run.entities)
    raw = []
    for rule in rules:
        if rule.check == "conflict":
            raw.extend(primitives.conflict(rule, run.claims, groups))
        elif rule.check == "variant":
            raw.extend(primitives.variant(rule, run.claims, groups, house_style=config.names))
        elif rule.check == "calendar":
            raw.extend(primitives.calendar(rule, run.claims, groups))
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
    by_sev: dict[str, int] = {}
    for f in findings:
        by_sev[f.severity] = by_sev.get(f.severity, 0) + 1
    return Report(findings=findings, documents=run.summaries,
                  summary=Summary(documents=len(run.docs), claims=len(run.claims), findings=len(findings),
                                  by_severity=by_sev))


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
    refs = [claim_ref(run.claims[i], run.docs[run.claims[i].doc]) for i in f.claims]
    first = run.claims[f.claims[0]]
    fields = {"subject": f.subject, "values": f.values, "detail": f.detail, "text": refs[0].text,
              "count": f.extra.get("count", len(refs)), "path": refs[0].path}
    try:
        message = rule.message.format(**fields)
    except (KeyError, IndexError, ValueError):
        message = f"{rule.name}: {f.values or f.detail}"
    category = {"conflict": "conflict", "variant": "variant", "calendar": "calendar"}.get(rule.check, rule.check)
    parts = [rule.code] + sorted(f"{Path(r.path).name}|{r.text}|{r.value}" for r in refs)
    return Finding(rule=rule.code, name=rule.name, kind=first.kind if rule.kind != "input" else "input",
                   category=category, severity=rule.severity, message=message, claims=refs, reason=f.reason,
                   fingerprint=_fingerprint(rule.code, parts))


def _suppressed(finding: Finding, suppressions: list) -> bool:
    hit = False
    for s in suppressions:
        if any(s.covers(c.path, c.line, finding.rule) for c in finding.claims):
            s.used = True
            hit = True
    return hit


def _unused(suppressions: list, rules: list) -> list[Finding]:
    rule = next((r for r in rules if r.check == "input"), None)
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
    return hashlib.sha256("\x1f".join([code] + parts).encode("utf-8")).hexdigest()[:16]


def _finding_order(f: Finding):
    c = f.claims[0]
    return (c.path, c.line, c.column, f.rule, f.fingerprint)
