"""The claim record: one compact, versioned form of what extraction found in one document.

The extraction cache stores it, the executors send it between processes, and a run keeps only what
it holds (never the document's text). One schema, made of plain builtin values (tuples, lists, dicts,
strings, numbers, frozensets), serialised with `marshal` like Python's own __pycache__ files: fast in
both directions, exact for floats (infinity included), ints and tuples.

    document record (dict):
      format        FORMAT_VERSION
      error         None, or why the file could not be checked (then nothing else is set)
      sha256        of the file's bytes
      reference_date, reference_source, notes
      line_starts   raw offsets at which lines start (array 'q' as bytes)
      offset_map    None, or text->raw segments flattened (array 'q' as bytes): HTML only
      sentences     the sentences that hold a claim, compressed (a run keeps them for every document):
                    (spans: array 'q' [start, end, ...] as bytes, lengths: array 'q' of their lengths
                    in characters as bytes, zlib of their UTF-8 text, one after the other)
      suppressions  ((field values of checker.suppress.Suppression but the path), ...)
      claims        (claim, ...): the fields of models.Claim but `doc`, in declaration order, with
                    the value as the fields of models.Value in declaration order
      entities      extract.entity_keys(claims) (optional: readers compute it when absent)
"""
from __future__ import annotations

import datetime as dt
import marshal
import sys
import zlib
from array import array
from bisect import bisect_right
from collections import OrderedDict
from itertools import accumulate
from dataclasses import fields
from typing import Iterable, Optional

from checker.models import Claim, Document, Value

FORMAT_VERSION = 2
MAGIC = b"CCREC" + bytes([FORMAT_VERSION])
VALUE_FIELDS = tuple(f.name for f in fields(Value))
CLAIM_FIELDS = tuple(f.name for f in fields(Claim) if f.name != "doc")
_VALUE_AT = CLAIM_FIELDS.index("value")
_DOC_AT = tuple(f.name for f in fields(Claim)).index("doc")


class RecordError(ValueError):
    """A blob that is not a record of this version (truncated, foreign or from another format)."""


# ---- building (in the worker) -------------------------------------------------------------------


def document_record(doc: Document, claims: list[Claim], sha256: str, suppressions: list = (),
                    entities: list = ()) -> dict:
    """The record of one read document and its claims (all of them: limits are applied by the run)."""
    memo: dict = {}
    if doc._line_starts is None:
        doc.line_col(0)  # Document computes its own line starts: the record keeps exactly those
    spans = sorted({c.sentence for c in claims if c.sentence[1] > c.sentence[0]})
    texts = [doc.text[s0:s1] for s0, s1 in spans]
    sentences = (array("q", [x for span in spans for x in span]).tobytes(),
                 array("q", [len(t) for t in texts]).tobytes(),
                 zlib.compress("".join(texts).encode("utf-8", "surrogatepass")))
    return {
        "format": FORMAT_VERSION,
        "error": None,
        "sha256": sha256,
        "reference_date": doc.reference_date.isoformat() if doc.reference_date else None,
        "reference_source": doc.reference_source,
        "notes": tuple(doc.notes),
        "line_starts": array("q", doc._line_starts).tobytes(),
        "offset_map": (array("q", [x for seg in doc.offset_map for x in seg]).tobytes()
                       if doc.offset_map is not None else None),
        "sentences": sentences,
        "suppressions": tuple(_suppression_fields(s) for s in suppressions),
        "claims": tuple(_claim_tuple(c, memo) for c in claims),
        "entities": [sys.intern(e) for e in entities],  # extract.entity_keys(claims): what story it tells
    }


def error_record(reason: str, sha256: Optional[str] = None) -> dict:
    return {"format": FORMAT_VERSION, "error": reason, "sha256": sha256}


def _claim_tuple(c: Claim, memo: dict, intern=sys.intern) -> tuple:
    out = []
    for name in CLAIM_FIELDS:
        v = getattr(c, name)
        if name == "value":
            vals = []
            for f in VALUE_FIELDS:  # atoms, mostly: strings and floats without a detour
                x = getattr(v, f)
                tx = type(x)
                if tx is str:
                    x = intern(x)
                elif tx is float:
                    if x and x == x:
                        x = memo.setdefault(("f", x), x)
                elif tx is not bool and tx is not int and x is not None:
                    x = _compact(x, memo)
                vals.append(x)
            v = tuple(vals)
        elif type(v) is str:
            v = intern(v)
        elif type(v) is not int and type(v) is not bool:
            v = _compact(v, memo)
        out.append(v)
    return tuple(out)


def _compact(obj, memo: dict):
    """Intern strings and share equal containers, so that the record (and a run that loads it) holds
    each word once: a fifth less memory per claim. marshal keeps interning and sharing. Nothing
    mutates a claim after extraction."""
    return _compacted(obj, memo)[0]


def _compacted(obj, memo: dict, intern=sys.intern) -> tuple:
    """(compacted object, key): equal keys only for objects of equal types and values; None: unshared.

    The atoms of a claim's context (strings, flags, words in lists) are handled where they are met,
    not by a call each: a record has a dozen of them per claim."""
    t = type(obj)
    if t is str:
        obj = intern(obj)
        return obj, obj
    if t is float:
        if obj == 0.0 or obj != obj:  # -0.0 == 0.0 and nan != nan: leave these alone
            return obj, None
        key = ("f", obj)
        return memo.setdefault(key, obj), key
    if t is bool or t is int or obj is None:
        return obj, (t.__name__, obj)
    if t is dict:
        if all(type(v) is float for v in obj.values()) and all(type(k) is str for k in obj):
            # word weights: dicts of them are hardly ever equal, so they are not looked up
            return {intern(k): (memo.setdefault(("f", v), v) if v and v == v else v) for k, v in obj.items()}, None
        d = {}
        parts = []
        for k, v in obj.items():
            if type(k) is str:
                k = kk = intern(k)
            else:
                k, kk = _compacted(k, memo)
            tv = type(v)
            if tv is str:
                v = vk = intern(v)
            elif tv is bool or tv is int or v is None:
                vk = (tv.__name__, v)
            else:
                v, vk = _compacted(v, memo)
            d[k] = v
            parts.append((kk, vk) if kk is not None and vk is not None else None)
        return _share(d, "d", parts, memo)
    if t is list or t is tuple:
        if all(type(x) is str for x in obj):  # words: each is its own key
            items = [intern(x) for x in obj]
            return _share(items if t is list else tuple(items), t.__name__, items, memo)
        if all(type(x) is int for x in obj):  # spans
            return _share(list(obj) if t is list else obj, t.__name__, [("int", x) for x in obj], memo)
        pairs = [_compacted(x, memo) for x in obj]
        items = [x for x, _ in pairs] if t is list else tuple(x for x, _ in pairs)
        return _share(items, t.__name__, [k for _, k in pairs], memo)
    return obj, None


def _share(obj, tag: str, parts: list, memo: dict) -> tuple:
    if None in parts:
        return obj, None
    key = (tag, tuple(parts))
    return memo.setdefault(key, obj), key


def _suppression_fields(s) -> tuple:
    return tuple(getattr(s, f.name) for f in fields(s) if f.name != "path")


# ---- bytes ---------------------------------------------------------------------------------------


def dumps(record: dict) -> bytes:
    return MAGIC + marshal.dumps(record, 4)


def loads(blob: bytes) -> dict:
    if not blob.startswith(MAGIC):
        raise RecordError("not a claim record of this format")
    try:
        record = marshal.loads(memoryview(blob)[len(MAGIC):])
    except (EOFError, ValueError, TypeError) as err:
        raise RecordError(f"damaged claim record: {err}") from None
    if type(record) is not dict or record.get("format") != FORMAT_VERSION:
        raise RecordError("not a claim record of this format")
    return record


# ---- reading (in the run) ------------------------------------------------------------------------


def claims_from_record(record: dict, doc_index: int, shared: Optional[dict] = None) -> list[Claim]:
    return claims_from_tuples(((doc_index, rec) for rec in record["claims"]), shared)


def claim_tuples(claims: list[Claim]) -> tuple:
    """Claims of a whole run as plain values (the record's claim form plus the document index), for
    marshal: how the Dask engine ships a run's claims to its workers."""
    memo: dict = {}
    return tuple((c.doc, _claim_tuple(c, memo)) for c in claims)


def claims_from_tuples(rows, shared: Optional[dict] = None) -> list[Claim]:
    """Claims from their record form. `shared`: a memo kept across the documents of a run, so that
    equal values are one object (claims are not changed after extraction)."""
    out = []
    for doc, rec in rows:
        vals = list(rec)
        v = vals[_VALUE_AT]
        if shared is None:
            vals[_VALUE_AT] = Value(*v)
        else:
            value = shared.get(v)
            if value is None:
                value = shared[v] = Value(*v)
            vals[_VALUE_AT] = value
        vals.insert(_DOC_AT, doc)
        out.append(Claim(*vals))
    return out


# ---- packed contexts -----------------------------------------------------------------------------
# A claim's context (align's features: some twenty small dicts, lists and strings) is two thirds of
# its memory. A large run keeps it packed, as marshal bytes, equal contexts as one object; align
# unpacks the claims of one unit block at a time, the rules the few claims they read.


def pack(claims: list[Claim], shared: dict) -> None:
    """Pack the claims' contexts (in place), equal ones into one bytes object by way of `shared`."""
    dumps = marshal.dumps
    for c in claims:
        ctx = c.context
        if type(ctx) is dict:
            key = dumps(ctx, 4)
            c.context = shared.setdefault(key, key)
        elif type(ctx) is bytes:  # packed already (a run snapshot's): equal ones become one
            c.context = shared.setdefault(ctx, ctx)


def context_of(c: Claim) -> dict:
    """The claim's context, packed or not."""
    ctx = c.context
    return marshal.loads(ctx) if type(ctx) is bytes else ctx


def unpacked(claims, ids: Iterable[int]) -> dict[int, Claim]:
    """The claims `ids` with their contexts unpacked (copies where packed): what align's comparison of
    one unit block reads. Equal packed contexts stay one dict."""
    if hasattr(claims, "unpacked"):  # a ClaimTable reads them from its spool
        return claims.unpacked(ids)
    out = {}
    memo: dict[int, dict] = {}
    for i in ids:
        c = claims[i]
        ctx = c.context
        if type(ctx) is bytes:
            d = memo.get(id(ctx))
            if d is None:
                d = memo[id(ctx)] = marshal.loads(ctx)
            c = Claim(c.kind, c.start, c.end, c.text, c.value, c.doc, c.sentence, d, c.suppressed)
        out[i] = c
    return out


def entities_of(record: dict, claims: list[Claim]) -> list[str]:
    """The document's proper nouns (extract.entity_keys) for these of its claims: the record's own list
    when the claims are all of its claims, worked out again for a truncated list (or an older record)."""
    entities = record.get("entities")
    if entities is not None and len(claims) == len(record["claims"]):
        return entities
    from checker.extract import entity_keys

    return entity_keys(claims)


def suppressions_from_record(record: dict, path: str) -> list:
    from checker.suppress import Suppression

    names = [f.name for f in fields(Suppression) if f.name != "path"]
    return [Suppression(path=path, **dict(zip(names, vals))) for vals in record.get("suppressions", ())]


class DocumentRecord:
    """What a run keeps of a document after extraction: enough to render evidence (path, line starts,
    the HTML offset map, the sentences that hold claims), not the text. Reads like a Document for
    api.claim_ref; anything else a Document has is read again from the file on first use."""

    __slots__ = ("path", "sha256", "reference_date", "reference_source", "notes", "_line_starts",
                 "_offset_map", "_sentences", "_reload", "_full", "_doc_view", "_kept", "_spooled")

    def __init__(self, path: str, record: dict, reload=None, spool=None):
        """`spool` (a ClaimTable's): the line starts, offset map and sentences wait there until a
        finding's evidence needs them (an archive quotes half its documents, and few at a time)."""
        self.path = path
        self.sha256 = record["sha256"]
        rd = record["reference_date"]
        self.reference_date = dt.date.fromisoformat(rd) if rd else None
        self.reference_source = record["reference_source"]
        self.notes = list(record["notes"])
        self._reload = reload      # () -> Document: reads the file again (checked against sha256)
        self._full = None
        self._doc_view = None      # made on first use (rendering a finding), then kept
        self._kept = None          # ({(start, end): k}, offsets, text): decompressed on first use
        self._spooled = None       # (spool, place) while the fields below wait in a spool
        if spool is not None:
            self._spooled = (spool, spool.put(marshal.dumps((record["line_starts"], record["offset_map"],
                                                             record["sentences"]), 4)))
            self._line_starts = self._offset_map = self._sentences = None
        else:
            self._fields(record["line_starts"], record["offset_map"], record["sentences"])

    def _fields(self, line_starts: bytes, om: Optional[bytes], sentences: tuple) -> None:
        self._line_starts = array("q")
        self._line_starts.frombytes(line_starts)
        if om is None:
            self._offset_map = None
        else:
            self._offset_map = array("q")
            self._offset_map.frombytes(om)
        self._sentences = sentences

    def _unspool(self) -> None:
        if self._spooled is not None and self._line_starts is None:
            spool, place = self._spooled
            self._fields(*marshal.loads(spool.get(place)))

    def _respool(self) -> None:
        """Give back what the spool holds (read again on next use)."""
        if self._spooled is not None:
            self._line_starts = self._offset_map = self._sentences = self._doc_view = None

    def _view(self) -> Document:
        """A text-less Document with this one's line starts: its own line_col does the maths."""
        if self._doc_view is None:
            self._unspool()
            self._doc_view = Document(path=self.path, raw="", text="", _line_starts=self._line_starts)
        return self._doc_view

    def raw_offset(self, pos: int, is_end: bool = False) -> int:
        """Document.raw_offset over the flat offset map (no list of segments is made and kept)."""
        self._unspool()
        m = self._offset_map
        if m is None:
            return pos
        i = bisect_right(m[0::4], pos - 1 if is_end else pos) - 1
        if i < 0:
            return 0
        t0, r0, tl, rl = m[4 * i:4 * i + 4]
        if tl == rl:
            return r0 + (pos - t0)
        return r0 + (rl if is_end else 0)

    def line_col(self, raw_pos: int) -> tuple[int, int]:
        return self._view().line_col(raw_pos)

    def sentence(self, start: int, end: int) -> Optional[str]:
        """The text of a kept sentence (one that holds a claim), or None."""
        if self._kept is None:  # a document's findings quote several of its sentences: decompress once
            self._unspool()
            spans, lengths = array("q"), array("q")
            spans.frombytes(self._sentences[0])
            lengths.frombytes(self._sentences[1])
            text = zlib.decompress(self._sentences[2]).decode("utf-8", "surrogatepass")
            self._kept = (dict(zip(zip(spans[0::2], spans[1::2]), range(len(lengths)))),
                          list(accumulate(lengths, initial=0)), text)
            _decompressed(self)
        at, offsets, text = self._kept
        k = at.get((start, end))
        return None if k is None else text[offsets[k]:offsets[k + 1]]

    @property
    def text(self) -> "SentenceText":
        return SentenceText(self)

    def document(self) -> Document:
        """The whole Document, read again from the file (once)."""
        if self._full is None:
            if self._reload is None:
                raise RuntimeError(f"{self.path}: the document's text was not kept and cannot be read again")
            doc = self._reload()
            if not isinstance(doc, Document):  # an InputError: the file went away or broke since
                raise RuntimeError(f"{self.path}: cannot read the document again: {getattr(doc, 'reason', doc)}")
            self._full = doc
        return self._full

    def __getattr__(self, name):  # raw, title, source, skip_spans, ...: read the file again
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.document(), name)


_DECOMPRESSED: "OrderedDict[int, DocumentRecord]" = OrderedDict()
DECOMPRESSED_DOCUMENTS = 512  # documents whose sentences stay decompressed (the findings of an archive quote 100,000s)


def _decompressed(doc: DocumentRecord) -> None:
    """Note that `doc` holds its sentences decompressed; the least recently decompressed beyond
    DECOMPRESSED_DOCUMENTS give theirs back (findings come story by story: their documents recur
    close together)."""
    _DECOMPRESSED[id(doc)] = doc
    while len(_DECOMPRESSED) > DECOMPRESSED_DOCUMENTS:
        _, old = _DECOMPRESSED.popitem(last=False)
        old._kept = None
        old._respool()


class SentenceText:
    """doc.text for rendering: slices at a kept sentence come from the record, anything else from the
    file read again."""

    __slots__ = ("_doc",)

    def __init__(self, doc: DocumentRecord):
        self._doc = doc

    def __getitem__(self, key):
        if isinstance(key, slice) and key.step is None:
            text = self._doc.sentence(key.start, key.stop)
            if text is not None:
                return text
        return self._doc.document().text[key]

    def __str__(self) -> str:
        return self._doc.document().text

    def __len__(self) -> int:
        return len(self._doc.document().text)

    def __getattr__(self, name):  # str methods (find, split, ...) on the whole text
        return getattr(self._doc.document().text, name)
