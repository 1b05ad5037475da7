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
from collections import defaultdict
from dataclasses import dataclass, field

from checker.extract.context import GENERIC_NOUNS, PERSON_NOUNS
from checker.models import Claim


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
    reasons: list[str] = field(default_factory=list)
    shared: list[str] = field(default_factory=list)


def unit_block(c: Claim) -> str | None:
    v = c.value
    if c.kind == "name":
        return None
    if c.kind == "date":
        if v.invalid:
            return None
        return "date:" + v.unit
    if c.kind == "time":
        return "time:" + (v.zone or "local")
    return f"{c.kind}:{v.unit}"


def _keys(c: Claim, k: int) -> list[str]:
    words = c.context.get("words", {})
    top = sorted(words.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
    keys = [w for w, _ in top]
    noun = c.context.get("noun")
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
    if a.kind == "count":
        # a bare count needs a subject: a counted noun or a concept shared with the other claim
        if not (na or nb):
            shared = {w for w in ca.get("words", {}) if w.startswith("@")} & set(cb.get("words", {}))
            if not shared:
                return "no counted noun"
    return ""


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
    wa, wb = a.context.get("words", {}), b.context.get("words", {})
    shared = set(wa) & set(wb)
    if not shared:
        return 0.0, []
    num = 0.0
    contrib = []
    for w in sorted(shared):  # a float sum in a fixed order: the same score in every process (hash seed)
        x = min(wa[w], wb[w]) * idf.get(w, 1.0)
        num += x
        contrib.append((x, w))
    if den_a is None:
        den_a = weight(a, idf)
    if den_b is None:
        den_b = weight(b, idf)
    s = 2 * num / (den_a + den_b) if den_a + den_b else 0.0
    na, nb = a.context.get("noun"), b.context.get("noun")
    if na and na == nb:
        s += 0.15
    if a.kind == "date" and all(_proper(w, a) or _proper(w, b) for w in shared):
        s *= 0.5  # the same people in two sentences do not make two dates one event: it needs an event word
    contrib.sort(reverse=True)
    return s, [w for _, w in contrib[:4]]


def _proper(key: str, c: Claim) -> bool:
    surface = c.context.get("surface", {}).get(key, "")
    return bool(surface) and surface[0].isupper()


def compute_idf(claims: list[Claim]) -> dict[str, float]:
    df: dict[str, int] = defaultdict(int)
    seen_sentences = set()
    n = 0
    for c in claims:
        key = (c.doc, c.sentence)
        if key in seen_sentences or c.kind == "name":
            continue
        seen_sentences.add(key)
        n += 1
        for w in c.context.get("words", {}):
            df[w] += 1
    return {w: math.log(1 + n / d) for w, d in df.items()}


def related_documents(entities: list[list[str]]) -> "callable":
    """Two documents tell the same story when they share distinctive proper nouns (names, places,
    organisations). Claims of unrelated documents are never compared, however alike their words."""
    sets = [frozenset(e) for e in entities]

    def related(a: int, b: int) -> bool:
        if a == b or not sets:
            return True
        x, y = sets[a], sets[b]
        small = min(len(x), len(y))
        if small == 0:
            return True  # a document without a distinctive proper noun cannot be placed: the benefit of the doubt
        # one shared noun is enough only for a document that has one or two: a surname or a town alone
        # recurs across unrelated stories of an archive
        shared = len(x & y)
        return shared >= 2 or (shared == 1 and small <= 2)

    return related


def distinctive(doc_entities: list[list[str]]) -> list[list[str]]:
    """Keep the proper nouns that few documents share: 'Kestrel' tells a story, 'Council' does not.
    A noun in more than max(10, √documents) documents is too common to say which story a document tells."""
    from collections import Counter

    df = Counter(e for ents in doc_entities for e in set(ents))
    cap = max(10, int(len(doc_entities) ** 0.5))
    return [[e for e in ents if df[e] <= cap] for ents in doc_entities]


def align(claims: list[Claim], options: AlignOptions = AlignOptions(),
          doc_entities: list[list[str]] | None = None, focus: set[int] | None = None, *,
          idf: dict[str, float] | None = None, entity_filter=None) -> list[ClaimGroup]:
    """Groups of claims about one fact. With `focus` (document indices), only pairs that involve a
    claim of those documents are scored: an editor re-checking its draft against kept sources needs
    the draft's facts, not the sources' agreements among themselves.

    Word weights (`idf`) and which proper nouns are distinctive (`entity_filter`, default
    `distinctive`) are statistics of the whole run; a caller aligning a part of a larger collection
    (a partition of a cluster run, a draft against a store) passes the whole collection's."""
    if idf is None:
        idf = compute_idf(claims)
    doc_entities = (entity_filter or distinctive)(doc_entities or [])
    related = related_documents(doc_entities)
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(claims):
        ub = unit_block(c)
        if ub is None or c.suppressed:
            continue
        blocks[ub].append(i)

    edges: list[tuple[float, int, int, list[str]]] = []
    # blocking keys carry the story: a context key joined with one of the document's most mentioned proper
    # nouns, so "killed" in a storm story and "killed" in a war story never meet. Documents with too few
    # proper nouns to place also keep plain keys, and plain keys pair them with anything.
    anchors = [e[:options.anchors] or None for e in doc_entities]
    for ub, members in blocks.items():
        index: dict[str, list[int]] = defaultdict(list)
        plain: dict[str, list[int]] = defaultdict(list)
        unplaced: set[int] = set()
        for i in members:
            doc = claims[i].doc
            keys = _keys(claims[i], options.block_keys)
            anchor = anchors[doc] if doc < len(anchors) else None
            for k in keys:
                plain[k].append(i)
                if anchor:
                    for e in anchor:
                        index[k + "|" + e].append(i)
            if not anchor:
                unplaced.add(i)
        for k, ids in plain.items():
            if len(ids) <= options.small_block:
                index[k] = ids  # a small block is cheap to compare whole
            else:
                loose = [i for i in ids if i in unplaced]
                if loose and len(ids) <= options.max_block:
                    index["*" + k] = ids  # marked: only pairs that involve an unplaced document
        for k in [k for k, ids in index.items() if len(ids) > options.sub_block and not k.startswith("*")]:
            # a hot key (a common noun of a much-covered story, across years of an archive): reports of one
            # event are published within weeks, so compare only within overlapping two-month windows
            ids = index.pop(k)
            for i in ids:
                month = claims[i].context.get("month")
                if month is None:
                    index[k + "#-"].append(i)
                else:
                    index[f"{k}#{month}"].append(i)
                    index[f"{k}#{month + 1}"].append(i)
        candidates = set()
        for k, ids in index.items():
            if len(ids) < 2 or len(ids) > options.max_block:
                continue
            if k.startswith("*"):
                for i in ids:
                    if i in unplaced:
                        for j in ids:
                            if j != i and (focus is None or claims[i].doc in focus or claims[j].doc in focus):
                                candidates.add((i, j) if i < j else (j, i))
                continue
            if focus is not None:
                inside = [i for i in ids if claims[i].doc in focus]
                for i in inside:
                    for j in ids:
                        if j != i:
                            candidates.add((i, j) if i < j else (j, i))
                continue
            for x in range(len(ids)):
                for y in range(x + 1, len(ids)):
                    candidates.add((ids[x], ids[y]) if ids[x] < ids[y] else (ids[y], ids[x]))
        dens: dict[int, float] = {}
        for i, j in sorted(candidates):
            a, b = claims[i], claims[j]
            if not related(a.doc, b.doc) or _veto(a, b):
                continue
            if i not in dens:
                dens[i] = weight(a, idf)
            if j not in dens:
                dens[j] = weight(b, idf)
            s, why = score(a, b, idf, dens[i], dens[j])
            threshold = options.cross_threshold
            if a.doc == b.doc:
                # inside one document, lists of parallel figures are the rule: demand the same event
                threshold = options.cross_threshold if _same_event(a, b) else options.within_threshold
            if s >= threshold:
                edges.append((s, i, j, why))

    edges.extend(_sole_amounts(claims, blocks, related, {(i, j) for _, i, j, _ in edges}, anchors, options, focus))
    # across two documents a claim takes its best partner only; inside one, strong links only
    edges.sort(key=lambda e: (-e[0], e[1], e[2]))
    taken: set[tuple[int, int]] = set()  # (claim, other document)
    parent = list(range(len(claims)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    # a document without distinctive proper nouns is compared with every story, but it tells one: its
    # strongest link to a placed document decides which, and it links to no document of another story
    story_of: dict[int, int] = {}

    def same_story(unplaced: int, other: int) -> bool:
        if doc_entities and other < len(doc_entities) and doc_entities[other]:
            if story_of.setdefault(unplaced, other) != other and not related(story_of[unplaced], other):
                return False
        return True

    accepted: list[tuple[int, str, list[str]]] = []
    for s, i, j, why in edges:
        a, b = claims[i], claims[j]
        if a.doc != b.doc:
            if (i, b.doc) in taken or (j, a.doc) in taken:
                continue
            if doc_entities and not (_placed(a.doc, doc_entities) or same_story(a.doc, b.doc)):
                continue
            if doc_entities and not (_placed(b.doc, doc_entities) or same_story(b.doc, a.doc)):
                continue
            taken.add((i, b.doc))
            taken.add((j, a.doc))
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)
        words = [_display_word(w, a, b) for w in why]
        first, second = sorted((_short(a), _short(b)))
        accepted.append((i, f"{first} ~ {second}: both about {', '.join(words)} (score {s:.2f})", words))

    comps: dict[int, list[int]] = defaultdict(list)
    for i in range(len(claims)):
        comps[find(i)].append(i)
    reasons: dict[int, list[str]] = defaultdict(list)
    shared: dict[int, list[str]] = defaultdict(list)
    for i, text, words in accepted:
        root = find(i)
        reasons[root].append(text)
        shared[root].extend(w for w in words if w not in shared[root])
    groups = [ClaimGroup(kind=claims[ids[0]].kind, claims=ids, reasons=reasons[root], shared=shared[root])
              for root, ids in comps.items() if len(ids) > 1]
    groups.sort(key=lambda g: g.claims[0])
    return groups


def _placed(doc: int, doc_entities: list[list[str]]) -> bool:
    return doc < len(doc_entities) and bool(doc_entities[doc])


def _sole_amounts(claims, blocks, related, linked, anchors, options: AlignOptions, focus) -> list:
    """Two reports of one story that each state exactly one amount of money of the same currency and
    scale are speaking of the same amount (the bridge's cost, the deal's value).

    Blocked like every other comparison: documents meet through a shared anchor (one of their most
    mentioned distinctive proper nouns); a document without anchors meets the others only while the
    block is small enough to compare whole."""
    out = []
    for ub, members in blocks.items():
        if not ub.startswith("money:"):
            continue
        per_doc: dict[int, list[int]] = defaultdict(list)
        for i in members:
            per_doc[claims[i].doc].append(i)
        sole = sorted(ids[0] for ids in per_doc.values() if len(ids) == 1)
        pairs: set[tuple[int, int]] = set()
        if len(sole) <= options.small_block:
            pairs.update((sole[x], sole[y]) for x in range(len(sole)) for y in range(x + 1, len(sole)))
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
                    pairs.update((ids[x], ids[y]) for x in range(len(ids)) for y in range(x + 1, len(ids)))
            if len(sole) <= options.max_block:
                pairs.update((min(i, j), max(i, j)) for i in unplaced for j in sole if i != j)
        for i, j in sorted(pairs):
            a, b = claims[i], claims[j]
            if focus is not None and a.doc not in focus and b.doc not in focus:
                continue
            if (i, j) in linked or not related(a.doc, b.doc) or _veto(a, b):
                continue
            va, vb = a.value.lo or a.value.hi, b.value.lo or b.value.hi
            if not va or not vb or max(va, vb) / min(va, vb) > 2:
                continue
            out.append((0.2, i, j, ["@sole amount"]))
    return out


def _display_word(key: str, a: Claim, b: Claim) -> str:
    """A shared context key as a reader would say it: the word itself, or the concept's name."""
    if key.startswith("n:"):
        return key[2:]
    if key == "@sole amount":
        return "the only amount in each report"
    if key.startswith("@"):
        return a.context.get("surface", {}).get(key) or key[1:]
    return a.context.get("surface", {}).get(key) or b.context.get("surface", {}).get(key) or key


def _short(c: Claim) -> str:
    return f'"{c.text}"'
