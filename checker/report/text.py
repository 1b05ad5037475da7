"""Human report: one block per fact, every claim with path:line:col and its sentence."""
from __future__ import annotations

from checker.models import Report

_COLORS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


_NOTES_SHOWN = 5


def render_text(report: Report, color: bool = False, explain: bool = False) -> str:
    def paint(s: str, code: str) -> str:
        return f"{code}{s}{_RESET}" if color else s

    out: list[str] = []
    for f in report.findings:
        head = f"{paint(f.severity, _COLORS.get(f.severity, ''))} {paint(f.rule, _BOLD)} [{f.name}] {f.message}"
        out.append(head)
        for c in f.claims:
            if f.kind == "input":
                out.append(f"    {c.path}")
                continue
            loc = f"{c.path}:{c.line}:{c.column}"
            out.append(f"    {paint(loc, _BOLD)}  \"{c.text}\" = {c.value}")
            if c.sentence:
                out.append(f"        {paint(_quote(c.sentence, c.text), _DIM)}")
        if explain and f.reason:
            out.append(f"    why: {f.reason}")
        out.append("")
    for note in report.notes[:_NOTES_SHOWN]:
        out.append(f"note: {note}")
    if len(report.notes) > _NOTES_SHOWN:
        out.append(f"note: … and {len(report.notes) - _NOTES_SHOWN:,} more such keys (all of them in --format json)")
    s = report.summary
    sev = ", ".join(f"{n} {k}" for k, n in sorted(s.by_severity.items())) or "no findings"
    out.append(f"{s.documents} documents, {s.claims} claims, {s.findings} findings ({sev})")
    return "\n".join(out) + "\n"


def _quote(sentence: str, text: str, width: int = 160) -> str:
    if len(sentence) <= width:
        return sentence
    i = sentence.find(text)
    if i == -1:
        return sentence[:width - 1] + "…"
    a = max(0, i - (width - len(text)) // 2)
    b = min(len(sentence), a + width)
    return ("…" if a else "") + sentence[a:b] + ("…" if b < len(sentence) else "")
