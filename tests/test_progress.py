"""The progress line appears only on a terminal with many files, never in CI or when piped."""
from __future__ import annotations

import io

from checker.progress import Progress


class FakeTTY(io.StringIO):
    def isatty(self):
        return True


def test_progress_on_a_terminal(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    out = FakeTTY()
    p = Progress(60, stream=out)
    for i in range(60):
        p.tick(f"doc{i}.md")
    p.close()
    assert "60/60" in out.getvalue()


def test_no_progress_when_piped_or_in_ci_or_few_files(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    piped = io.StringIO()
    Progress(100, stream=piped).tick("a")
    assert piped.getvalue() == ""
    few = FakeTTY()
    Progress(3, stream=few).tick("a")
    assert few.getvalue() == ""
    monkeypatch.setenv("CI", "true")
    ci = FakeTTY()
    Progress(100, stream=ci).tick("a")
    assert ci.getvalue() == ""
