"""Check primitives: conflict, variant, calendar. Each turns claims (and groups) into raw findings.

A raw finding is (rule, claim indices, details); the engine renders messages and evidence.
"""
from __future__ import annotations

import calendar as cal
import datetime as dt
from collections import defaultdict
from itertools import combinations
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from checker.align import ClaimGroup, most_pairs
from checker.records import context_of
from checker.checks import Rule
from checker.models import Claim
from checker.normalize.names import name_key
from checker.normalize.values import compatible


@dataclass(slots=True)
class RawFinding:
    rule: Rule
    claims: list[int]
    detail: str = ""
    values: str = ""
    subject: str = ""
    reason: str = ""
    extra: dict = field(default_factory=dict)


def _same_relative_words(claims: list[Claim]) -> bool:
    """Every claim says the same relative words ("this week", "last year"), and they differ only because
    each document was published on another day: the sources agree on what they say."""
    words = {" ".join(c.text.lower().split()) for c in claims}
    return len(words) == 1 and all(not c.value.year_known and not any(ch.isdigit() for ch in c.text) for c in claims)


def conflict(rule: Rule, claims: list[Claim], groups: list[ClaimGroup]) -> list[RawFinding]:
    out = []
    for g in groups:
        if g.kind != rule.kind:
            continue
        members = [claims[i] for i in g.claims]
        first_value = members[0].value
        if all(c.value is first_value for c in members):
            continue  # one value (a run keeps equal values as one object): nothing to compare
        # claims stating the same value are interchangeable: compare one of each distinct value
        by_value: dict[tuple, list[Claim]] = {}
        for c in sorted(members, key=_value_order):
            by_value.setdefault(_value_key(c.value), []).append(c)
        same = list(by_value.values())
        bad = next(((same[x][0], same[y][0]) for x in range(len(same)) for y in range(x + 1, len(same))
                    if not compatible(same[x][0].value, same[y][0].value, rule.options)
                    and not _same_relative_words(same[x] + same[y])), None)
        if bad is None:
            continue
        distinct: dict[str, list[Claim]] = {}
        for c in sorted(members, key=_value_order):
            distinct.setdefault(c.value.display, []).append(c)
        values = " vs ".join(f"{disp} ({', '.join(repr(c.text) for c in cs[:3])})" for disp, cs in distinct.items())
        shared = g.shared(claims)
        subject = f" ({', '.join(shared[:4])})" if shared else ""
        first, second = bad
        reason = ("Grouped because " + "; ".join(sorted(g.reasons(claims))[:4]) + ". "
                  f"They conflict: {first.value.display} and {second.value.display} cannot both be true"
                  f"{_bound_note(first)}{_bound_note(second)}.")
        out.append(RawFinding(rule, list(g.claims), values=values, subject=subject, reason=reason))
    return out


def _value_key(v) -> tuple:
    return (v.lo, v.hi, v.unit, v.bound, v.prec, v.gran, v.month, v.day, v.weekday, v.year_known, v.invalid, v.zone)


def _value_order(c: Claim) -> tuple:
    """Values in a message in a fixed order (by value, then wording), not in the order documents came."""
    v = c.value
    key = v.lo if v.lo is not None else (v.hi if v.hi is not None else float("-inf"))
    return (key, v.display, c.text)


def _bound_note(c: Claim) -> str:
    b = c.value.bound
    if b == "approx":
        return f" ('{c.text}' is approximate, allowed within the rule's tolerance)"
    if b in ("lower", "upper"):
        return f" ('{c.text}' is a {'lower' if b == 'lower' else 'upper'} bound)"
    return ""


def calendar(rule: Rule, claims: list[Claim], groups: list[ClaimGroup]) -> list[RawFinding]:
    test = rule.options.get("test", "weekday")
    out = []
    table = hasattr(claims, "of_kind")  # a ClaimTable: its dates, a chunk at a time
    for i, c in claims.of_kind("date") if table else enumerate(claims):
        if c.kind != "date" or c.suppressed:
            continue
        v = c.value
        if test == "exists" and v.invalid:
            out.append(RawFinding(rule, [i], detail=v.invalid, reason="The month has fewer days."))
        elif test == "weekday" and v.weekday is not None and not v.invalid and v.lo is not None \
                and v.lo == (v.hi if v.bound != "range" else v.lo) and v.month and v.day:
            d = dt.date.fromordinal(int(v.lo))
            if d.weekday() != v.weekday:
                year_note = "" if v.year_known else " (year taken from the publication date)"
                detail = (f"{d:%B} {d.day}, {d.year} is a {d:%A}, not a {cal.day_name[v.weekday]}{year_note}")
                out.append(RawFinding(rule, [i], detail=detail, reason="The weekday and the date disagree."))
    if table:
        out.sort(key=lambda f: f.claims[0])
    return out


def variant(rule: Rule, claims: list[Claim], groups: list[ClaimGroup], house_style: dict | None = None,
            doc_entities: list[list[str]] | None = None, focus: set[int] | None = None) -> list[RawFinding]:
    """One finding per person written in more than one way. `doc_entities`: each document's distinctive
    proper nouns; a misspelling is only assumed between documents of one story (see meet). `focus`
    (document indices): only the people written in those documents (the same findings for them, and
    the spellings of other people are never compared)."""
    max_dist = int(rule.options.get("max_edit_distance", 2))
    min_len = int(rule.options.get("min_token_length", 4))
    same_role = bool(rule.options.get("require_same_role", True))
    mentions: dict[str, list[int]] = defaultdict(list)
    evidence: set[str] = set()
    roles: dict[str, set[str]] = defaultdict(set)
    orgs: dict[str, set[str]] = defaultdict(set)
    docs_of: dict[str, set[int]] = defaultdict(set)
    tokens_of: dict[str, list[str]] = {}
    table = hasattr(claims, "of_kind")  # a ClaimTable: its names, read once a chunk at a time, in any order
    texts: dict[int, str] = {}  # a ClaimTable's: what is read of a name after this pass
    first: dict[str, int] = {}
    for i, c in claims.of_kind("name") if table else enumerate(claims):
        if c.kind != "name" or c.suppressed:
            continue
        key = c.value.display
        if c.text.isupper():
            continue  # a headline in capitals is not a spelling choice
        mentions[key].append(i)
        docs_of[key].add(c.doc)
        ctx = context_of(c)
        if table:
            texts[i] = c.text
            if i < first.get(key, i + 1):  # the tokens of the first mention, as in order of index
                first[key] = i
                tokens_of[key] = ctx.get("tokens", [])
        else:
            tokens_of.setdefault(key, ctx.get("tokens", []))
        if ctx.get("evidence"):
            evidence.add(key)
        if ctx.get("role"):
            roles[key].add(ctx["role"])
        if ctx.get("org"):
            orgs[key].add(ctx["org"])
    if table:
        for ids in mentions.values():
            ids.sort()
        text_of = texts.__getitem__
    else:
        text_of = lambda i: claims[i].text  # noqa: E731
    keys = sorted(k for k in mentions if k in evidence or _diacritic_or_spacing_variants(k, mentions, text_of))
    docs_with: dict[int, set[str]] = defaultdict(set)
    for k in keys:
        for d in docs_of[k]:
            docs_with[d].add(k)
    parent = {k: k for k in keys}

    def find(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    why: dict[str, list[str]] = defaultdict(list)
    # house style: the listed aliases are the same person as the canonical spelling
    canonical_of: dict[str, str] = {}
    for entry in house_style or []:
        canon = entry["canonical"]
        for spelling in [canon, *entry.get("aliases", [])]:
            canonical_of[name_key(spelling)] = canon
    # misspellings: one token a small edit away (same first letter), never side by side, same role.
    # Candidates share a block: the tokens with that one masked, and (with same_role) a role or
    # organisation; a pass over every pair sharing a surname was quadratic in an archive's Lees.
    rank = {k: i for i, k in enumerate(keys)}
    blocks: dict[tuple, list[str]] = defaultdict(list)
    block_of: dict[str, list[tuple]] = {}
    for k in keys:
        toks = tokens_of[k]
        quals = sorted(roles.get(k, set()) | {"org:" + o for o in orgs.get(k, ())}) if same_role else [""]
        mine = block_of[k] = [(len(toks), i, tuple(toks[:i]), t[:1], tuple(toks[i + 1:]), q)
                              for i, t in enumerate(toks) for q in quals]
        for b in mine:
            blocks[b].append(k)  # keys ascend: each block lists its spellings in rank order
    entity_sets = [frozenset(e) for e in doc_entities] if doc_entities else None

    def linked(a: str, b: str) -> tuple[bool, str]:
        ok, reason = _same_person(a, b, tokens_of, docs_of, roles, orgs, max_dist, min_len, same_role)
        if ok and entity_sets and not meet(docs_of[a], docs_of[b], entity_sets, set(tokens_of[a]) | set(tokens_of[b])):
            ok = False  # "Shin Jae-hyun" of one story and "Shin Jun-hyun" of another: two people
        return ok, reason

    if focus is None:
        pairs = {p for blk, ks in blocks.items() if len(ks) > 1
                 for p in _close_pairs(ks, blk[1], tokens_of, max_dist, min_len)}
        reached = None
    else:  # only the people of the focus: walk out from its spellings
        pairs = set()
        todo = [k for k in keys if docs_of[k] & focus]
        reached = set(todo)
    links = []  # (a, b, reason), a ranked before b
    for a, b in sorted(pairs, key=lambda p: (rank[p[0]], rank[p[1]])):
        ok, reason = linked(a, b)
        if ok:
            links.append((a, b, reason))
    while reached is not None and todo:
        a = todo.pop()
        for b in {b for blk in block_of[a] for b in blocks[blk] if b != a}:
            pair = (a, b) if rank[a] < rank[b] else (b, a)
            if pair in pairs:
                continue
            pairs.add(pair)
            ok, reason = linked(*pair)
            if ok:
                links.append((*pair, reason))
                if b not in reached:
                    reached.add(b)
                    todo.append(b)
        if a in canonical_of:  # the house style's other spellings of this person are this person too
            for b in (k for k in keys if k in canonical_of and canonical_of[k] == canonical_of[a]):
                if b not in reached:
                    reached.add(b)
                    todo.append(b)
    links.sort(key=lambda link: (rank[link[0]], rank[link[1]]))
    # average linkage: two sets of spellings are one person's when at least half of their pairs are
    # misspellings of each other ("Muhamad" joins "Mohammed" and "Muhammad" through the second). Links
    # are pairwise, and a chain of them ("Yoon Eun-seo" ~ "Yoon Eun-su" ~ "Yoon Eun-sung" ...) made
    # one person of a dozen namesakes in a large archive
    close = {(a, b): True for a, b, _ in links}
    spellings_of = {k: [k] for k in keys}

    def one_person(x: str, y: str) -> bool:
        pair = (x, y) if rank[x] < rank[y] else (y, x)
        if pair not in close:
            close[pair] = linked(*pair)[0]
        return close[pair]

    for a, b, reason in links:
        ra, rb = find(a), find(b)
        if ra != rb:
            if not most_pairs(spellings_of[ra], spellings_of[rb], one_person):
                continue
            root, other = min(ra, rb), max(ra, rb)
            parent[other] = root
            spellings_of[root].extend(spellings_of.pop(other))
        why[find(a)].append(reason)
    for k in keys:
        if k in canonical_of:
            ck = name_key(canonical_of[k])
            if ck in parent and find(ck) != find(k):
                ra, rb = find(ck), find(k)
                parent[max(ra, rb)] = min(ra, rb)
                why[find(k)].append(f"the house style lists '{canonical_of[k]}' with this spelling")
    people: dict[str, list[str]] = defaultdict(list)
    for k in keys:
        people[find(k)].append(k)
    out = []
    for root, ks in sorted(people.items()):
        idx = sorted(i for k in ks for i in mentions[k])
        spellings: dict[str, list[int]] = {}
        for i in idx:
            spellings.setdefault(_surface(text_of(i)), []).append(i)
        spellings = dict(sorted(spellings.items(), key=lambda kv: (-len(kv[1]), kv[0])))
        canon = next((canonical_of[k] for k in ks if k in canonical_of), None)
        if len(spellings) < 2 and (canon is None or canon in spellings):
            continue
        values = ", ".join(f'"{s}" ({len(ix)}×)' for s, ix in spellings.items())
        if canon is not None:
            values += f'; house style: "{canon}"'
        elif len(spellings) > 1:
            ranked = sorted(spellings.items(), key=lambda kv: -len(kv[1]))
            if len(ranked[0][1]) > len(ranked[1][1]):  # a tie names no winner
                values += f'; most used: "{ranked[0][0]}"'
        reasons = why.get(root, [])
        if len(ks) == 1:
            reasons = ["the spellings differ only in case, hyphens, spaces or diacritics"] + reasons
        count = len(spellings) if len(spellings) > 1 else f"{len(spellings)} way, not the house style's;"
        out.append(RawFinding(rule, idx, values=values, extra={"count": count, "spellings": list(spellings)},
                              reason="Same person: " + "; ".join(reasons) + "."))
    return out


def meet(docs_a: set, docs_b: set, entity_sets, name_tokens: set[str],
          most: int = 10_000) -> bool:
    """Some document of one spelling and some document of the other share a proper noun besides the
    name itself, or one of them has no other to tell (beyond `most` pairs to look at: assumed)."""
    if len(docs_a) * len(docs_b) > most:
        return True
    others_b = [entity_sets[y] - name_tokens for y in docs_b]
    if not all(others_b):
        return True
    for x in docs_a:
        ex = entity_sets[x] - name_tokens
        if not ex or any(ex & ey for ey in others_b):
            return True
    return False


def _diacritic_or_spacing_variants(key, mentions, text_of) -> bool:
    """Without other evidence of a person, two spellings that differ in diacritics, hyphens or spacing
    (not only in case) are still one name written two ways. text_of(claim index) -> its words."""
    spellings = {_surface(text_of(i)) for i in mentions[key]}
    return len({s.casefold() for s in spellings}) > 1


def _surface(text: str) -> str:
    return " ".join(text.split())


def one_token_apart(ta: list[str], tb: list[str], max_dist: int, min_len: int) -> tuple[str, str] | None:
    """The one token that differs between two spellings' tokens, as (x, y), when it is a small edit
    with the same first letter; else None."""
    if len(ta) != len(tb):
        return None
    diff = [(x, y) for x, y in zip(ta, tb) if x != y]
    if len(diff) != 1:
        return None
    x, y = diff[0]
    if min(len(x), len(y)) < min_len or x[0] != y[0] or Levenshtein.distance(x, y) > max_dist:
        return None
    return x, y


def _close_pairs(ks: list[str], pos: int, tokens_of, max_dist: int, min_len: int):
    """The pairs of a block's spellings (ks in rank order; the same tokens but at `pos`, where they
    share a first letter) whose token at `pos` is a small edit: a superset of the pairs
    one_token_apart() accepts. A block of a common surname and role holds hundreds of spellings in a
    large archive; their edit distances are taken in one call per spelling."""
    toks = [tokens_of[k][pos] for k in ks]
    if len(ks) <= 32:
        for (a, x), (b, y) in combinations(zip(ks, toks), 2):
            if x != y and min(len(x), len(y)) >= min_len and Levenshtein.distance(x, y, score_cutoff=max_dist) <= max_dist:
                yield a, b
        return
    for n, x in enumerate(toks):
        if len(x) < min_len:
            continue
        for y, _, m in process.extract(x, toks[n + 1:], scorer=Levenshtein.distance, score_cutoff=max_dist,
                                       limit=None):
            if x != y and len(y) >= min_len:
                yield ks[n], ks[n + 1 + m]


def _same_person(a, b, tokens_of, docs_of, roles, orgs, max_dist, min_len, same_role) -> tuple[bool, str]:
    apart = one_token_apart(tokens_of[a], tokens_of[b], max_dist, min_len)
    if apart is None:
        return False, ""
    if docs_of[a] & docs_of[b]:
        return False, ""  # two spellings side by side in one document are two people
    x, y = apart
    ra, rb = roles.get(a, set()), roles.get(b, set())
    oa, ob = orgs.get(a, set()), orgs.get(b, set())
    if same_role and not (ra & rb) and not (oa & ob):
        return False, ""
    if ra & rb:
        context = f"both described as {sorted(ra & rb)[0]}"
    else:
        context = "both of the same organisation"
    return True, f"'{x}' and '{y}' differ by {Levenshtein.distance(x, y)} letter(s), {context}"
