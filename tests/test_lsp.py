"""`claimcheck lsp`: the language server driven over stdio as an editor drives it (JSON-RPC with
Content-Length framing; the tiny client below needs nothing but the standard library)."""
from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

pygls = pytest.importorskip("pygls", reason="the language server needs pygls: pip install '.[lsp]'")

TIMEOUT = 60.0  # per awaited message: generous for a loaded CI machine, finite so a hung server fails


class Client:
    """A minimal LSP client over a subprocess's stdin/stdout."""

    def __init__(self, cwd: Path) -> None:
        env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
        self.proc = subprocess.Popen([sys.executable, "-m", "checker", "lsp", "--stdio"], cwd=cwd, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.messages: queue.Queue = queue.Queue()
        self.seen: list = []  # every message received, in order
        self.next_id = 0
        self.stderr = b""
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._drain_stderr, daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        while True:
            headers = {}
            while True:
                line = out.readline()
                if not line:
                    self.messages.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                key, _, value = line.decode("ascii").partition(":")
                headers[key.strip().lower()] = value.strip()
            body = out.read(int(headers["content-length"]))
            self.messages.put(json.loads(body))

    def _drain_stderr(self) -> None:
        for chunk in iter(lambda: self.proc.stderr.read(4096), b""):
            self.stderr += chunk

    @staticmethod
    def frame(payload: dict) -> bytes:
        body = json.dumps({"jsonrpc": "2.0", **payload}).encode("utf-8")
        return b"Content-Length: %d\r\n\r\n" % len(body) + body

    def send(self, *payloads: dict) -> None:
        """Send messages in one write (several at once arrive as fast typing does)."""
        self.proc.stdin.write(b"".join(self.frame(p) for p in payloads))
        self.proc.stdin.flush()

    def notify(self, method: str, params: dict) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params) -> dict:
        self.next_id += 1
        msg_id = self.next_id
        self.send({"id": msg_id, "method": method, "params": params})
        reply = self.wait(lambda m: m.get("id") == msg_id and "method" not in m, f"the reply to {method}")
        assert "error" not in reply, reply
        return reply.get("result")

    def wait(self, match, what: str, timeout: float = TIMEOUT) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no {what} within {timeout:.0f} s; server stderr:\n{self.stderr.decode(errors='replace')}")
            try:
                msg = self.messages.get(timeout=left)
            except queue.Empty:
                continue
            if msg is None:
                raise AssertionError(f"the server closed its output before {what}; stderr:\n"
                                     f"{self.stderr.decode(errors='replace')}")
            self.seen.append(msg)
            if msg.get("method") and "id" in msg:  # a request from the server (e.g. registerCapability)
                self.send({"id": msg["id"], "result": None})
                continue
            if match(msg):
                return msg

    def diagnostics(self, uri: str, version: int) -> list:
        msg = self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                        and m["params"]["uri"] == uri and m["params"].get("version") == version,
                        f"diagnostics for version {version}")
        return msg["params"]["diagnostics"]

    def close(self) -> None:
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


SOURCE = """---
title: Summit in Beijing
date: 2026-01-06
---

# Summit in Beijing

President Lee Jae-myung and President Xi Jinping held a summit in Beijing on January 5, 2026.
Officials said the talks lasted 90 minutes.
"""

DRAFT = """Leaders meet in Beijing
January 7, 2026

President Lee Jae-myung and President Xi Jinping met in Beijing on January 6
for talks that ran 90 minutes.
"""


@pytest.fixture
def project(tmp_path):
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "wire.md").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "draft.txt").write_text(DRAFT, encoding="utf-8")
    (tmp_path / "claimcheck.toml").write_text('sources = ["sources"]\ncache = false\n', encoding="utf-8")
    return tmp_path


def _uri(path: Path) -> str:
    return path.resolve().as_uri()


def test_diagnostics_follow_edits_and_a_quick_fix_suppresses(project):
    draft = project / "drafts" / "draft.txt"
    uri = _uri(draft)
    client = Client(project)
    try:
        init = client.request("initialize", {"processId": os.getpid(), "rootUri": _uri(project),
                                             "capabilities": {}, "workspaceFolders": None})
        caps = init["capabilities"]
        assert caps["textDocumentSync"] in (1, 2) or caps["textDocumentSync"]["change"] in (1, 2)
        assert caps.get("codeActionProvider")
        client.notify("initialized", {})
        client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "plaintext",
                                                                "version": 1, "text": DRAFT}})
        diags = client.diagnostics(uri, 1)
        dates = [d for d in diags if "January 6" in d["message"]]
        assert len(dates) == 1, diags
        d = dates[0]
        assert d["source"] == "claimcheck" and d["severity"] == 1 and d["code"].startswith("CC")
        line = DRAFT.split("\n").index("President Lee Jae-myung and President Xi Jinping met in Beijing on January 6")
        col = DRAFT.split("\n")[line].index("January 6")
        assert d["range"] == {"start": {"line": line, "character": col},
                              "end": {"line": line, "character": col + len("January 6")}}
        related = d["relatedInformation"]
        assert [r["location"]["uri"] for r in related] == [_uri(project / "sources" / "wire.md")]
        assert related[0]["message"] == '"January 5, 2026" = 2026-01-05'
        src_line = SOURCE.split("\n").index(next(s for s in SOURCE.split("\n") if "January 5, 2026" in s))
        assert related[0]["location"]["range"]["start"] == {
            "line": src_line, "character": SOURCE.split("\n")[src_line].index("January 5, 2026")}

        # the quick fix: a suppression comment on the claim's line (plain text)
        actions = client.request("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": d["range"], "context": {"diagnostics": [d]}})
        assert len(actions) == 1 and actions[0]["kind"] == "quickfix"
        [edit] = actions[0]["edit"]["changes"][uri]
        end = len(DRAFT.split("\n")[line])
        assert edit == {"range": {"start": {"line": line, "character": end}, "end": {"line": line, "character": end}},
                        "newText": f" claimcheck: ignore {d['code']}"}

        # fixing the date in the editor (an incremental change) clears the diagnostic
        client.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": 2},
            "contentChanges": [{"range": {"start": {"line": line, "character": col + len("January ")},
                                          "end": {"line": line, "character": col + len("January 6")}},
                                "text": "5"}]})
        diags = client.diagnostics(uri, 2)
        assert not [x for x in diags if x["code"] == d["code"] and "January" in x["message"]], diags

        # the suppression the quick fix offers silences the finding when applied
        fixed = DRAFT.split("\n")
        fixed[line] += edit["newText"]
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3},
                                                 "contentChanges": [{"text": "\n".join(fixed)}]})
        assert not [x for x in client.diagnostics(uri, 3) if x["code"] == d["code"]]

        assert client.request("shutdown", None) is None
        client.notify("exit", None)
        client.proc.stdin.close()
        assert client.proc.wait(timeout=15) == 0
    finally:
        client.close()


def test_markdown_quick_fix_goes_before_the_paragraph_and_init_options_name_the_sources(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "wire.md").write_text(SOURCE, encoding="utf-8")
    text = "# Draft\n\nLeaders met on Monday.\nPresident Lee Jae-myung and President Xi Jinping held a summit\n" \
           "in Beijing on January 6, 2026.\n"
    draft = tmp_path / "draft.md"
    draft.write_text(text, encoding="utf-8")
    uri = _uri(draft)
    client = Client(tmp_path)
    try:
        client.request("initialize", {"processId": None, "rootUri": _uri(tmp_path), "capabilities": {},
                                      "initializationOptions": {"sources": ["elsewhere"]}})
        client.notify("initialized", {})
        client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1,
                                                                "text": text}})
        diags = [d for d in client.diagnostics(uri, 1) if "January 6" in d["message"]]
        assert len(diags) == 1 and diags[0]["range"]["start"]["line"] == 4
        # typing: three quick changes are checked once, at the last version (didChange is debounced)
        end = {"line": 5, "character": 0}
        client.send(*({"method": "textDocument/didChange",
                       "params": {"textDocument": {"uri": uri, "version": v},
                                  "contentChanges": [{"range": {"start": end, "end": end}, "text": "x"}]}}
                      for v in (2, 3, 4)))
        assert [x for x in client.diagnostics(uri, 4) if "January 6" in x["message"]]
        published = [m["params"]["version"] for m in client.seen
                     if m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri]
        assert published == [1, 4]
        text += "xxx"
        actions = client.request("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": diags[0]["range"], "context": {"diagnostics": diags}})
        [edit] = actions[0]["edit"]["changes"][uri]
        assert edit == {"range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 0}},
                        "newText": f"<!-- claimcheck: ignore {diags[0]['code']} -->\n"}
        client.request("shutdown", None)
        client.notify("exit", None)
    finally:
        client.close()


def test_suppression_edits_extend_an_existing_comment():
    from checker.lsp import suppression_edit

    text = "Intro.\n\n<!-- claimcheck: ignore CC201 -->\nFirst line\nclaim here\n"
    edit = suppression_edit(text, "a.md", 4, "CC101")
    assert (edit.range.start.line, edit.range.start.character, edit.range.end.character) == (2, 0, len(text.split("\n")[2]))
    assert edit.new_text == "<!-- claimcheck: ignore CC201, CC101 -->"
    edit = suppression_edit("a b 5 claimcheck: ignore CC201\n", "a.txt", 0, "CC101")
    assert edit.new_text == ", CC101"
    front = "---\ndate: 2026-01-07\n---\n# Title\nThey met on January 6.\n"
    edit = suppression_edit(front, "a.md", 4, "CC101")
    assert edit.range.start.line == 4 and edit.new_text == "<!-- claimcheck: ignore CC101 -->\n"
    html = "<body>\n<p>One.</p>\n<p>Two on\nJanuary 6.</p>\n</body>\n"
    edit = suppression_edit(html, "a.html", 3, "CC101")
    assert edit.range.start.line == 2 and edit.new_text == "<!-- claimcheck: ignore CC101 -->\n"


def test_columns_are_counted_in_the_clients_units():
    from checker.lsp import _units

    assert _units("naïve 😀", "utf-16") == 8 and _units("naïve 😀", "utf-32") == 7 and _units("naïve 😀", "utf-8") == 11


def test_sources_are_extracted_once_and_again_only_when_one_changes(project):
    from checker.lsp import Engine

    engine = Engine(root=str(project))
    draft = project / "drafts" / "draft.txt"
    for _ in range(3):
        report = engine.check(str(draft), DRAFT, str(draft))
        assert any("January 6" in f.message for f in report.findings)
    assert engine.cache.collections == 1
    source = project / "sources" / "wire.md"
    source.write_text(SOURCE.replace("January 5, 2026", "January 6, 2026"), encoding="utf-8")
    os.utime(source, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
    report = engine.check(str(draft), DRAFT, str(draft))
    assert engine.cache.collections == 2
    assert not any("January 6" in f.message and f.severity == "error" for f in report.findings)


def test_without_pygls_the_command_says_how_to_install_it(tmp_path):
    blocker = tmp_path / "block"
    blocker.mkdir()
    (blocker / "pygls.py").write_text("raise ImportError('blocked for the test')\n", encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(blocker), str(ROOT)]))
    proc = subprocess.run([sys.executable, "-m", "checker", "lsp"], env=env, capture_output=True, text=True,
                          timeout=60, stdin=subprocess.DEVNULL)
    assert proc.returncode == 2
    assert "pip install '.[lsp]'" in proc.stderr
