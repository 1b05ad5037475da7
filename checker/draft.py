"""Draft mode: one draft checked against its sources.

What matters is where the draft disagrees with the sources: those findings keep their rule's
severity and say what the sources say instead and how many of them say it. Disagreements among the
sources alone come after, at severity `info`, and fail the run only with --strict-sources.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from checker.checks.primitives import RawFinding
from checker.normalize.values import compatible

DRAFT, SOURCE = "draft", "source"


def merge_runs(draft, sources):
    """A new Run holding the sources' documents first, then the draft's, with roles per document.
    The sources' run is not changed, so an editor integration can keep it and re-check a draft cheaply."""
    from checker.api import Run

    merged = Run()
    offset = len(sources.docs)
    for c in draft.claims:
        c.doc += offset
    merged.docs = sources.docs + draft.docs
    merged.claims = sources.claims + draft.claims
    merged.errors = draft.errors + sources.errors
    merged.summaries = draft.summaries + sources.summaries
    merged.entities = sources.entities + draft.entities
    merged.suppressions = sources.suppressions + draft.suppressions
    for s in merged.suppressions:
        s.used = False
    merged.roles = [SOURCE] * offset + [DRAFT] * len(draft.docs)
    return merged


def classify(raw: list[RawFinding], run, strict_sources: bool) -> list[RawFinding]:
    """Mark each finding as about the draft or about the sources only; lower the latter."""
    roles = run.roles
    for f in raw:
        draft_claims = [i for i in f.claims if roles[run.claims[i].doc] == DRAFT]
        about_draft = bool(draft_claims)
        if about_draft and f.rule.check == "conflict":
            about_draft = _draft_conflicts(f, run, draft_claims)
        elif about_draft and f.rule.check == "variant":
            about_draft = _draft_spelling_differs(f, run, draft_claims)
        f.extra["about_draft"] = about_draft
        if not about_draft and not strict_sources:
            f.extra["severity"] = "info"
        if about_draft and f.rule.check == "conflict":
            f.extra["support"] = _support(f, run, draft_claims)
    raw.sort(key=lambda f: not f.extra.get("about_draft"))
    return raw


def _draft_conflicts(f: RawFinding, run, draft_claims: list[int]) -> bool:
    for i in draft_claims:
        for j in f.claims:
            if i != j and not compatible(run.claims[i].value, run.claims[j].value, f.rule.options):
                return True
    return False


def _draft_spelling_differs(f: RawFinding, run, draft_claims: list[int]) -> bool:
    spell = lambda i: " ".join(run.claims[i].text.split())  # noqa: E731
    source_spellings = [spell(i) for i in f.claims if i not in draft_claims]
    draft_spellings = {spell(i) for i in draft_claims}
    if not source_spellings:
        return len(draft_spellings) > 1 or "house style" in f.values
    counts: dict[str, int] = defaultdict(int)
    for s in source_spellings:
        counts[s] += 1
    majority = max(sorted(counts), key=lambda s: counts[s])
    f.extra["suggest"] = majority
    return bool(draft_spellings - {majority}) or len(draft_spellings) > 1


def _support(f: RawFinding, run, draft_claims: list[int]) -> list[dict]:
    """The values the sources give, each with the source documents that give it."""
    draft_values = [run.claims[i].value for i in draft_claims]
    by_value: dict[str, list[int]] = defaultdict(list)
    for i in f.claims:
        if i not in draft_claims:
            by_value[run.claims[i].value.display].append(i)
    out = []
    for value, ids in by_value.items():
        docs = {run.claims[i].doc for i in ids}
        agrees = all(compatible(run.claims[ids[0]].value, dv, f.rule.options) for dv in draft_values)
        out.append({"value": value, "sources": len(docs), "claims": ids, "agrees_with_draft": agrees})
    out.sort(key=lambda s: (s["agrees_with_draft"], -s["sources"], s["value"]))
    return out


def draft_message(finding, support_refs) -> str:
    """'draft: January 6 · 4 sources: January 5 (wire-a.txt:12:5, …) · 1 source agrees with the draft (…)'"""
    draft_refs = [c for c in finding.claims if c.role == DRAFT]
    parts = ["draft: " + ", ".join(dict.fromkeys(f"{c.text} ({c.value})" for c in draft_refs))]
    for s in support_refs:
        where = ", ".join(f"{Path(c.path).name}:{c.line}:{c.column}" for c in s.claims[:3])
        where += ", …" if len(s.claims) > 3 else ""
        n = f"{s.sources} source{'s' if s.sources != 1 else ''}"
        if s.agrees_with_draft:
            parts.append(f"{n} agree{'s' if s.sources == 1 else ''} with the draft ({where})")
        else:
            parts.append(f"{n}: {s.claims[0].text} = {s.value} ({where})")
    return " · ".join(parts)
