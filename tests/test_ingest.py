"""Ingest: what is read, what is skipped, and exact positions in the original file."""
from __future__ import annotations

import datetime as dt
import json

from checker.ingest import InputError, load
from tests.conftest import FIXTURES, check_json, run_cli


def _claims(path):
    proc = run_cli("claims", "--format", "json", str(path))
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_markdown_front_matter_code_blocks_comments_and_links_are_not_prose():
    data = _claims(FIXTURES / "ingest" / "article.md")
    texts = [c["text"] for c in data["claims"]]
    assert "June 3, 2025" in texts and "$2.3 billion" in texts
    for skipped in ("January 9, 2024", "$9 billion", "March 1, 2020", "April 2, 2021", "2019"):
        assert not any(skipped in t for t in texts), skipped
    assert data["documents"][0]["reference_date"] == "2025-06-04"


def test_positions_point_into_the_original_file():
    for name in ("article.md", "page.html"):
        path = FIXTURES / "ingest" / name
        lines = path.read_text(encoding="utf-8").split("\n")
        for c in _claims(path)["claims"]:
            line = lines[c["line"] - 1]
            if c["line"] == c["end_line"] and "&" not in line:
                assert line[c["column"] - 1:c["end_column"] - 1] == c["text"], (name, c)


def test_html_reads_only_the_article_with_entities_decoded():
    data = _claims(FIXTURES / "ingest" / "page.html")
    texts = [c["text"] for c in data["claims"]]
    assert "12%" in texts and "Thursday, October 23" in texts
    assert any(t.startswith("$4.5") for t in texts)
    assert not any("2020" in t or "1999" in t or "3 months" in t or t == "$1" for t in texts)
    assert data["documents"][0]["reference_date"] == "2025-10-24"


def test_dateline_is_the_reference_date_and_not_a_claim(tmp_path):
    p = tmp_path / "story.txt"
    p.write_text("Storm makes landfall\nPublished November 8, 2025\n\nThe storm hit on Saturday.\n", encoding="utf-8")
    doc = load(str(p))
    assert doc.reference_date == dt.date(2025, 11, 8) and doc.reference_source == "dateline"
    texts = [c["text"] for c in _claims(p)["claims"]]
    assert texts == ["Saturday"]


def test_bad_files_are_reported_and_the_run_goes_on(tmp_path):
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "broken.md").write_text("---\ndate: [unclosed\n---\ntext", encoding="utf-8")
    (tmp_path / "ok.txt").write_text("October 12, 2025\n\nTurnout was 68%.\n", encoding="utf-8")
    report = check_json(tmp_path)
    errors = {f["claims"][0]["path"].rsplit("/", 1)[-1]: f["message"] for f in report["findings"] if f["kind"] == "input"}
    assert set(errors) == {"bin.txt", "broken.md"}
    assert "binary" in errors["bin.txt"] and "YAML" in errors["broken.md"]
    assert any(d["path"].endswith("ok.txt") and d["claims"] == 1 for d in report["documents"])


def test_encodings(tmp_path):
    text = "Turnout was 68% on Sunday, said José."
    for enc, bom in (("utf-16", b""), ("cp1252", b""), ("utf-8", b"\xef\xbb\xbf")):
        p = tmp_path / f"{enc}.txt"
        p.write_bytes(bom + text.encode(enc))
        doc = load(str(p))
        assert not isinstance(doc, InputError) and doc.raw == text, enc
