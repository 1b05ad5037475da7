"""Alignment: which claims state the same attribute of the same thing.

Blocking first: claims are only compared when they measure the same kind of quantity (dates with
dates, km/h with mph) and share at least one context key (a nearby word, the counted noun, a
concept such as 'death'). Candidates are then scored on their distance-weighted context, and hard
vetoes keep apart what must never be compared: a forecast and a result, an earlier figure and a
current one, a change and a level, different quarters, different places, different counted nouns.
Across two documents each claim links to at most one claim of the other (best first); inside one
document only very strong links count. Groups are the connected components.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from itertools import chain, combinations
from dataclasses import dataclass, field

from checker.extract.context import GENERIC_NOUNS, PERSON_NOUNS
from checker.models import Claim
from checker.records import context_of, unpacked


@dataclass(frozen=True, slots=True)
class AlignOptions:
    cross_threshold: float = 0.25
    within_threshold: float = 0.90
    block_keys: int = 6          # context keys per claim used for blocking
    max_block: int = 600         # a key still shared by more claims (after time windows) is too common to block on
    small_block: int = 64        # a plain key shared by fewer claims is compared whole
    sub_block: int = 200         # a larger block is split into two-month windows of publication
    anchors: int = 5             # a document's most mentioned proper nouns joined to its blocking keys


@dataclass(slots=True)
class ClaimGroup:
    kind: str
    claims: list[int]                    # indices into the run's claim list
    links: list[tuple[float, int, int, tuple[str, ...]]] = field(default_factory=list)  # (score, i, j, shared keys)

    def reasons(self, claims: list[Claim]) -> list[str]:
        """Why each link was made, in words (worked out only for the groups a finding reports)."""
        out = []
        view = unpacked(claims, self.claims)  # each claim's context once (it is read for every word)
        for s, i, j, why in self.links:
            a, b = view[i], view[j]
            first, second = sorted((_short(a), _short(b)))
            out.append(f"{first} ~ {second}: both about {', '.join(_display_word(w, a, b) for w in why)} "
                       f"(score {s:.2f})")
        return out

    def shared(self, claims: list[Claim]) -> list[str]:
        """The context words the links share, as a reader would say them, strongest link first."""
        words: dict[str, None] = {}
        view = unpacked(claims, self.claims)
        for _, i, j, why in self.links:
            for w in why:
                words.setdefault(_display_word(w, view[i], view[j]))
        return list(words)


def unit_block(c: Claim) -> str | None:
    v = c.value
    return unit_block_of(c.kind, v.unit, v.invalid, v.zone)


def unit_block_of(kind: str, unit: str, invalid: str, zone: str) -> str | None:
    """unit_block() from the fields it reads (a claim record's values, without a Claim)."""
    if kind == "name":
        return None
    if kind == "date":
        if invalid:
            return None
        return "date:" + unit
    if kind == "time":
        return "time:" + (zone or "local")
    return f"{kind}:{unit}"


def _keys(c: Claim, k: int) -> list[str]:
    ctx = context_of(c)
    words = ctx.get("words", {})
    top = sorted(words.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
    keys = [w for w, _ in top]
    noun = ctx.get("noun")
    if noun:
        keys.append("n:" + noun)
    return keys


def _veto(a: Claim, b: Claim) -> str:
    ca, cb = a.context, b.context
    if a.doc == b.doc and a.sentence == b.sentence:
        return "same sentence"
    if ca.get("previous") != cb.get("previous"):
        return "one is an earlier figure"
    if ca.get("change") != cb.get("change"):
        return "one is a change, the other a level"
    if ca.get("forecast") != cb.get("forecast") and a.kind != "date":
        return "one is a forecast"  # a date is when the expected thing happens: still the same fact
    pa, pb = set(ca.get("periods", ())), set(cb.get("periods", ()))
    if pa and pb and not (pa & pb):
        return "different periods"
    la, lb = set(ca.get("places", ())), set(cb.get("places", ()))
    if la and lb and not (la & lb):
        caps_a, caps_b = set(ca.get("caps", ())), set(cb.get("caps", ()))
        if not any(p.split()[0] in caps_b for p in la) and not any(p.split()[0] in caps_a for p in lb):
            return "different places"
    pa_, pb_ = ca.get("people"), cb.get("people")
    if pa_ and pb_ and not set(pa_) & set(pb_):
        return "about different people"
    wa_, wb_ = ca.get("when"), cb.get("when")
    if wa_ and wb_:
        # sources may disagree on a date by a day or two (that is a finding of its own); figures tied
        # to dates far apart, or to different dates in one document, are different facts
        slack = 0 if a.doc == b.doc else 45
        if not any(x[0] - slack <= y[1] and y[0] - slack <= x[1] for x in wa_ for y in wb_):
            return "tied to different dates"
    ka, kb = ca.get("concept"), cb.get("concept")
    if ka and kb and ka != kb and ka not in cb.get("words", {}) and kb not in ca.get("words", {}):
        return "about different things"
    na, nb = ca.get("noun") or "", cb.get("noun") or ""
    if na and nb and na != nb and na not in GENERIC_NOUNS and nb not in GENERIC_NOUNS:
        wa, wb = ca.get("words", {}), cb.get("words", {})
        if ("n:" + nb) not in wa and ("n:" + na) not in wb and nb not in wa and na not in wb:
            return "different counted nouns"
    if na and nb and (na in PERSON_NOUNS) != (nb in PERSON_NOUNS) and not ({na, nb} & GENERIC_NOUNS - PERSON_NOUNS):
        return "people and things"
    if a.kind == "duration" and _magnitudes_apart(a, b, 100) and _amount_words(a) != _amount_words(b):
        # a night's sleep and a study's follow-up; but "30 days" and "30 years" is one figure mistyped
        return "lengths of time two orders of magnitude apart"
    qa, qb = ca.get("qualifier"), cb.get("qualifier")
    if qa != qb and (not qa or qa not in cb.get("words", {})) and (not qb or qb not in ca.get("words", {})):
        return "one counts only some of them"  # "70 injured passengers" / "156 passengers" aboard
    if a.kind == "count":
        # a bare count needs a subject: a counted noun or a concept shared with the other claim
        if not (na or nb):
            shared = {w for w in ca.get("words", {}) if w.startswith("@")} & set(cb.get("words", {}))
            if not shared:
                return "no counted noun"
    return ""


def _magnitudes_apart(a: Claim, b: Claim, factor: float) -> bool:
    x, y = a.value.hi or a.value.lo, b.value.hi or b.value.lo
    return bool(x and y and x > 0 and y > 0 and max(x, y) / min(x, y) > factor)


def _amount_words(c: Claim) -> str:
    """The stated amount without its unit word: "less than six" of "less than six hours"."""
    return " ".join(c.text.lower().split()[:-1])


def _same_event(a: Claim, b: Claim) -> bool:
    """Inside one document: the same place and the same kind of event near both claims."""
    ca, cb = a.context, b.context
    places = set(ca.get("places", ())) & set(cb.get("places", ()))
    return bool(places) and bool(ca.get("concept")) and ca.get("concept") == cb.get("concept")


def weight(c: Claim, idf: dict[str, float]) -> float:
    """The claim's context mass: the denominator share of score()."""
    return sum(v * idf.get(w, 1.0) for w, v in c.context.get("words", {}).items())


def score(a: Claim, b: Claim, idf: dict[str, float], den_a: float | None = None,
          den_b: float | None = None) -> tuple[float, list[str]]:
    """Weighted overlap of the two contexts (a Dice coefficient over idf-weighted words), plus a bonus
    for the same counted noun; the four words that weigh most. den_a/den_b: weight() of each, when the
    caller has them already."""
    terms = score_terms(a, b)
    if terms is None:
        return 0.0, []
    if den_a is None:
        den_a = weight(a, idf)
    if den_b is None:
        den_b = weight(b, idf)
    return score_of(terms, idf, den_a, den_b)


def score_terms(a: Claim, b: Claim) -> tuple | None:
    """What score() reads of two claims, without word weights: (the shared words in order, the
    smaller count of each, the same counted noun, a date pair held together by proper nouns only);
    None when the contexts share no word. A re-run with new word weights scores these again."""
    wa, wb = a.context.get("words", {}), b.context.get("words", {})
    shared = set(wa) & set(wb)
    if not shared:
        return None
    words = tuple(sorted(shared))  # a float sum in a fixed order: the same score in every process (hash seed)
    na, nb = a.context.get("noun"), b.context.get("noun")
    return (words, tuple(min(wa[w], wb[w]) for w in words), bool(na and na == nb),
            a.kind == "date" and all(_proper(w, a) or _proper(w, b) for w in words))


def score_of(terms: tuple, idf: dict[str, float], den_a: float, den_b: float) -> tuple[float, list[str]]:
    """score() from score_terms() and the two claims' weight()."""
    words, mins, same_noun, proper_only = terms
    xs = [m * idf.get(w, 1.0) for w, m in zip(words, mins)]
    num = sum(xs)  # as checker.incremental sums them: the same float
    contrib = list(zip(xs, words))
    s = 2 * num / (den_a + den_b) if den_a + den_b else 0.0
    if same_noun:
        s += 0.15
    if proper_only:
        s *= 0.5  # the same people in two sentences do not make two dates one event: it needs an event word
    contrib.sort(reverse=True)
    return s, [w for _, w in contrib[:4]]


def _proper(key: str, c: Claim) -> bool:
    surface = c.context.get("surface", {}).get(key, "")
    return bool(surface) and surface[0].isupper()


def compute_idf(claims: list[Claim]) -> dict[str, float]:
    return idf_from_counts(*word_counts(claims))


ENTITY = "\x00e:"  # proper nouns' document frequencies share the word counter (a store's) under this prefix


def word_counts(claims, entities=()) -> tuple[int, Counter]:
    """Claims' share of the statistics of word weights: sentences with a claim (names aside) and how
    many of them hold each word of the context of their first claim; plus `entities`, a document's
    proper nouns, once each (a store's statistics keep them for distinctive())."""
    seen = set()
    n = 0
    df: Counter = Counter()
    for c in claims:
        key = (c.doc, c.sentence)
        if key in seen or c.kind == "name":
            continue
        seen.add(key)
        n += 1
        df.update(context_of(c).get("words", {}).keys())
    df.update(ENTITY + e for e in set(entities))
    return n, df


def idf_from_counts(sentences: int, df: dict[str, int]) -> dict[str, float]:
    """Word weights: log(1 + sentences / sentences with the word)."""
    return {w: math.log(1 + sentences / d) for w, d in df.items() if d > 0 and not w.startswith(ENTITY)}


STORY_MONTHS = 6  # documents published further apart than this many months tell different stories


def publication_months(claims: Iterable[Claim]) -> dict[int, int]:
    """Each document's month of publication (claim.context['month']) where it is known."""
    out: dict[int, int] = {}
    seen: set[int] = set()
    for c in claims:
        if c.doc not in seen:  # the month is the document's: every claim of it has the same
            seen.add(c.doc)
            month = context_of(c).get("month")
            if month is not None:
                out[c.doc] = month
    return out


def related_documents(entities: list[list[str]], months: dict[int, int] | None = None) -> "callable":
    """Two documents tell the same story when they share distinctive proper nouns (names, places,
    organisations) and, when both dates of publication are known, were published at most STORY_MONTHS
    apart: an archive holds the same office's budget, the same town's jobless rate, year after year,
    and those are different facts, not one fact stated two ways (a draft without a date is compared
    with sources of any date). Claims of unrelated documents are never compared, however alike their
    words.

    The function's attributes: `sets`, each document's nouns as a frozenset; `dated`, the months of
    the documents the window applies to (None: no document has one)."""
    sets = [frozenset(e) for e in entities]
    dated = months or None

    def related(a: int, b: int) -> bool:
        if a == b:
            return True
        if dated and not _near(dated, a, b):
            return False
        if not sets:
            return True
        x, y = sets[a], sets[b]
        small = min(len(x), len(y))
        if small == 0:
            return True  # a document without a distinctive proper noun cannot be placed: the benefit of the doubt
        # two shared nouns, or all of a document's when it has only one or two: a first name, a surname or
        # a town alone recurs across unrelated stories of an archive
        shared = len(x & y)
        return shared >= 2 or shared == small

    related.sets = sets
    related.dated = dated
    return related


def _near(dated: dict[int, int], a: int, b: int) -> bool:
    """Published at most STORY_MONTHS apart, or one of them without a known month."""
    ma, mb = dated.get(a), dated.get(b)
    return ma is None or mb is None or abs(ma - mb) <= STORY_MONTHS


def _near_pairs(docs: list[int], dated: dict[int, int] | None) -> Iterable[tuple[int, int]]:
    """The pairs of `docs` published at most STORY_MONTHS apart (a document without a month pairs with
    every other), without enumerating the far ones: the dated documents in order of month."""
    if not dated:
        return combinations(docs, 2)
    free = [d for d in docs if d not in dated]
    order = sorted((dated[d], d) for d in docs if d in dated)
    out = [(d, e) for n, d in enumerate(free) for e in free[n + 1:]]
    out.extend((d, e) for d in free for _, e in order)
    for n, (m, d) in enumerate(order):
        for m2, e in order[n + 1:]:
            if m2 - m > STORY_MONTHS:
                break
            out.append((d, e))
    return out


RELATED_FROM = 8  # claims in a block from which its pairs of unrelated documents are dropped before scoring
STORY_PAIRS_FROM = 12  # documents in an anchored block from which _story_pairs() enumerates by second noun


def _story_pairs(claims: list[Claim], ids: list[int], noun: str,
                 related) -> tuple[Iterable[tuple[int, int]], bool]:
    """The pairs of a block anchored on `noun` (ascending claim indices) whose documents may be related():
    combinations(ids, 2) without the pairs of documents that share nothing but `noun`.

    Documents that both mention `noun` are related when they share another distinctive noun, or when
    one of them has no other (related_documents()). In a large archive a noun may be distinctive (in
    few documents for its size) and still recur in dozens of stories; enumerating every pair of its
    block and dropping the unrelated ones grew with the square of the archive. Here the pairs come from
    the documents' other nouns, so the work follows the pairs that are compared. A superset of the
    related pairs, never a pair that combinations() would not give; and whether every pair is known
    to be related (then related() need not be asked again)."""
    by_doc: dict[int, list[int]] = defaultdict(list)
    for i in ids:
        by_doc[claims[i].doc].append(i)
    sets = getattr(related, "sets", None)
    if len(by_doc) < STORY_PAIRS_FROM or not sets:
        return combinations(ids, 2), False
    postings: dict[str, list[int]] = defaultdict(list)
    solo = []  # documents whose only distinctive noun is `noun`: related to every document here
    for d in by_doc:
        nouns = sets[d] if d < len(sets) else ()
        if len(nouns) <= 1:
            solo.append(d)
        for f in nouns:
            if f != noun:
                postings[f].append(d)
    dated = getattr(related, "dated", None)
    doc_pairs: set[tuple[int, int]] = set()
    for docs in postings.values():
        if len(docs) > 1:
            doc_pairs.update(_near_pairs(docs, dated))
    for d in solo:
        doc_pairs.update((d, e) for e in by_doc if e != d and (not dated or _near(dated, d, e)))
    out: set[tuple[int, int]] = set()
    for d, members in by_doc.items():
        if len(members) > 1:
            out.update(combinations(members, 2))  # one document: always related (ids ascend)
    for da, db in doc_pairs:
        for i in by_doc[da]:
            for j in by_doc[db]:
                out.add((i, j) if i < j else (j, i))
    return out, True


def _related_pairs(claims, ids: list[int], related, memo: dict[tuple[int, int], bool]) -> list[tuple[int, int]]:
    """The pairs of `ids` (ascending claim indices), as (lower, higher), whose documents are related():
    combinations(ids, 2) without the others, related() asked once per pair of documents (`memo`, keyed
    (lower document, higher document), is shared by the caller's blocks)."""
    by_doc: dict[int, list[int]] = {}
    for i in ids:
        d = claims[i].doc
        members = by_doc.get(d)
        if members is None:
            by_doc[d] = [i]
        else:
            members.append(i)
    out: list[tuple[int, int]] = []
    docs = list(by_doc.items())
    for n, (da, xs) in enumerate(docs):
        if len(xs) > 1:
            out.extend(combinations(xs, 2))  # one document: always related
        for db, ys in docs[n + 1:]:
            key = (da, db) if da < db else (db, da)
            ok = memo.get(key)
            if ok is None:
                ok = memo[key] = related(*key)
            if ok:
                out.extend((i, j) if i < j else (j, i) for i in xs for j in ys)
    return out


def distinctive(doc_entities: list[list[str]]) -> list[list[str]]:
    """Keep the proper nouns that few documents share: 'Kestrel' tells a story, 'Council' does not.
    A noun in more than max(10, √documents) documents is too common to say which story a document tells."""
    df = Counter(e for ents in doc_entities for e in set(ents))
    cap = max(10, int(len(doc_entities) ** 0.5))
    return [[e for e in ents if df[e] <= cap] for ents in doc_entities]


def align(claims: list[Claim], options: AlignOptions | None = None,
          doc_entities: list[list[str]] | None = None, focus: set[int] | None = None, *,
          idf: dict[str, float] | None = None, entity_filter=None,
          notes: list[str] | None = None, sizes: dict[str, int] | None = None, jobs: int = 1) -> list[ClaimGroup]:
    """Groups of claims about one fact. With `focus` (document indices), only pairs that involve a
    claim of those documents are scored: an editor re-checking its draft against kept sources needs
    the draft's facts, not the sources' agreements among themselves.

    Word weights (`idf`) and which proper nouns are distinctive (`entity_filter`, default
    `distinctive`) are statistics of the whole run; a caller aligning a part of a larger collection
    (a partition of a cluster run, a draft against a store) passes the whole collection's.

    `notes` receives one line per blocking key that was too common to compare on (the cap); with
    `focus`, only keys that kept a claim of those documents from being compared.

    `sizes`: the whole collection's block sizes (block_size_key() -> claims, or documents for the
    sole-amount blocks), for a caller that holds only the documents a focus can reach (a draft against
    a store): caps and small blocks are decided on them, not on the claims at hand.

    Two phases: edges() scores candidate pairs unit block by unit block (independent: an engine may
    spread the blocks over workers; with `jobs` > 1 a large run spreads them over that many forked
    processes), link() then chooses among all the edges at once."""
    options = options or AlignOptions()
    if idf is None:
        idf = compute_idf(claims)
    doc_entities = (entity_filter or distinctive)(doc_entities or [])
    blocks = claims.unit_blocks() if hasattr(claims, "unit_blocks") else unit_blocks(claims)  # a ClaimTable knows them
    if jobs > 1 and len(claims) >= PARALLEL_CLAIMS:
        from checker.executors.local import map_compare

        found = []
        # a task per unit block, largest first, handed to whichever process is free: the cost of a
        # claim differs between blocks, so dealing them out by claims in advance left one process idle
        order = [ub for ub in sorted(blocks, key=lambda b: (-len(blocks[b]), b))
                 if focus is None or any(claims[i].doc in focus for i in blocks[ub])]
        for part_edges, part_notes in map_compare(claims, blocks, order, (idf, doc_entities, focus, options, sizes),
                                                  jobs):
            found.extend(part_edges)
            if notes is not None:
                notes.extend(part_notes)
    else:
        found = edges(claims, blocks, options, doc_entities, focus, idf, notes, sizes)
    return link(claims, found, doc_entities)


PARALLEL_CLAIMS = 20_000  # below this, starting processes costs more than the comparison


def unit_blocks(claims: list[Claim] | dict[int, Claim]) -> dict[str, list[int]]:
    """Claim indices by unit block (the first blocking key: dates with dates, km/h with mph); of a
    run's claims, or of some of them as {claim index: claim} in order of index."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, c in (claims.items() if isinstance(claims, dict) else enumerate(claims)):
        ub = unit_block(c)
        if ub is not None and not c.suppressed:
            blocks[ub].append(i)
    return blocks


Edge = tuple[float, int, int, tuple[str, ...]]  # (score, claim i, claim j with i < j, the shared keys that weigh most)


BLOCK_SEP = "\x1f"


def block_size_key(unit: str, key: str) -> str:
    """How `sizes` names a plain blocking key of a unit block ('date:day' + 'killed'); the sole-amount
    block of a money unit is block_size_key('sole', unit)."""
    return unit + BLOCK_SEP + key


def block_sizes(claims: list[Claim], options: AlignOptions | None = None) -> Counter:
    """What one document adds to `sizes`: its claims per plain blocking key, and 1 for each money unit
    in which it states exactly one amount."""
    out: Counter = Counter()
    money: Counter = Counter()
    for c, ub, keys in blocked_keys(claims, options or AlignOptions()):
        out.update(block_size_key(ub, k) for k in keys)  # as _block_edges counts
        if ub.startswith("money:"):
            money[ub] += 1
    out.update(block_size_key("sole", ub) for ub, n in money.items() if n == 1)
    return out


def blocked_keys(claims, options: AlignOptions) -> Iterator[tuple[Claim, str, list[str]]]:
    """(claim, unit block, blocking keys) of each claim alignment compares (not names, not suppressed);
    a key twice is two places in its block, as _block_edges counts."""
    for c in claims:
        ub = unit_block(c)
        if ub is not None and not c.suppressed:
            yield c, ub, _keys(c, options.block_keys)


def edges(claims: list[Claim], blocks: dict[str, list[int]], options: AlignOptions,
          doc_entities: list[list[str]], focus: set[int] | None, idf: dict[str, float],
          notes: list[str] | None = None, sizes: dict[str, int] | None = None,
          record=None, months: dict[int, int] | None = None) -> list[Edge]:
    """The scored candidate pairs of the given unit blocks (doc_entities: already filtered to the
    distinctive ones). `record(view, ub, members, anchors, options, pairs, sole, keys)`, when given, is
    called after each unit block with what a re-run with other word weights needs to score it again:
    every pair that was scored, as (i, j, score_terms(), threshold), and every pair of sole amounts
    that passed all but the test of an edge between them already, as (i, j); and each claim's
    blocking keys (checker.incremental.Recorder). `months`: publication_months() of the run, when the
    caller has them (of more documents than these blocks' is the same: only theirs are read)."""
    # the months of these blocks' documents (claims may be a whole run, or a Dask partition's dict)
    if months is None:
        months = (claims.months() if hasattr(claims, "months")  # a ClaimTable knows them
                  else publication_months(claims[i] for ids in blocks.values() for i in ids))
    related = related_documents(doc_entities, months)
    out: list[Edge] = []
    # blocking keys carry the story: a context key joined with one of the document's most mentioned proper
    # nouns, so "killed" in a storm story and "killed" in a war story never meet. Documents with too few
    # proper nouns to place also keep plain keys, and plain keys pair them with anything.
    anchors = [e[:options.anchors] or None for e in doc_entities]
    for ub, members in blocks.items():
        if focus is not None and not any(claims[i].doc in focus for i in members):
            continue
        view = unpacked(claims, members)  # this block's claims, contexts unpacked (the rest stay packed)
        scored, sole, keys = ([], [], {}) if record is not None else (None, None, None)
        block_edges = _block_edges(view, ub, members, options, anchors, related, focus, idf, notes, sizes,
                                   scored, keys)
        out.extend(block_edges)
        if ub.startswith("money:"):
            linked = {(i, j) for _, i, j, _ in block_edges}
            sole_size = sizes.get(block_size_key("sole", ub)) if sizes is not None else None
            out.extend(_sole_amounts(view, members, related, linked, anchors, options, focus, sole_size, sole))
        if record is not None:
            record(view, ub, members, anchors, options, scored, sole, keys)
    return out


def _block_edges(claims, ub, members, options, anchors, related, focus, idf, notes, sizes=None,
                 record: list | None = None, keys_out: dict | None = None) -> list[Edge]:
    index: dict[str, list[int]] = {}
    plain: dict[str, list[int]] = defaultdict(list)
    unplaced: set[int] = set()
    by_doc: dict[int, list[int]] = defaultdict(list)
    keys_of = {i: _keys(claims[i], options.block_keys) for i in members}
    if keys_out is not None:
        keys_out.update(keys_of)
    wanted = None  # with a focus, only the blocks that hold one of its claims
    if focus is not None:
        wanted = set()
        for i in members:
            if claims[i].doc in focus:
                doc = claims[i].doc
                anchor = anchors[doc] if doc < len(anchors) else None
                for k in keys_of[i]:
                    wanted.add(k)
                    wanted.update(k + "|" + e for e in anchor or ())
    for i in members:
        doc = claims[i].doc
        by_doc[doc].append(i)
        for k in keys_of[i]:
            if wanted is None or k in wanted:
                plain[k].append(i)
        if doc >= len(anchors) or not anchors[doc]:
            unplaced.add(i)
    for k, ids in plain.items():
        size = sizes.get(block_size_key(ub, k), len(ids)) if sizes is not None else len(ids)
        if size <= options.small_block:
            index[k] = ids  # a small block is cheap to compare whole
        elif any(i in unplaced for i in ids):
            if size <= options.max_block:
                index["*" + k] = ids  # marked: only pairs that involve an unplaced document
            elif notes is not None and (focus is None or any(i in unplaced and claims[i].doc in focus for i in ids)):
                notes.append(_cap_note(ub, "*" + k, _example(claims, ids, focus), size, options.max_block))
    candidates: set[tuple[int, int]] = set()
    known: set[tuple[int, int]] = set()  # candidates whose documents are related for certain
    doc_pairs: dict[tuple[int, int], bool] = {}  # related() of two documents (lower, higher)

    def compare(k: str, ids: list[int], anchor: str) -> None:
        if len(ids) > options.max_block:
            if notes is not None and (focus is None or any(claims[i].doc in focus for i in ids)):
                notes.append(_cap_note(ub, k, _example(claims, ids, focus), len(ids), options.max_block))
            return
        if len(ids) < 2:
            return
        if k.startswith("*"):
            for i in ids:
                if i in unplaced:
                    for j in ids:
                        if j != i and (focus is None or claims[i].doc in focus or claims[j].doc in focus):
                            candidates.add((i, j) if i < j else (j, i))
            return
        if focus is not None:
            inside = [i for i in ids if claims[i].doc in focus]
            for i in inside:
                for j in ids:
                    if j != i:
                        candidates.add((i, j) if i < j else (j, i))
            return
        if len(ids) < RELATED_FROM:  # related() is asked of the few pairs when they are scored
            candidates.update(combinations(ids, 2))  # ids ascend: every pair comes as (lower, higher)
            return
        if anchor and len(ids) >= STORY_PAIRS_FROM:  # a block of one story's word: pairs by the other nouns
            pairs, sure = _story_pairs(claims, ids, anchor, related)
            if sure:
                known.update(pairs)
                return
        # the pairs of related documents, related() asked once per pair of documents: in an archive
        # most pairs of a larger block are of unrelated stories, and dropping them claim pair by claim
        # pair (then scoring them in no order) grew faster than the archive
        known.update(_related_pairs(claims, ids, related, doc_pairs))

    def windowed(k: str, ids: list[int], anchor: str) -> None:
        if len(ids) <= options.sub_block or k.startswith("*"):
            compare(k, ids, anchor)
            return
        # a hot key (a common noun of a much-covered story, across years of an archive): reports of one
        # event are published within weeks, so compare only within overlapping two-month windows
        windows: dict[str, list[int]] = defaultdict(list)
        for i in ids:
            month = claims[i].context.get("month")
            if month is None:
                windows[k + "#-"].append(i)
            else:
                windows[f"{k}#{month}"].append(i)
                windows[f"{k}#{month + 1}"].append(i)
        for kw, wids in windows.items():
            compare(kw, wids, anchor)

    for k, ids in index.items():
        windowed(k, ids, "")
    # anchored blocks (a context key joined with one of the document's anchors), one anchor at a time:
    # small dictionaries, and no joined key made unless a block is too large and needs a note
    docs_of_anchor: dict[str, list[int]] = defaultdict(list)
    focus_anchors = None  # with a focus, only the anchors of its documents make a wanted block
    if focus is not None:
        focus_anchors = {e for doc in by_doc if doc in focus for e in (anchors[doc] if doc < len(anchors) else None) or ()}
    for doc in sorted(by_doc):
        for e in (anchors[doc] if doc < len(anchors) else None) or ():
            if focus_anchors is None or e in focus_anchors:
                docs_of_anchor[e].append(doc)
    for e, docs in docs_of_anchor.items():
        sub: dict[str, list[int]] = defaultdict(list)
        for doc in docs:
            for i in by_doc[doc]:
                for k in keys_of[i]:
                    sub[k].append(i)
        for k, ids in sub.items():
            if len(ids) < 2:
                continue  # most keys of an anchor hold one claim: nothing to compare, nothing to note
            ke = k + "|" + e
            if wanted is not None and ke not in wanted:
                continue
            ids.sort()
            windowed(ke, ids, e)
    candidates -= known
    # scored in order of claim index: consecutive pairs read the same claims, which stay in the processor's
    # cache (a set's order scattered them: ~12 % slower at 200,000 documents)
    known_list = sorted(known)
    candidates = sorted(candidates)
    out: list[Edge] = []
    dens: dict[int, float] = {}
    whys: dict[tuple, tuple] = {}  # the same shared words, one tuple (an archive's edges number millions)
    for n, (i, j) in enumerate(chain(known_list, candidates)):  # link() sorts the edges
        a, b = claims[i], claims[j]
        if n >= len(known_list):
            pair = (a.doc, b.doc) if a.doc <= b.doc else (b.doc, a.doc)
            ok = doc_pairs.get(pair)
            if ok is None:
                ok = doc_pairs[pair] = related(*pair)
            if not ok:
                continue
        if _veto(a, b):
            continue
        threshold = options.cross_threshold
        if a.doc == b.doc:
            # inside one document, lists of parallel figures are the rule: demand the same event
            threshold = options.cross_threshold if _same_event(a, b) else options.within_threshold
        terms = score_terms(a, b)
        if record is not None:
            record.append((i, j, terms, threshold))
        if terms is None:
            s, why = 0.0, []
        else:
            if i not in dens:
                dens[i] = weight(a, idf)
            if j not in dens:
                dens[j] = weight(b, idf)
            s, why = score_of(terms, idf, dens[i], dens[j])
        if s >= threshold:
            why = tuple(why)
            out.append((s, i, j, whys.setdefault(why, why)))
    return out


def link(claims: list[Claim], found: list[Edge], doc_entities: list[list[str]],
         months: dict[int, int] | None = None) -> list[ClaimGroup]:
    """Groups from scored edges (edges() makes them only between claims of related documents): across
    two documents a claim takes its best partner only; inside one, the edges are strong links already.
    Groups are the connected components. `months`: publication_months(claims), when the caller has them."""
    table = hasattr(claims, "doc_of")  # a ClaimTable: what link needs of every claim, without reading claims
    if months is None:
        months = claims.months() if table else publication_months(claims)
    related = related_documents(doc_entities, months)
    doc_of = claims.doc_of if table else [c.doc for c in claims]
    found = _strongest_first(sorted(found))  # no key: a key tuple per edge weighed 200 MB at 200k documents
    taken: set[int] = set()  # claim << 32 | other document: the claim has its partner there (an int: half a tuple's memory)
    parent: dict[int, int] = {}  # union-find over the claims that have an edge (the others are their own root)

    def find(x: int) -> int:
        up = parent.get(x, x)
        while up != x:
            top = parent.get(up, up)
            parent[x] = top
            x, up = up, top
        return x

    # a document without distinctive proper nouns is compared with every story, but it tells one: its
    # strongest link to a placed document decides which, and it links to no document of another story.
    # So does a document with one: in an archive a town's name alone is in many stories
    story_of: dict[int, int] = {}

    placed = [len(e) for e in doc_entities]  # distinctive proper nouns per document (_placed)
    placed += [0] * (max(doc_of, default=-1) + 1 - len(placed))
    # free[d]: d may link to any document (two distinctive proper nouns or more, or none known of any
    # document); known[d]: d has at least one
    free = [not doc_entities or n >= 2 for n in placed]
    known = [n > 0 for n in placed]

    def joins(doc: int, other: int) -> bool:
        """Whether `doc` may link to `other`: always when it has two proper nouns or `other` has none."""
        if free[doc] or not known[other]:
            return True
        first = story_of.setdefault(doc, other)
        return first == other or related(first, other)

    # a group is one story's: two groups join only when at least half of the pairs of their documents
    # are related (average linkage: a brief that names only the place still joins the story's
    # reports). Links are pairwise, and without this a chain of them (a place name shared by two
    # stories, one of those stories' people shared with a third...) made one group of thousands of
    # claims in a large archive.
    docs_of: dict[int, set[int]] = {}
    memo: dict[int, bool] = {}  # related() of two documents (a << 32 | b): groups of a story meet again and again

    def same_story(a: int, b: int) -> bool:
        key = a << 32 | b if a < b else b << 32 | a
        answer = memo.get(key)
        if answer is None:
            answer = memo[key] = related(a, b)
        return answer

    def one_story(ri: int, rj: int) -> bool:
        return most_pairs(docs_of.get(ri) or {doc_of[ri]}, docs_of.get(rj) or {doc_of[rj]}, same_story)

    # once per scored edge (a re-run links every edge of the run again): the common cases are tested
    # inline (free documents, claims of no group yet: then joins(), find() and one_story() are not called)
    accepted: list[Edge] = []
    append = accepted.append
    for edge in found:
        i, j = edge[1], edge[2]
        da, db = doc_of[i], doc_of[j]
        if da != db:
            if (i << 32 | db) in taken or (j << 32 | da) in taken:
                continue
            if not ((free[da] or not known[db] or joins(da, db)) and (free[db] or not known[da] or joins(db, da))):
                continue
        ri = find(i) if i in parent else i
        rj = find(j) if j in parent else j
        if ri != rj:
            # two lone claims: edges() scored them only because their documents are related
            if (ri in docs_of or rj in docs_of) and not one_story(ri, rj):
                continue
            root, other = (ri, rj) if ri < rj else (rj, ri)
            parent[other] = root
            docs_of.setdefault(root, {doc_of[root]}).update(docs_of.pop(other, None) or (doc_of[other],))
        if da != db:
            taken.add(i << 32 | db)
            taken.add(j << 32 | da)
        append(edge)

    comps: dict[int, list[int]] = defaultdict(list)
    for i in sorted({x for _, i, j, _ in accepted for x in (i, j)}):  # a claim without a link is a group of one
        comps[find(i) if i in parent else i].append(i)
    links: dict[int, list] = defaultdict(list)
    for edge in accepted:
        i = edge[1]
        links[find(i) if i in parent else i].append(edge)
    kind_of = claims.kind_of if table else (lambda i: claims[i].kind)
    groups = [ClaimGroup(kind=kind_of(ids[0]), claims=ids, links=links[root])
              for root, ids in comps.items() if len(ids) > 1]
    groups.sort(key=lambda g: g.claims[0])
    return groups


def _strongest_first(edges: list[Edge]) -> Iterator[Edge]:
    """Edges sorted by (score, i, j), in order of descending score and, among equal scores, ascending
    (i, j): what sorting on (-score, i, j) gives. (i, j) is unique, so the shared words never decide."""
    end = len(edges)
    while end:
        start = end - 1
        score = edges[start][0]
        while start and edges[start - 1][0] == score:
            start -= 1
        yield from edges[start:end]
        end = start


def _example(claims: list[Claim], ids: list[int], focus: set[int] | None) -> Claim:
    """The claim whose words name a capped key: the first of the focus when there is one (a draft
    against a store holds only part of the key's claims)."""
    if focus is not None:
        return next((claims[i] for i in ids if claims[i].doc in focus), claims[ids[0]])
    return claims[ids[0]]


def _cap_note(unit: str, key: str, example: Claim, size: int, cap: int) -> str:
    """A capped blocking key in words: count claims about 'killed' (with 'kestrel', published Mar 2026 to
    Apr 2026): 700 of them, ..."""
    key, _, month = key.partition("#")
    word, _, anchor = key.lstrip("*").partition("|")
    word = _display_word(word, example, example)
    where = []
    if anchor:
        where.append(f"with '{anchor}'")
    if month and month != "-":
        m = int(month)
        where.append(f"published {_month_name(m - 1)} to {_month_name(m)}")
    detail = f" ({', '.join(where)})" if where else ""
    return (f"{unit.rstrip(':')} claims about '{word}'{detail}: {size:,} of them, more than the cap of "
            f"{cap:,}; they were not compared with each other on this key")


def _month_name(index: int) -> str:
    """claim.context['month'] counts months from year 0: 24312 is January 2026."""
    import calendar

    return f"{calendar.month_abbr[index % 12 + 1]} {index // 12}"


def most_pairs(xs, ys, same) -> bool:
    """Average linkage: at least half of the pairs of two sets (x, y) with x != y are `same`. `same`
    is asked until the answer is certain (two large groups of one story agree early)."""
    counts = Counter(xs)
    total = len(xs) * len(ys) - sum(counts[y] for y in ys)
    need = (total + 1) // 2  # 2 * yes >= total
    yes = no = 0
    for x in xs:
        for y in ys:
            if x != y:
                if same(x, y):
                    yes += 1
                    if yes >= need:
                        return True
                else:
                    no += 1
                    if no > total - need:
                        return False
    return yes >= need


def _placed(doc: int, doc_entities: list[list[str]], least: int = 1) -> bool:
    """The document has at least `least` distinctive proper nouns."""
    return doc < len(doc_entities) and len(doc_entities[doc]) >= least


SOLE_AMOUNT = ("@sole amount",)


def _sole_amounts(claims, members, related, linked, anchors, options: AlignOptions, focus,
                  size: int | None = None, record: list | None = None) -> list[Edge]:
    """Two reports of one story that each state exactly one amount of money of the same currency and
    scale are speaking of the same amount (the bridge's cost, the deal's value).

    Blocked like every other comparison: documents meet through a shared anchor (one of their most
    mentioned distinctive proper nouns); a document without anchors meets the others only while the
    block is small enough to compare whole."""
    out = []
    per_doc: dict[int, list[int]] = defaultdict(list)
    for i in members:
        per_doc[claims[i].doc].append(i)
    sole = sorted(ids[0] for ids in per_doc.values() if len(ids) == 1)
    if size is None:
        size = len(sole)
    pairs: set[tuple[int, int]] = set()
    if size <= options.small_block:
        pairs.update(combinations(sole, 2))
    else:
        by_anchor: dict[str, list[int]] = defaultdict(list)
        unplaced = []
        for i in sole:
            doc = claims[i].doc
            anchor = anchors[doc] if doc < len(anchors) else None
            if not anchor:
                unplaced.append(i)
            for e in anchor or ():
                by_anchor[e].append(i)
        for ids in by_anchor.values():
            if len(ids) <= options.max_block:
                pairs.update(combinations(ids, 2))
        if size <= options.max_block:
            pairs.update((min(i, j), max(i, j)) for i in unplaced for j in sole if i != j)
    for i, j in sorted(pairs):
        a, b = claims[i], claims[j]
        if focus is not None and a.doc not in focus and b.doc not in focus:
            continue
        if record is None and (i, j) in linked:
            continue
        if not related(a.doc, b.doc) or _veto(a, b):
            continue
        va, vb = a.value.lo or a.value.hi, b.value.lo or b.value.hi
        if not va or not vb or max(va, vb) / min(va, vb) > 2:
            continue
        if record is not None:
            record.append((i, j))  # whether an edge joins them already depends on the word weights
            if (i, j) in linked:
                continue
        out.append((0.2, i, j, SOLE_AMOUNT))
    return out


def _display_word(key: str, a: Claim, b: Claim) -> str:
    """A shared context key as a reader would say it: the word itself, or the concept's name."""
    if key.startswith("n:"):
        return key[2:]
    if key == "@sole amount":
        return "the only amount in each report"
    if key.startswith("@"):
        return context_of(a).get("surface", {}).get(key) or key[1:]
    return context_of(a).get("surface", {}).get(key) or context_of(b).get("surface", {}).get(key) or key


def _short(c: Claim) -> str:
    return f'"{c.text}"'
