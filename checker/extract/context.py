"""What a claim is about: the words near it, the entities in its sentence, its period, and whether
it is a forecast, an earlier figure or a change. Alignment reads only these features."""
from __future__ import annotations

import re
from functools import lru_cache

from checker.extract.numbers import STOP, singular
from checker.extract.prefilter import Tail
from checker.models import Claim

_TOKEN = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿĀ-ſ][A-Za-zÀ-ÖØ-öø-ÿĀ-ſ'’\-]*|\d[\d,.]*")
EXTRA_STOP = set(
    "also just only even still very much many most some any such there here then than so not no nor yet "
    "up down out off one two three four five six seven eight nine ten about around nearly roughly "
    "least more less per cent percent million billion trillion thousand hundred dozen said says told "
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december what which how why where while who it its".split())
FORECAST = re.compile(r"\b(?:expects?|expected|expecting|forecasts?|forecasted|projected|projections?|"
                      r"guidance|guided|guides|outlook|estimates?|targets?|targeting|aims?|plans?|planned|would|will|"
                      r"could|predicts?|predicted|anticipates?|anticipated|goal|pledge[ds]?|by\s+20\d\d)\b", re.I)
PREVIOUS_BEFORE = Tail(re.compile(r"(?:up|down|rising|falling|increased?|decreased?|rose|fell|climbed|dropped|declined|"
                                  r"grew|jumped)?\s*from\s+$|(?:compared\s+(?:with|to)|versus|vs\.?|previously|"
                                  r"formerly)\s+$", re.I))
PREVIOUS_AFTER = re.compile(r"^[\s,]*(?:(?:in\s+)?(?:the\s+)?(?:a|one|two|three|four|five|six|\d+)\s+(?:years?|months?|quarters?|weeks?)\s+"
                            r"(?:ago|earlier|before)|(?:in\s+)?the\s+(?:previous|prior|same)\s+(?:year|quarter|period|month)|"
                            r"(?:a\s+year|last\s+year|the\s+year\s+before)(?:\s+earlier)?\b|previously)", re.I)
CHANGE_BEFORE = Tail(re.compile(r"\b(?:rose|rises|rising|risen|grew|grows|growing|grown|increased|increases|climbed|climbs|"
                                r"jumped|jumps|gained|gains|fell|falls|falling|fallen|dropped|drops|declined|declines|"
                                r"decreased|decreases|slipped|slumped|surged|soared|plunged|lost|shed|cut|up|down|added|"
                                r"lose|loses|gain|by)\s+(?:by\s+)?(?:about\s+|around\s+|nearly\s+|roughly\s+|some\s+|almost\s+|"
                                r"more\s+than\s+|less\s+than\s+|over\s+)?$", re.I))
CHANGE_AFTER = re.compile(r"^\s*(?:of\s+\w+\s+)?(?:less|more|fewer|higher|lower|increase|rise|gain|drop|decline|"
                          r"decrease|growth|jump|fall|shorter|longer|faster|slower|up|down)\b", re.I)
PERIOD = re.compile(r"\b(?:(?P<qord>first|second|third|fourth)[\s-]+quarter|Q(?P<qn>[1-4])|"
                    r"(?P<hord>first|second)[\s-]+half|H(?P<hn>[12])|"
                    r"(?P<mq>January-March|April-June|July-September|October-December)\s+quarter|"
                    r"(?:fiscal\s+(?:year\s+)?|FY\s?)(?P<fy>20\d\d|\d\d)|"
                    r"(?P<full>full[\s-]year|annual|year-to-date))\b", re.I)
_ORD = {"first": 1, "second": 2, "third": 3, "fourth": 4}
_MQ = {"january-march": 1, "april-june": 2, "july-september": 3, "october-december": 4}
PLACE = re.compile(r"\b(?:in|at|to|from)\s+(?P<place>(?:[A-Z][\w’'-]+)(?:\s+[A-Z][\w’'-]+){0,2})")
CONCEPTS = {
    "death": "killed kill kills killing dead death deaths died die dies toll fatalities fatality lives fatal perished",
    "injury": "injured injuries wounded hurt injuring",
    "landfall": "landfall ashore struck hit",
    "evacuation": "evacuated evacuation evacuations shelters shelter moved fled displaced",
    "cost": "cost costs price priced budget worth valued",
    "revenue": "revenue revenues sales turnover",
    "profit": "profit profits earnings income",
    "vote": "vote votes ballots",
    "turnout": "turnout",
    "growth": "rose rises grew increased climbed jumped gained up",
    "decline": "fell dropped declined decreased slipped slumped down",
    "opening": "opened opens opening inaugurated inauguration",
    "publication": "published publication released appeared",
    "meeting": "met meeting meetings talks summit held",
    "delegation": "delegation delegates member members",
    "flight": "flight flew flights",
    "sleep": "slept sleep sleeping",
    "worker": "workers worker employees staff employed workforce",
    "wind": "winds wind gusts gust",
    "power": "power electricity outage outages",
    "passenger": "passengers passenger riders travellers travelers commuters",
    "aboard": "aboard board onboard",
    "destruction": "destroyed damaged flattened razed collapsed destroying damaging",
    "start": "began begin begins begun started start starts launched commenced",
}
CONCEPT_OF = {w: c for c, ws in CONCEPTS.items() for w in ws.split()}
PERSON_NOUNS = {"people", "person", "resident", "individual", "adult", "child", "woman", "man", "worker", "passenger",
                "member", "employee", "student", "voter", "visitor", "patient", "soldier", "civilian", "officer",
                "delegate", "participant", "nurse", "doctor", "teacher", "victim", "survivor", "migrant", "refugee",
                "staff", "player", "fan", "user", "customer", "engineer", "schoolgirl", "girl", "boy", "tourist"}
# words between a number and its counted noun that make the count a subset ("70 injured passengers")
QUALIFIERS = {"injured", "wounded", "dead", "missing", "stranded", "displaced", "evacuated", "infected", "sick",
              "hospitalised", "hospitalized", "confirmed", "suspected", "foreign", "international", "domestic",
              "registered", "eligible", "female", "male", "elderly", "new", "additional", "remaining", "rescued"}
GENERIC_NOUNS = {"people", "person", "resident", "individual", "member", "time", "case", "unit", "item", "one",
                 "thing", "total", "other", "more", "less", "figure", "number"}


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    w = word.lower().strip("'’-")
    if w.endswith(("'s", "’s")):
        w = w[:-2]
    if w in CONCEPT_OF:
        return "@" + CONCEPT_OF[w]
    if len(w) > 5 and w.endswith("ing"):
        w = w[:-3]
    elif len(w) > 4 and w.endswith("ed"):
        w = w[:-2]
    else:
        w = singular(w)
    return w


def annotate(text: str, claims: list[Claim], sentences: list[tuple[int, int]]) -> None:
    """Fill claim.context (and claim.sentence) for every non-name claim; names get their sentence."""
    from bisect import bisect_right

    starts = [s[0] for s in sentences]
    cache: dict[int, tuple] = {}
    for c in claims:
        i = max(bisect_right(starts, c.start) - 1, 0)
        sent = sentences[i] if sentences else (0, len(text))
        c.sentence = sent
        if c.kind == "name":
            continue
        if i not in cache:  # what every claim of the sentence reads: its tokens, capitalised words, clause cuts
            s_text = text[sent[0]:sent[1]]
            toks = [(m.start() + sent[0], m.end() + sent[0], m.group(0)) for m in _TOKEN.finditer(s_text)]
            caps = sorted({w.lower() for _, _, w in toks if w[0].isupper()})
            cache[i] = (toks, caps, list(_CLAUSE_CUT.finditer(s_text)), _lead(toks))
        toks, caps, cuts, lead = cache[i]
        _features(text, c, sent, toks, caps, cuts)
        if lead:
            c.context["lead"] = lead
    _coordinate(text, claims)


_COORD = re.compile(r"^\s*(?:,\s*|,?\s+and\s+|,?\s+or\s+)$")


def _coordinate(text: str, claims: list[Claim]) -> None:
    """'revenue and earnings rose 19% and 37% respectively': the second figure is a change too."""
    prev = None
    for c in claims:
        if prev is not None and c.kind == prev.kind and c.kind != "name" and c.sentence == prev.sentence \
                and _COORD.match(text[prev.end:c.start]):
            for flag in ("change", "previous", "forecast"):
                c.context[flag] = c.context.get(flag) or prev.context.get(flag)
        prev = c if c.kind != "name" else prev


def _lead(toks) -> str:
    """The sentence's first word when only its position capitalises it ("Engineers said", "Revenue
    rose"): not a proper noun unless it is capitalised again later in the sentence."""
    if not toks or not toks[0][2][0].isupper():
        return ""
    first = toks[0][2]
    if any(w == first for _, _, w in toks[1:]):
        return ""
    return first.lower()


def _features(text: str, c: Claim, sent, toks, caps, cuts) -> None:
    ctx = c.context
    clause_lo, clause_hi = _clause_bounds(text, c, sent, cuts)
    before = [t for t in toks if t[1] <= c.start]
    after = [t for t in toks if t[0] >= c.end]
    words: dict[str, float] = {}
    surface: dict[str, str] = {}
    for dist, (ts, te, w) in enumerate(reversed(before)):
        _add_word(words, w, dist, ts < clause_lo, ts == sent[0], surface)
    for dist, (ts, te, w) in enumerate(after):
        _add_word(words, w, dist, te > clause_hi, False, surface)
    ctx["surface"] = surface
    noun = ctx.get("noun", "")
    if noun and noun not in GENERIC_NOUNS:
        words["n:" + noun] = 1.5
    ctx["words"] = words
    if noun and len(after) > 1 and after[0][2].lower() in QUALIFIERS and singular(after[1][2]) == noun:
        ctx["qualifier"] = _stem(after[0][2])  # "70 injured passengers": a subset of the passengers
    ctx["clause"] = (clause_lo, clause_hi)
    concepts = sorted((w for w, x in words.items() if w.startswith("@") and x >= 0.4), key=lambda w: -words[w])
    noun_concept = "@" + CONCEPT_OF[noun] if noun in CONCEPT_OF else (CONCEPT_OF.get(noun + "s") and "@" + CONCEPT_OF[noun + "s"])
    ctx["concept"] = noun_concept or (concepts[0] if concepts else "")
    ctx["caps"] = list(caps)
    left = text[max(sent[0], c.start - 40):c.start]
    right = text[c.end:min(sent[1], c.end + 48)]
    ctx["previous"] = bool(PREVIOUS_BEFORE.search(left) or PREVIOUS_AFTER.match(right))
    ctx["change"] = bool(CHANGE_BEFORE.search(left) or CHANGE_AFTER.match(right)) and c.kind != "date"
    # a forecast word governs the claim when it stands shortly before it (or right after) in its clause
    near_before = [w for _, _, w in before[-8:] if _ >= clause_lo] if before else []
    near_after = [w for s_, _, w in after[:3] if s_ < clause_hi and w.lower() in _FORECAST_AFTER]
    ctx["forecast"] = bool(FORECAST.search(" ".join(near_before + near_after)) or
                           re.match(r"\s*(?:by|within|in)\s+(?:20\d\d|the\s+next)", right) and c.kind != "date")
    clause = text[clause_lo:clause_hi]
    if c.kind == "date":  # a quarter is the claim's own value, not a qualifier of it
        clause = text[clause_lo:c.start] + " " * (c.end - c.start) + text[c.end:clause_hi]
    periods = set()
    for m in PERIOD.finditer(clause):
        if m.group("qord") or m.group("qn"):
            periods.add("Q" + str(_ORD[m.group("qord").lower()] if m.group("qord") else m.group("qn")))
        elif m.group("hord") or m.group("hn"):
            periods.add("H" + str((1 if m.group("hord").lower() == "first" else 2) if m.group("hord") else m.group("hn")))
        elif m.group("mq"):
            periods.add("Q" + str(_MQ[m.group("mq").lower()]))
        elif m.group("fy"):
            periods.add("FY" + m.group("fy")[-2:])
        elif m.group("full"):
            periods.add("FULL")
    ctx["periods"] = sorted(periods)
    places = set()
    for m in PLACE.finditer(text, max(sent[0], c.start - 30), min(sent[1], c.end + 30)):
        p = m.group("place")
        if p.split()[0] not in ("January", "February", "March", "April", "May", "June", "July", "August",
                                "September", "October", "November", "December", "Monday", "Tuesday", "Wednesday",
                                "Thursday", "Friday", "Saturday", "Sunday", "The"):
            places.add(p.lower())
    ctx["places"] = sorted(places)


_FORECAST_AFTER = {"expected", "forecast", "projected", "estimated", "predicted", "anticipated", "targeted"}


def _clause_bounds(text: str, c: Claim, sent, matches: list) -> tuple[int, int]:
    """The part of the sentence that governs the claim: split at ';' and at ', and' / ' but '
    (matches: _CLAUSE_CUT's in the sentence)."""
    a, b = sent
    s = text[a:b]
    rel_start, rel_end = c.start - a, c.end - a
    cuts = [0] + [m.end() for m in matches] + [len(s)]
    lo = max((x for x in cuts if x <= rel_start), default=0)
    hi = min((x for x in cuts if x >= rel_end), default=len(s))
    opener = next((m for m in matches if m.end() == lo), None)
    if opener is not None and re.search(r"\b(?:which|who|where|when)\s+$", opener.group(0)):
        comma = s.find(",", rel_end, hi)  # a relative clause ends at its closing comma
        if comma != -1:
            hi = comma
    return a + lo, a + hi


_CLAUSE_CUT = re.compile(r";|,\s+(?:and|but|while|whereas|which|who|when|where|up from|down from|compared with|"
                         r"compared to|according to)\s+|\s+but\s+|—|,\s+(?=[a-z]+ing\b)")


def _add_word(words: dict, w: str, dist: int, outside: bool, sentence_initial: bool, surface: dict) -> None:
    if w[0].isdigit():
        return
    lw = w.lower()
    if lw in STOP or lw in EXTRA_STOP or len(lw) < 2:
        return
    weight = 1.0 / (1.0 + dist / 2.5)
    if outside:
        weight *= 0.35  # another clause of the sentence
    key = _stem(w)
    if key in GENERIC_NOUNS:
        weight *= 0.3
    elif w[0].isupper() and not sentence_initial:
        weight *= 1.5  # names of people, places and things say what the number is about
    if weight > words.get(key, 0.0):
        words[key] = weight
        surface[key] = w.strip("'’") if w[0].isupper() and not sentence_initial else lw.strip("'’")
