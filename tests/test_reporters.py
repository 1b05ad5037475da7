"""SARIF, GitHub annotations, JUnit XML and the JSON Schema: rendered from real reports, parsed back."""
from __future__ import annotations

import json
import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

import jsonschema
import pytest

import checker
from checker.api import check
from checker.checks import load_rules
from checker.models import Report
from checker.report import FORMATS, render
from checker.report.github import render_github
from checker.report.json import render_json
from checker.report.junit import render_junit
from checker.report.sarif import render_sarif
from checker.report.schema import json_schema
from tests.conftest import ROOT

SARIF_SCHEMA = ROOT.parent / "shared" / "data" / "sarif" / "sarif-schema-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}
BINARY = "binary.txt"
ODD_NAME = "50%, draft: v2.txt"  # every character GitHub escapes in a property, and a space


def _in(folder: Path, paths: list[str]) -> Report:
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
def corpus(tmp_path_factory) -> Path:
    top = tmp_path_factory.mktemp("reporters")
    folder = top / "corpus"
    folder.mkdir()
    shutil.copy(ROOT / "seeds" / "wire-report.md", folder / "café wire.md")
    shutil.copy(ROOT / "seeds" / "evening-blurb.txt", folder / ODD_NAME)
    (folder / BINARY).write_bytes(b"GIF89a\x00\x01\x00\x00\xff\xfe binary \x00 data")
    return top


@pytest.fixture(scope="module")
def corpus_report(corpus) -> Report:
    # relative paths as a user would type them, plus one that does not exist
    return _in(corpus, ["corpus", "missing.txt"])


@pytest.fixture(scope="module")
def absolute_report(corpus) -> Report:
    return check([str(corpus / "corpus")])


@pytest.fixture(params=["seeds", "corpus", "absolute"])
def report(request, seeds_report, corpus_report, absolute_report) -> Report:
    return {"seeds": seeds_report, "corpus": corpus_report, "absolute": absolute_report}[request.param]


def test_corpus_has_what_the_tests_need(seeds_report, corpus_report, absolute_report):
    for r in (seeds_report, corpus_report, absolute_report):
        assert any(f.kind != "input" for f in r.findings)
        assert any(len({c.path for c in f.claims}) > 1 for f in r.findings)
    inputs = [f for f in corpus_report.findings if f.kind == "input"]
    assert {f.claims[0].path for f in inputs} == {os.path.join("corpus", BINARY), "missing.txt"}
    assert any(c.path.endswith(ODD_NAME) for f in corpus_report.findings for c in f.claims)


def test_render_dispatches_every_format(seeds_report):
    assert {"sarif", "github", "junit"} <= set(FORMATS)
    assert render(seeds_report, "sarif") == render_sarif(seeds_report)
    assert render(seeds_report, "github") == render_github(seeds_report)
    assert render(seeds_report, "junit") == render_junit(seeds_report)
    assert render(seeds_report, "json") == render_json(seeds_report)


@pytest.mark.parametrize("fn", [render_sarif, render_github, render_junit])
def test_identical_input_gives_identical_bytes(fn, corpus):
    assert fn(_in(corpus, ["corpus", "missing.txt"])) == fn(_in(corpus, ["corpus", "missing.txt"]))


# ---- SARIF ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sarif_schema() -> dict:
    if not SARIF_SCHEMA.is_file():
        pytest.skip("../shared is not present (CI has it)")
    return json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))


@pytest.mark.parametrize("validator", [jsonschema.Draft7Validator, jsonschema.Draft4Validator])
def test_sarif_is_valid_against_the_official_schema(report, sarif_schema, validator):
    log = json.loads(render_sarif(report))
    errors = sorted(validator(sarif_schema).iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def test_sarif_results_match_the_report(report):
    log = json.loads(render_sarif(report))
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "claimcheck" and driver["version"] == checker.__version__
    results = run["results"]
    assert len(results) == len(report.findings)
    for f, res in zip(report.findings, results):
        assert res["ruleId"] == f.rule and res["level"] == LEVELS[f.severity]
        assert res["message"]["text"] == f.message
        assert driver["rules"][res["ruleIndex"]]["id"] == f.rule
        assert res["partialFingerprints"] == {"claimcheck/v1": f.fingerprint}
        assert len(res["locations"]) == len(f.claims)
        for c, loc in zip(f.claims, res["locations"]):
            phys = loc["physicalLocation"]
            art = phys["artifactLocation"]
            if os.path.isabs(c.path):
                assert art["uri"].startswith("file:///") and "uriBaseId" not in art
                assert unquote(art["uri"][len("file://"):]) == Path(c.path).as_posix()
            else:
                assert art["uriBaseId"] == "%SRCROOT%"
                assert unquote(art["uri"]) == c.path.replace(os.sep, "/")  # relative, as given
                assert re.fullmatch(r"[A-Za-z0-9/._~!$&'()*+,;=@%-]+", art["uri"]), art["uri"]
            if f.kind == "input":
                assert "region" not in phys
                continue
            assert phys["region"] == {"startLine": c.line, "startColumn": c.column, "endLine": c.end_line,
                                      "endColumn": c.end_column, "snippet": {"text": c.text}}


def test_sarif_rules_carry_the_rule_metadata(report):
    driver = json.loads(render_sarif(report))["runs"][0]["tool"]["driver"]
    known = {r.code: r for r in load_rules()}
    ids = [d["id"] for d in driver["rules"]]
    assert ids == sorted({f.rule for f in report.findings})
    for d in driver["rules"]:
        rule = known[d["id"]]
        assert d["name"] == rule.name
        assert d["fullDescription"]["text"] == rule.description
        assert d["shortDescription"]["text"] and rule.description.startswith(d["shortDescription"]["text"])
        assert d["defaultConfiguration"]["level"] == LEVELS[rule.severity]


def test_sarif_input_error_has_only_the_artifact(corpus_report):
    results = json.loads(render_sarif(corpus_report))["runs"][0]["results"]
    inputs = [r for r in results if r["ruleId"] == "CC900"]
    assert len(inputs) == 2
    for r in inputs:
        assert r["locations"] == [{"physicalLocation": {"artifactLocation": {
            "uri": r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "uriBaseId": "%SRCROOT%"}}}]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in inputs}
    assert uris == {"corpus/binary.txt", "missing.txt"}


def test_sarif_rule_from_a_user_pack_falls_back_to_the_finding(seeds_report):
    f = seeds_report.findings[0].model_copy(update={"rule": "XX001", "name": "house-rule", "severity": "info"})
    log = json.loads(render_sarif(seeds_report.model_copy(update={"findings": [f]})))
    run = log["runs"][0]
    assert run["tool"]["driver"]["rules"][0]["id"] == "XX001"
    assert run["tool"]["driver"]["rules"][0]["defaultConfiguration"]["level"] == "note"
    assert run["results"][0]["level"] == "note"


# ---- GitHub workflow commands -----------------------------------------------------------------


def _unescape(text: str) -> str:
    return re.sub("%(25|0D|0A|3A|2C)", lambda m: {"25": "%", "0D": "\r", "0A": "\n", "3A": ":", "2C": ","}[m[1]],
                  text)


def parse_workflow_command(line: str) -> tuple[str, dict[str, str], str]:
    m = re.fullmatch(r"::(\w+)(?: ([^:]*))?::(.*)", line)
    assert m, line
    props = {}
    for part in (m[2] or "").split(","):
        key, _, value = part.partition("=")
        assert key and _ == "=", line
        props[key] = _unescape(value)
    return m[1], props, _unescape(m[3])


def test_github_lines_parse_back_to_the_report(report):
    out = render_github(report)
    assert out.endswith("\n") or out == ""
    lines = out.splitlines()
    pairs = [(f, c) for f in report.findings for c in f.claims]
    assert len(lines) == len(pairs)
    for line, (f, c) in zip(lines, pairs):
        command, props, message = parse_workflow_command(line)
        assert command == COMMANDS[f.severity]
        assert message == f.message
        assert props["title"] == f"{f.rule} {f.name}"
        assert props["file"] == (c.path[2:] if c.path.startswith("./") else c.path)
        if f.kind == "input":
            assert set(props) == {"file", "title"}
            continue
        assert (int(props["line"]), int(props["endLine"])) == (c.line, c.end_line)
        if c.line == c.end_line:
            assert (int(props["col"]), int(props["endColumn"])) == (c.column, c.end_column)


def test_github_escapes_properties_and_message(corpus_report, seeds_report):
    odd = [ln for ln in render_github(corpus_report).splitlines() if "50%25%2C draft%3A v2.txt" in ln]
    assert odd and all(ln.startswith("::") for ln in odd)
    f = seeds_report.findings[0]
    c = f.claims[0].model_copy(update={"path": "a:b,c%d\ne.md", "end_line": f.claims[0].line + 1})
    f = f.model_copy(update={"message": "100% sure:\r\nline two, with: colons", "claims": [c]})
    line = render_github(seeds_report.model_copy(update={"findings": [f]}))
    assert line.count("\n") == 1 and "\r" not in line
    assert "file=a%3Ab%2Cc%25d%0Ae.md," in line and line.endswith("::100%25 sure:%0D%0Aline two, with: colons\n")
    command, props, message = parse_workflow_command(line.rstrip("\n"))
    assert props["file"] == "a:b,c%d\ne.md" and message == f.message
    assert "col" not in props and "endColumn" not in props  # GitHub takes columns only on one line


# ---- JUnit XML ------------------------------------------------------------------------------


def test_junit_parses_and_counts_match(report):
    root = ET.fromstring(render_junit(report).encode("utf-8"))
    suites = list(root.iter("testsuite"))
    assert len(suites) == 1 and suites[0].get("name") == "claimcheck"
    suite = suites[0]
    cases = suite.findall("testcase")
    expected_paths = list(dict.fromkeys([d.path for d in report.documents]
                                        + [c.path for f in report.findings for c in f.claims]))
    assert [c.get("classname") for c in cases] == expected_paths
    failing = [c for c in cases if c.find("failure") is not None]
    assert int(suite.get("tests")) == len(cases) == len(expected_paths)
    assert int(suite.get("failures")) == len(failing)
    assert (root.get("tests"), root.get("failures")) == (suite.get("tests"), suite.get("failures"))
    for case in cases:
        path = case.get("classname")
        involved = [f for f in report.findings if any(c.path == path for c in f.claims)]
        failures = case.findall("failure")
        assert [(x.get("message"), x.get("type")) for x in failures] == [(f.message, f.rule) for f in involved]
        for x, f in zip(failures, involved):
            for c in f.claims:
                evidence = c.path if f.kind == "input" else f"{c.path}:{c.line}:{c.column} \"{c.text}\" = {c.value}"
                assert evidence in x.text.splitlines()
    assert sum(len(c.findall("failure")) for c in cases) == sum(len({c.path for c in f.claims})
                                                                  for f in report.findings)


def test_junit_documents_without_findings_pass(corpus_report):
    root = ET.fromstring(render_junit(corpus_report))
    cases = {c.get("classname"): c for c in root.iter("testcase")}
    assert cases["missing.txt"].find("failure").get("type") == "CC900"  # a path that never became a document
    assert cases[os.path.join("corpus", BINARY)].find("failure").get("type") == "CC900"
    clean = Report(findings=[], documents=corpus_report.documents, summary=corpus_report.summary)
    root = ET.fromstring(render_junit(clean))
    assert root.find("testsuite").get("failures") == "0"
    assert all(not list(c) for c in root.iter("testcase"))


def test_junit_escapes_markup_and_control_characters(seeds_report):
    f = seeds_report.findings[0]
    message = 'a <b> & "c" \x00\x1b ]]> \'d\''
    f = f.model_copy(update={"message": message})
    root = ET.fromstring(render_junit(seeds_report.model_copy(update={"findings": [f]})))
    failure = next(root.iter("failure"))
    assert failure.get("message") == message.replace("\x00", "\ufffd").replace("\x1b", "\ufffd")


# ---- JSON Schema of the JSON report -----------------------------------------------------------


def test_json_schema_is_a_valid_schema_with_a_title():
    schema = json.loads(json_schema())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] and schema["type"] == "object"
    assert {"findings", "documents", "summary"} <= set(schema["required"])
    jsonschema.Draft202012Validator.check_schema(schema)


def test_json_report_validates_against_json_schema(report):
    schema = json.loads(json_schema())
    doc = json.loads(render_json(report))
    jsonschema.Draft202012Validator(schema).validate(doc)
    broken = dict(doc, findings=[dict(doc["findings"][0], claims="none")])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(broken)


def test_sarif_with_a_file_name_that_is_not_utf8(tmp_path):
    import os
    import subprocess
    import sys

    folder = os.fsencode(str(tmp_path))
    for name, text in ((b"caf\xe9.txt", "November 8, 2025\n\nThe storm killed 12 people on Saturday.\n"),
                       (b"b.txt", "November 9, 2025\n\nThe storm killed 9 people on Saturday.\n")):
        with open(os.path.join(folder, name), "w", encoding="utf-8") as fh:
            fh.write(text)
    proc = subprocess.run([sys.executable, "-m", "checker", "check", "--format", "sarif", str(tmp_path)],
                          capture_output=True, text=True)
    assert proc.returncode == 1, proc.stderr
    assert "caf%E9.txt" in proc.stdout


def test_a_capped_blocking_key_is_noted_in_json_and_text(tmp_path):
    """A key shared by more claims than the cap is not compared on: the report says so (JSON `notes`,
    a `note:` line in text), and a run under the cap has no notes."""
    from functools import partial

    from checker.align import AlignOptions, align
    from checker.api import collect, evaluate
    from checker.config import Config

    for k in range(12):
        (tmp_path / f"r{k}.txt").write_text(
            f"The ferry carried {230 + k % 2} passengers to Harlow Point on March 3, 2025, officials said.\n")
    config = Config(cache=False, jobs=1)
    run = collect([str(tmp_path)], config)
    rules = load_rules()
    capped = evaluate(run, rules, config, aligner=partial(align, options=AlignOptions(max_block=5, small_block=64)))
    data = json.loads(render_json(capped))
    assert any("more than the cap of 5" in n and "passengers" in n for n in data["notes"]), data["notes"]
    assert "note: " in render(capped, "text")
    plain = evaluate(run, rules, config)
    assert plain.notes == [] and json.loads(render_json(plain))["notes"] == []
    assert plain.summary.findings >= 1  # 230 vs 231 passengers: compared when nothing is capped


def test_json_report_is_the_text_pythons_encoder_writes(report):
    """render_json uses pydantic's compiled serializer: the same text as model_dump + json.dumps
    (indent 2, UTF-8 kept), for reports with findings, input errors and non-ASCII names."""
    import json

    from checker.report.json import render_json

    expected = json.dumps(report.model_dump(mode="json", exclude_none=True), ensure_ascii=False, indent=2) + "\n"
    assert render_json(report) == expected


def test_json_is_written_a_finding_at_a_time_and_reads_the_same(seeds_report, corpus_report):
    """The CLI writes JSON in pieces (a 100 MB report never sits in memory as one string): the pieces
    are the whole report's text, with findings, without, and with a finding pydantic cannot write
    (a lone surrogate, from a file name that is not UTF-8)."""
    from checker.report.json import _whole, json_chunks

    odd = seeds_report.model_copy(deep=True)
    odd.findings[0].claims[0].sentence = "caf\udce9"
    for report in (seeds_report, corpus_report, seeds_report.model_copy(update={"findings": []}), odd):
        chunks = list(json_chunks(report))
        assert len(chunks) == (len(report.findings) + 2 if report.findings else 1)
        text = "".join(chunks)
        assert json.loads(text) == json.loads(_whole(report))
        if report is not odd:
            assert text == _whole(report)
    assert "caf\udce9" in "".join(json_chunks(odd))  # the CLI writes it as the escape \udce9
