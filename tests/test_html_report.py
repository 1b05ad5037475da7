"""The HTML report without a browser: self-contained, escaped, deterministic, highlights where the claims are.

tests/browser/ opens the same pages in Chromium.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from html import escape, unescape
from html.parser import HTMLParser

import pytest

from checker.api import check
from checker.models import ClaimRef, DraftView, Finding, Report, Summary, Support
from checker.report import FORMATS, render
from checker.report.html import render_html
from tests.browser.draft import draft_claims_in_findings, fixture_draft_report
from tests.conftest import ROOT

EVIL = '<script>window.__pwned=1</script> "><img src=x onerror="window.__pwned=1"> </script><!-- &amp;'


class Page(HTMLParser):
    """Every start tag with its attributes, the text inside each <mark>, and the two script bodies."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.marks: list[tuple[dict, str]] = []
        self.scripts: list[tuple[dict, str]] = []
        self._mark: list = []
        self._script = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "mark":
            self._mark.append([attrs, ""])
        if tag == "script":
            self._script = [attrs, ""]

    def handle_endtag(self, tag):
        if tag == "mark" and self._mark:
            self.marks.append(tuple(self._mark.pop()))
        if tag == "script" and self._script is not None:
            self.scripts.append(tuple(self._script))
            self._script = None

    def handle_data(self, data):
        for m in self._mark:
            m[1] += data
        if self._script is not None:
            self._script[1] += data

    def highlights(self) -> list[tuple[dict, str]]:
        return [(a, t) for a, t in self.marks if "hl" in a.get("class", "").split()]

    def data(self) -> dict:
        return json.loads(next(body for a, body in self.scripts if a.get("type") == "application/json"))


def _in(folder, paths):
    here = os.getcwd()
    os.chdir(folder)
    try:
        return check(paths)
    finally:
        os.chdir(here)


@pytest.fixture(scope="module")
def seeds_report() -> Report:
    return _in(ROOT, ["seeds"])


@pytest.fixture(scope="module")
def draft_report() -> Report:
    return fixture_draft_report()


def _ref(path, line, column, text, sentence="", value="", role=None, end_line=None) -> ClaimRef:
    return ClaimRef(path=path, line=line, column=column, end_line=end_line or line, end_column=column + len(text),
                    text=text, value=value or text, sentence=sentence or text, kind="count", role=role)


def _report(findings: list[Finding], draft: DraftView | None = None) -> Report:
    by_sev: dict[str, int] = {}
    for f in findings:
        by_sev[f.severity] = by_sev.get(f.severity, 0) + 1
    return Report(findings=findings, draft=draft, documents=[],
                  summary=Summary(documents=2, claims=4, findings=len(findings), by_severity=by_sev))


def _finding(claims, severity="error", **kw) -> Finding:
    return Finding(rule="CC104", name="count-conflict", kind="count", category="conflict", severity=severity,
                   message=kw.pop("message", "Sources disagree on the number"), claims=claims, **kw)


# ---- dispatch, determinism, self-containment -------------------------------------------------------


def test_html_is_a_format(seeds_report):
    assert "html" in FORMATS
    assert render(seeds_report, "html") == render_html(seeds_report)


def test_same_report_same_bytes(seeds_report, draft_report):
    assert render_html(_in(ROOT, ["seeds"])) == render_html(seeds_report)
    assert render_html(fixture_draft_report()) == render_html(draft_report)


@pytest.mark.parametrize("which", ["seeds", "draft"])
def test_page_is_self_contained(which, seeds_report, draft_report):
    html = render_html(seeds_report if which == "seeds" else draft_report)
    page = Page(html)
    tags = {t for t, _ in page.tags}
    assert not tags & {"link", "img", "iframe", "object", "embed", "base", "form", "video", "audio", "source"}
    assert not any(k in ("src", "href", "srcset", "action") or k.startswith("on") for _, a in page.tags for k in a)
    assert [a.get("type") for a, _ in page.scripts] == ["application/json", None]
    css = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    assert "url(" not in css and "@import" not in css and "@font-face" not in css
    # the policy allows this page's own style and script and nothing else
    csp = next(a["content"] for t, a in page.tags if a.get("http-equiv") == "Content-Security-Policy")
    script = page.scripts[1][1]
    for body in (css, script):
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert "default-src 'none'" in csp


def test_summary_counts_by_severity_and_kind(seeds_report):
    html = render_html(seeds_report)
    summary = re.search(r'<p class="summary">(.*?)</p>', html).group(1)
    text = re.sub(r"<[^>]+>", "", summary)
    s = seeds_report.summary
    assert f"{s.documents} documents" in text and f"{s.findings} findings" in text
    for sev, n in s.by_severity.items():
        assert f"{n} {sev}" in text
    for kind in {f.kind for f in seeds_report.findings}:
        assert kind in text


# ---- without a draft: one card per finding -------------------------------------------------------


def test_one_card_per_finding_with_every_claim(seeds_report):
    html = render_html(seeds_report)
    page = Page(html)
    cards = [a for t, a in page.tags if t == "article"]
    assert len(cards) == len(seeds_report.findings) > 0
    assert not page.highlights()
    quoted = [t for a, t in page.marks if a.get("class") == "q"]
    for f in seeds_report.findings:
        assert f.reason and _esc(f.reason) in html
        for c in f.claims:
            assert f"{c.path}:{c.line}:{c.column}" in html
            assert c.text in quoted
            assert _esc(c.value) in html


# ---- the draft, highlighted ------------------------------------------------------------------------


def test_every_draft_claim_is_highlighted_where_it_stands(draft_report):
    page = Page(render_html(draft_report))
    highlights = page.highlights()
    assert len(highlights) == len(draft_claims_in_findings(draft_report)) >= 3
    drafts = sorted({c.text for f in draft_report.findings for c in f.claims if c.role == "draft"})
    assert sorted(t for _, t in highlights) == drafts
    for attrs, _ in highlights:
        assert attrs["role"] == "button" and attrs["tabindex"] == "0" and attrs["aria-expanded"] == "false"
        assert attrs["aria-controls"] == "panel"
    data = page.data()
    assert [h["id"] for h in data["highlights"]] == [a["id"] for a, _ in highlights]
    card_ids = {a["id"] for t, a in page.tags if t == "article"}
    assert all(set(h["cards"]) <= card_ids for h in data["highlights"])


def test_the_whole_draft_is_shown(draft_report):
    html = render_html(draft_report)
    pre = re.search(r'<pre class="draft-text">(.*?)</pre>', html, re.S).group(1)
    assert unescape(re.sub(r"<[^>]+>", "", pre)) == draft_report.draft.text


def test_columns_count_characters_and_lines_are_one_based():
    text = "Line one 🙂 says 12.\r\nThe mayor — 🙂🙂 — said 312 cables, not 312 ropes.\nEnd 7"
    column = text.split("\n")[1].rindex("312") + 1  # the second 312 on line 2, after two non-BMP characters
    assert column == 39
    claim = _ref("d.md", 2, column, "312", role="draft")
    last = _ref("d.md", 3, 5, "7", role="draft")
    src = _ref("s.md", 1, 1, "214", role="source")
    report = _report([_finding([claim, src]), _finding([last, src], severity="warning")],
                     DraftView(path="d.md", text=text))
    page = Page(render_html(report))
    assert [t for _, t in page.highlights()] == ["312", "7"]
    html = render_html(report)
    assert "🙂🙂 — said 312 cables, not <mark" in html and "</mark> ropes." in html


def test_overlapping_claims_share_one_highlight_and_stray_claims_go_to_other_findings():
    text = "On March 14, 2025 the bridge opened."
    whole = _ref("d.md", 1, 4, "March 14, 2025", role="draft")
    day = _ref("d.md", 1, 4, "March 14", role="draft")
    stray = _ref("d.md", 9, 1, "99", role="draft")               # no line 9: cannot be placed
    src = _ref("s.md", 1, 1, "March 12, 2025", role="source")
    report = _report([_finding([whole, src]), _finding([day, src], severity="warning"),
                      _finding([stray, src], severity="info")], DraftView(path="d.md", text=text))
    page = Page(render_html(report))
    (attrs, shown), = page.highlights()
    assert shown == "March 14, 2025" and "sev-error" in attrs["class"]
    assert page.data()["highlights"][0]["cards"] == ["card-1", "card-2"]
    html = render_html(report)
    others = html[html.index('id="others-title"'):]
    assert 'id="card-3"' in others and 'id="card-1"' not in others


def test_draft_card_shows_draft_value_sources_and_reason(draft_report):
    html = render_html(draft_report)
    for i, f in enumerate(draft_report.findings):
        card = re.search(rf'<article class="card[^"]*" id="card-{i + 1}".*?</article>', html, re.S).group(0)
        draft = next(c for c in f.claims if c.role == "draft")
        assert f"{draft.path}:{draft.line}" in card
        assert _esc(draft.text if f.kind == "name" else draft.value) in card
        for s in f.support:
            assert _esc(s.value) in card
        sources = [c for c in f.claims if c.role == "source"]
        assert sources
        for c in sources:
            assert f"{c.path}:{c.line}" in card
            before, _, after = c.sentence.partition(c.text)
            assert f'{_esc(before)}<mark class="q">{_esc(c.text)}</mark>' in card
        assert _esc(f.reason) in card
        assert "differs" in card  # every planted value disagrees with the sources


def test_support_is_derived_when_the_finding_has_none():
    d = _ref("d.md", 1, 1, "312", role="draft")
    a = _ref("a.md", 1, 1, "214", role="source")
    b = _ref("b.md", 1, 1, "214", role="source")
    c = _ref("c.md", 1, 1, "312", role="source")
    html = render_html(_report([_finding([d, a, b, c])], DraftView(path="d.md", text="312 cables")))
    assert "2 sources, differs from the draft" in html and "1 source, agrees with the draft" in html


# ---- escaping --------------------------------------------------------------------------------------


def test_everything_from_documents_is_escaped():
    draft_text = f"Title {EVIL}\nThe count was 312 {EVIL}.\n"
    d = _ref(f"dr{EVIL}.md", 2, 15, "312", sentence=f"The count was 312 {EVIL}.", role="draft")
    s = _ref(f"s{EVIL}.md", 1, 1, "214", sentence=f"{EVIL} 214 {EVIL}", value=f"214{EVIL}", role="source")
    f = _finding([d, s], message=f"msg {EVIL}", reason=f"why {EVIL}",
                 support=[Support(value=f"214{EVIL}", sources=1, claims=[s])])
    plain = _finding([_ref(f"x{EVIL}.txt", 1, 1, "5", sentence=f"{EVIL} 5")], severity="info",
                     message=f"m {EVIL}")
    for report in (_report([f, plain], DraftView(path=f"dr{EVIL}.md", text=draft_text)), _report([f, plain])):
        html = render_html(report)
        page = Page(html)
        assert not [t for t, _ in page.tags if t in ("img", "iframe")]
        assert len(page.scripts) == 2 and "__pwned" not in page.scripts[1][1]
        assert not any(k.startswith("on") for _, a in page.tags for k in a)
        assert "<script>window" not in html and "<img" not in html and "<!-- &amp;" not in html
        raw = re.search(r'<script type="application/json" id="claimcheck-data">(.*?)</script>', html, re.S).group(1)
        assert "<" not in raw and ">" not in raw
        if report.draft is not None:
            assert page.data()["highlights"][0]["text"] == "312"
    # the data block still decodes to the document's own text
    tricky = _report([_finding([_ref("d.md", 1, 1, "</script>", role="draft"), s])],
                     DraftView(path="d.md", text="</script><!-- x"))
    assert Page(render_html(tricky)).data()["highlights"][0]["text"] == "</script>"


def _esc(s: str) -> str:
    return escape(s, quote=True)
