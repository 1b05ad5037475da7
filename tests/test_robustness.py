"""Hostile and broken input: every run finishes, every other file is still checked, what cannot be read
is a CC900 finding with its path and a reason, and nothing is printed as a traceback.

Small fixtures live in tests/fixtures/bad/; big or special files (20 MB, FIFOs, symlink loops,
10,000-level HTML) are made here, in tmp_path, at test time.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from checker import api, cli
from checker.config import Config
from checker.ingest import InputError, load
from checker.models import Document
from tests.conftest import FIXTURES, run_cli

BAD = FIXTURES / "bad"
UNREADABLE = {  # file name -> words its CC900 reason must contain
    "binary.txt": "binary",
    "broken-front-matter.md": "YAML",
    "pipe.txt": "FIFO",
    "loop.txt": "symbolic links",
    "dangling.txt": "broken symbolic link",
}
HUGE = {"huge-one-line.txt": "max-file-size"}


def _corpus(tmp_path: Path, huge: bool = False) -> Path:
    """The committed bad fixtures plus what cannot be committed."""
    root = tmp_path / "corpus"
    shutil.copytree(BAD, root)
    # 10,000 levels of nesting, closed and unclosed
    (root / "deep.html").write_text("<html><body>" + "<div>" * 10_000 + "<p>On June 3, 2025, 12 people died.</p>"
                                    + "</div>" * 10_000 + "</body></html>", encoding="utf-8")
    (root / "deep-unclosed.html").write_text("<body>" + "<span><b>" * 10_000 + "On June 3, 2025.", encoding="utf-8")
    (root / "deep-quote.md").write_text("> " * 10_000 + "On June 3, 2025, 12 people died.\n", encoding="utf-8")
    if huge:  # a 20 MB file that is one line: over the limit the test gives, so reported and never read whole
        with open(root / "huge-one-line.txt", "wb") as fh:
            fh.write(b"The storm killed 12 people on Sunday " * (20_000_000 // 37 + 1))
    # text built to make regexes backtrack
    (root / "backtrack-commas.txt").write_text("1," * 5_000, encoding="utf-8")
    (root / "backtrack-months.txt").write_text("January " * 2_000, encoding="utf-8")
    (root / "backtrack-digits.txt").write_text("1 2 3 4 5 6 7 8 9 0 " * 500, encoding="utf-8")
    # what cannot be read at all, even by root: a FIFO, a symlink loop, a dangling link
    os.mkfifo(root / "pipe.txt")
    os.symlink("loop.txt", root / "loop.txt")
    os.symlink("nowhere.txt", root / "dangling.txt")
    # a folder named like a file, and a folder that links back to its parent (a loop)
    (root / "folder.txt").mkdir()
    (root / "folder.txt" / "inside.txt").write_text("Officials said 40 people were evacuated on Monday.\n")
    os.symlink("..", root / "folder.txt" / "parent")
    return root


def _input_errors(report: dict) -> dict[str, dict]:
    return {Path(f["claims"][0]["path"]).name: f for f in report["findings"] if f["kind"] == "input"}


def _by_name(report: dict) -> dict[str, dict]:
    return {Path(d["path"]).name: d for d in report["documents"]}


def test_bad_corpus_through_the_cli(tmp_path):
    root = _corpus(tmp_path, huge=True)
    proc = run_cli("check", "--format", "json", "--no-cache", "--max-file-size", "5000000", str(root), cwd=tmp_path)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 1, proc.stderr  # CC900 is a warning: --fail-on warning (the default) applies
    report = json.loads(proc.stdout)
    errors = _input_errors(report)
    assert set(errors) == set(UNREADABLE) | set(HUGE), errors
    for name, words in {**UNREADABLE, **HUGE}.items():
        f = errors[name]
        assert (f["rule"], f["name"], f["severity"]) == ("CC900", "input-error", "warning")
        assert f["claims"][0]["path"] == str(root / name) and words in f["message"] and words in f["reason"], f
    docs = _by_name(report)
    # every other file was read and checked
    readable = {p.name for p in root.iterdir() if p.name not in {**UNREADABLE, **HUGE, "folder.txt": ""}}
    assert readable | {"inside.txt"} <= set(docs)
    for name in readable | {"inside.txt"}:
        assert "error" not in docs[name], docs[name]
    assert docs["inside.txt"]["claims"] >= 1 and docs["deep.html"]["claims"] == 2
    assert docs["empty.txt"]["claims"] == 0 and docs["whitespace.txt"]["claims"] == 0
    assert docs["utf16-bom.txt"]["claims"] >= 2 and docs["cp1252.txt"]["claims"] >= 2
    assert "invalid UTF-8" in docs["invalid-utf8.txt"]["note"]
    assert "is not a date" in docs["front-matter-date-not-a-date.md"]["note"]
    assert "2025-02-30" in docs["front-matter-date-impossible.md"]["note"]
    # the documents that disagree are still found to disagree, and the impossible date is still reported
    rules = {(f["rule"], Path(f["claims"][0]["path"]).name) for f in report["findings"]}
    assert any(r == "CC104" for r, _ in rules) and ("CC302", "absurd.txt") in rules
    # the symlink loop through folder.txt/parent is walked once, not forever
    assert sum(1 for d in report["documents"] if d["path"].endswith("inside.txt")) == 1


def test_bad_corpus_through_the_api_matches_the_cli(tmp_path):
    root = _corpus(tmp_path)
    report = api.check([str(root)], Config(cache=False, jobs=1))
    data = json.loads(report.model_dump_json())
    assert set(_input_errors(data)) == set(UNREADABLE)
    assert "is not a date" in _by_name(data)["front-matter-date-not-a-date.md"]["note"]


def test_claims_command_survives_the_bad_corpus(tmp_path):
    root = _corpus(tmp_path)
    proc = run_cli("claims", "--format", "json", "--no-cache", str(root), cwd=tmp_path)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    data = json.loads(proc.stdout)
    assert {Path(e["path"]).name for e in data["errors"]} == set(UNREADABLE)
    for c in data["claims"]:
        assert c["line"] >= 1 and c["column"] >= 1


def test_input_errors_obey_fail_on(tmp_path):
    shutil.copy(BAD / "binary.txt", tmp_path / "binary.txt")
    shutil.copy(BAD / "empty.txt", tmp_path / "empty.txt")
    assert run_cli("check", "--no-cache", str(tmp_path), cwd=tmp_path).returncode == 1
    assert run_cli("check", "--no-cache", "--fail-on", "error", str(tmp_path), cwd=tmp_path).returncode == 0
    assert run_cli("check", "--no-cache", "--fail-on", "none", str(tmp_path), cwd=tmp_path).returncode == 0
    assert run_cli("check", "--no-cache", "--ignore", "CC900", str(tmp_path), cwd=tmp_path).returncode == 0
    text = run_cli("check", "--no-cache", str(tmp_path), cwd=tmp_path)
    assert "CC900" in text.stdout and "binary.txt" in text.stdout and "Traceback" not in text.stderr


@pytest.mark.parametrize("args", [
    ["--max-claims", "abc"], ["--max-claims", "-1"], ["--max-file-size", "-5"], ["--format", "xml"],
    ["--fail-on", "bogus"], ["--reference-date", "2025-02-30"], ["--rules", "/no/such/rule/pack"],
])
def test_usage_errors_still_exit_two(args, tmp_path):
    proc = run_cli("check", "--no-cache", *args, str(BAD / "ok-a.txt"), cwd=tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, (args, proc.stderr)


def test_a_file_that_disappears_during_the_run(tmp_path, monkeypatch):
    import checker.ingest as ingest

    for name in ("a.txt", "b.txt", "c.txt"):
        shutil.copy(BAD / "ok-a.txt", tmp_path / name)
    real_read = ingest.read_with_stat

    def read_and_delete_the_next(path, max_bytes):  # listed by discover, gone when its turn comes
        if path.endswith("a.txt"):
            os.unlink(tmp_path / "b.txt")
        return real_read(path, max_bytes)

    monkeypatch.setattr(ingest, "read_with_stat", read_and_delete_the_next)
    report = api.check([str(tmp_path)], Config(cache=False, jobs=1))
    errors = {Path(f.claims[0].path).name: f.reason for f in report.findings if f.kind == "input"}
    assert errors == {"b.txt": "file disappeared or does not exist"}
    assert {Path(d.path).name: d.claims for d in report.documents if not d.error} == {"a.txt": 2, "c.txt": 2}


def test_a_file_that_cannot_be_opened(tmp_path, monkeypatch):
    """chmod 000 does not stop root, so the refusal is simulated at the one place files are opened."""
    shutil.copy(BAD / "ok-a.txt", tmp_path / "locked.txt")
    shutil.copy(BAD / "ok-b.txt", tmp_path / "open.txt")
    real_open = os.open

    def refuse(path, *args, **kwargs):
        if str(path).endswith("locked.txt"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    report = api.check([str(tmp_path)], Config(cache=False, jobs=1))
    errors = {Path(f.claims[0].path).name: f.reason for f in report.findings if f.kind == "input"}
    assert errors == {"locked.txt": "permission denied"}
    assert [d.claims for d in report.documents if d.path.endswith("open.txt")] == [2]


def test_devices_and_fifos_are_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    started = time.monotonic()
    assert "FIFO" in load(str(tmp_path / "pipe.txt")).reason
    if os.path.exists("/dev/zero"):
        assert "device" in load("/dev/zero").reason  # would otherwise be read for ever
    assert time.monotonic() - started < 5


def test_limits_are_reported_per_file_and_are_not_fatal(tmp_path):
    (tmp_path / "small.txt").write_text("The storm killed 12 people on June 3, 2025.\n", encoding="utf-8")
    (tmp_path / "large.txt").write_text("The storm killed 14 people on June 3, 2025.\n" * 100, encoding="utf-8")
    proc = run_cli("check", "--format", "json", "--no-cache", "--max-file-size", "1000", str(tmp_path), cwd=tmp_path)
    report = json.loads(proc.stdout)
    errors = _input_errors(report)
    assert set(errors) == {"large.txt"} and "1,000 bytes (max-file-size)" in errors["large.txt"]["message"]
    assert _by_name(report)["small.txt"]["claims"] == 2

    many = tmp_path / "many.txt"
    many.write_text("Officials counted " + ", ".join(f"{n} buses" for n in range(10, 40)) + ".\n", encoding="utf-8")
    proc = run_cli("check", "--format", "json", "--no-cache", "--max-claims", "3", str(many), str(tmp_path / "small.txt"),
                   cwd=tmp_path)
    report = json.loads(proc.stdout)
    errors = _input_errors(report)
    assert set(errors) == {"many.txt"} and "only the first 3 are checked (max-claims)" in errors["many.txt"]["message"]
    assert _by_name(report)["many.txt"]["claims"] == 3 and _by_name(report)["small.txt"]["claims"] == 2
    # 0 lifts a limit
    report = json.loads(run_cli("check", "--format", "json", "--no-cache", "--max-claims", "0", "--max-file-size", "0",
                                str(tmp_path), cwd=tmp_path).stdout)
    assert not _input_errors(report) and _by_name(report)["many.txt"]["claims"] == 30


def test_a_twenty_megabyte_line_is_read_and_decoded(tmp_path):
    """Reading and ingesting stay cheap on one enormous line (extraction is timed separately, per KB)."""
    path = tmp_path / "one-line.md"
    path.write_bytes(b"---\ndate: 2025-06-04\n---\n" + b"x" * 20_000_000)
    started = time.monotonic()
    doc = load(str(path))
    assert isinstance(doc, Document) and len(doc.text) > 20_000_000 and doc.text.count("\n") == 3
    assert time.monotonic() - started < 30
    assert "max-file-size" in load(str(path), max_bytes=1_000_000).reason


def test_front_matter_loaders_agree():
    """The libyaml loader used for ordinary front matter reads what the Python one reads."""
    import yaml
    from checker.ingest.markdown import _FastFrontMatterLoader, _FrontMatterLoader
    texts = ["title: Summit\ndate: 2026-01-05\nsource: Yonhap\n", "date: 20250604\ntags: [a, 'b', {c: 1}]\n",
             "a: &x [1, 2.5, null, true, ~, 0x1F, 1_000]\nb: *x\nc: |\n  two\n  lines\n", "when: 2025-06-04T10:00:00+09:00\n",
             "t: 'It''s'\nu: \"caf\\u00e9\"\nv: !!str 12\n", "- a\n- b\n", ""]
    for text in texts:
        assert yaml.load(text, Loader=_FastFrontMatterLoader) == yaml.load(text, Loader=_FrontMatterLoader), text
    for bad in ["a: [1, 2\n", "a: b: c\n", "a:\n\t- x\n", "!!python/object/apply:os.system [x]\n"]:
        errors = []
        for loader in (_FastFrontMatterLoader, _FrontMatterLoader):
            try:
                yaml.load(bad, Loader=loader)
            except yaml.YAMLError as err:
                errors.append(type(err).__name__)
        assert len(errors) == 2, bad


def test_markdown_front_matter_edge_cases(tmp_path):
    cases = {
        "python-tag.md": ("---\ntitle: !!python/object/apply:os.system [\"touch PWNED\"]\n---\nText.\n", "error"),
        "deep.md": ("---\ntitle: " + "[" * 5000 + "]" * 5000 + "\n---\nText.\n", "error"),
        # libyaml's composer recursed in C on this and killed the process
        "deeper.md": ("---\ntitle: " + "{a: " * 60000 + "}" * 60000 + "\n---\nText.\n", "error"),
        "list.md": ("---\n- a\n- b\n---\nText.\n", "error"),
        "laughs.md": ("---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                      "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                      "title: *d\nsource: *d\n---\nText.\n", None),
        "int-date.md": ("---\ndate: 20250604\n---\nOn Monday.\n", "note"),
        "list-date.md": ("---\ndate: [2025-06-04]\n---\nOn Monday.\n", "note"),
        "datetime.md": ("---\ndate: 2025-06-04T10:00:00+09:00\n---\nOn Monday.\n", "2025-06-04"),
        "words-date.md": ("---\ndate: June 4, 2025\n---\nOn Monday.\n", "2025-06-04"),
        "empty-date.md": ("---\ndate:\n---\nOn Monday.\n", None),
        "only-front.md": ("---\ntitle: x\n---", None),
        "unclosed-front.md": ("---\ntitle: x\nOn Monday.\n", None),
    }
    for name, (text, expect) in cases.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    for name, (text, expect) in cases.items():
        doc = load(str(tmp_path / name))
        if expect == "error":
            assert isinstance(doc, InputError) and "front matter" in doc.reason, (name, doc)
        elif expect == "note":
            assert isinstance(doc, Document) and doc.reference_date is None and "is not a date" in doc.notes[0]
        elif expect:
            assert str(doc.reference_date) == expect, (name, doc.reference_date)
        else:
            assert isinstance(doc, Document) and not doc.notes, (name, doc)
    assert not (tmp_path / "PWNED").exists() and not Path("PWNED").exists()


def test_html_that_the_standard_tokenizer_chokes_on(tmp_path):
    pages = {
        # a '&#' that is no character reference made html.parser read scripts and menus as text
        "bad-charref.html": "<p>a &# b &# c</p><script>var x = 'June 3, 2025';</script><nav>5 items</nav><p>ok</p>",
        # an odd marked section raised AssertionError inside html.parser
        "marked.html": "<p>a</p><![foo[ x ]]><p>On June 3, 2025.</p><![ y<p>done</p>",
        "comment.html": "<p>x</p><!-- never closed <p>On June 3, 2025.</p>",
    }
    for name, html in pages.items():
        (tmp_path / name).write_text(html, encoding="utf-8")
    text = {name: load(str(tmp_path / name)).text for name in pages}
    assert "June 3" not in text["bad-charref.html"] and "5 items" not in text["bad-charref.html"]
    assert "&# b &# c" in text["bad-charref.html"] and "ok" in text["bad-charref.html"]
    assert "On June 3, 2025." in text["marked.html"] and "done" in text["marked.html"]
    assert "On June 3, 2025." in text["comment.html"]


def test_entities_cdata_and_external_entities_stay_text():
    doc = load(str(BAD / "entities-cdata.html"))
    assert "€5\xa0million — up 12% — on June 3, 2025" in doc.text
    assert "&xxe;" in doc.text and "root:" not in doc.text  # no external entity is ever resolved
    assert "99 people" not in doc.text and "$9 billion" not in doc.text  # CDATA and scripts are not prose


def test_absurd_values_are_not_claims_or_are_kept_finite():
    from checker.extract import extract

    doc = load(str(BAD / "absurd.txt"))
    claims = extract(doc)[0]
    texts = {c.text: c for c in claims}
    assert "10" not in texts and "400" not in texts and "1" not in texts  # "10^400", "1e400"
    assert not any("year" in t or t == "99999" or "25:" in t or ":61" in t for t in texts)  # no such year or time
    assert texts["February 30, 2025"].value.invalid
    for c in claims:
        for x in (c.value.lo, c.value.hi):
            assert x is None or abs(x) < float("inf")


def test_control_characters_never_reach_a_report(tmp_path):
    """An ESC quoted in a text report would drive the reader's terminal; control characters are no prose."""
    (tmp_path / "a.txt").write_bytes(b"The storm killed 12 people\x1b[2J\x1b]0;owned\x07 on June 3, 2025.\n")
    (tmp_path / "b.txt").write_bytes("The storm killed 14 people on June 3, 2025.\u009b31m\n".encode("utf-8"))
    proc = run_cli("check", "--no-cache", "--color", "never", str(tmp_path), cwd=tmp_path)
    assert proc.returncode == 1 and "CC104" in proc.stdout
    assert not any(ch in proc.stdout for ch in "\x1b\x07\x9b"), proc.stdout
    doc = load(str(tmp_path / "a.txt"))
    assert len(doc.text) == len("The storm killed 12 people\x1b[2J\x1b]0;owned\x07 on June 3, 2025.\n")  # offsets kept


def test_file_names_that_are_not_utf8(tmp_path):
    (tmp_path / "ok.txt").write_text("The storm killed 14 people on June 3, 2025.\n", encoding="utf-8")
    try:
        with open(os.path.join(os.fsencode(tmp_path), b"caf\xe9.txt"), "wb") as fh:
            fh.write(b"The storm killed 12 people on June 3, 2025.\n")
    except OSError:
        pytest.skip("this file system wants UTF-8 file names")
    proc = run_cli("check", "--format", "json", "--no-cache", str(tmp_path), cwd=tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    report = json.loads(proc.stdout)  # the undecodable byte is written as the JSON escape \udce9
    assert {Path(d["path"]).name for d in report["documents"]} == {"caf\udce9.txt", "ok.txt"}
    assert any(f["rule"] == "CC104" for f in report["findings"])
    text = run_cli("check", "--no-cache", str(tmp_path), cwd=tmp_path)
    assert text.returncode == 1 and "caf\\udce9.txt" in text.stdout


def test_html_date_meta_that_is_not_a_date_is_noted(tmp_path):
    (tmp_path / "p.html").write_text('<meta name="date" content="soon"><p>On Monday 12 people died.</p>')
    report = json.loads(run_cli("check", "--format", "json", "--no-cache", str(tmp_path), cwd=tmp_path).stdout)
    assert report["documents"][0]["note"] == "date meta tag 'soon' is not a date; ignored"


# ---- time: no catastrophic backtracking -----------------------------------------------------------

def _extract_seconds(text: str, repeat: int = 2) -> tuple[float, int]:
    from checker.extract import extract

    doc = Document(path="t.txt", raw=text, text=text)
    best, count = float("inf"), 0
    for _ in range(repeat):
        started = time.perf_counter()
        count = len(extract(doc)[0])
        best = min(best, time.perf_counter() - started)
    return best, count


def _news(size: int) -> str:
    text = "\n\n".join((Path(__file__).parent.parent / "seeds" / name).read_text(encoding="utf-8")
                       for name in ("wire-report.md", "evening-blurb.txt"))
    return (text * (size // len(text) + 1))[:size]


SIZE = 12_000
BACKTRACKING = {
    "commas": "1," * SIZE,
    "comma-spaced": "1, " * SIZE,
    "months": "January " * SIZE,
    "digits and spaces": "1 2 3 4 5 6 7 8 9 0 " * SIZE,
    "long numbers": "1234567 " * SIZE,
    "dots": "1." * SIZE,
    "hyphens": "twenty-one-" * SIZE,
    "weekday run": "Monday Tuesday " * SIZE,
    "modifiers": "since before after until " * SIZE,
    "capitalised": "Lee Jae Myung Lee " * SIZE,
    "no spaces": "x" * SIZE,
    "quantifiers": "more than about nearly up to " * SIZE,
}


def test_extraction_time_per_kilobyte_stays_near_ordinary_news():
    _extract_seconds(_news(2_000), repeat=1)  # warm up: compiled patterns, imports
    news, _ = _extract_seconds(_news(SIZE))
    slow = {}
    for name, text in BACKTRACKING.items():
        seconds, _ = _extract_seconds(text[:SIZE])
        if seconds > 20 * news + 0.05:
            slow[name] = round(seconds / news, 1)
    assert not slow, f"extraction far slower than news text of the same size (x news): {slow}"


def test_claim_dense_text_costs_about_as_much_per_claim_as_news():
    """Thousands of claims in one unpunctuated run: linear, not quadratic, in the number of claims."""
    _extract_seconds(_news(2_000), repeat=1)
    news, news_claims = _extract_seconds(_news(SIZE))
    per_claim = news / max(news_claims, 1)
    for text in ("$1 " * SIZE, "June 3 " * SIZE, "Monday, " * SIZE):
        small, small_claims = _extract_seconds(text[:SIZE // 4], repeat=1)
        seconds, claims = _extract_seconds(text[:SIZE], repeat=1)
        assert claims > 400 and seconds / claims < 20 * per_claim, (text[:10], seconds, claims)
        # four times the claims may cost about four times as much, not sixteen
        assert seconds / claims < 2.5 * small / small_claims + 0.0005, (text[:10], seconds, small)


def test_ingest_time_on_markup_built_to_be_slow(tmp_path):
    """Markup openers that never close made html.parser and the Markdown link pattern quadratic."""
    size = 40_000
    junk = {"a.html": "<a " * (size // 3), "b.html": "<div " * (size // 5), "c.html": "<!-- >" * (size // 6),
            "d.html": "&#" * (size // 2), "e.html": "<![x" * (size // 4), "f.md": "](" * (size // 2),
            "g.md": "[" * size, "h.md": "`" * size, "i.md": "<!--" * (size // 4)}
    news = tmp_path / "news.md"
    news.write_text(_news(size), encoding="utf-8")
    load(str(news))
    started = time.perf_counter()
    load(str(news))
    baseline = time.perf_counter() - started
    for name, text in junk.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        started = time.perf_counter()
        doc = load(str(tmp_path / name))
        seconds = time.perf_counter() - started
        assert isinstance(doc, Document), name
        assert seconds < 20 * baseline + 0.2, (name, seconds, baseline)


# ---- security: documents are data; claimcheck writes only where asked --------------------------

def _snapshot(folder: Path) -> dict[str, tuple]:
    out = {}
    for p in sorted(folder.rglob("*")):
        st = os.lstat(p)
        data = p.read_bytes() if p.is_file() and not p.is_symlink() and not p.is_fifo() else None
        out[str(p.relative_to(folder))] = (st.st_mode, st.st_mtime_ns, data)
    return out


def test_inputs_are_never_modified_and_nothing_is_written_beside_them(tmp_path):
    root = _corpus(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    before = _snapshot(root)
    proc = run_cli("check", "--format", "json", "--output", str(work / "report.json"), str(root), cwd=work)
    assert proc.returncode == 1 and proc.stdout == "", proc.stderr
    assert _snapshot(root) == before
    # the report where asked, the extraction cache in its folder, nothing else
    assert sorted(p.name for p in work.iterdir()) == [".claimcheck_cache", "report.json"]
    json.loads((work / "report.json").read_text(encoding="utf-8"))
    proc = run_cli("claims", "--no-cache", str(root), cwd=work)
    assert _snapshot(root) == before and sorted(p.name for p in work.iterdir()) == [".claimcheck_cache", "report.json"]


def test_no_network_is_attempted(tmp_path, monkeypatch, capsys):
    """Documents full of URLs: nothing is fetched, no socket is even created."""
    (tmp_path / "links.md").write_text(
        "---\ndate: 2025-06-04\nsource: https://example.com/feed\n---\n"
        "![chart](https://example.com/chart.png) See [the report](http://example.com/r?id=7) and "
        "<https://example.org/x>. The storm killed 12 people on June 3, 2025.\n", encoding="utf-8")
    (tmp_path / "page.html").write_text(
        '<html><head><link rel="stylesheet" href="https://cdn.example.com/s.css">'
        '<script src="https://cdn.example.com/x.js"></script><base href="http://example.net/"></head>'
        '<body><img src="http://example.com/a.png"><iframe src="https://example.com/embed"></iframe>'
        '<p>The storm killed 14 people on June 3, 2025.</p></body></html>', encoding="utf-8")
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access attempted")

    for name in ("socket", "create_connection", "getaddrinfo", "socketpair", "fromfd"):
        monkeypatch.setattr(socket, name, refuse)
    out = tmp_path / "report.json"
    status = cli.main(["check", "--format", "json", "--jobs", "1", "--no-cache", "--output", str(out), str(tmp_path)])
    assert attempts == [] and status == 1, capsys.readouterr().err
    report = json.loads(out.read_text(encoding="utf-8"))
    assert any(f["rule"] == "CC104" for f in report["findings"])


def test_output_is_written_atomically_and_a_failed_write_keeps_the_old_report(tmp_path, monkeypatch, capsys):
    src = tmp_path / "docs"
    src.mkdir()
    shutil.copy(BAD / "ok-a.txt", src)
    shutil.copy(BAD / "ok-b.txt", src)
    out = tmp_path / "report.json"
    out.write_text("OLD REPORT\n", encoding="utf-8")
    args = ["check", "--format", "json", "--jobs", "1", "--no-cache", "--output", str(out), str(src)]

    def fail(*a, **k):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as m:  # the rename fails: the old report stays, no temporary file is left
        m.setattr(os, "replace", fail)
        assert cli.main(args) == 2
    assert out.read_text(encoding="utf-8") == "OLD REPORT\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "report.json"]
    assert "cannot write" in capsys.readouterr().err

    import checker.atomic as files  # where reports, baselines and cache entries are written

    class Full:
        def __init__(self, fd, *a, **k):
            os.close(fd)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def write(self, text):
            raise OSError(28, "No space left on device")

    with monkeypatch.context() as m:  # the write itself fails half-way (os as the report writer sees it)
        m.setattr(files, "os", SimpleNamespace(**{**vars(os), "fdopen": Full}))
        assert cli.main(args) == 2
    assert out.read_text(encoding="utf-8") == "OLD REPORT\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "report.json"]

    assert cli.main(args) == 1  # and when it can be written, it is, whole
    assert json.loads(out.read_text(encoding="utf-8"))["summary"]["documents"] == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "report.json"]
    # a folder as the output is a usage error, not a traceback
    assert cli.main(["check", "--no-cache", "--jobs", "1", "--output", str(src), str(src)]) == 2
    assert sorted(p.name for p in src.iterdir()) == ["ok-a.txt", "ok-b.txt"]


def test_the_code_reads_documents_as_data_only():
    """No eval/exec, no pickle, no network client, YAML only through a safe loader."""
    import yaml

    from checker.ingest import markdown

    assert issubclass(markdown._FrontMatterLoader, yaml.SafeLoader)
    # the libyaml loader: the safe constructor, never the full one
    assert issubclass(markdown._FastFrontMatterLoader, yaml.constructor.SafeConstructor)
    assert not issubclass(markdown._FastFrontMatterLoader, yaml.constructor.FullConstructor)
    package = Path(__file__).resolve().parent.parent / "checker"
    for path in package.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for word in ("eval(", "exec(", "pickle", "urllib.request", "http.client", "requests", "import socket",
                     "yaml.unsafe_load", "yaml.full_load", "Loader=yaml.Loader", "Loader=yaml.FullLoader"):
            assert word not in source.replace("literal_eval(", ""), (path.name, word)
