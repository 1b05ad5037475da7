"""How long the language server takes to re-check a draft after an edit, with its sources cached.

    python bench/lsp_latency.py [--sources 200] [--words 2000] [--edits 30] [--seed 7] [--profile] [--keep DIR]

Generates the sources with bench/generate.py (news-like stories, several reports each, planted
conflicts) and a Markdown draft of about --words words made of paragraphs from one report of each
of several stories, so that its claims align with (and sometimes contradict) the sources. Extracts
the sources once (as the server does), then makes --edits small edits to the draft (a digit, a
word) and times each re-check:

  core    collect_bytes(draft) + merge_runs + evaluate: the path the budget (200 ms) is for
  server  checker.lsp.Engine.check + diagnostics: the above plus the configuration lookup, the
          sources' freshness check (a stat of every source file) and building the LSP diagnostics

and prints the median and p95 in ms with each stage's median. --profile prints where the core
path's time goes (cProfile, by cumulative time).
"""
from __future__ import annotations

import argparse
import cProfile
import html
import io
import os
import pstats
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (bench/generate.py)

BUDGET_MS = 200.0


def _body(path: Path) -> list[str]:
    """A generated report's paragraphs, as plain prose."""
    raw = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        return [html.unescape(p) for p in re.findall(r"<p>(.*?)</p>", raw, re.S)]
    if path.suffix == ".md":
        raw = raw.split("\n---\n", 1)[1]
        paras = [p for p in raw.split("\n\n") if p.strip() and not p.lstrip().startswith("#")]
    else:
        paras = raw.split("\n\n")[1:]
    return [" ".join(p.split()) for p in paras if p.strip()]


def make_draft(source_dir: Path, words: int, rng: random.Random) -> str:
    """Paragraphs from one report of each story in turn until about `words` words, as Markdown."""
    by_story: dict[str, list[Path]] = {}
    for p in sorted(source_dir.rglob("story*.*")):
        by_story.setdefault(p.name.split("-")[0], []).append(p)
    paras, count = [], 0
    for story in sorted(by_story):
        doc = rng.choice(by_story[story])
        for para in _body(doc):
            paras.append(para)
            count += len(para.split())
            if count >= words:
                break
        if count >= words:
            break
    body = "\n\n".join(generate._wrap(p) for p in paras)
    return f"---\ntitle: Round-up\ndate: 2025-09-09\n---\n\n# Round-up\n\n{body}\n"


def edit(text: str, rng: random.Random) -> str:
    """One small edit, as typing makes: a digit changed, or a word added."""
    digits = [m.start() for m in re.finditer(r"\d", text)]
    if digits and rng.random() < 0.5:
        i = rng.choice(digits)
        return text[:i] + str((int(text[i]) + 1) % 10) + text[i + 1:]
    spaces = [m.start() for m in re.finditer(r" ", text)]
    i = rng.choice(spaces)
    return text[:i] + " really" + text[i:]


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q * (len(s) - 1))))]


def breakdown(text: str, draft_path: Path, config, sources_run) -> None:
    """Where evaluate's time goes: alignment of everything vs of the sources alone, and how many of
    the candidate pairs alignment scores involve the draft at all."""
    from collections import defaultdict

    from checker import api
    from checker.align import AlignOptions, _keys, align, unit_block
    from checker.draft import merge_runs

    run = merge_runs(api.collect_bytes(str(draft_path), text.encode("utf-8"), config), sources_run)
    t0 = time.perf_counter()
    align(run.claims, doc_entities=run.entities)
    t_all = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    align(sources_run.claims, doc_entities=sources_run.entities)
    t_src = (time.perf_counter() - t0) * 1000
    draft_doc = len(sources_run.docs)
    opts = AlignOptions()
    blocks = defaultdict(list)
    for i, c in enumerate(run.claims):
        ub = unit_block(c)
        if ub is not None and not c.suppressed:
            blocks[ub].append(i)
    pairs = set()
    for members in blocks.values():
        index = defaultdict(list)
        for i in members:
            for k in _keys(run.claims[i], opts.block_keys):
                index[k].append(i)
        for ids in index.values():
            if 2 <= len(ids) <= opts.max_block:
                pairs.update((ids[x], ids[y]) for x in range(len(ids)) for y in range(x + 1, len(ids)))
    with_draft = sum(1 for i, j in pairs if draft_doc in (run.claims[i].doc, run.claims[j].doc))
    n_draft = sum(1 for c in run.claims if c.doc == draft_doc)
    print(f"\nwhere the time goes: align over all {len(run.claims):,} claims ({n_draft} from the draft) "
          f"{t_all:.0f} ms; align over the sources' claims alone {t_src:.0f} ms")
    print(f"  candidate pairs scored: {len(pairs):,}, of which {with_draft:,} involve a draft claim "
          f"({100 * with_draft / max(len(pairs), 1):.0f}%): the rest is source x source work that no edit changes")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sources", type=int, default=200)
    p.add_argument("--words", type=int, default=2000)
    p.add_argument("--edits", type=int, default=30)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--profile", action="store_true", help="profile the core re-check path")
    p.add_argument("--keep", metavar="DIR", help="write the corpus here and keep it (default: a temporary folder)")
    a = p.parse_args()

    from checker import api
    from checker.checks import load_rules
    from checker.config import Config
    from checker.configfile import load_config_file
    from checker.draft import merge_runs

    rng = random.Random(a.seed)
    tmp = None
    if a.keep:
        root = Path(a.keep)
        root.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="claimcheck-lsp-bench-")
        root = Path(tmp.name)
    src = root / "sources"
    if not src.is_dir():
        generate.generate(src, a.sources, a.seed)
    (src / "planted.json").unlink(missing_ok=True)
    (root / "claimcheck.toml").write_text('sources = ["sources"]\ncache = false\n', encoding="utf-8")
    draft_path = root / "draft.md"
    text = make_draft(src, a.words, rng)
    draft_path.write_text(text, encoding="utf-8")
    files = sorted(src.rglob("story*.*"))
    print(f"{len(files)} sources ({sum(f.stat().st_size for f in files) / 1e3:.0f} kB), a draft of "
          f"{len(text.split()):,} words, {a.edits} edits; in {root}")

    config = Config(**load_config_file(root / "claimcheck.toml"))
    rules = [r for r in load_rules(config.rule_packs) if config.rule_enabled(r.code)]
    t0 = time.perf_counter()
    sources_run = api.collect(config.sources, config)
    cold = (time.perf_counter() - t0) * 1000
    print(f"sources extracted once: {len(sources_run.docs)} documents, {len(sources_run.claims):,} claims "
          f"in {cold:.0f} ms (kept; not part of a re-check)")

    def core(draft_text: str) -> tuple[dict, object]:
        c0 = time.process_time()
        t = [time.perf_counter()]
        draft_run = api.collect_bytes(str(draft_path), draft_text.encode("utf-8"), config)
        t.append(time.perf_counter())
        run = merge_runs(draft_run, sources_run)
        t.append(time.perf_counter())
        report = api.evaluate(run, rules, config, draft_only=True)
        t.append(time.perf_counter())
        ms = [(t[i + 1] - t[i]) * 1000 for i in range(3)]
        return {"collect_bytes": ms[0], "merge_runs": ms[1], "evaluate": ms[2], "total": sum(ms),
                "cpu": (time.process_time() - c0) * 1000}, report

    _, report = core(text)  # warm-up: imports, regex compilation, the draft's first extraction
    draft_findings = sum(1 for f in report.findings if any(c.role == "draft" for c in f.claims))
    print(f"the draft: {len(report.findings)} findings, {draft_findings} about the draft")

    edits = []
    t = text
    for _ in range(a.edits):
        t = edit(t, rng)
        edits.append(t)

    rows = [core(t)[0] for t in edits]
    totals = [r["total"] for r in rows]
    print(f"\ncore re-check (collect_bytes + merge_runs + evaluate), {len(rows)} edits:")
    print(f"  median {statistics.median(totals):.1f} ms   p95 {pct(totals, 0.95):.1f} ms   max {max(totals):.1f} ms"
          f"   budget {BUDGET_MS:.0f} ms: {'OK' if pct(totals, 0.95) < BUDGET_MS else 'OVER'}")
    print("  stages (median): " + "   ".join(f"{k} {statistics.median(r[k] for r in rows):.1f} ms"
                                              for k in ("collect_bytes", "merge_runs", "evaluate")))
    cpu = [r["cpu"] for r in rows]
    print(f"  CPU time (this process; unaffected by other load on the machine): median {statistics.median(cpu):.1f} ms"
          f"   p95 {pct(cpu, 0.95):.1f} ms   (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")

    try:
        from checker.lsp import Engine
    except ImportError as err:
        print(f"\nserver path skipped: {err} (pip install '.[lsp]')")
        Engine = None
    if Engine is not None:
        engine = Engine(root=str(root))
        engine.check(str(draft_path), text, str(draft_path))  # extracts and keeps the sources
        uri = draft_path.resolve().as_uri()
        times = []
        for t in edits:
            t0 = time.perf_counter()
            diagnostics = engine.diagnostics(uri, t, "markdown")
            times.append((time.perf_counter() - t0) * 1000)
        assert engine.cache.collections == 1, "the sources were extracted again"
        print(f"\nserver re-check (Engine.diagnostics: config lookup + sources' mtimes + check + diagnostics):")
        print(f"  median {statistics.median(times):.1f} ms   p95 {pct(times, 0.95):.1f} ms   max {max(times):.1f} ms"
              f"   ({len(diagnostics)} diagnostics on the last version)")

    if a.profile:
        breakdown(edits[-1], draft_path, config, sources_run)
        prof = cProfile.Profile()
        prof.enable()
        for t in edits[:5]:  # five are enough to see the shape, and profiling is slow
            core(t)
        prof.disable()
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(30)
        print(f"\nprofile of {len(edits[:5])} core re-checks (cumulative):")
        print(out.getvalue())
    if tmp is not None:
        tmp.cleanup()
    return 0

if __name__ == "__main__":
    sys.exit(main())
