"""Incremental alignment: a re-run after a few documents changed compares only what they touch.

align() scores candidate pairs block by block and link() chooses among them. Of the pairs between two
documents that did not change, which ones are candidates, and which survive related() and the vetoes,
does not depend on the other documents, with two exceptions: the size of a blocking key decides how
it is compared (whole, only pairs with an unplaced document, in windows of months, not at all), and
which proper nouns are distinctive is a statistic of the whole run. Their scores do depend on the
whole run, through the word weights. So a run keeps, in the run snapshot's folder (runcache):

    every scored pair (its claims, score_terms() and threshold) and every candidate pair of sole
    amounts, each claim's context words and blocking keys, the documents (path, sha256, claims,
    distinctive proper nouns), the sizes of the blocking keys, and the notes.

A re-run whose documents are the same but a few ("dirty": changed, added, removed, or whose
distinctive proper nouns changed) scores the kept pairs of clean documents again with the new word
weights, and runs align's own edges() with the dirty documents as its focus for every pair that
involves one of them, over the documents they can reach (_reach) and with the whole run's key sizes,
as a draft is checked against a claims store. It does so only when every blocking key whose size a
dirty document changes keeps its size class (small_block, sub_block, max_block; the notes of capped
keys are written again with their new sizes): else, or when more than DIRTY_SHARE of the documents
are dirty, or the state is missing, damaged or of other options, it aligns the whole run and keeps
the state anew. The result is the whole alignment's, edge for edge and note for note
(tests/test_incremental.py checks it after random edits, additions and removals, with block limits
small enough that changes cross them).
"""
from __future__ import annotations

import os
from array import array
from itertools import accumulate, chain, compress
from operator import mul, sub
from collections import Counter
from dataclasses import astuple
from typing import Optional

from checker import runcache
from checker.align import (PARALLEL_CLAIMS, SOLE_AMOUNT, AlignOptions, ClaimGroup, _keys, align, blocked_keys,
                           distinctive, edges, link, publication_months, unit_block, unit_blocks)
from checker.records import RecordError, claims_from_record, loads as load_record, unpacked

STATE_FORMAT = 2
INT = "i"  # claim numbers, word numbers and offsets: a kept run has at most MAX_CLAIMS claims
MAX_CLAIMS = 250_000  # a larger run keeps no state: it would cost more memory than a re-run saves
DIRTY_SHARE = 0.05  # more dirty documents than this share of the run: aligning it whole is as cheap
SEP = "\x1f"


def align_run(run, options: AlignOptions, settings, jobs: int, notes: list[str]) -> list[ClaimGroup]:
    """align(run.claims, ...) for a whole plain run with word weights run.idf, reusing the state kept
    in run.state_dir by the last run of the same inputs where it can."""
    claims = run.claims
    if len(claims) > MAX_CLAIMS:
        return align(claims, options, run.entities, idf=run.idf, notes=notes, jobs=jobs)
    ents = distinctive(run.entities)
    anchors = [e[:options.anchors] for e in ents]
    per_doc = [0] * len(run.docs)
    for c in claims:
        per_doc[c.doc] += 1
    docs = [(d.path, d.sha256, n, e) for d, n, e in zip(run.docs, per_doc, ents)]
    path = os.path.join(run.state_dir, "align")
    fingerprint = [STATE_FORMAT, list(astuple(options))]
    old = runcache._load(path)
    done = None
    months = publication_months(claims)  # read by the comparison (in this process) and by link()
    if type(old) is dict and old.get("fingerprint") == fingerprint:
        try:
            done = _incremental(claims, docs, anchors, ents, run.idf, old, options, settings, months)
        except (KeyError, IndexError, TypeError, ValueError, EOFError):  # a state that does not fit: align it whole
            done = None
    run.stats["aligned"] = "whole" if done is None else "incremental"
    if done is None:
        done = _whole(claims, docs, anchors, ents, run.idf, options, jobs, months)
    found, state = done
    state.update(fingerprint=fingerprint, docs=docs)
    runcache._save(path, state, background=True)  # written while the run links and reports
    notes.extend(state["notes"])
    notes.extend(state.get("star", {}).values())
    return link(claims, found, ents, months)


class Scored:
    """What a run keeps of its scored pairs and of its claims' context words, as flat arrays (a
    vocabulary of words, numbers per pair and per claim): quick to write and to read back.

    pair p: claims i[p] < j[p], its threshold, flags (1: no shared word, 2: the same counted noun,
    4: a date pair held by proper nouns only), and its shared words w[start[p]:end[p]] with the
    smaller count of each (m). claim entry k: claim cid[k]'s context words cw[cs[k]:ce[k]] with their
    counts (cv), in the order weight() sums them. A re-run keeps the word arrays as they are, drops
    entries and appends; compact() drops what nothing reads any more."""

    def __init__(self, vocab: list[str] | None = None):
        self.vocab = vocab if vocab is not None else []
        self.word_id = {w: k for k, w in enumerate(self.vocab)}
        q = lambda: array(INT)  # noqa: E731
        self.i, self.j, self.start, self.end, self.w = q(), q(), q(), q(), q()
        self.thr, self.m, self.flags = array("d"), array("d"), array("b")
        self.sole_i, self.sole_j = q(), q()
        self.cid, self.cs, self.ce, self.cw, self.cv = q(), q(), q(), q(), array("d")
        self.kid, self.ks, self.ke, self.kw = q(), q(), q(), q()

    def ids(self, words) -> list[int]:
        out = []
        for w in words:
            k = self.word_id.get(w)
            if k is None:
                k = self.word_id[w] = len(self.vocab)
                self.vocab.append(w)
            out.append(k)
        return out

    def add_pair(self, i: int, j: int, terms, threshold: float) -> None:
        self.i.append(i)
        self.j.append(j)
        self.thr.append(threshold)
        self.start.append(len(self.w))
        if terms is None:
            self.flags.append(1)
        else:
            words, mins, same_noun, proper_only = terms
            self.flags.append(2 * bool(same_noun) + 4 * bool(proper_only))
            self.w.extend(self.ids(words))
            self.m.extend(mins)
        self.end.append(len(self.w))

    def add_claim(self, i: int, words: dict | None) -> None:
        if words is None:
            return
        self.cid.append(i)
        self.cs.append(len(self.cw))
        self.cw.extend(self.ids(words))
        self.cv.extend(words.values())
        self.ce.append(len(self.cw))

    def add_keys(self, i: int, keys: list[str]) -> None:
        self.kid.append(i)
        self.ks.append(len(self.kw))
        self.kw.extend(self.ids(keys))
        self.ke.append(len(self.kw))

    def merge(self, pack: dict) -> None:
        """A Recorder's pack (one unit block, its own vocabulary) into these arrays."""
        ids = self.ids(pack["vocab"])
        base = len(self.kw)
        for key in ("ks", "ke"):
            part = array(INT)
            part.frombytes(pack[key])
            getattr(self, key).extend(x + base for x in part)
        part = array(INT)
        part.frombytes(pack["kw"])
        self.kw.extend(map(ids.__getitem__, part))
        self.kid.frombytes(pack["kid"])
        for name, (starts, ends, words, values) in (("pairs", ("start", "end", "w", "m")),
                                                   ("claims", ("cs", "ce", "cw", "cv"))):
            base = len(getattr(self, words))
            for key in (starts, ends):
                part = array(INT)
                part.frombytes(pack[key])
                getattr(self, key).extend(x + base for x in part)
            part = array(INT)
            part.frombytes(pack[words])
            getattr(self, words).extend(map(ids.__getitem__, part))
            getattr(self, values).frombytes(pack[values])
        for key in ("i", "j", "thr", "flags", "sole_i", "sole_j", "cid"):
            getattr(self, key).frombytes(pack[key])

    def compact(self) -> None:
        """Drop the words that no pair and no claim reads any more, once they are most of the arrays."""
        live = sum(map(sub, self.ke, self.ks))
        if len(self.kw) > 2 * live + 4096:
            kw, ks, ke = array(INT), array(INT), array(INT)
            for a, b in zip(self.ks, self.ke):
                ks.append(len(kw))
                kw.extend(self.kw[a:b])
                ke.append(len(kw))
            self.kw, self.ks, self.ke = kw, ks, ke
        for starts, ends, words, values in (("start", "end", "w", "m"), ("cs", "ce", "cw", "cv")):
            s0, e0, w0, v0 = (getattr(self, k) for k in (starts, ends, words, values))
            live = sum(map(sub, e0, s0))
            if len(w0) <= 2 * live + 4096:
                continue
            w, v, st, en = array(INT), array(v0.typecode), array(INT), array(INT)
            for a, b in zip(s0, e0):
                st.append(len(w))
                w.extend(w0[a:b])
                v.extend(v0[a:b])
                en.append(len(w))
            for k, arr in zip((starts, ends, words, values), (st, en, w, v)):
                setattr(self, k, arr)

    def encode(self) -> dict:
        self.compact()
        return {"vocab": self.vocab, **{name: getattr(self, name).tobytes() for name in _ARRAYS}}

    @classmethod
    def decode(cls, state: dict) -> "Scored":
        out = cls(state["vocab"])
        for name in _ARRAYS:
            getattr(out, name).frombytes(state[name])
        if not (len({len(getattr(out, k)) for k in ("i", "j", "start", "end", "thr", "flags")}) ==
                len({len(getattr(out, k)) for k in ("cid", "cs", "ce")}) ==
                len({len(getattr(out, k)) for k in ("kid", "ks", "ke")}) == 1
                and len(out.w) == len(out.m) and len(out.cw) == len(out.cv) and len(out.sole_i) == len(out.sole_j)):
            raise ValueError("an alignment state whose arrays do not agree")
        return out


_ARRAYS = ("i", "j", "start", "end", "w", "thr", "m", "flags", "sole_i", "sole_j", "cid", "cs", "ce", "cw", "cv",
           "kid", "ks", "ke", "kw")


class Recorder:
    """align.edges()'s `record`: after each unit block, what a re-run needs of it, packed (plain
    bytes and a word list, cheap to send from a comparison worker): the scored pairs and sole amounts
    (Scored's arrays, with the block's own vocabulary), the block's claims' context words and blocking
    keys, and the block's share of the sizes of blocking keys (_contribution() of its documents)."""

    def __init__(self):
        self.packs: list[dict] = []

    def __call__(self, view, ub, members, anchors, options, scored, sole, keys) -> None:
        terms = [p[2] for p in scored]
        present = [t for t in terms if t is not None]
        shared = [w for t in present for w in t[0]]
        word_id: dict[str, int] = {w: k for k, w in enumerate(dict.fromkeys(shared))}  # the block's vocabulary
        pair_words = list(map(word_id.__getitem__, shared))
        ends = list(accumulate(0 if t is None else len(t[0]) for t in terms))
        pack = {
            "i": array(INT, [p[0] for p in scored]).tobytes(),
            "j": array(INT, [p[1] for p in scored]).tobytes(),
            "thr": array("d", [p[3] for p in scored]).tobytes(),
            "flags": array("b", [1 if t is None else 2 * bool(t[2]) + 4 * bool(t[3]) for t in terms]).tobytes(),
            "start": array(INT, [0] + ends[:-1] if ends else []).tobytes(),
            "end": array(INT, ends).tobytes(),
            "w": array(INT, pair_words).tobytes(),
            "m": array("d", [m for t in present for m in t[1]]).tobytes(),
            "sole_i": array(INT, [i for i, _ in sole or ()]).tobytes(),
            "sole_j": array(INT, [j for _, j in sole or ()]).tobytes(),
        }
        cid, claim_words, cv, cends, plain, kends = [], [], [], [], [], []
        per_doc: Counter = Counter()
        unplaced: list[str] = []
        for i in members:
            c = view[i]
            words = _comparable_words(c)
            if words is not None:
                cid.append(i)
                claim_words.extend(words)
                cv.extend(words.values())
                cends.append(len(claim_words))
            per_doc[c.doc] += 1
            ks = keys[i]
            plain.extend(ks)  # every member's blocking keys, in order: the key arrays and the sizes
            kends.append(len(plain))
            if not (anchors[c.doc] if c.doc < len(anchors) else None):
                unplaced.extend(ks)
        # word numbers for the claims' words and keys (the block's vocabulary grows by the new ones)
        new = [w for w in dict.fromkeys(chain(claim_words, plain)) if w not in word_id]
        word_id.update(zip(new, range(len(word_id), len(word_id) + len(new))))
        cw = list(map(word_id.__getitem__, claim_words))
        kw = list(map(word_id.__getitem__, plain))
        # _contribution() of each document's claims in this block, summed
        head = ub + SEP
        sizes: Counter = Counter({"p" + head + k: n for k, n in Counter(plain).items()})
        sizes.update({"u" + head + k: n for k, n in Counter(unplaced).items()})
        money = ub.startswith("money:")
        for doc, n in per_doc.items():
            anchor = (anchors[doc] if doc < len(anchors) else None) or ()
            for e in anchor:
                sizes["a" + head + e] += n
            if money and n == 1:
                sizes["s" + ub] += 1
                for e in anchor:
                    sizes["s" + head + e] += 1
        pack["sizes"] = dict(sizes)
        pack.update(cid=array(INT, cid).tobytes(), cs=array(INT, [0] + cends[:-1] if cends else []).tobytes(),
                    ce=array(INT, cends).tobytes(), cw=array(INT, cw).tobytes(), cv=array("d", cv).tobytes(),
                    kid=array(INT, members).tobytes(),
                    ks=array(INT, [0] + kends[:-1] if kends else []).tobytes(), ke=array(INT, kends).tobytes(),
                    kw=array(INT, kw).tobytes(), vocab=list(word_id))
        self.packs.append(pack)


class _Why:
    """The shared words of a re-scored edge (ClaimGroup.links' last field), worked out only when a
    finding shows why its claims were grouped: what score_of() returns, as a tuple."""

    __slots__ = ("xs", "ids", "vocab", "s0", "s1")

    def __init__(self, xs: list, ids, vocab: list, s0: int, s1: int):
        self.xs, self.ids, self.vocab, self.s0, self.s1 = xs, ids, vocab, s0, s1

    def __iter__(self):
        words = [self.vocab[k] for k in self.ids[self.s0:self.s1]]
        contrib = sorted(zip(self.xs[self.s0:self.s1], words), reverse=True)
        return iter([w for _, w in contrib[:4]])


# ---- the whole run ---------------------------------------------------------------------------------


def _whole(claims, docs, anchors, ents, idf, options, jobs, months=None):
    blocks = unit_blocks(claims)
    found: list = []
    notes: list[str] = []
    packs: list = []
    if jobs > 1 and len(claims) >= PARALLEL_CLAIMS:
        from checker.executors.local import map_compare

        order = sorted(blocks, key=lambda b: (-len(blocks[b]), b))
        for part_edges, part_notes, part_packs in map_compare(
                claims, blocks, order, (idf, ents, None, options, None), jobs, record=True):
            found.extend(part_edges)
            notes.extend(part_notes)
            packs.extend(part_packs)
    else:
        recorder = Recorder()
        found = edges(claims, blocks, options, ents, None, idf, notes, None, recorder, months)
        packs = recorder.packs
    kept = Scored()
    sizes: Counter = Counter()
    for pack in packs:
        kept.merge(pack)
        sizes.update(pack["sizes"])
    sizes = dict(sizes)
    star = {key: _star_note(claims, blocks, key, sizes, options) for key in sizes
            if key[0] == "p" and sizes[key] > options.max_block and sizes.get("u" + key[1:])}
    other = sorted(set(notes) - set(star.values()))
    if not set(star.values()) <= set(notes):  # not the notes edges() wrote: keep no state to build on
        return found, {"notes": notes, "broken": True}
    return found, {**kept.encode(), "sizes": sizes, "star": star, "notes": other}


def _comparable_words(c) -> dict | None:
    """The context words weight() sums, for a claim that can be compared."""
    if c.suppressed or unit_block(c) is None:
        return None
    return c.context.get("words")


def _claims_by_doc(claims, wanted) -> dict[int, list]:
    """The claims of the documents `wanted` (in order of document, then claim), contexts unpacked
    (equal packed contexts: one dict)."""
    wanted = set(wanted)
    view = unpacked(claims, [i for i, c in enumerate(claims) if c.doc in wanted])
    out: dict[int, list] = {d: [] for d in sorted(wanted)}
    for c in view.values():
        out[c.doc].append(c)
    return out


def _contribution(claims, anchor, options, anchored: bool = False) -> Counter:
    """One document's share of the sizes that decide how blocking keys are compared: claims per plain
    key ("p"), of them in a document without anchors ("u"), claims per anchor and unit block ("a"),
    and documents with exactly one amount of a money unit ("s", per unit and per unit and anchor);
    with `anchored`, also claims per anchored key ("x": the plain key joined with an anchor), which
    a run does not keep for all its documents (five times the keys)."""
    out: Counter = Counter()
    money: Counter = Counter()
    for c, ub, keys in blocked_keys(claims, options):
        for k in keys:
            out["p" + ub + SEP + k] += 1
            if not anchor:
                out["u" + ub + SEP + k] += 1
            if anchored:
                for e in anchor:
                    out["x" + ub + SEP + k + "|" + e] += 1
        for e in anchor:
            out["a" + ub + SEP + e] += 1
        if ub.startswith("money:"):
            money[ub] += 1
    for ub, n in money.items():
        if n == 1:
            out["s" + ub] += 1
            for e in anchor:
                out["s" + ub + SEP + e] += 1
    return out


# ---- a re-run --------------------------------------------------------------------------------------


def _incremental(claims, docs, anchors, ents, idf, old, options, settings, months):
    """(edges, state) of the whole run from the kept state, or None when the kept pairs of clean
    documents may not be what the whole alignment would compare."""
    old_docs = old["docs"]
    where = {p: k for k, (p, _, _, _) in enumerate(old_docs)}
    new_paths = {p for p, _, _, _ in docs}
    dirty_new: set[int] = set()
    dirty_old: dict[int, Optional[int]] = {}  # old document -> the new one of the same content, if any
    mapping: dict[int, int] = {}
    for k, (p, sha, n, e) in enumerate(docs):
        o = where.get(p)
        if o is not None and old_docs[o][1] == sha and old_docs[o][2] == n and old_docs[o][3] == e:
            mapping[o] = k
            continue
        dirty_new.add(k)
        if o is not None:
            dirty_old[o] = k if (old_docs[o][1] == sha and old_docs[o][2] == n) else None
    for o, (p, _, _, _) in enumerate(old_docs):
        if p not in new_paths:
            dirty_old[o] = None
    if len(dirty_new) + len(dirty_old) > max(1, DIRTY_SHARE * len(docs)):
        return None
    new_by_doc = _claims_by_doc(claims, dirty_new)
    before: Counter = Counter()
    for o, same in dirty_old.items():
        old_claims = new_by_doc[same] if same is not None else _old_claims(old_docs[o], settings)
        if old_claims is None:
            return None
        before.update(_contribution(old_claims, old_docs[o][3][:options.anchors], options, True))
    after: Counter = Counter()
    for k in dirty_new:
        after.update(_contribution(new_by_doc[k], anchors[k], options, True))
    old_sizes = old["sizes"]
    sizes = dict(old_sizes)
    changed = {key for key in before.keys() | after.keys() if before[key] != after[key]}
    for key in changed:
        if key[0] == "x":
            continue
        n = sizes.get(key, 0) - before[key] + after[key]
        if n:
            sizes[key] = n
        else:
            sizes.pop(key, None)
    restated = _same_classes(changed, old_sizes, sizes, options)
    if restated is None:
        return None
    star = dict(old["star"])
    if restated:
        blocks = unit_blocks(claims)
        for key in restated:  # capped keys with an unplaced document whose size changed: their notes say it
            star.pop(key, None)
            if sizes.get("u" + key[1:]):
                star[key] = _star_note(claims, blocks, key, sizes, options)

    prev = Scored.decode(old)
    kept = Scored(prev.vocab)  # the same vocabulary, grown
    offsets_old = _offsets([n for _, _, n, _ in old_docs])
    offsets_new = _offsets([n for _, _, n, _ in docs])
    index = [-1] * offsets_old[-1]
    for o, k in mapping.items():
        index[offsets_old[o]:offsets_old[o + 1]] = range(offsets_new[k], offsets_new[k + 1])
    # the claims' words and blocking keys: the kept ones renumbered, the dirty documents' anew
    for ids, starts, ends, words, values in (("cid", "cs", "ce", "cw", "cv"), ("kid", "ks", "ke", "kw", None)):
        renumbered = [index[c] for c in getattr(prev, ids)]
        keep = [c >= 0 for c in renumbered]
        setattr(kept, ids, array(INT, compress(renumbered, keep)))
        for name in (starts, ends):
            setattr(kept, name, array(INT, compress(getattr(prev, name), keep)))
        for name in (words, values):
            if name:
                setattr(kept, name, getattr(prev, name))
    dirty_keys: set[str] = set()
    dirty_units: set[str] = set()
    for k in sorted(dirty_new):
        for i, c in zip(range(offsets_new[k], offsets_new[k + 1]), new_by_doc[k]):
            kept.add_claim(i, _comparable_words(c))
            ub = unit_block(c)
            if ub is not None and not c.suppressed:
                ks = _keys(c, options.block_keys)
                kept.add_keys(i, ks)
                dirty_keys.update(ub + SEP + key for key in ks)
                dirty_units.add(ub)

    # every pair that involves a dirty document, as the whole alignment makes it: edges() with them as
    # its focus, over the documents they can meet (as a draft against a store: checker.store) and the
    # whole run's sizes of blocking keys
    reach = _reach(claims, anchors, dirty_new, dirty_keys, dirty_units, sizes, kept, offsets_new, options)
    part = {i: claims[i] for d in sorted(reach) for i in range(offsets_new[d], offsets_new[d + 1])}
    focus_pairs: list = []
    focus_sole: list = []
    focus_notes: list[str] = []

    def record(view, ub, members, anchors, options, scored, sole, keys) -> None:
        focus_pairs.extend(scored)
        focus_sole.extend(sole or ())

    found = edges(part, unit_blocks(part), options, ents, dirty_new, idf, focus_notes, _Sizes(sizes), record, months)
    if not set(focus_notes) <= set(old["notes"]) | set(star.values()):
        return None  # a capped key of a dirty document whose note is not known: work it out whole
    focus_pairs.sort(key=lambda p: (p[0], p[1]))
    for i, j, terms, threshold in focus_pairs:
        kept.ids(terms[0] if terms is not None else ())
    found.extend(_rescore(prev, kept, index, idf, len(claims)))
    for i, j, terms, threshold in focus_pairs:
        kept.add_pair(i, j, terms, threshold)
    for i, j in sorted(focus_sole):
        kept.sole_i.append(i)
        kept.sole_j.append(j)
    return found, {**kept.encode(), "sizes": sizes, "star": star, "notes": old["notes"]}


class _Sizes:
    """The whole run's sizes of blocking keys as align's `sizes` names them (block_size_key)."""

    def __init__(self, sizes: dict):
        self.sizes = sizes

    def get(self, key: str, default=None):
        unit, _, rest = key.partition(SEP)
        n = self.sizes.get("s" + rest) if unit == "sole" else self.sizes.get("p" + key)
        return default if n is None else n


def _reach(claims, anchors, dirty: set[int], dirty_keys: set[str], dirty_units: set[str], sizes: dict,
           kept: Scored, offsets: list[int], options: AlignOptions) -> set[int]:
    """The documents whose claims alignment can pair with a claim of a dirty document: those that share
    an anchor with one (anchored keys), those without anchors (plain keys, where one side cannot be
    placed), those that share a plain key compared whole (small_block), or any plain key that is not
    capped when a dirty document has no anchor, and those that state a sole amount in a money unit in
    which a dirty document does."""
    out = set(dirty)
    dirty_anchors = {e for d in dirty for e in anchors[d]}
    unplaced_dirty = any(not anchors[d] for d in dirty)
    for d, anchor in enumerate(anchors):
        if not anchor or not dirty_anchors.isdisjoint(anchor):
            out.add(d)
    wanted = set()
    for key in dirty_keys:
        n = sizes.get("p" + key, 0)
        if n <= options.small_block or (unplaced_dirty and n <= options.max_block):
            wanted.add(key.partition(SEP)[2])
    ids = {kept.word_id[w] for w in wanted if w in kept.word_id}
    if ids:
        kw = kept.kw
        doc_of = _doc_of(offsets)
        for c, s0, s1 in zip(kept.kid, kept.ks, kept.ke):
            if not ids.isdisjoint(kw[s0:s1]):
                out.add(doc_of(c))
    money = {ub for ub in dirty_units if ub.startswith("money:")}
    if money:
        per: Counter = Counter()
        for c in claims:
            if c.kind == "money" and not c.suppressed:
                ub = unit_block(c)
                if ub in money:
                    per[(ub, c.doc)] += 1
        out.update(d for (ub, d), n in per.items() if n == 1)
    return out


def _doc_of(offsets: list[int]):
    from bisect import bisect_right

    return lambda c: bisect_right(offsets, c) - 1


def _old_claims(doc: tuple, settings) -> Optional[list]:
    """The claims a document had when the state was kept, from its extraction cache entry."""
    from checker.cache import entry_key, open_cache

    if not settings.cache_dir:
        return None
    path, sha = doc[0], doc[1]
    blob = open_cache(settings.cache_dir).get(entry_key(sha, settings.key(os.path.splitext(path)[1].lower())))
    if blob is None:
        return None
    try:
        record = load_record(blob)
    except RecordError:
        return None
    if record.get("error") is not None:
        return None
    return claims_from_record(record, -1)[:doc[2]]


def _offsets(counts: list[int]) -> list[int]:
    out = [0]
    for n in counts:
        out.append(out[-1] + n)
    return out


def _same_classes(changed: set, before: dict, after: dict, options: AlignOptions) -> Optional[list]:
    """Whether every blocking key whose size a dirty document changed is compared the same way before
    and after: None when one is not; else the capped plain keys whose note must be written again."""

    def size_class(n: int) -> int:
        return 0 if n <= options.small_block else 1 if n <= options.max_block else 2

    restated = []
    for key in changed:
        tag, rest = key[0], key[1:]
        x, y = before.get(key, 0), after.get(key, 0)
        if tag in "ps" and size_class(x) != size_class(y):
            return None
        # a capped plain key with an unplaced document has a note that says its size
        if tag in "pu" and after.get("p" + rest, 0) > options.max_block and (before.get("u" + rest) or
                                                                              after.get("u" + rest)):
            restated.append("p" + rest)
        if tag == "x":
            # an anchored key holds at most as many claims as its plain key and as its anchor's unit
            # block: up to sub_block it is compared whole, before and after (else in windows of
            # months, which a run does not count)
            plain, _, anchor = rest.rpartition("|")
            ub = plain.partition(SEP)[0]
            for sizes in (before, after):
                if min(sizes.get("p" + plain, 0), sizes.get("a" + ub + SEP + anchor, 0)) > options.sub_block:
                    return None
    return sorted(set(restated))


def _star_note(claims, blocks: dict, key: str, sizes: dict, options: AlignOptions) -> str:
    """The note of a capped plain key with an unplaced document (align's _block_edges writes it):
    its example is the first claim of the unit block with that key."""
    from checker.align import _cap_note
    from checker.records import context_of
    from checker.models import Claim

    ub, _, k = key[1:].partition(SEP)
    for i in blocks.get(ub, ()):
        c = claims[i]
        if type(c.context) is bytes:
            c = Claim(c.kind, c.start, c.end, c.text, c.value, c.doc, c.sentence, context_of(c), c.suppressed)
        if k in _keys(c, options.block_keys):
            return _cap_note(ub, "*" + k, c, sizes[key], options.max_block)
    raise ValueError(f"no claim of {ub} has the key {k!r}")


def _rescore(prev: Scored, kept: Scored, index: list[int], idf: dict, n_claims: int) -> list:
    """Edges of the pairs kept in `prev` whose claims are both in this run (`index`: the old claim
    number -> the new one, or -1), scored with this run's word weights exactly as align's score_of()
    scores (the same products, summed by sum() in the same order); those pairs go into `kept`, whose
    claim words are this run's already."""
    vocab = kept.vocab
    weights = [idf.get(w, 1.0) for w in vocab]
    cxs = list(map(mul, kept.cv, map(weights.__getitem__, kept.cw)))
    dens = [0.0] * n_claims  # weight() of each claim
    for c, s0, s1 in zip(kept.cid, kept.cs, kept.ce):
        dens[c] = sum(cxs[s0:s1])
    xs = list(map(mul, prev.m, map(weights.__getitem__, prev.w)))
    a_all = [index[x] for x in prev.i]
    b_all = [index[x] for x in prev.j]
    keep = [a >= 0 and b >= 0 for a, b in zip(a_all, b_all)]
    start, end, thr, flags = prev.start, prev.end, prev.thr, prev.flags
    out = []
    linked = set()
    for p in compress(range(len(keep)), keep):
        a, b = a_all[p], b_all[p]
        fl = flags[p]
        if fl & 1:
            s = 0.0
            why = ()
        else:
            s0, s1 = start[p], end[p]
            den = dens[a] + dens[b]
            s = 2 * sum(xs[s0:s1]) / den if den else 0.0
            if fl & 2:
                s += 0.15
            if fl & 4:
                s *= 0.5
            why = None
        if s >= thr[p]:
            out.append((s, a, b, why if why is not None else _Why(xs, prev.w, vocab, s0, s1)))
            linked.add((a, b))
    kept.i = array(INT, compress(a_all, keep))
    kept.j = array(INT, compress(b_all, keep))
    kept.start = array(INT, compress(start, keep))
    kept.end = array(INT, compress(end, keep))
    kept.thr = array("d", compress(thr, keep))
    kept.flags = array("b", compress(flags, keep))
    kept.w, kept.m = prev.w, prev.m
    for i, j in zip(prev.sole_i, prev.sole_j):
        a, b = index[i], index[j]
        if a >= 0 and b >= 0:
            kept.sole_i.append(a)
            kept.sole_j.append(b)
            if (a, b) not in linked:
                out.append((0.2, a, b, SOLE_AMOUNT))
    return out
