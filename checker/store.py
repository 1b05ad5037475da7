"""The claims store: an archive's claim records on disk, so that a draft is checked against 200,000
documents without extracting or even reading them.

    DIR/manifest.json          format version, settings, segments, totals, the documents that had
                               errors; written to a temporary file and renamed, last
    DIR/stats.bin              the archive's statistics (word and proper-noun document frequencies,
                               blocking-key sizes), marshalled; the manifest names the one it goes with
    DIR/documents.json         every document in order (path, content hash, segment, summary, errors)
    DIR/catalog.parquet        one row per live document, sorted by path: its segment, its place in the
                               order and its proper nouns (what a draft's look-up needs to know of it)
    DIR/seg-NNNNNN.docs.parquet    path, sha256, record (records.dumps: the one claim record format),
                                   sorted by path, in small row groups (a draft reads a few of them)
    DIR/seg-NNNNNN.keys.parquet    look-up key, path, info (names): sorted by key, so a look-up reads
                                   few row groups
    DIR/seg-NNNNNN.claims.parquet  one compact row per claim (kind, value interval, unit block, offsets)
                                   for people and other tools; claimcheck itself reads the ones above

Segments are append-only: re-indexing extracts only new or changed documents (by content hash) into
new segments (one per SEGMENT_DOCS documents, so indexing holds one segment in memory) and rewrites
the manifest, the document list and the catalog; rows of deleted or replaced documents stay in their
old segment, ignored, until `claimcheck index --compact` rewrites the live ones into full segments.

Answers are the same as a plain run on the files: the full check rebuilds the same Run from the
records; a draft loads only the documents alignment can pair with one of its claims (see
check_draft) and decides with the whole archive's statistics.
"""
from __future__ import annotations

import bisect
import json
import marshal
import math
import os
from collections import Counter
from functools import partial
from typing import Iterable, Iterator, Optional

from checker import records
from checker.align import BLOCK_SEP, ENTITY, AlignOptions, align, block_sizes, idf_from_counts, unit_block, word_counts
from checker.bulk import gc_paused
from checker.models import DocumentSummary

STORE_FORMAT = 2
MANIFEST = "manifest.json"
DOCUMENTS = "documents.json"
STATS = "stats.bin"
STATS_MAGIC = b"CCSTATS1 "
CATALOG = "catalog.parquet"
KEY_SEP = BLOCK_SEP
DOC_ROWS_PER_GROUP = 32
KEY_ROWS_PER_GROUP = 2048
CATALOG_ROWS_PER_GROUP = 4096


class StoreError(Exception):
    """A store that cannot be used as asked (missing, another format version, other settings)."""


# ---- what a document contributes -----------------------------------------------------------------


def lookup_rows(claims, entities=(), real: str = "", options: Optional[AlignOptions] = None) -> set[tuple[str, str]]:
    """A document's look-up rows (key, info): the plain blocking keys of its claims (unit block +
    context key, as align blocks), the money blocks in which it states exactly one amount ('sole'),
    its proper nouns ('ent'), its real path ('real', to find a draft's stored copy), and its names:
    each spelling ('name') and each spelling's tokens with one masked ('mask': two spellings of one
    person differ in one token, see primitives.variant), with the spelling, its roles and its
    tokenizations in this document as info (name_info)."""
    out = {(k, "") for k in block_sizes(claims, options)}
    out.update(("ent" + KEY_SEP + e, "") for e in entities)
    if real:
        out.add(("real" + KEY_SEP + real, ""))
    spellings: dict[str, tuple[set, set]] = {}
    for c in claims:
        if c.kind == "name" and not c.suppressed:
            quals, toks = spellings.setdefault(c.value.display, (set(), set()))
            quals.update(_quals(c))
            toks.add(" ".join(records.context_of(c).get("tokens", ())))
    for spelling, (quals, toks) in spellings.items():
        info = name_info(spelling, quals, toks)
        out.add(("name" + KEY_SEP + spelling, info))
        out.update(("mask" + KEY_SEP + m, info) for t in toks for m in _masks(t.split()))
    return out


def _quals(c) -> set[str]:
    """What primitives.variant requires two spellings to share (with require_same_role): a role or an
    organisation."""
    out = set()
    ctx = records.context_of(c)
    if ctx.get("role"):
        out.add(ctx["role"])
    if ctx.get("org"):
        out.add("org:" + ctx["org"])
    return out


def _masks(tokens: list[str]) -> list[str]:
    """The tokens with one masked at a time; the masked token keeps its first letter (variant asks it)."""
    return [" ".join(tokens[:i] + ["*" + t[:1]] + tokens[i + 1:]) for i, t in enumerate(tokens)]


def name_info(spelling: str, quals: Iterable[str], toks: Iterable[str]) -> str:
    return "\x1e".join([spelling, "\x1d".join(sorted(quals)), "\x1d".join(sorted(toks))])


def _parse_info(info: str) -> tuple[str, set[str], set[str]]:
    spelling, quals, toks = info.split("\x1e")
    return spelling, set(filter(None, quals.split("\x1d"))), set(toks.split("\x1d"))


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


def read_documents(store: str) -> list[dict]:
    """The document list (documents.json): every document indexed, in order."""
    try:
        with open(os.path.join(store, DOCUMENTS), encoding="utf-8") as fh:
            documents = json.load(fh)
    except (OSError, ValueError) as err:
        raise StoreError(f"{store}: cannot read {DOCUMENTS}: {err}: re-index") from None
    if not isinstance(documents, list):
        raise StoreError(f"{store}: {DOCUMENTS} is not a document list: re-index")
    return documents


def _write_json(store: str, name: str, data) -> None:
    from checker.atomic import write_atomic

    write_atomic(os.path.join(store, name), json.dumps(data, ensure_ascii=False, separators=(",", ":")),
                 prefix=".tmp-" + name.split(".")[0] + "-")


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


class _Stats:
    """The archive-wide statistics (stats.bin), updated document by document: sentences and word and
    proper-noun document frequencies (align's idf and distinctive), blocking-key sizes."""

    def __init__(self, data: Optional[dict] = None):
        data = data or {}
        self.sentences = data.get("sentences", 0)
        self.df = Counter(data.get("df", {}))
        self.sizes = Counter(data.get("sizes", {}))

    @classmethod
    def read(cls, store: str, manifest: dict) -> "_Stats":
        """stats.bin, which must be the one the manifest names (a marshalled dict: a tenth of the time
        JSON takes for the 15 MB of a 200,000-document archive)."""
        token = manifest.get("stats", "")
        try:
            with open(os.path.join(store, STATS), "rb") as fh:
                blob = fh.read()
            head, _, body = blob.partition(b"\n")
            if head != STATS_MAGIC + token.encode("ascii"):
                raise ValueError("not the statistics this manifest names")
            data = marshal.loads(body)
        except (OSError, ValueError, EOFError, TypeError) as err:
            raise StoreError(f"{store}: cannot read {STATS}: {err}: re-index into a new folder") from None
        return cls(data)

    def write(self, store: str) -> str:
        """Write stats.bin (atomically); returns the token the manifest keeps."""
        from checker.atomic import write_atomic

        token = os.urandom(8).hex()
        body = marshal.dumps({"sentences": self.sentences, "df": dict(+self.df), "sizes": dict(+self.sizes)}, 4)
        write_atomic(os.path.join(store, STATS), STATS_MAGIC + token.encode("ascii") + b"\n" + body, prefix=".tmp-stats-")
        return token

    def add(self, record: dict, config, sign: int = 1) -> None:
        claims = _truncated(record, config)
        self.add_claims(claims, records.entities_of(record, claims), sign)

    def add_claims(self, claims: list, entities, sign: int = 1) -> None:
        n, df = word_counts(claims, entities)
        self.sentences += sign * n
        (self.df.update if sign > 0 else self.df.subtract)(df)
        (self.sizes.update if sign > 0 else self.sizes.subtract)(block_sizes(claims))


def index(paths: list[str], store: str, config, engine: str = "local", compact: bool = False) -> dict:
    """Bring the store up to date with `paths`; returns what was done (counts, seconds)."""
    import time

    from checker.cache import code_version
    from checker.executors import ExtractSettings
    from checker.ingest import InputError, discover

    _pa()
    t0 = time.perf_counter()
    os.makedirs(store, exist_ok=True)
    settings = ExtractSettings.from_config(config)
    old = read_manifest(store, must_exist=False)
    reuse = old is not None and old.get("code_version") == code_version() \
        and old.get("settings") == _settings_key(settings)
    old_list = read_documents(store) if old is not None else []
    old_docs = {e["p"]: e for e in old_list} if reuse else {}
    old_entities = _read_catalog_entities(store) if old is not None else {}
    stats = {"documents": 0, "extracted": 0, "kept": 0, "deleted": 0, "errors": 0, "bytes": 0}
    if not paths and old is not None:  # --compact alone
        manifest, entries, entities = old, old_list, old_entities
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
        totals = _Stats.read(store, old) if reuse else _Stats()
        live_before = {e["p"]: e for e in old_docs.values() if e.get("ok")}
        if reuse:  # documents leaving or changing take their statistics with them
            kept = {id(e) for e in entries if e is not None}
            leaving = [e for e in live_before.values() if id(e) not in kept]
            for record in _records_of(store, leaving):
                totals.add(record, config, -1)
        kept_live = [e for e in entries if e is not None and e.get("ok") and e.get("seg")]
        lost = [e for e in kept_live if e["p"] not in old_entities]  # a catalog damaged or gone: from the records
        for e, record in zip(lost, _records_of(store, lost)):
            old_entities[e["p"]] = list(records.entities_of(record, _truncated(record, config)))
        entities = {e["p"]: old_entities[e["p"]] for e in kept_live}
        writer = _SegmentWriter(store, (old or {}).get("next_segment", 1))
        if todo:
            from checker.executors import map_documents

            results = map_documents([p for _, p, _ in todo], settings, config.jobs, engine=engine)
            for (at, path, st), result in zip(todo, results):
                record = result.load()
                stats["bytes"] += result.size
                prev = old_docs.get(path)
                if prev is not None and prev.get("sha") == record.get("sha256") and prev.get("seg") \
                        and record["error"] is None:
                    entries[at] = dict(prev, st=st)  # touched, not changed: keep the stored record
                    claims = _truncated(record, config)
                    entities[path] = list(records.entities_of(record, claims))
                    totals.add_claims(claims, entities[path])  # it was taken away above as leaving: it stays
                    continue
                entry, claims = _entry(path, record, config)
                entry["st"] = st
                entries[at] = entry
                stats["extracted"] += 1
                if entry["ok"]:
                    entities[path] = list(records.entities_of(record, claims))
                    totals.add_claims(claims, entities[path])
                    entry["seg"] = writer.add(path, record, claims, entities[path], result.blob)
            writer.flush()
        stats["kept"] = sum(1 for e in entries if e is not None and e.get("seg") and e["seg"] not in writer.written)
        stats["deleted"] = len(set(old_docs) - {e["p"] for e in entries})
        segments = sorted({e["seg"] for e in entries if e.get("seg")})
        manifest = {"format": STORE_FORMAT, "records_format": records.FORMAT_VERSION,
                    "code_version": code_version(), "settings": _settings_key(settings),
                    "next_segment": writer.next_id,
                    "segments": segments, **_summary_of(entries), "stats": totals.write(store)}
        _publish(store, manifest, entries, entities)
        stats["documents"] = len(entries)
        stats["errors"] = sum(1 for e in entries if not e.get("ok"))
    if compact:
        manifest = _compact(store, manifest, entries, entities, config)
    _remove_unused(store, manifest)
    stats["segments"] = len(manifest["segments"])
    stats["seconds"] = time.perf_counter() - t0
    return stats


def _summary_of(entries: list[dict]) -> dict:
    """The manifest's account of the document list: totals, and the documents with errors (a draft's
    report names them without reading the list)."""
    live = [e for e in entries if e.get("ok")]
    return {"documents": len(live), "claims": sum(e["n"] for e in live),
            "problems": [e for e in entries if e.get("e")]}


def _publish(store: str, manifest: dict, entries: list[dict], entities: dict[str, list[str]]) -> None:
    """Write the catalog, the document list, then the manifest (each atomically; the manifest last)."""
    pa = _pa()
    import pyarrow.parquet as pq

    live = sorted((e["p"], seq, e["seg"]) for seq, e in enumerate(entries) if e.get("ok") and e.get("seg"))
    table = pa.table({"path": [p for p, _, _ in live], "seq": pa.array([q for _, q, _ in live], type=pa.int64()),
                      "seg": [g for _, _, g in live],
                      "entities": pa.array([entities.get(p, []) for p, _, _ in live], type=pa.list_(pa.string()))})
    target = os.path.join(store, CATALOG)
    pq.write_table(table, target + ".tmp", row_group_size=CATALOG_ROWS_PER_GROUP, compression="zstd")
    os.replace(target + ".tmp", target)
    _write_json(store, DOCUMENTS, entries)
    _write_json(store, MANIFEST, manifest)


def _read_catalog_entities(store: str) -> dict[str, list[str]]:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(os.path.join(store, CATALOG), columns=["path", "entities"])
    except (OSError, ValueError):
        return {}
    return dict(zip(table.column("path").to_pylist(), table.column("entities").to_pylist()))


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
    return {"p": path, "r": os.path.realpath(path), "sha": record["sha256"], "e": errors, "ok": True, "n": len(claims),
            "s": _summary(path, record, claims)}, claims


SEGMENT_DOCS = 50_000  # documents an index holds in memory before it writes them out as a segment


class _SegmentWriter:
    """Appends documents to numbered segments, writing one out every SEGMENT_DOCS documents (so that
    indexing a large archive holds one segment's rows in memory, not the archive's)."""

    def __init__(self, store: str, next_id: int):
        self.store, self.next_id = store, next_id
        self.rows: list[tuple] = []
        self.written: list[str] = []

    @property
    def name(self) -> str:
        return f"seg-{self.next_id:06d}"

    def add(self, path: str, record: dict, claims: list, entities: list, blob: Optional[bytes] = None) -> str:
        """Queue one document; returns the segment it will be in."""
        name = self.name
        self.rows.append(_segment_row(path, record, claims, entities, blob))
        if len(self.rows) >= SEGMENT_DOCS:
            self.flush()
        return name

    def flush(self) -> None:
        if self.rows:
            _write_segment(self.store, self.name, self.rows)
            self.written.append(self.name)
            self.next_id += 1
            self.rows = []


def _segment_row(path: str, record: dict, claims: list, entities: list, blob: Optional[bytes]) -> tuple:
    """What a segment keeps of one document, in compact form: path, hash, record, look-up keys, and
    the claims table's values."""
    if blob is None or not blob.startswith(records.MAGIC):
        blob = records.dumps(record)
    table = [(c.kind, unit_block(c), c.value.lo, c.value.hi, c.value.unit, c.value.bound, c.start, c.end,
              c.sentence[0], c.sentence[1], c.text, c.value.display) for c in claims]
    return path, record["sha256"], blob, sorted(lookup_rows(claims, entities, os.path.realpath(path))), table


_CLAIM_COLUMNS = ("kind", "unit_block", "lo", "hi", "unit", "bound", "start", "end", "sentence_start",
                  "sentence_end", "text", "display")


def _summary(path: str, record: dict, claims: list) -> dict:
    """collect()'s summary of a stored document, as the document list keeps it."""
    from checker.api import document_summary

    return document_summary(path, records.DocumentRecord(path, record), claims).model_dump(exclude_defaults=True)


def _write_segment(store: str, segment: str, rows: list) -> None:
    """rows: _segment_row() of the documents of this segment."""
    pa = _pa()
    import pyarrow.parquet as pq

    rows.sort(key=lambda r: r[0])
    docs = pa.table({"path": [r[0] for r in rows], "sha256": [r[1] for r in rows],
                     "record": pa.array([r[2] for r in rows], type=pa.binary())})
    key_rows = sorted((k, r[0], info) for r in rows for k, info in r[3])
    keys = pa.table({"key": [k for k, _, _ in key_rows], "path": [p for _, p, _ in key_rows],
                     "info": [i for _, _, i in key_rows]})
    cols: dict[str, list] = {"path": [r[0] for r in rows for _ in r[4]]}
    for at, name in enumerate(_CLAIM_COLUMNS):
        cols[name] = [t[at] for r in rows for t in r[4]]
    cols["lo"] = pa.array([None if x is None else float(x) for x in cols["lo"]], type=pa.float64())
    cols["hi"] = pa.array([None if x is None else float(x) for x in cols["hi"]], type=pa.float64())
    claims_table = pa.table(cols)
    for suffix, table, group in (("claims", claims_table, 65536), ("keys", keys, KEY_ROWS_PER_GROUP),
                                 ("docs", docs, DOC_ROWS_PER_GROUP)):  # docs last: a segment is whole once it exists
        target = os.path.join(store, f"{segment}.{suffix}.parquet")
        tmp = target + ".tmp"
        pq.write_table(table, tmp, row_group_size=group, compression="zstd")
        os.replace(tmp, target)


def _compact(store: str, manifest: dict, entries: list[dict], entities: dict, config) -> dict:
    """Rewrite the live documents into as few segments as SEGMENT_DOCS allows (dropping the rows of
    replaced and deleted documents); the manifest then names only those."""
    live = [e for e in entries if e.get("ok") and e.get("seg")]
    if len(manifest["segments"]) <= max(1, math.ceil(len(live) / SEGMENT_DOCS)) \
            and not _has_dead_rows(store, manifest, live):
        return manifest
    writer = _SegmentWriter(store, manifest.get("next_segment", 1))
    for start in range(0, len(live), SEGMENT_DOCS):
        batch = live[start:start + SEGMENT_DOCS]
        for entry, record in zip(batch, _records_of(store, batch)):
            entry["seg"] = writer.add(entry["p"], record, _truncated(record, config), entities.get(entry["p"], []))
    writer.flush()
    manifest = dict(manifest, segments=writer.written, next_segment=writer.next_id)
    _publish(store, manifest, entries, entities)
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


def _sorted_lookup(path: str, column: str, wanted: Iterable[str], columns: list[str]) -> list[dict]:
    """Rows whose `column` (the file is sorted by it) is one of `wanted`, reading only the row groups
    whose min..max range can hold one of them, and turning into Python only the rows wanted."""
    wanted = sorted(set(wanted))
    if not wanted:
        return []
    pf, ranges = _parquet(path, column)
    groups = []
    for g, (lo, hi) in enumerate(ranges):
        if lo is None:
            groups.append(g)
            continue
        i = bisect.bisect_left(wanted, lo)
        if i < len(wanted) and wanted[i] <= hi:
            groups.append(g)
    if not groups:
        return []
    names = list(dict.fromkeys([column] + columns))
    table = pf.read_row_groups(groups, columns=names)
    keys = table.column(column).to_pylist()
    out = []
    for w in wanted:  # the file is sorted by `column`: each wanted value's rows are one run
        lo = bisect.bisect_left(keys, w)
        hi = bisect.bisect_right(keys, w, lo)
        if hi > lo:
            part = table.slice(lo, hi - lo)  # not pyarrow.compute filters: an arrow array of `wanted` imports pandas
            values = [part.column(name).to_pylist() for name in names]
            out.extend(dict(zip(names, row)) for row in zip(*values))
    return out


_OPENED: dict[tuple, tuple] = {}


def _parquet(path: str, column: str):
    """The open file and each row group's min..max of `column` ((None, None): no statistics), kept
    while the file is unchanged (a language server looks up the same store again and again)."""
    import pyarrow.parquet as pq

    st = os.stat(path)
    key = (path, column, st.st_size, st.st_mtime_ns)
    if key not in _OPENED:
        if len(_OPENED) > 256:
            _OPENED.clear()
        pf = pq.ParquetFile(path)
        col = pf.schema_arrow.get_field_index(column)
        ranges = []
        for g in range(pf.metadata.num_row_groups):
            stats = pf.metadata.row_group(g).column(col).statistics
            ranges.append((stats.min, stats.max) if stats is not None and stats.has_min_max else (None, None))
        _OPENED[key] = (pf, ranges)
    return _OPENED[key]


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


def _each_record(store: str, manifest: dict) -> Iterator[tuple[tuple[str, str], dict]]:
    """Every stored record, decoded, with its (segment, path); read a row group at a time and decoded
    one by one, so that neither the encoded nor the decoded records all sit in memory at once."""
    import pyarrow.parquet as pq

    for seg in manifest["segments"]:
        pf = pq.ParquetFile(os.path.join(store, f"{seg}.docs.parquet"))
        for g in range(pf.metadata.num_row_groups):
            table = pf.read_row_group(g, columns=["path", "record"])
            for p, blob in zip(table.column("path").to_pylist(), table.column("record").to_pylist()):
                try:
                    yield (seg, p), records.loads(blob)
                except records.RecordError as err:
                    raise StoreError(f"{store}: {p}: {err}: re-index") from None


def load_run(store: str, config):
    """Every document of the store, as collect() would have read them. The claims are a ClaimTable:
    written to a spool as they are read, a few bytes each in memory (an archive's claims as objects
    outweighed everything else the comparison holds)."""
    from checker.api import Run
    from checker.claimtable import ClaimTable, SpoolError
    from checker.executors import ExtractSettings, reload_document
    from checker.ingest import InputError

    _pa()
    manifest = read_manifest(store)
    settings = ExtractSettings.from_config(config)
    _check_current(store, manifest, settings)
    entries = sorted(read_documents(store), key=lambda e: e["p"])  # as collect() orders them
    run = Run()
    try:  # what compute_idf would work out from every claim, without the pass over them
        run.idf = _idf(_Stats.read(store, manifest))
    except StoreError:
        run.idf = None  # damaged statistics: the full check needs none, it works them out again
    live = [e for e in entries if e.get("ok")]
    slot = {(e["seg"], e["p"]): n for n, e in enumerate(live)}
    first = [0]  # each document's first claim: claims are numbered in order of path, as collect() numbers them
    for e in live:
        first.append(first[-1] + e["n"])
    try:
        table = ClaimTable(first[-1])
    except SpoolError as err:
        raise StoreError(_spool_advice(store, err, first[-1])) from None
    parts: list = [None] * len(live)
    try:
        with gc_paused():
            for key, record in _each_record(store, manifest):
                n = slot.get(key)
                if n is None:  # a row that compaction has not removed yet
                    continue
                path = key[1]
                rows = record["claims"]
                if config.max_claims and len(rows) > config.max_claims:
                    rows = rows[:config.max_claims]
                if len(rows) != live[n]["n"]:
                    raise StoreError(f"{store}: the record of {path} does not match the document list: re-index")
                table.add(first[n], n, rows)
                entities = record.get("entities")
                if entities is None or len(rows) != len(record["claims"]):  # worked out again (records.entities_of)
                    entities = records.entities_of(record, records.claims_from_record(record, n)[:len(rows)])
                parts[n] = (records.DocumentRecord(path, record, reload=partial(reload_document, path, settings),
                                                   spool=table),
                            entities, records.suppressions_from_record(record, path))
            table.finish()
            for e in entries:
                run.errors.extend(InputError(e["p"], r) for r in e["e"])
                if e.get("ok"):
                    part = parts[len(run.docs)]
                    if part is None:
                        raise StoreError(f"{store}: the record of {e['p']} is missing from {e['seg']}: re-index")
                    parts[len(run.docs)] = None
                    run.docs.append(part[0])
                    run.entities.append(part[1])
                    run.suppressions.extend(part[2])
                if e.get("s"):
                    run.summaries.append(DocumentSummary(**e["s"]))
    except SpoolError as err:
        table.close()
        raise StoreError(_spool_advice(store, err, first[-1])) from None
    except BaseException:
        table.close()
        raise
    run.claims = table
    return run


def _spool_advice(store: str, err: Exception, claims: int) -> str:
    return (f"{store}: {err}; the full check spools its claims to a temporary folder (about "
            f"{max(1, claims * 350 // 1_000_000):,} MB for {claims:,} claims): free some room there, or set "
            f"TMPDIR to a folder with room")


def _idf(stats: "_Stats", words: Optional[Iterable[str]] = None) -> dict[str, float]:
    """align's word weights (compute_idf) from the archive's statistics: for `words`, or every word."""
    n = stats.sentences
    if words is None:
        return idf_from_counts(n, stats.df)
    return {w: math.log(1 + n / d) for w in words if (d := stats.df.get(w, 0)) > 0}


# ---- a draft against the store ---------------------------------------------------------------------


class _Archive:
    """Look-ups in a store for one draft check: keys -> live documents, and their records."""

    def __init__(self, store: str, manifest: dict):
        self.store, self.manifest = store, manifest
        self.catalog: dict[str, dict] = {}   # path -> {"seq", "seg", "entities"} of live documents seen

    def rows(self, keys: Iterable[str], live: bool = True) -> list[dict]:
        """The live look-up rows (key, path, info) of these keys (rows of replaced or deleted documents,
        left in their old segments, are dead); live=False: all of them, unchecked (for candidates that
        are looked up again)."""
        keys = list(keys)
        found = []
        for seg in self.manifest["segments"]:
            for row in _sorted_lookup(os.path.join(self.store, f"{seg}.keys.parquet"), "key", keys, ["path", "info"]):
                found.append((seg, row))
        if not live:
            return [row for _, row in found]
        self._describe({row["path"] for _, row in found})
        return [row for seg, row in found if row["path"] in self.catalog and self.catalog[row["path"]]["seg"] == seg]

    def paths_with(self, keys: Iterable[str]) -> set[str]:
        """Live documents with any of these look-up keys."""
        return {row["path"] for row in self.rows(keys)}

    def _describe(self, paths: Iterable[str]) -> None:
        todo = [p for p in paths if p not in self.catalog]
        for row in _sorted_lookup(os.path.join(self.store, CATALOG), "path", todo, ["seq", "seg", "entities"]):
            self.catalog[row["path"]] = row

    def records(self, paths: Iterable[str]) -> dict[str, dict]:
        entries = [{"p": p, "seg": self.catalog[p]["seg"]} for p in paths]
        return dict(zip((e["p"] for e in entries), _records_of(self.store, entries)))


def check_draft(draft_paths: list[str], store: str, rules: list, config, draft_data: Optional[bytes] = None,
                strict_sources: bool = False):
    """The draft's findings against every document of the store: the findings, notes and totals that
    evaluate(..., draft_only=True) gives for the draft against all of them, reading only the documents
    alignment could pair with one of the draft's claims:

    - documents that share one of the draft's anchors (its most mentioned distinctive proper nouns):
      anchored blocks never hold another document;
    - documents with a plain blocking key of the draft that is small enough to be compared whole
      (archive-wide size from the manifest), and, for keys up to the cap, documents that cannot be
      placed in a story (no distinctive proper noun), which are compared on plain keys;
    - the same for the money blocks in which the draft states a single amount;
    - for names, every document with a spelling that could be the same person as one of the draft's
      (a shared spelling, or the same tokens but one), followed to a fixed point.

    The report lists the draft and the documents it was compared with; its totals count the store."""
    from checker import api
    from checker import draft as draft_mode
    from checker.api import Run, add_document, document_summary
    from checker.executors import ExtractSettings
    from checker.ingest import InputError

    _pa()
    manifest = read_manifest(store)
    settings = ExtractSettings.from_config(config)
    _check_current(store, manifest, settings)
    if config.report_unused_suppressions:
        raise StoreError("--report-unused-suppressions needs every source: use `check --store`, not --against-store")
    if draft_data is not None:
        draft_run = api.collect_bytes(draft_paths[0], draft_data, config)
    else:
        draft_run = api.collect(draft_paths, config)
    archive = _Archive(store, manifest)
    options = AlignOptions()
    # the archive's statistics with the draft counted as a document, and never as its own source
    stats = _Stats.read(store, manifest)
    total_docs, total_claims = manifest["documents"], manifest["claims"]
    draft_real = {os.path.realpath(d.path) for d in draft_run.docs}
    own = archive.paths_with("real" + KEY_SEP + r for r in draft_real)
    for record in archive.records(sorted(own)).values():
        stats.add(record, config, -1)
        total_docs -= 1
        total_claims -= len(_truncated(record, config))
    per_draft = [[c for c in draft_run.claims if c.doc == d] for d in range(len(draft_run.docs))]
    draft_keys = [block_sizes(claims, options) for claims in per_draft]
    for claims, ents, sizes in zip(per_draft, draft_run.entities, draft_keys):
        n, df = word_counts(claims, ents)
        stats.sentences += n
        stats.df.update(df)
        stats.sizes.update(sizes)
    n_docs = total_docs + len(draft_run.docs)
    cap = max(10, int(n_docs ** 0.5))

    def distinctive(doc_entities):  # align.distinctive over the whole archive
        return [[e for e in ents if stats.df.get(ENTITY + e, 0) <= cap] for ents in doc_entities]

    # the documents alignment can pair with a claim of the draft
    anchors = [ents[:options.anchors] for ents in distinctive(draft_run.entities)]
    keys = {"ent" + KEY_SEP + e for a in anchors for e in a}
    wide = set()  # compared only where one side cannot be placed in a story
    for sizes in draft_keys:
        for key in sizes:
            size = stats.sizes.get(key, 0)
            if size <= options.small_block:
                keys.add(key)
            elif size <= options.max_block:
                wide.add(key)
    wanted = archive.paths_with(keys) - own
    if wide:
        reach = archive.paths_with(wide) - own - wanted
        if all(anchors):  # a placed draft meets, on these keys, only documents that cannot be placed
            reach = {p for p in reach if not distinctive([archive.catalog[p]["entities"]])[0]}
        wanted |= reach
    loaded = archive.records(sorted(wanted))
    variant_rule = next((r for r in rules if r.check == "variant"), None)
    if variant_rule is not None:
        people = _people(archive, draft_run, variant_rule, config, distinctive, own)
        loaded.update(archive.records(sorted(people - set(loaded))))
    sources = Run()
    for path in sorted(loaded, key=lambda p: archive.catalog[p]["seq"]):
        claims, doc = add_document(sources, path, loaded[path], config, settings)
        sources.summaries.append(document_summary(path, doc, claims))
    for e in manifest["problems"]:
        if e.get("r") and e["r"] in draft_real:
            continue
        sources.errors.extend(InputError(e["p"], r) for r in e["e"])
        if not e.get("ok") and e.get("s"):
            sources.summaries.append(DocumentSummary(**e["s"]))
    run = draft_mode.merge_runs(draft_run, sources)
    idf = _idf(stats, {w for c in run.claims for w in records.context_of(c).get("words", {})})
    aligner = partial(align, idf=idf, entity_filter=distinctive, sizes=stats.sizes)
    report = api.evaluate(run, rules, config, strict_sources=strict_sources, draft_only=True, aligner=aligner,
                          entity_filter=distinctive)
    report.summary.documents = n_docs
    report.summary.claims = total_claims + len(draft_run.claims)
    return report


def _people(archive: "_Archive", draft_run, rule, config, distinctive, own: set[str]) -> set[str]:
    """The documents of every spelling that may be one person with a spelling of the draft, to a fixed
    point. The look-up rows say which spelling, roles and tokenizations each document has, and the
    catalog its proper nouns, so the conditions of primitives.variant are checked before a record is
    read: one token apart (a small edit, same first letter), never in one document, a role or an
    organisation shared (require_same_role), documents of one story (meet); the house style links
    its listed spellings. Tokens and story are checked on what every tokenization has in common, so
    no spelling variant() would link is left out."""
    from checker.checks.primitives import meet, one_token_apart

    same_role = bool(rule.options.get("require_same_role", True))
    max_dist = int(rule.options.get("max_edit_distance", 2))
    min_len = int(rule.options.get("min_token_length", 4))
    house = _house_style(config)
    quals: dict[str, set[str]] = {}
    toks: dict[str, set[str]] = {}
    docs: dict[str, set[str]] = {}
    stories: dict[str, frozenset] = {}  # document -> its distinctive proper nouns
    for d, ents in enumerate(distinctive(draft_run.entities)):
        stories["\x00draft%d" % d] = frozenset(ents)
    for c in draft_run.claims:
        if c.kind == "name" and not c.suppressed:
            quals.setdefault(c.value.display, set()).update(_quals(c))
            toks.setdefault(c.value.display, set()).add(" ".join(records.context_of(c).get("tokens", ())))
            docs.setdefault(c.value.display, set()).add("\x00draft%d" % c.doc)

    def describe(spellings: set[str]) -> None:  # every document of these spellings, and what each says
        for row in archive.rows("name" + KEY_SEP + sp for sp in spellings):
            if row["path"] in own:
                continue
            sp, q, t = _parse_info(row["info"])
            docs.setdefault(sp, set()).add(row["path"])
            quals.setdefault(sp, set()).update(q)
            toks.setdefault(sp, set()).update(t)
            if row["path"] not in stories:
                stories[row["path"]] = frozenset(distinctive([archive.catalog[row["path"]]["entities"]])[0])

    def common(sp: str) -> set[str]:
        return set.intersection(*(set(t.split()) for t in toks[sp]))

    def could_link(a: str, b: str) -> bool:
        if same_role and not quals.get(a, set()) & quals.get(b, set()):
            return False
        if docs.get(a, set()) & docs.get(b, set()):
            return False
        if not any(one_token_apart(x.split(), y.split(), max_dist, min_len) for x in toks[a] for y in toks[b]):
            return False
        return meet(docs[a], docs[b], stories, common(a) | common(b))

    todo = set(quals) | {h for sp in quals for h in house.get(sp, ())}
    done: set[str] = set()
    while todo - done:
        batch = todo - done
        done |= batch
        describe(batch - set(docs))
        owners: dict[str, set[str]] = {}  # masked key -> the batch's spellings that have it
        for sp in batch:
            for t in toks.get(sp, ()):
                for m in _masks(t.split()):
                    owners.setdefault(m, set()).add(sp)
        candidates: dict[str, set[str]] = {}
        seen: dict[str, set[str]] = {}  # a candidate's tokenizations that have one of the masks
        for row in archive.rows(("mask" + KEY_SEP + m for m in owners), live=False):  # describe() checks
            sp, _, t = _parse_info(row["info"])
            if sp not in done and row["path"] not in own:
                candidates.setdefault(sp, set()).update(owners[row["key"].split(KEY_SEP, 1)[1]])
                seen.setdefault(sp, set()).update(t)
        # variant compares each spelling's first tokenization, which has the shared mask: a candidate
        # none of whose tokenizations seen here is one token from a partner's is nobody's variant
        candidates = {sp: partners for sp, partners in candidates.items()
                      if any(one_token_apart(x.split(), y.split(), max_dist, min_len)
                             for x in seen[sp] for a in partners for y in toks.get(a, ()))}
        describe(set(candidates) - set(docs))
        for sp, partners in candidates.items():
            if sp in docs and any(could_link(sp, a) for a in partners if a in toks):
                todo.add(sp)
                todo.update(house.get(sp, ()))
    return {p for sp in done for p in docs.get(sp, ()) if not p.startswith("\x00")}


def _house_style(config) -> dict[str, set[str]]:
    """For each spelling the house style lists (as a name key), every spelling of that person."""
    from checker.normalize.names import name_key

    out: dict[str, set[str]] = {}
    for entry in config.names or []:
        spellings = {name_key(s) for s in [entry["canonical"], *entry.get("aliases", [])]}
        for s in spellings:
            out[s] = spellings
    return out
