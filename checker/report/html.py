"""HTML report: one self-contained page (inline CSS and JS, nothing fetched), the draft shown whole.

Everything taken from documents goes through html.escape; the data the script needs travels as JSON in
a <script type="application/json"> block and reaches the page only through textContent. A
Content-Security-Policy allows exactly this page's own style and script (by hash), so even a slip in
escaping could not run a document's script. Same report, same bytes.
"""
from __future__ import annotations

import base64
import hashlib
import json
from html import escape
from typing import Optional

from checker.models import ClaimRef, Finding, Report, Support

SEVERITIES = ("error", "warning", "info")
_LEGEND = {
    "error": "a conflict: the values cannot all be true",
    "warning": "a variant or doubtful value worth a look",
    "info": "a note",
}


def render_html(report: Report) -> str:
    draft = report.draft
    highlights: list[dict] = []
    located: set[int] = set()
    if draft is not None:
        draft_html, highlights, located = _draft_text(report)
    panel_cards = [_card(f, i, report) for i, f in enumerate(report.findings) if i in located]
    other_cards = [_card(f, i, report) for i, f in enumerate(report.findings) if i not in located]

    body: list[str] = ['<header class="top">', '<h1>claimcheck report</h1>', _summary(report, highlights),
                       _legend(report), "</header>"]
    if draft is not None:
        body += [
            '<main class="draft-layout">',
            '<section class="draft" aria-labelledby="draft-title">',
            f'<h2 id="draft-title">Draft <code class="path">{_e(draft.path)}</code></h2>',
            '<p class="hint noprint">' + ("Click a highlighted claim, or focus it with Tab and press Enter, "
                                          "to see what the sources say." if highlights else
                                          "No claim in the draft conflicts with the sources.") + "</p>",
            f'<pre class="draft-text">{draft_html}</pre>',
            "</section>",
            '<aside class="panel" id="panel" aria-label="What the sources say">',
            '<div class="panel-bar noprint"><p class="panel-title" id="panel-title" aria-live="polite"></p>'
            '<button type="button" class="close" id="panel-close" aria-label="Close details">\u00d7</button></div>',
            '<p class="panel-empty noprint">Select a highlighted claim to see its finding.</p>'
            if highlights else "",
            *panel_cards,
            "</aside>",
            "</main>",
        ]
        if other_cards:
            body += ['<section class="others" aria-labelledby="others-title">',
                     '<h2 id="others-title">Other findings</h2>', *other_cards, "</section>"]
    else:
        body += ['<main class="cards">', *other_cards] if other_cards else \
                ['<main class="cards">', '<p class="none">No findings: the documents agree.</p>']
        body.append("</main>")

    data = {"highlights": highlights}
    data_json = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # "<" can never close the block nor open a comment once it is \u003c; & and > for good measure
    data_json = data_json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    csp = (f"default-src 'none'; style-src '{_sha256(_CSS)}'; script-src '{_sha256(_JS)}'; "
           f"img-src 'none'; base-uri 'none'; form-action 'none'")
    title = f"claimcheck: {draft.path}" if draft is not None else "claimcheck report"
    page = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="claimcheck">',
        f"<title>{_e(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        '<body class="draft-mode">' if draft is not None else "<body>",
        *[part for part in body if part],
        f'<script type="application/json" id="claimcheck-data">{data_json}</script>',
        f"<script>{_JS}</script>",
        "</body>",
        "</html>",
    ]
    return "\n".join(page) + "\n"


# ---- the draft, with its conflicting claims highlighted ------------------------------------------


def _draft_text(report: Report) -> tuple[str, list[dict], set[int]]:
    """The draft's whole text as HTML, one focusable highlight per conflicting claim, and what each opens."""
    text = report.draft.text
    starts = [0]
    i = text.find("\n")
    while i != -1:
        starts.append(i + 1)
        i = text.find("\n", i + 1)

    spans: dict[tuple[int, int], dict] = {}
    located: set[int] = set()
    for index, f in enumerate(report.findings):
        for c in f.claims:
            if not _is_draft(c, report):
                continue
            where = _locate(c, text, starts)
            if where is None:
                continue
            located.add(index)
            span = spans.setdefault(where, {"cards": [], "severity": f.severity})
            if _card_id(index) not in span["cards"]:
                span["cards"].append(_card_id(index))
            if _rank(f.severity) < _rank(span["severity"]):
                span["severity"] = f.severity

    # overlapping claims share one highlight over their union: marks cannot interleave
    merged: list[list] = []
    for (a, b), span in sorted(spans.items(), key=lambda kv: (kv[0][0], -kv[0][1])):
        if merged and a < merged[-1][1]:
            last = merged[-1]
            last[1] = max(last[1], b)
            last[2]["cards"] += [x for x in span["cards"] if x not in last[2]["cards"]]
            if _rank(span["severity"]) < _rank(last[2]["severity"]):
                last[2]["severity"] = span["severity"]
            continue
        merged.append([a, b, span])

    out: list[str] = []
    highlights: list[dict] = []
    pos = 0
    for n, (a, b, span) in enumerate(merged, 1):
        hid = f"hl-{n}"
        cards = sorted(span["cards"], key=lambda cid: int(cid.split("-")[1]))
        refs = ",".join(cid.split("-")[1] for cid in cards)
        sev = span["severity"]
        out.append(_e(text[pos:a]))
        out.append(
            f'<mark class="hl sev-{_e(sev)}" id="{hid}" tabindex="0" role="button" aria-expanded="false" '
            f'aria-controls="panel" aria-describedby="legend-{_e(sev)}" data-ref="{refs}" '
            f'title="{_e(sev)}: click for what the sources say">{_e(text[a:b])}</mark>')
        pos = b
        highlights.append({"id": hid, "cards": cards, "severity": sev, "text": text[a:b]})
    out.append(_e(text[pos:]))
    return "".join(out), highlights, located


def _is_draft(c: ClaimRef, report: Report) -> bool:
    if c.role is not None:
        return c.role == "draft"
    return report.draft is not None and c.path == report.draft.path


def _locate(c: ClaimRef, text: str, starts: list[int]) -> Optional[tuple[int, int]]:
    """(start, end) of a claim in the draft text from its 1-based line/column, end exclusive."""
    if not (1 <= c.line <= len(starts) and 1 <= c.end_line <= len(starts)):
        return None
    a = starts[c.line - 1] + c.column - 1
    b = starts[c.end_line - 1] + c.end_column - 1
    if not (0 <= a < b <= len(text)):
        return None
    if c.text and text[a:b] != c.text:
        # trust the claim's own text when its column is off: look for it on the same line
        line_end = text.find("\n", starts[c.line - 1])
        found = text.find(c.text, starts[c.line - 1], len(text) if line_end == -1 else line_end)
        if found != -1:
            return found, found + len(c.text)
    return a, b


# ---- cards -----------------------------------------------------------------------------------------


def _card(f: Finding, index: int, report: Report) -> str:
    cid = _card_id(index)
    sev = _e(f.severity)
    out = [f'<article class="card sev-{sev}" id="{cid}" aria-labelledby="{cid}-title">',
           f'<h3 id="{cid}-title"><span class="ref">{index + 1}</span> <span class="badge sev-{sev}">{sev}</span> '
           f'<span class="rule">{_e(f.rule)}</span> <span class="name">{_e(f.name)}</span></h3>',
           f'<p class="msg">{_e(_message(f))}</p>']
    if f.kind == "input":
        out.append('<ul class="files">' + "".join(f'<li><code class="path">{_e(c.path)}</code></li>'
                                                 for c in f.claims) + "</ul>")
    elif report.draft is not None and any(_is_draft(c, report) for c in f.claims):
        drafts = [c for c in f.claims if _is_draft(c, report)]
        support = _support(f, report)
        out.append(_values(
            [("Draft", _value_of(drafts), "", _written(drafts))]
            + [(_n(s.sources, "source"), s.value, "agrees" if s.agrees_with_draft else "differs",
                _written(s.claims)) for s in support]))
        out.append('<h4>The draft says</h4>')
        out.append(_claims(drafts))
        out.append('<h4>The sources say</h4>')
        for s in support:
            verdict = "agrees with the draft" if s.agrees_with_draft else "differs from the draft"
            out.append(f'<p class="support"><strong class="v">{_e(s.value)}</strong> '
                       f'<span class="count">{_e(_n(s.sources, "source"))}, {verdict}</span></p>')
            out.append(_claims(s.claims))
        if not support:
            out.append('<p class="support">No source states this fact.</p>')
    else:
        out.append(_values([(_n(len({c.path for c in cs}), "document"), value, "",
                             _written(cs))
                            for value, cs in _by_value(f.claims)]))
        out.append(_claims(f.claims))
    if f.reason:
        out.append(f'<p class="why"><strong>Why these were grouped:</strong> {_e(f.reason)}</p>')
    out.append("</article>")
    return "\n".join(out)


def _message(f: Finding) -> str:
    """The message, without the rule name the card's heading already shows."""
    prefix = f"{f.name}: "
    return f.message[len(prefix):] if f.message.startswith(prefix) and len(f.message) > len(prefix) else f.message


def _values(cells: list[tuple[str, str, str, str]]) -> str:
    """The normalized values side by side: who says it, the value, whether it agrees, as written."""
    out = ['<div class="values" role="group" aria-label="Normalized values side by side">']
    for who, value, verdict, written in cells:
        cls = f" {verdict}" if verdict else ""
        out.append(f'<div class="val{cls}"><span class="who">{_e(who)}</span>'
                   f'<span class="v">{_e(value)}</span>'
                   + (f'<span class="as">{_e(written)}</span>' if written else "")
                   + (f'<span class="verdict">{_e(verdict)}</span>' if verdict else "") + "</div>")
    out.append("</div>")
    return "".join(out)


def _claims(claims: list[ClaimRef]) -> str:
    out = ['<ul class="claims">']
    for c in claims:
        loc = f"{c.path}:{c.line}:{c.column}" if c.line else c.path
        value = "" if _display(c) == c.text else f" = <strong>{_e(_display(c))}</strong>"
        out.append(f'<li><blockquote class="quote">{_sentence(c)}</blockquote>'
                   f'<p class="meta"><code class="path">{_e(loc)}</code> '
                   f'<span class="said">\u201c{_e(c.text)}\u201d{value}</span></p></li>')
    out.append("</ul>")
    return "".join(out)


def _sentence(c: ClaimRef) -> str:
    """The claim's sentence, the claim itself marked; the claim alone when there is no sentence."""
    s = c.sentence or c.text
    i = s.find(c.text) if c.text else -1
    if i == -1:
        return _e(s)
    return f'{_e(s[:i])}<mark class="q">{_e(c.text)}</mark>{_e(s[i + len(c.text):])}'


def _support(f: Finding, report: Report) -> list[Support]:
    """What the sources say; derived from the claims when the finding carries no support list."""
    if f.support:
        return f.support
    drafts = {_display(c) for c in f.claims if _is_draft(c, report)}
    sources = [c for c in f.claims if not _is_draft(c, report)]
    return [Support(value=value, sources=len({c.path for c in cs}), claims=cs, agrees_with_draft=value in drafts)
            for value, cs in _by_value(sources)]


def _by_value(claims: list[ClaimRef]) -> list[tuple[str, list[ClaimRef]]]:
    groups: dict[str, list[ClaimRef]] = {}
    for c in claims:
        groups.setdefault(_display(c), []).append(c)
    return list(groups.items())


def _written(claims: list[ClaimRef]) -> str:
    """How the claims were written; for names, whose value is the spelling, the key they were matched by."""
    if claims and all(c.kind == "name" for c in claims):
        return "key " + " / ".join(dict.fromkeys(c.value for c in claims))
    return " ".join(dict.fromkeys(f"\u201c{c.text}\u201d" for c in claims))


def _value_of(claims: list[ClaimRef]) -> str:
    return " / ".join(dict.fromkeys(_display(c) for c in claims))


def _display(c: ClaimRef) -> str:
    if c.kind == "name":  # a name's value is a matching key ("leejaemyung"); the spelling is what differs
        return c.text
    bound = c.normalized.get("bound", "exact") if c.normalized else "exact"
    qualifier = {"approx": "about ", "lower": "at least ", "upper": "at most "}.get(bound, "")
    return qualifier + c.value if qualifier and not c.value.startswith(("~", "≥", "≤", ">", "<")) else c.value


# ---- header --------------------------------------------------------------------------------------


def _summary(report: Report, highlights: list[dict]) -> str:
    s = report.summary
    by_sev = [(sev, n) for sev, n in sorted(s.by_severity.items(), key=lambda kv: (_rank(kv[0]), kv[0])) if n]
    kinds: dict[str, int] = {}
    for f in report.findings:
        kinds[f.kind] = kinds.get(f.kind, 0) + 1
    parts = [_n(s.documents, "document"), _n(s.claims, "claim"), _n(s.findings, "finding")]
    line = " \u00b7 ".join(_e(p) for p in parts)
    if by_sev:
        line += ": " + ", ".join(f'<span class="badge sev-{_e(sev)}">{_e(_n(n, sev))}</span>' for sev, n in by_sev)
    if kinds:
        line += " \u00b7 by kind: " + _e(", ".join(f"{n} {k}" for k, n in sorted(kinds.items())))
    if report.draft is not None:
        line += " \u00b7 " + _e(_n(len(highlights), "highlighted draft claim"))
    return f'<p class="summary">{line}</p>'


def _legend(report: Report) -> str:
    present = {f.severity for f in report.findings}
    items = [f'<li id="legend-{sev}"><span class="swatch hl sev-{sev}">{sev}</span> {_LEGEND[sev]}</li>'
             for sev in SEVERITIES if sev in present or report.draft is not None]
    return f'<ul class="legend" aria-label="Severities">{"".join(items)}</ul>' if items else ""


# ---- small helpers -------------------------------------------------------------------------------


def _e(s: object) -> str:
    return escape(str(s), quote=True)


def _n(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _rank(severity: str) -> int:
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


def _card_id(index: int) -> str:
    return f"card-{index + 1}"


def _sha256(s: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode("ascii")


_CSS = """
:root{--fg:#1d1f23;--muted:#5b6270;--bg:#fff;--panel:#f6f7f9;--line:#d9dde3;
--err:#b3261e;--err-bg:#fde3e1;--warn:#8a5a00;--warn-bg:#fff0c2;--info:#1f5fa8;--info-bg:#dcebfb;
--ok:#1e6b34;--ok-bg:#e1f3e6;--focus:#1a73e8}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0 auto;max-width:78rem;padding:1rem 1.25rem 3rem;color:var(--fg);background:var(--bg);
font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;overflow-wrap:anywhere}
h1{font-size:1.45rem;margin:.2rem 0 .3rem}
h2{font-size:1.1rem;margin:1.2rem 0 .5rem}
h3{font-size:1rem;margin:0 0 .35rem;line-height:1.4}
h4{font-size:.8rem;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);margin:.9rem 0 .3rem}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace}
code.path{font-size:.85em;color:var(--muted)}
.summary{margin:.2rem 0 .5rem;color:var(--muted)}
.badge{display:inline-block;padding:0 .45em;border-radius:.3em;font-size:.85em;font-weight:600;line-height:1.5}
.badge.sev-error{background:var(--err-bg);color:var(--err)}
.badge.sev-warning{background:var(--warn-bg);color:var(--warn)}
.badge.sev-info{background:var(--info-bg);color:var(--info)}
.legend{list-style:none;padding:0;margin:0 0 .5rem;display:flex;flex-wrap:wrap;gap:.2rem 1.2rem;
font-size:.85rem;color:var(--muted)}
.swatch{font-weight:600;padding:0 .3em;border-radius:.2em;text-decoration:underline;text-decoration-thickness:2px;
text-underline-offset:.18em}
mark{color:inherit}
mark.hl{border-radius:.2em;padding:0 .05em;text-decoration:underline;text-decoration-thickness:2px;
text-underline-offset:.18em;-webkit-box-decoration-break:clone;box-decoration-break:clone}
.hl.sev-error{background:var(--err-bg);text-decoration-color:var(--err);text-decoration-style:solid}
.hl.sev-warning{background:var(--warn-bg);text-decoration-color:var(--warn);text-decoration-style:dashed}
.hl.sev-info{background:var(--info-bg);text-decoration-color:var(--info);text-decoration-style:dotted}
pre mark.hl{cursor:pointer}
mark.hl:hover{filter:brightness(.95)}
mark.hl:focus{outline:none}
mark.hl:focus-visible,button:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
mark.hl.active{box-shadow:0 0 0 2px var(--fg)}
.draft-layout{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,27rem);gap:1.5rem;align-items:start}
.draft-text{white-space:pre-wrap;overflow-wrap:anywhere;margin:0;padding:1rem 1.1rem;border:1px solid var(--line);
border-radius:.5rem;background:var(--bg);font:1rem/1.75 Georgia,"Times New Roman",serif;tab-size:4}
.hint{margin:.2rem 0 .6rem;color:var(--muted);font-size:.9rem}
.panel{position:sticky;top:1rem;max-height:calc(100vh - 2rem);overflow:auto;background:var(--panel);
border:1px solid var(--line);border-radius:.5rem;padding:.75rem}
.panel-bar{display:flex;align-items:flex-start;gap:.5rem}
.panel-title{flex:1;margin:0 0 .4rem;font-weight:600;font-size:.9rem;min-height:1.2em}
.close{font:inherit;font-size:1.3rem;line-height:1;border:1px solid var(--line);background:var(--bg);
border-radius:.3rem;padding:.1rem .5rem;cursor:pointer;color:var(--fg)}
.panel-empty{color:var(--muted);margin:.2rem 0}
.js .panel:not(.open) .close{visibility:hidden}
.js .panel .card{display:none}
.js .panel .card.open{display:block}
.js .panel.open .panel-empty{display:none}
.card{background:var(--bg);border:1px solid var(--line);border-left:5px solid var(--line);border-radius:.5rem;
padding:.75rem .9rem;margin:0 0 .9rem}
.card.sev-error{border-left-color:var(--err)}
.card.sev-warning{border-left-color:var(--warn)}
.card.sev-info{border-left-color:var(--info)}
.card .ref{display:inline-block;min-width:1.5em;text-align:center;font-size:.8em;color:var(--muted);
border:1px solid var(--line);border-radius:1em}
.card .rule{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em}
.card .name{color:var(--muted);font-weight:400}
.msg{margin:.1rem 0 .6rem}
.values{display:flex;flex-wrap:wrap;gap:.5rem;margin:.5rem 0}
.val{flex:1 1 8rem;min-width:0;border:1px solid var(--line);border-radius:.4rem;padding:.35rem .55rem;
display:flex;flex-direction:column;background:var(--panel)}
.val .who{font-size:.75rem;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
.val .v{font-weight:700;font-size:1.05rem}
.val .as{font-size:.85rem;color:var(--muted)}
.val .verdict{font-size:.75rem;font-weight:600}
.val.agrees{border-color:var(--ok);background:var(--ok-bg)}
.val.agrees .verdict{color:var(--ok)}
.val.differs{border-color:var(--err);background:var(--err-bg)}
.val.differs .verdict{color:var(--err)}
.claims{list-style:none;padding:0;margin:0}
.claims li{margin:0 0 .55rem}
.quote{margin:0;padding:.15rem 0 .15rem .7rem;border-left:3px solid var(--line);font-size:.95rem}
.quote mark.q{background:#ffe58a;font-weight:600;border-radius:.15em;padding:0 .1em}
.meta{margin:.15rem 0 0 .8rem;font-size:.85rem;color:var(--muted)}
.support{margin:.6rem 0 .3rem}
.support .count{color:var(--muted);font-size:.9rem}
.why{margin:.7rem 0 0;font-size:.9rem;color:var(--muted)}
.files{margin:.2rem 0;padding-left:1.2rem}
.cards{max-width:60rem}
.none{color:var(--muted)}
@media (max-width:760px){
body{padding:.75rem .75rem 2rem}
.draft-layout{display:block}
.draft-text{padding:.75rem;font-size:.92rem}
.panel{position:static;max-height:none;margin-top:1rem}
.js .panel{position:fixed;left:0;right:0;bottom:0;top:auto;max-height:62vh;margin:0;border-radius:.8rem .8rem 0 0;
box-shadow:0 -6px 24px rgba(0,0,0,.18);z-index:10;display:none}
.js .panel.open{display:block}
.js body.sheet-open{padding-bottom:64vh}
}
@media print{
body{max-width:none;padding:0;font-size:11pt}
.noprint,.close,.panel-bar,.panel-empty,.hint{display:none!important}
.draft-layout{display:block}
.panel,.js .panel{position:static;display:block;max-height:none;overflow:visible;border:0;padding:0;
background:none;box-shadow:none}
.card,.js .panel .card{display:block;break-inside:avoid;page-break-inside:avoid}
.draft-text{border:0;padding:0}
mark.hl{-webkit-print-color-adjust:exact;print-color-adjust:exact;box-shadow:none}
mark.hl::after{content:" [" attr(data-ref) "]";font-size:.75em;vertical-align:super}
.js body.sheet-open{padding-bottom:0}
}
"""

_JS = """
(function () {
  "use strict";
  var doc = document;
  doc.documentElement.classList.add("js");
  var data = JSON.parse(doc.getElementById("claimcheck-data").textContent);
  var panel = doc.getElementById("panel");
  if (!panel) { return; }
  var title = doc.getElementById("panel-title");
  var closer = doc.getElementById("panel-close");
  var narrow = window.matchMedia("(max-width: 760px)");
  var byId = {};
  data.highlights.forEach(function (h) { byId[h.id] = h; });
  var current = null;

  function close(refocus) {
    Array.prototype.forEach.call(panel.querySelectorAll(".card.open"), function (c) { c.classList.remove("open"); });
    panel.classList.remove("open");
    doc.body.classList.remove("sheet-open");
    title.textContent = "";
    if (current) {
      current.setAttribute("aria-expanded", "false");
      current.classList.remove("active");
      if (refocus) { current.focus(); }
    }
    current = null;
  }

  function open(mark) {
    var h = byId[mark.id];
    if (!h) { return; }
    if (current === mark) { close(false); return; }
    close(false);
    h.cards.forEach(function (id) {
      var card = doc.getElementById(id);
      if (card) { card.classList.add("open"); }
    });
    panel.classList.add("open");
    mark.setAttribute("aria-expanded", "true");
    mark.classList.add("active");
    current = mark;
    title.textContent = "\\u201c" + h.text + "\\u201d in the draft: " + h.cards.length +
      (h.cards.length === 1 ? " finding" : " findings");
    panel.scrollTop = 0;
    if (narrow.matches) {
      doc.body.classList.add("sheet-open");
      var r = mark.getBoundingClientRect();
      if (r.bottom > window.innerHeight - panel.offsetHeight - 8) { window.scrollBy(0, r.top - 24); }
    }
  }

  doc.addEventListener("click", function (e) {
    var mark = e.target.closest ? e.target.closest("mark.hl") : null;
    if (mark && byId[mark.id]) { open(mark); }
  });
  doc.addEventListener("keydown", function (e) {
    var mark = e.target.closest ? e.target.closest("mark.hl") : null;
    if (mark && byId[mark.id] && (e.key === "Enter" || e.key === " " || e.key === "Spacebar")) {
      e.preventDefault();
      open(mark);
    } else if (e.key === "Escape" && current) {
      close(true);
    }
  });
  closer.addEventListener("click", function () { close(true); });
})();
"""
