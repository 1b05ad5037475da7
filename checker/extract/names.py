"""Person names: capitalised runs (with romanized hyphenated given names and particles), titles
and roles split off, and the evidence that the run names a person rather than a place or firm."""
from __future__ import annotations

from functools import lru_cache
from typing import Iterator

import regex

from checker.models import Claim, Value
from checker.normalize.names import fold, name_key

# fold() is pure and meets the same capitalised words over and over: remember it
_fold = lru_cache(maxsize=65536)(fold)

_TOK = r"\p{Lu}[\p{Ll}'’]*\p{Ll}(?:-\p{L}\p{Ll}+)?"
_PARTICLE = r"(?:de|da|del|della|di|do|dos|du|van|von|der|den|la|le|bin|ibn|al|el|ter|ten|zu)"
RUN = regex.compile(rf"(?<![\p{{L}}\-.])(?:Mr\.|Mrs\.|Ms\.|Dr\.|Prof\.|Sen\.|Rep\.|Gen\.|St\.|{_TOK})(?:\s+(?:{_PARTICLE}\s+)?(?:{_TOK}|[A-Z]\.)){{0,6}}(?:'s|’s)?")

TITLES = set(
    "president vice prime minister ministers finance foreign defense defence interior trade chairman "
    "chairwoman chair chief executive mayor governor senator sen rep representative congressman "
    "congresswoman dr mr mrs ms miss prof professor judge justice general gen colonel col captain capt "
    "lieutenant sergeant admiral king queen prince princess pope secretary spokesperson spokesman "
    "spokeswoman coach director ambassador chancellor premier deputy speaker lord sir dame lady "
    "commissioner inspector detective officer chef minister-president president-elect ceo cfo coo cto "
    "founder manager leader opposition sheriff superintendent bishop archbishop rabbi imam father "
    "reverend rev minister. mr. dr. mrs. ms. prof. st. councillor councilor alderman treasurer attorney "
    "auditor economist analyst author researcher lead senior junior head prosecutor sen. rep. gen. "
    "crown emperor empress sultan sheikh president's the a an".split())
NOT_PERSON_LAST = set(
    "systems system university college school journal times herald post daily news ledger wire fans inc corp "
    "corporation group bank ministry province peninsula sea ocean river lake mountain cemetery forum summit "
    "council party committee festival storm hurricane typhoon airport station street avenue road bridge "
    "crossing park square hall center centre institute agency association foundation company co ltd llc "
    "plc holdings partners capital fund index exchange market markets tower hotel hospital church "
    "cooperation economic union nations states republic kingdom city county district island islands "
    "war commission court department office service services network media press review report brief "
    "weekly monthly desk line business club team league cup games olympics award prize police army navy "
    "airlines airways motors electronics technologies labs studio studios pictures records energy health "
    "science sciences research trust church mosque temple museum library gallery theatre theater stadium "
    "arena valley bay coast harbor harbour port beach gulf strait canal dam plant region zone area "
    "assembly parliament congress senate house cabinet government administration ministry".split())
NOT_PERSON_FIRST = set(
    "storm hurricane typhoon cyclone mount lake port north south east west new the northern southern "
    "eastern western central upper lower greater saint san santa los las el fort cape gulf bay "
    "january february march april may june july august september october november december monday "
    "tuesday wednesday thursday friday saturday sunday related image what how why when where who "
    "this that these those our their his her its my your chinese korean japanese american british "
    "french german indian russian european african asian australian canadian mexican national "
    "international federal royal united global world asia-pacific yellow red blue green black white "
    "during following after before while with without under over about according".split())
SPEECH_AFTER = regex.compile(r"^(?:'s|’s)?(?:\s+of\s+(?:the\s+)?[\p{L}\s]{2,40}?)?,?\s+(?:said|says|told|wrote|added|noted|stated|explained|argued|"
                             r"announced|declared|insisted|warned|confirmed|denied|tweeted|posted|replied|"
                             r"who\b|, who\b|\d{1,3},)", regex.I)
APPOSITION_AFTER = regex.compile(r"^,\s+(?:the|a|an|his|her|its)\s+(?P<role>(?:[a-z\-]+\s+){0,3}(?:[a-z]+(?:ist|ologist|er|or|ian)\b|minister|president|mayor|governor|"
                                 r"chairman|chairwoman|chief|executive|director|coach|spokesperson|spokesman|"
                                 r"spokeswoman|secretary|leader|ceo|founder|author|researcher|manager|"
                                 r"ambassador|judge|officer|commissioner|chancellor|premier|deputy|head))\b")
ORG_AFTER = regex.compile(r"^(?:'s|’s)?(?:,\s+(?:a|an|the)\s+[\p{Ll}\s-]{0,40}?)?\s+(?:of|at|from)\s+(?:the\s+)?"
                           r"(?P<org>\p{Lu}[\p{L}&'’-]*(?:\s+(?:of\s+|for\s+|and\s+)?\p{Lu}[\p{L}&'’-]*){0,5})")
ROLE_BEFORE = regex.compile(r"(?P<role>(?:\b[\p{L}\-]+\s+){0,3})$")


_ROLE_SUFFIX = regex.compile(r"(?:ologist|ist|er|or|ian|ant|ent)$")
_NON_SPACE = regex.compile(r"\S+")
_SPACE = regex.compile(r"\s")


@lru_cache(maxsize=65536)
def _is_title(t: str) -> bool:
    f = _fold(t).rstrip(".")
    return f in TITLES or (len(f) > 6 and bool(_ROLE_SUFFIX.search(f)) and f not in NOT_PERSON_LAST
                           and f not in NOT_PERSON_FIRST)


def _split_title(tokens: list[str]) -> tuple[list[str], list[str]]:
    """['South', 'Korean', 'President', 'Lee', 'Jae-myung'] -> (['...President'], ['Lee', 'Jae-myung'])."""
    cut = 0
    for i, t in enumerate(tokens[:-2] if len(tokens) > 2 else tokens[:1]):
        if _is_title(t):
            cut = i + 1
    for i, t in enumerate(tokens):
        if _fold(t).rstrip(".") in TITLES:
            cut = max(cut, i + 1)
    return tokens[:cut], tokens[cut:]


def extract_names(text: str) -> Iterator[Claim]:
    for m in RUN.finditer(text):
        raw = m.group(0)
        if not _SPACE.search(raw):
            continue  # one word ("The", "Officials"): less than a name, whatever the titles
        possessive = raw.endswith(("'s", "’s"))
        body = raw[:-2] if possessive else raw
        # token positions inside the run
        toks = [(t.start(), t.end(), t.group(0)) for t in _NON_SPACE.finditer(body)]  # two or more: a space is in it
        titles, rest = _split_title([t[2] for t in toks])
        if len(rest) < 2 or len(rest) > 4:
            continue
        first_i = len(titles)
        tok_rest = toks[first_i:]
        if any(len(t[2]) == 2 and t[2].endswith(".") for t in tok_rest[-1:]):
            continue
        if _fold(rest[-1]) in NOT_PERSON_LAST or _fold(rest[0]) in NOT_PERSON_FIRST:
            continue
        if any(_fold(t) in NOT_PERSON_LAST for t in rest[1:]):
            continue
        start = m.start() + tok_rest[0][0]
        end = m.start() + tok_rest[-1][1]
        surface = text[start:end]
        role = " ".join(titles).strip()
        before = text[max(0, start - 40):start]
        after = text[m.end():m.end() + 60]
        evidence = []
        if titles:
            evidence.append("title")
        rb = ROLE_BEFORE.search(before)
        if not _role_key(role) and rb:
            words = [w for w in rb.group("role").split() if _fold(w).rstrip(".,") in TITLES and _fold(w) not in ("the", "a", "an")]
            if words:
                role = " ".join(words)
                evidence.append("role")
        ap = APPOSITION_AFTER.match(after)
        if ap:
            role = role or ap.group("role")
            evidence.append("apposition")
        if SPEECH_AFTER.match(after):
            evidence.append("speech")
        if any("-" in t for t in rest[1:]) and len(rest) <= 3:
            evidence.append("romanized")
        key = name_key(surface)
        v = Value(lo=None, hi=None, unit="name", gran="person", display=key)
        claim = Claim("name", start, end, surface, v)
        claim.context["tokens"] = [name_key(t) for t in rest]
        claim.context["role"] = _role_key(role)
        claim.context["evidence"] = evidence
        om = ORG_AFTER.match(text[m.end():m.end() + 120])
        if om:
            claim.context["org"] = name_key(om.group("org"))
        yield claim


_ROLE_SYNONYMS = {"chairwoman": "chairman", "chair": "chairman", "ceo": "executive", "spokesman": "spokesperson",
                  "spokeswoman": "spokesperson", "researcher": "author", "lead": "author", "head": "leader",
                  "premier": "prime minister"}


def _role_key(role: str) -> str:
    words = [_fold(w).strip(".,") for w in role.split() if _fold(w).strip(".,") in TITLES or _is_title(w)]
    words = [w for w in words if w not in ("the", "a", "an", "mr", "mrs", "ms", "dr", "prof", "sir", "lady",
                                           "lead", "senior", "junior")]
    if not words:
        return ""
    last = words[-1]
    if last == "minister" and len(words) > 1 and words[-2] == "prime":
        return "prime minister"
    return _ROLE_SYNONYMS.get(last, last)


def surname_mentions(text: str, surnames: set[str]) -> Iterator[tuple[int, int, str]]:
    """Single-token mentions of known surnames ('Lee said', 'Álvarez, 61')."""
    for m in regex.finditer(rf"(?<![\p{{L}}\-]){_TOK}(?![\p{{L}}\-])", text):
        if name_key(m.group(0)) in surnames:
            yield m.start(), m.end(), m.group(0)
