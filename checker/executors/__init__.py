"""How extraction work is spread: one small interface, one module per engine.

    map_documents(paths, settings, jobs, ahead) -> iterator of Result, in the order of `paths`
    (ahead: the caller does other work before it reads the first result; an engine may start early)

The unit of work is `process_document(path, settings)`: read the file, then either take its claim
record from the cache or ingest and extract it. Apart from reading the file and the cache it is a
pure function of (the file's bytes, settings), so any engine may run it anywhere: `local` uses a
process pool; a Dask engine would be one more module with the same `map_documents`.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import marshal
import os
import time
from dataclasses import dataclass, field
from typing import Iterator, Optional, Sequence

from checker import records


@dataclass(frozen=True, slots=True)
class ExtractSettings:
    """Everything that changes what extraction returns for a file, plus where the cache lives."""

    day_first: bool = False
    max_claims: int = 20_000
    reference_date: Optional[dt.date] = None
    max_file_size: int = 50_000_000
    cache_dir: Optional[str] = None      # None: no cache
    code_version: str = ""               # filled by from_config (checker.cache.code_version)

    @classmethod
    def from_config(cls, config) -> "ExtractSettings":
        from checker.cache import code_version

        cache_dir = os.path.abspath(config.cache_dir) if config.cache else None
        return cls(day_first=config.day_first, max_claims=config.max_claims, reference_date=config.reference_date,
                   max_file_size=config.max_file_size, cache_dir=cache_dir, code_version=code_version())

    def key(self, suffix: str) -> str:
        """What a cache entry depends on besides the bytes (max_file_size only decides whether to read)."""
        return (f"suffix={suffix}|day_first={self.day_first}|max_claims={self.max_claims}|"
                f"reference_date={self.reference_date}|{self.code_version}")


@dataclass(slots=True)
class Result:
    path: str
    blob: Optional[bytes]                # records.dumps(record); None when an error record could not be ...
    record: Optional[dict] = None        # ... or when the record holds something marshal cannot write
    cached: bool = False
    seconds: dict = field(default_factory=dict)   # read / ingest / extract, in this worker (wall clock)
    size: int = 0
    cpu: float = 0.0                     # CPU seconds this worker spent on the file
    settings: Optional[ExtractSettings] = None    # cached results: to extract again if the entry is damaged
    stat: Optional[tuple] = None         # ingest.signature() of the file, taken before it was read

    def load(self) -> dict:
        """The record. A cache entry that turns out damaged is a miss: extract again (and rewrite it)."""
        if self.record is not None:
            return self.record
        try:
            return records.loads(self.blob)
        except records.RecordError:
            if not self.cached or self.settings is None:
                raise
            fresh = process_document(self.path, self.settings, reuse=False)
            self.blob, self.record, self.cached = fresh.blob, fresh.record, False
            for stage, seconds in fresh.seconds.items():
                self.seconds[stage] = self.seconds.get(stage, 0.0) + seconds
            self.cpu += fresh.cpu
            return fresh.load()


def process_document(path: str, settings: ExtractSettings, reuse: bool = True) -> Result:
    """Read one file and return its claim record (from the cache when it holds one and `reuse`)."""
    cpu = time.process_time()
    result = _process(path, settings, reuse)
    result.cpu = time.process_time() - cpu
    return result


def _process(path: str, settings: ExtractSettings, reuse: bool) -> Result:
    from checker.extract import ExtractOptions, entity_keys, extract
    from checker.ingest import InputError, load, read_with_stat
    from checker.suppress import find_suppressions

    t0 = time.perf_counter()
    data, sig = read_with_stat(path, settings.max_file_size)
    t1 = time.perf_counter()
    if isinstance(data, InputError):
        return _error(path, data.reason, None, {"read": t1 - t0})
    sha = hashlib.sha256(data).hexdigest()
    cache = key = None
    if settings.cache_dir:
        from checker.cache import entry_key, open_cache

        cache = open_cache(settings.cache_dir)
        key = entry_key(sha, settings.key(os.path.splitext(path)[1].lower()))
        blob = cache.get(key) if reuse else None
        if blob is not None:
            return Result(path, blob, cached=True, seconds={"read": time.perf_counter() - t0}, size=len(data),
                          settings=settings, stat=sig)
    seconds = {"read": t1 - t0}
    derived = _derived_prefilters(settings)
    try:
        doc = load(path, data=data, reference_date=settings.reference_date, max_bytes=settings.max_file_size)
        t2 = time.perf_counter()
        seconds["ingest"] = t2 - t1
        if isinstance(doc, InputError):
            return _error(path, doc.reason, sha, seconds, len(data))
        options = ExtractOptions(day_first=settings.day_first, max_claims=settings.max_claims)
        claims = extract(doc, options)[0]
        record = records.document_record(doc, claims, sha, find_suppressions(path, doc.raw), entity_keys(claims))
        seconds["extract"] = time.perf_counter() - t2
    except Exception as err:  # a bug on one odd file must not cost the user the other files
        return _error(path, f"claimcheck failed on this file ({type(err).__name__}: {str(err)[:200]}); "
                            f"please report it", sha, seconds, len(data))
    if derived is not None:
        derived.keep()
    try:
        blob = records.dumps(record)
    except ValueError:  # an extractor put something marshal cannot write into a claim: send it as is
        return Result(path, None, record=record, seconds=seconds, size=len(data), stat=sig)
    if cache is not None:
        cache.put(key, blob)
    return Result(path, blob, seconds=seconds, size=len(data), stat=sig)


class _Derived:
    """The prefilters' derived start regexes (extract.prefilter.DERIVED), kept in the cache folder per
    code version: read once per process before its first extraction, written when it has more."""

    def __init__(self, path: str):
        from checker.extract import prefilter

        self.path, self.table = path, prefilter.DERIVED
        try:
            with open(path, "rb") as fh:
                blob = fh.read()
            digest, body = blob[:32], blob[32:]
            kept = marshal.loads(body) if hashlib.sha256(body).digest() == digest else None
            if type(kept) is dict:  # a damaged or foreign file is ignored: the regexes are derived again
                for key, regex in kept.items():
                    self.table.setdefault(key, regex)
        except (OSError, EOFError, ValueError, TypeError):
            pass
        self.known = len(self.table)

    def keep(self) -> None:
        if len(self.table) > self.known:
            from checker.atomic import write_atomic

            folder = os.path.dirname(self.path)
            try:
                os.makedirs(folder, exist_ok=True)
                body = marshal.dumps(dict(self.table), 4)
                write_atomic(self.path, hashlib.sha256(body).digest() + body, prefix=".tmp-")
                for name in os.listdir(folder):  # another code version's: no run of this one reads it
                    if name.startswith("prefilters-") and name != os.path.basename(self.path):
                        os.unlink(os.path.join(folder, name))
            except (OSError, ValueError):
                pass
            self.known = len(self.table)


_DERIVED: dict[str, _Derived] = {}


def _derived_prefilters(settings: ExtractSettings) -> Optional[_Derived]:
    if not settings.cache_dir:
        return None
    path = os.path.join(settings.cache_dir, f"prefilters-{hashlib.sha256(settings.code_version.encode()).hexdigest()[:16]}")
    if path not in _DERIVED:
        _DERIVED[path] = _Derived(path)
    return _DERIVED[path]


def reload_document(path: str, settings: ExtractSettings):
    """The whole Document again, for the rare reader that needs more than the record keeps. The file
    may have changed since it was extracted; then this is its current content."""
    from checker.ingest import load

    return load(path, reference_date=settings.reference_date, max_bytes=settings.max_file_size)


def _error(path: str, reason: str, sha: Optional[str], seconds: dict, size: int = 0) -> Result:
    return Result(path, None, record=records.error_record(reason, sha), seconds=seconds, size=size)


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def map_documents(paths: Sequence[str], settings: ExtractSettings, jobs: Optional[int] = None,
                  engine: str = "local", ahead: bool = False) -> Iterator[Result]:
    """process_document over every path, spread by `engine`; results come back in input order.
    `ahead`: the caller does other work before it reads the first result (the local engine starts a
    few files' extraction at once)."""
    module = importlib.import_module(f"checker.executors.{engine}")
    return module.map_documents(list(paths), settings, jobs or default_jobs(), ahead=ahead)
