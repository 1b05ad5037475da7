"""The claims store: an archive's claim records on disk, so that a draft is checked against 200,000
documents without extracting or even reading them.

    DIR/manifest.json          format version, settings, the documents in order (path, content hash,
                               segment, summary), word statistics; written to a temporary file and renamed
    DIR/seg-NNNNNN.docs.parquet    path, sha256, record (records.dumps: the one claim record format),
                                   sorted by path
    DIR/seg-NNNNNN.keys.parquet    blocking key, path: sorted by key, so a look-up reads few row groups
    DIR/seg-NNNNNN.claims.parquet  one compact row per claim (kind, value interval, unit block, offsets)
                                   for people and other tools; claimcheck itself reads the two above

Segments are append-only: re-indexing extracts only new or changed documents (by content hash) into
a new segment and rewrites the manifest; rows of deleted or replaced documents stay in their old
segment, ignored, until `claimcheck index --compact` rewrites the live ones into one segment.

Answers are the same as a plain run on the files: the full check rebuilds the same Run from the
records; a draft loads only the documents that share a blocking key with it (plus what alignment
may reach from them) and scores with the whole archive's word statistics.
"""
from __future__ import annotations

import bisect
import json
import math
import os
from collections import Counter
from functools import partial
from typing import Iterable, Optional

from checker import records
from checker.align import AlignOptions, _keys, align, unit_block
from checker.models import DocumentSummary

STORE_FORMAT = 1
MANIFEST = "manifest.json"
KEY_SEP = "\x1f"
DOC_ROWS_PER_GROUP = 512
KEY_ROWS_PER_GROUP = 8192


class StoreError(Exception):
    """A store that cannot be used as asked (missing, another format version, other settings)."""


# ---- what a document contributes -----------------------------------------------------------------


def blocking_keys(claims, options: AlignOptions = AlignOptions()) -> set[str]:
    """The look-up keys of a document's claims: what align blocks on (unit block + context key), each
    name's tokens (names are compared across documents by shared tokens), and the money blocks in
    which the document states exactly one amount (align's sole-amount links)."""
    out: set[str] = set()
    money: Counter = Counter()
    for c in claims:
        if c.kind == "name":
            if not c.suppressed:
                out.update("name" + KEY_SEP + t for t in c.context.get("tokens", ()))
            continue
        ub = unit_block(c)
        if ub is None or c.suppressed:
            continue
        out.update(ub + KEY_SEP + k for k in _keys(c, options.block_keys))
        if ub.startswith("money:"):
            money[ub] += 1
    out.update("sole" + KEY_SEP + ub for ub, n in money.items() if n == 1)
    return out


ENTITY = "\x00e:"  # entity document frequencies share the word counter under this prefix


def word_counts(claims, entities=()) -> tuple[int, Counter]:
    """This document's share of the run-wide statistics align computes: sentences counted and their
    words (compute_idf), and its proper nouns (distinctive)."""
    seen = set()
    n = 0
    df: Counter = Counter()
    for c in claims:
        if c.sentence in seen or c.kind == "name":
            continue
        seen.add(c.sentence)
        n += 1
        df.update(c.context.get("words", {}).keys())
    df.update(ENTITY + e for e in set(entities))
    return n, df


def _record_counts(record: dict, config) -> tuple[int, Counter]:
    from checker.extract import entity_keys

    claims = _truncated(record, config)
    return word_counts(claims, record["entities"] if len(claims) == len(record["claims"]) else entity_keys(claims))


def _settings_key(settings) -> str:
    return (f"day_first={settings.day_first}|max_claims={settings.max_claims}|"
            f"reference_date={settings.reference_date}|max_file_size={settings.max_file_size}")


# ---- the manifest --------------------------------------------------------------------------------


def read_manifest(store: str, must_exist: bool = True) -> Optional[dict]:
    path = os.path.join(store, MANIFEST)
    try:
        with open(path, encoding="utf-8") as fh:
            manifest = json.load(fh)
    except FileNotFoundError:
        if must_exist:
            raise StoreError(f"{store}: not a claims store (no {MANIFEST}); create one with "
                             f"`claimcheck index PATH... --store {store}`") from None
        return None
    except (OSError, ValueError) as err:
        raise StoreError(f"{store}: cannot read {MANIFEST}: {err}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != STORE_FORMAT \
            or manifest.get("records_format") != records.FORMAT_VERSION:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise StoreError(f"{store}: claims store format {found!r} (records "
                         f"{manifest.get('records_format') if isinstance(manifest, dict) else None!r}); this "
                         f"claimcheck reads format {STORE_FORMAT} (records {records.FORMAT_VERSION}): "
                         f"index again into a new folder")
    return manifest


def _write_manifest(store: str, manifest: dict) -> None:
    from checker.atomic import write_atomic

    write_atomic(os.path.join(store, MANIFEST), json.dumps(manifest, ensure_ascii=False, separators=(",", ":")),
                 prefix=".tmp-manifest-")


def _check_current(store: str, manifest: dict, settings) -> None:
    from checker.cache import code_version

    if manifest.get("code_version") != code_version():
        raise StoreError(f"{store}: written by claimcheck {manifest.get('code_version')}, this is "
                         f"{code_version()}: re-index it (`claimcheck index PATH... --store {store}`)")
    if manifest.get("settings") != _settings_key(settings):
        raise StoreError(f"{store}: indexed with other extraction settings ({manifest.get('settings')}); "
                         f"check with the same --reference-date/--day-first/--max-claims or re-index")


# ---- indexing ------------------------------------------------------------------------------------


def _pa():
    try:
        import pyarrow
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        raise StoreError("the claims store needs pyarrow: pip install 'claimcheck[store]' "
                         "(from a checkout: pip install '.[store]')") from None
    return pyarrow


def index(paths: list[str], store: str, config, engine: str = "local", compact: bool = False) -> dict:
    """Bring the store up to date with `paths`; returns what was done (counts, seconds)."""
    import time

    from checker.executors import ExtractSettings
    from checker.ingest import InputError, discover

    _pa()
    t0 = time.perf_counter()
    os.makedirs(store, exist_ok=True)
    settings = ExtractSettings.from_config(config)
    old = read_manifest(store, must_exist=False)
    from checker.cache import code_version

    reuse = old is not None and old.get("code_version") == code_version() \
        and old.get("settings") == _settings_key(settings)
    old_docs = {e["p"]: e for e in old["documents"]} if reuse else {}
    stats = {"documents": 0, "extracted": 0, "kept": 0, "deleted": 0, "errors": 0, "bytes": 0}
    if not paths and old is not None:  # --compact alone
        manifest = old
    else:
        items = [item for item in discover(paths, include_hidden=config.include_hidden)
                 if isinstance(item, InputError) or config.path_selected(item)]
        entries: list[Optional[dict]] = []
        todo: list[tuple[int, str, list]] = []
        for item in items:
            if isinstance(item, InputError):
                entries.append({"p": item.path, "e": [item.reason], "ok": False})
                continue
            prev = old_docs.get(item)
            st = _stat(item)
            if prev is not None and prev.get("seg") is not None and st is not None and prev.get("st") == st:
                entries.append(prev)
                continue
            entries.append(None)
            todo.append((len(entries) - 1, item, st))
        n_words, df = (old["sentences"], Counter(old["df"])) if reuse else (0, Counter())
        live_before = {e["p"]: e for e in old_docs.values() if e.get("ok")}
        if reuse:  # documents leaving or changing take their word statistics with them
            kept = {id(e) for e in entries if e is not None}
            leaving = [e for e in live_before.values() if id(e) not in kept]
            for record in _records_of(store, leaving):
                n, counts = _record_counts(record, config)
                n_words -= n
                df.subtract(counts)
        segment = None
        if todo:
            from checker.executors import map_documents

            seg_id = (old or {}).get("next_segment", 1)
            segment = f"seg-{seg_id:06d}"
            results = map_documents([p for _, p, _ in todo], settings, config.jobs, engine=engine)
            rows = []
            for (at, path, st), result in zip(todo, results):
                record = result.load()
                stats["bytes"] += result.size
                prev = old_docs.get(path)
                if prev is not None and prev.get("sha") == record.get("sha256") and prev.get("seg") \
                        and record["error"] is None:
                    prev = dict(prev, st=st)  # touched, not changed: keep the stored record
                    entries[at] = prev
                    n, counts = _record_counts(record, config)
                    n_words += n  # it was subtracted above as leaving: it stays
                    df.update(counts)
                    continue
                entry, claims = _entry(path, record, config)
                entry["st"] = st
                entries[at] = entry
                stats["extracted"] += 1
                if entry["ok"]:
                    entry["seg"] = segment
                    n, counts = _record_counts(record, config)
                    n_words += n
                    df.update(counts)
                    rows.append((path, record, claims))
            if rows:
                _write_segment(store, segment, rows)
            else:
                segment = None
        stats["kept"] = sum(1 for e in entries if e is not None and e.get("seg") and e.get("seg") != segment)
        stats["deleted"] = len(set(old_docs) - {e["p"] for e in entries})
        df = +df  # drop words no document uses any more
        segments = sorted({e["seg"] for e in entries if e.get("seg")})
        manifest = {"format": STORE_FORMAT, "records_format": records.FORMAT_VERSION,
                    "code_version": code_version(), "settings": _settings_key(settings),
                    "next_segment": (old or {}).get("next_segment", 1) + (1 if segment else 0),
                    "segments": segments, "documents": entries, "sentences": n_words, "df": dict(df)}
        _write_manifest(store, manifest)
        stats["documents"] = len(entries)
        stats["errors"] = sum(1 for e in entries if not e.get("ok"))
    if compact:
        manifest = _compact(store, manifest, config)
    _remove_unused(store, manifest)
    stats["segments"] = len(manifest["segments"])
    stats["seconds"] = time.perf_counter() - t0
    return stats


def _stat(path: str):
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def _truncated(record: dict, config) -> list:
    claims = records.claims_from_record(record, 0)
    if config.max_claims and len(claims) > config.max_claims:
        claims = claims[:config.max_claims]
    return claims


def _entry(path: str, record: dict, config) -> tuple[dict, list]:
    """What collect() would note for this document: its errors, summary, and whether it is checked."""
    if record["error"] is not None:
        return {"p": path, "sha": record.get("sha256"), "e": [record["error"]], "ok": False,
                "s": {"path": path, "error": record["error"]}}, []
    claims = records.claims_from_record(record, 0)
    errors = []
    if config.max_claims and len(claims) > config.max_claims:
        errors.append(f"{len(claims):,} claims found; only the first {config.max_claims:,} are checked (max-claims)")
        claims = claims[:config.max_claims]
    doc = records.DocumentRecord(path, record)
    summary = {"path": path, "claims": len(claims),
               "reference_date": doc.reference_date.isoformat() if doc.reference_date else None,
               "reference_source": doc.reference_source or None, "note": "; ".join(doc.notes) or None}
    return {"p": path, "r": os.path.realpath(path), "sha": record["sha256"], "e": errors, "ok": True, "n": len(claims),
            "s": summary}, claims


def _write_segment(store: str, segment: str, rows: list) -> None:
    pa = _pa()
    import pyarrow.parquet as pq

    rows.sort(key=lambda r: r[0])
    docs = pa.table({"path": [r[0] for r in rows], "sha256": [r[1]["sha256"] for r in rows],
                     "record": pa.array([records.dumps(r[1]) for r in rows], type=pa.binary())})
    key_rows = sorted((k, path) for path, _, claims in rows for k in blocking_keys(claims))
    keys = pa.table({"key": [k for k, _ in key_rows], "path": [p for _, p in key_rows]})
    cols: dict[str, list] = {n: [] for n in ("path", "kind", "unit_block", "lo", "hi", "unit", "bound", "start",
                                             "end", "sentence_start", "sentence_end", "text", "display")}
    for path, _, claims in rows:
        for c in claims:
            v = c.value
            for name, x in (("path", path), ("kind", c.kind), ("unit_block", unit_block(c)), ("lo", v.lo),
                            ("hi", v.hi), ("unit", v.unit), ("bound", v.bound), ("start", c.start), ("end", c.end),
                            ("sentence_start", c.sentence[0]), ("sentence_end", c.sentence[1]), ("text", c.text),
                            ("display", v.display)):
                cols[name].append(x)
    cols["lo"] = pa.array([None if x is None else float(x) for x in cols["lo"]], type=pa.float64())
    cols["hi"] = pa.array([None if x is None else float(x) for x in cols["hi"]], type=pa.float64())
    claims_table = pa.table(cols)
    for suffix, table, group in (("claims", claims_table, 65536), ("keys", keys, KEY_ROWS_PER_GROUP),
                                 ("docs", docs, DOC_ROWS_PER_GROUP)):  # docs last: a segment is whole once it exists
        target = os.path.join(store, f"{segment}.{suffix}.parquet")
        tmp = target + ".tmp"
        pq.write_table(table, tmp, row_group_size=group, compression="zstd")
        os.replace(tmp, target)


def _compact(store: str, manifest: dict, config) -> dict:
    """Rewrite the live documents into one segment; the manifest then names only it."""
    live = [e for e in manifest["documents"] if e.get("ok") and e.get("seg")]
    if len(manifest["segments"]) <= 1 and not _has_dead_rows(store, manifest, live):
        return manifest
    segment = f"seg-{manifest.get('next_segment', 1):06d}"
    rows = []
    for entry, record in zip(live, _records_of(store, live)):
        rows.append((entry["p"], record, _truncated(record, config)))
    if rows:
        _write_segment(store, segment, rows)
    for e in live:
        e["seg"] = segment
    manifest = dict(manifest, segments=[segment] if rows else [], next_segment=manifest.get("next_segment", 1) + 1)
    _write_manifest(store, manifest)
    return manifest


def _has_dead_rows(store: str, manifest: dict, live: list) -> bool:
    import pyarrow.parquet as pq

    total = 0
    for seg in manifest["segments"]:
        total += pq.ParquetFile(os.path.join(store, f"{seg}.docs.parquet")).metadata.num_rows
    return total != len(live)


def _remove_unused(store: str, manifest: dict) -> None:
    keep = set(manifest["segments"])
    for name in os.listdir(store):
        if name.startswith("seg-") and name.split(".")[0] not in keep:
            try:
                os.unlink(os.path.join(store, name))
            except OSError:
                pass


# ---- reading -------------------------------------------------------------------------------------


def _sorted_lookup(path: str, column: str, wanted: list[str], columns: list[str]) -> list[dict]:
    """Rows whose `column` (the file is sorted by it) is one of `wanted`, reading only the row groups
    whose min..max range can hold one of them."""
    import pyarrow.parquet as pq

    if not wanted:
        return []
    wanted = sorted(set(wanted))
    pf = pq.ParquetFile(path)
    col = pf.schema_arrow.get_field_index(column)
    groups = []
    for g in range(pf.metadata.num_row_groups):
        st = pf.metadata.row_group(g).column(col).statistics
        if st is None or not st.has_min_max:
            groups.append(g)
            continue
        i = bisect.bisect_left(wanted, st.min)
        if i < len(wanted) and wanted[i] <= st.max:
            groups.append(g)
    if not groups:
        return []
    table = pf.read_row_groups(groups, columns=list(dict.fromkeys([column] + columns)))
    import pyarrow.compute as pc

    table = table.filter(pc.is_in(table[column], value_set=_pa().array(wanted)))
    return table.to_pylist()


def _records_of(store: str, entries: list[dict]) -> list[dict]:
    """The records of these documents, in their order, each from the segment the manifest names."""
    by_seg: dict[str, list[str]] = {}
    for e in entries:
        by_seg.setdefault(e["seg"], []).append(e["p"])
    found: dict[tuple[str, str], bytes] = {}
    for seg, paths in by_seg.items():
        for row in _sorted_lookup(os.path.join(store, f"{seg}.docs.parquet"), "path", paths, ["record"]):
            found[(seg, row["path"])] = row["record"]
    out = []
    for e in entries:
        blob = found.get((e["seg"], e["p"]))
        if blob is None:
            raise StoreError(f"{store}: the record of {e['p']} is missing from {e['seg']}: re-index")
        try:
            out.append(records.loads(blob))
        except records.RecordError as err:
            raise StoreError(f"{store}: {e['p']}: {err}: re-index") from None
    return out


def _all_records(store: str, manifest: dict) -> dict[tuple[str, str], bytes]:
    import pyarrow.parquet as pq

    out = {}
    for seg in manifest["segments"]:
        table = pq.read_table(os.path.join(store, f"{seg}.docs.parquet"), columns=["path", "record"])
        for p, r in zip(table.column("path").to_pylist(), table.column("record").to_pylist()):
            out[(seg, p)] = r
    return out


def _paths_with_keys(store: str, manifest: dict, keys: Iterable[str]) -> set[str]:
    keys = list(keys)
    live = {e["p"]: e.get("seg") for e in manifest["documents"] if e.get("ok")}
    out = set()
    for seg in manifest["segments"]:
        for row in _sorted_lookup(os.path.join(store, f"{seg}.keys.parquet"), "key", keys, ["path"]):
            if live.get(row["path"]) == seg:  # rows of replaced or deleted documents are dead
                out.add(row["path"])
    return out


def _build_run(manifest: dict, store: str, config, wanted: Optional[set[str]] = None,
               exclude_real: frozenset = frozenset(), loaded: Optional[dict] = None):
    """The Run collect() would build for the store's documents; with `wanted`, only those documents'
    records are loaded (errors and summaries are kept for all: the report lists every document).
    `loaded`: records read by an earlier call (by path), reused and added to."""
    from checker.api import Run
    from checker.executors import ExtractSettings, reload_document
    from checker.extract import entity_keys
    from checker.ingest import InputError

    settings = ExtractSettings.from_config(config)
    entries = [e for e in manifest["documents"] if not (e.get("r") and e["r"] in exclude_real)]
    load = [e for e in entries if e.get("ok") and (wanted is None or e["p"] in wanted)]
    if wanted is None:
        blobs = dict(zip((e["p"] for e in load), _records_in_order(store, manifest, load)))
    else:
        blobs = loaded if loaded is not None else {}
        missing = [e for e in load if e["p"] not in blobs]
        blobs.update(zip((e["p"] for e in missing), _records_of(store, missing)))
    run = Run()
    for e in entries:
        path = e["p"]
        if not e.get("ok"):
            run.errors.extend(InputError(path, r) for r in e["e"])
            if e.get("s"):
                run.summaries.append(DocumentSummary(**e["s"]))
            continue
        run.errors.extend(InputError(path, r) for r in e["e"])
        if path in blobs:
            record = blobs[path]
            index = len(run.docs)
            claims = records.claims_from_record(record, index)
            if config.max_claims and len(claims) > config.max_claims:
                claims = claims[:config.max_claims]
            run.suppressions.extend(records.suppressions_from_record(record, path))
            run.docs.append(records.DocumentRecord(path, record, reload=partial(reload_document, path, settings)))
            run.claims.extend(claims)
            run.entities.append(record["entities"] if len(claims) == len(record["claims"]) else entity_keys(claims))
        run.summaries.append(DocumentSummary(**e["s"]))
    return run


def _records_in_order(store: str, manifest: dict, entries: list[dict]) -> list[dict]:
    blobs = _all_records(store, manifest)
    return [records.loads(blobs[(e["seg"], e["p"])]) for e in entries]


def load_run(store: str, config):
    """Every document of the store, as collect() would have read them."""
    from checker.executors import ExtractSettings

    _pa()
    manifest = read_manifest(store)
    _check_current(store, manifest, ExtractSettings.from_config(config))
    return _build_run(manifest, store, config)


def check_draft(draft_paths: list[str], store: str, rules: list, config, draft_data: Optional[bytes] = None,
                strict_sources: bool = False):
    """The draft's findings against every document of the store (what evaluate(..., draft_only=True)
    gives for the draft against all of them), reading only the documents its blocking keys reach."""
    from checker import api
    from checker import draft as draft_mode
    from checker.executors import ExtractSettings

    _pa()
    manifest = read_manifest(store)
    _check_current(store, manifest, ExtractSettings.from_config(config))
    if config.report_unused_suppressions:
        raise StoreError("--report-unused-suppressions needs every source: use `check --store`, not --against-store")
    if draft_data is not None:
        draft_run = api.collect_bytes(draft_paths[0], draft_data, config)
    else:
        draft_run = api.collect(draft_paths, config)
    draft_real = frozenset(os.path.realpath(d.path) for d in draft_run.docs)
    # word statistics of the whole archive, the draft counted as a document and never as its own source
    n_words, df = manifest["sentences"], manifest["df"]
    extra: Counter = Counter()
    inside = [e for e in manifest["documents"] if e.get("ok") and e.get("r") in draft_real]
    for record in _records_of(store, inside):
        n, counts = _record_counts(record, config)
        n_words -= n
        extra.subtract(counts)
    for d in range(len(draft_run.docs)):
        n, counts = word_counts([c for c in draft_run.claims if c.doc == d], draft_run.entities[d])
        n_words += n
        extra.update(counts)
    # the documents to load: those sharing a key with the draft, then (names) those their names reach
    keys = blocking_keys(draft_run.claims)
    wanted = _paths_with_keys(store, manifest, keys) if keys else set()
    name_keys = {k for k in keys if k.startswith("name" + KEY_SEP)}
    records_read: dict = {}
    while True:  # names link through shared tokens: follow them to a fixed point
        loaded = _build_run(manifest, store, config, wanted, draft_real, records_read)
        more = blocking_keys([c for c in loaded.claims if c.kind == "name"]) - name_keys
        if not more:
            break
        name_keys |= more
        new = _paths_with_keys(store, manifest, more) - wanted
        if not new:
            break
        wanted |= new
    total_docs = sum(1 for e in manifest["documents"] if e.get("ok") and e.get("r") not in draft_real)
    total_claims = sum(e["n"] for e in manifest["documents"] if e.get("ok") and e.get("r") not in draft_real)
    run = draft_mode.merge_runs(draft_run, loaded)
    words = {w for c in run.claims for w in c.context.get("words", {})}
    idf = {}
    for w in words:
        d = df.get(w, 0) + extra.get(w, 0)
        if d > 0:
            idf[w] = math.log(1 + n_words / d)
    n_docs = total_docs + len(draft_run.docs)
    cap = max(10, int(n_docs ** 0.5))

    def distinctive(doc_entities):  # align.distinctive over the whole archive
        return [[e for e in ents if df.get(ENTITY + e, 0) + extra.get(ENTITY + e, 0) <= cap] for ents in doc_entities]

    aligner = partial(align, idf=idf, entity_filter=distinctive)
    report = api.evaluate(run, rules, config, strict_sources=strict_sources, draft_only=True, aligner=aligner,
                          entity_filter=distinctive)
    report.summary.documents = total_docs + len(draft_run.docs)
    report.summary.claims = total_claims + len(draft_run.claims)
    return report
