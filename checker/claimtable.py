"""A run's claims kept on disk: what the full check of a claims store holds instead of a Claim object
per claim.

A 200,000-document archive has 2.4 million claims; as objects they weighed 1 KB each in the process
that holds the run, though most are read twice at most: once by the comparison of their unit block
(in a worker) and, for about half of them, once more by the rules and the evidence of the groups
they end up in. So the run writes each claim, as it is read from the store, to a spool file next to
the others of its unit block, in chunks of CHUNK_ROWS marshalled rows (the rows a comparison worker
receives: compare.block_rows' format), and keeps only a few bytes per claim in memory: its document,
its kind and the chunk that holds it.

    ClaimTable          reads like the run's list of claims (len, [i], iteration), and also
      .unit_blocks()    align's unit blocks, known as the claims were written
      .block_task(ub)   a comparison task that names the block's chunks: the worker reads them itself
      .unpacked(ids)    the claims of a block, contexts unpacked (a comparison in this process)
      .doc_of, .months(), .kind_of(i)   what link() needs of every claim
      .materialize(ids) the claims the rules will read, kept in memory until .release()
      .of_kind(kind)    (index, claim) of every claim of a kind, in order (the name rule's pass)

The spool lives in a temporary folder that is removed when the table is closed, collected or the
process exits.
"""
from __future__ import annotations

import marshal
import os
import shutil
import tempfile
import weakref
from array import array
from collections import OrderedDict
from typing import Iterable, Iterator, Optional

from checker.models import Claim, Value
from checker.records import CLAIM_FIELDS, VALUE_FIELDS

assert CLAIM_FIELDS == ("kind", "start", "end", "text", "value", "sentence", "context", "suppressed")
_UNIT, _INVALID, _ZONE = (VALUE_FIELDS.index(f) for f in ("unit", "invalid", "zone"))
CHUNK_ROWS = 512        # claims per chunk: what one look-up outside the kept claims decodes
CACHED_CHUNKS = 64      # decoded chunks kept for look-ups outside the kept claims


class SpoolError(OSError):
    """The spool could not be written (no room, no permission): the message names the folder."""


class _Stream:
    """The claims of one unit block (or, for claims in none, of one kind), as they are written."""

    __slots__ = ("rows", "shared", "chunk", "chunks", "ids", "kinds")

    def __init__(self) -> None:
        self.rows: list[tuple] = []
        self.shared: dict = {}                 # equal values and packed contexts of a chunk: one object (marshal refs)
        self.chunk = -1                        # the chunk the pending rows will be
        self.chunks: list[int] = []
        self.ids = array("i")
        self.kinds: set[str] = set()


class ClaimTable:
    def __init__(self, size: int, spool_dir: Optional[str] = None):
        where = spool_dir or tempfile.gettempdir()
        try:
            self._dir = tempfile.mkdtemp(prefix="claimcheck-claims-", dir=where)
        except OSError as err:
            raise SpoolError(f"cannot make a claims spool in {where}: {err.strerror or err}") from None
        self._finalizer = weakref.finalize(self, shutil.rmtree, self._dir, True)
        self.path = os.path.join(self._dir, "claims.spool")
        self._out = open(self.path, "wb")
        self._size = size
        self.doc_of = array("i", bytes(4 * size))
        self._chunk_of = array("i", bytes(4 * size))
        self._kind_code = array("B", bytes(size))
        self._value_hash = array("q", bytes(8 * size))  # hash of each claim's value (every field)
        self._kinds: list[str] = []
        self._kind_codes: dict[str, int] = {}
        self._streams: dict[str, _Stream] = {}
        self._at = array("q")     # chunk -> offset in the spool
        self._length = array("q")  # chunk -> bytes
        self._months: dict[int, int] = {}
        self._written = 0
        self._fd: Optional[int] = None
        self._cache: "OrderedDict[int, dict[int, Claim]]" = OrderedDict()
        self._live: dict[int, Claim] = {}
        self._blocks: Optional[dict[str, array]] = None

    # ---- writing ---------------------------------------------------------------------------------

    def add(self, first: int, doc: int, rows) -> None:
        """One document's claims in their record form (records: the fields of a Claim but `doc`), as
        claims first, first + 1, ... of document `doc`. Contexts are spooled packed, equal ones of a
        chunk written once: a worker that reads a block unpacks them into one dict (claims_of)."""
        from checker.align import unit_block_of

        dumps = marshal.dumps
        streams = self._streams
        for k, (kind, start, end, text, vt, sentence, ctx, suppressed) in enumerate(rows):
            i = first + k
            if k == 0:  # the month of publication is the document's: every claim of it has the same
                month = (ctx if type(ctx) is dict else marshal.loads(ctx)).get("month")
                if month is not None:
                    self._months[doc] = month
            ub = None if suppressed else unit_block_of(kind, vt[_UNIT], vt[_INVALID], vt[_ZONE])
            name = ub if ub is not None else "\x00" + kind
            stream = streams.get(name)
            if stream is None:
                stream = streams[name] = _Stream()
            if stream.chunk < 0:
                stream.chunk = len(self._at)
                self._at.append(-1)
                self._length.append(0)
            shared = stream.shared
            if type(ctx) is dict:
                ctx = dumps(ctx, 4)
                ctx = shared.setdefault(ctx, ctx)
            if ub is not None:
                stream.ids.append(i)
            vt = shared.setdefault(vt, vt)
            self._value_hash[i] = hash(vt)
            stream.rows.append((i, kind, start, end, text, vt, doc, sentence, ctx, suppressed))
            stream.kinds.add(kind)
            self.doc_of[i] = doc
            self._chunk_of[i] = stream.chunk
            code = self._kind_codes.get(kind)
            if code is None:
                code = self._kind_codes[kind] = len(self._kinds)
                self._kinds.append(kind)
            self._kind_code[i] = code
            if len(stream.rows) >= CHUNK_ROWS:
                self._flush(stream)

    def put(self, blob: bytes) -> tuple[int, int]:
        """Spool a blob (while the table is written); get() reads it back."""
        at = self._written
        self._write(blob)
        return at, len(blob)

    def _write(self, blob: bytes) -> None:
        try:
            self._out.write(blob)
        except OSError as err:
            raise SpoolError(f"cannot write the claims spool in {os.path.dirname(self._dir)}: "
                             f"{err.strerror or err}") from None
        self._written += len(blob)

    def get(self, place: tuple[int, int]) -> bytes:
        return os.pread(self._fd, place[1], place[0])

    def _flush(self, stream: _Stream) -> None:
        blob = marshal.dumps(stream.rows, 4)
        self._at[stream.chunk] = self._written
        self._length[stream.chunk] = len(blob)
        self._write(blob)
        stream.chunks.append(stream.chunk)
        stream.rows, stream.shared, stream.chunk = [], {}, -1

    def finish(self) -> "ClaimTable":
        """Write what is pending; the table is read-only from here."""
        for stream in self._streams.values():
            if stream.rows:
                self._flush(stream)
        try:
            self._out.close()
        except OSError as err:
            raise SpoolError(f"cannot write the claims spool in {os.path.dirname(self._dir)}: "
                             f"{err.strerror or err}") from None
        self._fd = os.open(self.path, os.O_RDONLY)
        self._blocks = {}
        for name, stream in self._streams.items():
            if stream.ids:
                ids = stream.ids
                if any(ids[k] > ids[k + 1] for k in range(len(ids) - 1)):  # documents came out of order
                    ids = array("i", sorted(ids))
                self._blocks[name] = ids
            stream.ids = array("i")
        return self

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        if not self._out.closed:
            self._out.close()
        self._live.clear()
        self._cache.clear()
        self._finalizer()

    # ---- what align needs ------------------------------------------------------------------------

    def unit_blocks(self) -> dict[str, array]:
        """align.unit_blocks(): claim indices by unit block, ascending (suppressed claims in none)."""
        return dict(self._blocks)

    def months(self) -> dict[int, int]:
        """align.publication_months() of the whole run."""
        return self._months

    def may_differ(self, ids: Iterable[int]) -> bool:
        """Whether the claims `ids` may state more than one value: False when every field of their
        values hashes the same (a group the conflict rules need not read)."""
        it = iter(ids)
        first = self._value_hash[next(it)]
        return any(self._value_hash[i] != first for i in it)

    def kind_of(self, i: int) -> str:
        return self._kinds[self._kind_code[i]]

    def block_task(self, ub: str) -> tuple:
        """compare.compare_block's task for unit block `ub`: the worker reads its chunks from the spool."""
        chunks = self._streams[ub].chunks
        return ub, None, (self.path, [(self._at[k], self._length[k]) for k in chunks])

    def unpacked(self, ids: Iterable[int]) -> dict[int, Claim]:
        """records.unpacked(): the claims `ids`, contexts unpacked, equal contexts one dict."""
        ids = list(ids)
        wanted = set(ids)
        out: dict[int, Claim] = {}
        memo: dict[bytes, dict] = {}
        for chunk in sorted({self._chunk_of[i] for i in ids}):
            out.update((i, c) for i, c in claims_of(self._rows(chunk), True, memo).items() if i in wanted)
        return {i: out[i] for i in ids}

    # ---- reading claims --------------------------------------------------------------------------

    def __len__(self) -> int:
        return self._size

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(self._size))]
        if i < 0:
            i += self._size
        if not 0 <= i < self._size:
            raise IndexError("claim index out of range")
        c = self._live.get(i)
        if c is not None:
            return c
        chunk = self._chunk_of[i]
        claims = self._cache.get(chunk)
        if claims is None:
            claims = claims_of(self._rows(chunk), False)
            self._cache[chunk] = claims
            if len(self._cache) > CACHED_CHUNKS:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(chunk)
        return claims[i]

    def __iter__(self) -> Iterator[Claim]:
        for i in range(self._size):
            yield self[i]

    def materialize(self, ids: Iterable[int]) -> None:
        """Keep the claims `ids` in memory (contexts packed), read in one pass over their chunks."""
        wanted = {i for i in ids if i not in self._live}
        dumps = marshal.dumps
        for chunk in sorted({self._chunk_of[i] for i in wanted}):
            packed: dict[int, bytes] = {}
            for i, c in claims_of(self._rows(chunk), False).items():
                if i in wanted:
                    ctx = c.context
                    if type(ctx) is dict:  # packed, as a run keeps contexts (records.context_of reads them)
                        c.context = packed.get(id(ctx)) or packed.setdefault(id(ctx), dumps(ctx, 4))
                    self._live[i] = c

    def of_kind(self, kind: str) -> Iterator[tuple[int, Claim]]:
        """(index, claim) of every claim of `kind`, a chunk at a time (not in order of index); nothing
        is kept."""
        for stream in self._streams.values():
            if kind in stream.kinds:
                for chunk in stream.chunks:
                    for i, c in claims_of(self._rows(chunk), False).items():
                        if c.kind == kind:
                            yield i, c

    def release(self, keep: Iterable[int] = ()) -> None:
        """Let go of the kept claims but `keep`."""
        keep = set(keep)
        self._live = {i: c for i, c in self._live.items() if i in keep}

    def _rows(self, chunk: int) -> list[tuple]:
        return marshal.loads(self.get((self._at[chunk], self._length[chunk])))


def read_chunks(path: str, places: list[tuple[int, int]]) -> Iterator[list[tuple]]:
    """The rows of the spool's chunks at `places` ((offset, length), ...): what a worker reads."""
    fd = os.open(path, os.O_RDONLY)
    try:
        for at, length in places:
            yield marshal.loads(os.pread(fd, length, at))
    finally:
        os.close(fd)


def claims_of(rows: list[tuple], unpack: bool, contexts: Optional[dict] = None) -> dict[int, Claim]:
    """{claim index: claim} of spool rows (compare.block_rows' format), equal values one object; with
    `unpack`, contexts unpacked, equal packed contexts one dict: those of `rows` (the same object),
    and with `contexts` ({packed: unpacked}, kept by the caller across calls) any equal ones."""
    values: dict[int, Value] = {}
    by_id: dict[int, dict] = {}  # `rows` stays alive meanwhile: identities are not reused
    out = {}
    for i, kind, start, end, text, vt, doc, sentence, ctx, suppressed in rows:
        value = values.get(id(vt))
        if value is None:
            value = values[id(vt)] = Value(*vt)
        if unpack and type(ctx) is bytes:
            d = by_id.get(id(ctx))
            if d is None:
                if contexts is None:
                    d = marshal.loads(ctx)
                else:
                    d = contexts.get(ctx)
                    if d is None:
                        d = contexts[ctx] = marshal.loads(ctx)
                by_id[id(ctx)] = d
            ctx = d
        out[i] = Claim(kind, start, end, text, value, doc, sentence, ctx, suppressed)
    return out
