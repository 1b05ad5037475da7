"""Generate a corpus of news-like documents for benchmarking: stories of 2-5 reports about one
invented event each, with dates, times, numbers, money, units, people and planted conflicts.

    python bench/generate.py OUT_DIR --docs 10000 [--seed 7]

Everything comes from the templates and made-up vocabularies below (names are built from syllables),
so nothing is copied from anywhere. Deterministic for a seed, and story i is the same whatever the
corpus size, so a 1k corpus is the first 1k documents of the 10k one. Writes OUT_DIR/planted.json:
one entry per planted conflict (story folder, kind, the documents involved).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
from pathlib import Path

GENERATOR_VERSION = 2  # bump when the output changes: bench/perf.py regenerates older corpora

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
MONTH_ABBR = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
SMALL = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]

ONSETS = ["b", "br", "d", "dr", "f", "g", "gr", "h", "k", "kr", "l", "m", "n", "p", "r", "s", "st", "t", "tr", "v",
          "z", "th", "sh", "ch", "c", "j", "w", "sk", "fl", "pl"]
VOWELS = ["a", "e", "i", "o", "u", "a", "e", "o", "ai", "ea", "ou", "ie", "au"]
CODAS = ["", "", "", "", "n", "r", "l", "s", "m", "nd", "rt"]
SURNAME_ENDS = ["son", "sen", "ova", "ez", "ski", "ani", "ard", "well", "berg", "ich", "ley", "mont", "ay", "oni",
                "quist", "er", "in", "os", "ak", "ford"]
PLACE_ENDS = ["ford", "haven", "by", "ton", "mouth", "field", "burg", "vale", "wick", "stead", "port", "moor",
              "bridge", "holm", "dale"]
ROMAN_SYLLABLES = ["min", "seo", "jun", "ho", "yeon", "su", "hae", "jin", "woo", "kyung", "tae", "hyun", "mi", "jae",
                   "sung", "eun", "dong", "ha", "yong", "chul"]
ROMAN_SURNAMES = ["Kang", "Yoon", "Han", "Seo", "Baek", "Ryu", "Jang", "Shin", "Moon", "Kwon"]
ACCENTED = {"Jose": "José", "Alvarez": "Álvarez", "Ines": "Inés", "Sato": "Satō", "Muller": "Müller",
            "Nunez": "Núñez", "Renee": "Renée", "Soren": "Søren", "Lucia": "Lucía", "Ramon": "Ramón"}
OUTLETS = ["Coastal Herald", "Valley Times", "Evening Ledger", "Northern Post", "Market Daily", "Civic Wire",
           "Harbour Gazette", "Metro Bulletin", "Province Journal", "Morning Courier", "Lakeside Observer",
           "Capital Dispatch"]

# Background sentences: ordinary prose, a few figures that stay the same in every report of a story.
FILLER = [
    "{place} has long depended on {industry}, and local leaders have spent years trying to broaden its economy.",
    "The council is expected to discuss the matter again at its next regular meeting.",
    "Critics argue that the decision was rushed, while supporters say it was overdue.",
    "{place}, a town of about {population:,} people, sits on the edge of {region}.",
    "Similar debates have played out in neighbouring towns across {region} in recent years.",
    "The regional government has promised a review, but no timetable has been set.",
    "A spokesperson for {org} declined to comment on the details, citing ongoing discussions.",
    "Traffic in the town centre was heavier than normal for most of the afternoon.",
    "The episode has revived questions about how {region} plans for the years ahead.",
    "{org} said it would publish a fuller account once it had reviewed the information available.",
    "The nearest city, {city}, is roughly {distance} kilometres to the north.",
    "Unemployment in {region} stands at {unemployment} percent, above the national average.",
    "About {unemployment} percent of working-age adults in {place} are without a job.",
    "{place} has a jobless rate of {unemployment} percent, local figures show.",
    "The town was founded in {founded} and grew quickly after the railway arrived.",
    "{org} has an annual budget of ${budget} million.",
    "About {households:,} households in the district rely on a single main road.",
    "The last comparable event in the area was recorded in {last_year}.",
    "Economists cautioned against drawing firm conclusions from a single set of figures.",
    "The story drew wide attention on social media, where residents shared photographs and videos.",
]
SUBJECTS = ["Residents", "Local officials", "Business owners in {place}", "Members of the council", "Opposition politicians",
            "Community leaders", "Teachers at a nearby school", "Several families", "Regional planners",
            "Union representatives", "Emergency workers", "Shopkeepers on the high street", "Farmers outside {place}",
            "Church leaders", "Students at the local college", "Retired residents", "Representatives of {org}",
            "Observers in {city}", "Transport officials", "Health workers", "Neighbours", "Parents", "Commuters",
            "Two former mayors", "Local historians", "Hotel owners", "Nurses at the district hospital", "Fishermen",
            "Environmental groups", "A group of pensioners", "Young voters", "Market traders", "Bus drivers"]
PREDICATES = ["said they were still waiting for answers", "called for a full review of what had happened",
              "welcomed the news but urged caution", "expressed concern about the long-term cost",
              "questioned the timing of the announcement", "praised the speed of the response",
              "asked for clearer information from the authorities", "warned that the recovery could take years",
              "said the town had been through worse", "described a mood of cautious optimism",
              "pointed to the need for better planning", "said communication had improved since the last crisis",
              "urged the regional government to release more money", "said the figures matched what they had seen",
              "argued that smaller towns are too often overlooked", "said younger people were leaving the area",
              "hoped the attention would bring new investment", "said they would hold a public meeting soon",
              "complained about the lack of public transport", "said they trusted the officials in charge"]
TAILS = ["", "", "", " in interviews this week", " in a joint statement", " at a meeting in the town hall",
         " on local radio", " in letters to the local newspaper", ", speaking on condition of anonymity",
         " during a visit to {place}"]
INDUSTRIES = ["fishing", "timber", "tourism", "shipbuilding", "farming", "textile mills", "a single large employer",
              "the port", "mining", "logistics"]
SOURCE_LINES = ["officials said", "according to {org}", "the authorities said", "a spokesperson confirmed",
                "local media reported", "figures released by {org} showed"]


class Namer:
    """Made-up names built from syllables, unique inside a story."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def _word(self, syllables: int) -> str:
        r = self.rng
        w = "".join(r.choice(ONSETS) + r.choice(VOWELS) + r.choice(CODAS) for _ in range(syllables))
        return w[:1].upper() + w[1:]

    def unique(self, make) -> str:
        for _ in range(50):
            w = make()
            if w not in self.used and len(w) > 3:
                self.used.add(w)
                return w
        return make()

    def first(self) -> str:
        if self.rng.random() < 0.12:
            return self.rng.choice(["Jose", "Ines", "Renee", "Soren", "Lucia", "Ramon"])
        return self.unique(lambda: self._word(self.rng.choice((1, 2, 2))))

    def surname(self) -> str:
        if self.rng.random() < 0.1:
            return self.rng.choice(["Alvarez", "Sato", "Muller", "Nunez"])
        return self.unique(lambda: self._word(self.rng.choice((1, 1, 2))) + self.rng.choice(SURNAME_ENDS))

    def person(self) -> dict:
        if self.rng.random() < 0.15:  # a romanized name with a hyphenated given name
            a, b = self.rng.sample(ROMAN_SYLLABLES, 2)
            sur = self.unique(lambda: self.rng.choice(ROMAN_SURNAMES))
            return {"first": f"{a.title()}-{b}", "last": sur, "full": f"{sur} {a.title()}-{b}", "roman": True}
        first, last = self.first(), self.surname()
        accented = self.rng.random() < 0.5
        first_s = ACCENTED.get(first, first) if accented else first
        last_s = ACCENTED.get(last, last) if accented else last
        return {"first": first_s, "last": last_s, "full": f"{first_s} {last_s}", "roman": False}

    def place(self) -> str:
        return self.unique(lambda: self._word(self.rng.choice((1, 2))) + self.rng.choice(PLACE_ENDS))


def name_variant(p: dict, rng: random.Random) -> str:
    """Another spelling of the same person: spacing of a romanized name, dropped accents, one letter."""
    if p["roman"]:
        a, b = p["first"].split("-")
        return f"{p['last']} {a} {b.title()}"
    for plain, accented in ACCENTED.items():
        if accented in p["full"]:
            return p["full"].replace(accented, plain)
    last = p["last"]
    vowels = [i for i, ch in enumerate(last) if ch in "aeiou" and i > 0]
    if vowels:
        i = rng.choice(vowels)
        repl = rng.choice([v for v in "aeiou" if v != last[i]])
        last = last[:i] + repl + last[i + 1:]
    else:
        last = last + "e"
    return f"{p['first']} {last}"


# ---- how values are written -----------------------------------------------------------------------------

def fmt_count(n: int, rng: random.Random) -> str:
    if n <= 12 and rng.random() < 0.5:
        return SMALL[n]
    return f"{n:,}"


def fmt_money(amount: float, cur: str, rng: random.Random) -> str:
    sym = {"USD": "$", "EUR": "€", "GBP": "£"}[cur]
    if amount >= 1e9:
        v, scale = amount / 1e9, "billion"
    elif amount >= 1e6:
        v, scale = amount / 1e6, "million"
    else:
        return f"{sym}{amount:,.0f}"
    num = f"{v:.1f}".rstrip("0").rstrip(".")
    if cur == "EUR" and rng.random() < 0.4:
        return f"{num} {scale} euros"
    return f"{sym}{num} {scale}"


def fmt_date(d: dt.date, pub: dt.date, rng: random.Random, allow_relative: bool = True) -> str:
    r = rng.random()
    if allow_relative and 0 < (pub - d).days <= 5 and r < 0.2:
        return WEEKDAYS[d.weekday()]
    if r < 0.45:
        return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"
    if r < 0.6:
        return f"{WEEKDAYS[d.weekday()]}, {MONTHS[d.month - 1]} {d.day}"
    if r < 0.75:
        return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    if r < 0.88:
        return f"{MONTH_ABBR[d.month - 1]} {d.day}"
    return f"{MONTHS[d.month - 1]} {d.day}"


def fmt_time(minutes: int, rng: random.Random) -> str:
    h, m = divmod(minutes, 60)
    suffix = "a.m." if h < 12 else "p.m."
    h12 = h % 12 or 12
    if rng.random() < 0.3:
        return f"{h:02d}:{m:02d}"
    return f"{h12}:{m:02d} {suffix}" if m else f"{h12} {suffix}"


# ---- stories --------------------------------------------------------------------------------------------

class Story:
    """One invented event: its facts (kind, value, sentence templates) and the world around it."""

    def __init__(self, rng: random.Random, index: int):
        self.rng = rng
        self.index = index
        self.namer = Namer(rng)
        self.place = self.namer.place()
        self.city = self.namer.place()
        self.region = self.namer.place() + rng.choice(["", "", " Province", " County", " District", " Region",
                                                       " Valley", " Coast"])
        self.org = f"{self.place} {rng.choice(['Council', 'Authority', 'Development Agency', 'Civil Protection Office'])}"
        self.date = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(0, 6 * 365))
        self.population = rng.randrange(8, 400) * 1000
        self.industry = rng.choice(INDUSTRIES)
        self.distance = rng.randrange(20, 180)
        self.background = {"unemployment": rng.randrange(3, 15), "founded": rng.randrange(1650, 1900),
                           "budget": rng.randrange(4, 300), "households": rng.randrange(2, 60) * 100,
                           "last_year": rng.randrange(1950, 2015)}
        self.people: list[tuple[dict, str]] = []  # (person, role)
        self.facts: dict[str, tuple[str, object, list[str]]] = {}
        self.headlines: list[str] = []
        getattr(self, "_" + rng.choice(STORY_KINDS))()

    def person(self, role: str) -> dict:
        p = self.namer.person()
        self.people.append((p, role))
        return p

    def fact(self, key: str, kind: str, value, templates: list[str]) -> None:
        self.facts[key] = (kind, value, templates)

    # each builder declares facts; templates name the value {v}, the story's world and its people
    def _storm(self):
        r = self.rng
        self.name = "Storm " + self.namer.first()
        gov = self.person("Governor")
        self.headlines = ["{name} makes landfall near {place}", "{name} batters {region}", "Clean-up begins after {name}"]
        self.fact("date", "date", self.date, ["{name} made landfall near {place} on {v}, bringing heavy rain and flooding.",
                                              "{name} came ashore on {v}, {src}.",
                                              "The storm struck the coast of {region} on {v}."])
        self.fact("time", "time", r.randrange(0, 24) * 60 + r.choice((0, 15, 30, 45)),
                  ["Landfall came at {v}, when the tide was at its highest.",
                   "The eye of the storm crossed the coast at about {v}."])
        self.fact("deaths", "count", r.randrange(2, 40), ["The storm killed {v} people, {src}.",
                                                          "The death toll rose to {v} by the evening.",
                                                          "At the latest count {v} people had died."])
        self.fact("evacuated", "count", r.randrange(10, 300) * 100,
                  ["{v} residents were evacuated from low-lying districts.",
                   "Authorities moved {v} people to shelters before the storm arrived."])
        self.fact("wind", "quantity", r.randrange(9, 22) * 10, ["Winds reached {v} km/h along the coast.",
                                                                  "Gusts of {v} km/h were recorded at the harbour."])
        self.fact("homes", "count", r.randrange(5, 120) * 1000, ["Power was cut to {v} homes across {region}.",
                                                                  "{v} homes lost electricity overnight."])
        self.fact("damage", "money", ("USD", r.randrange(12, 900) * 1e6),
                  ["Insurers estimate the damage at {v}.", "Early estimates put the cost of repairs at {v}."])
        self.fact("gov", "name", gov, ["Governor {v} said the response had saved lives.",
                                       "\"We were ready for this,\" Governor {v} told reporters."])

    def _bridge(self):
        r = self.rng
        self.name = f"{self.place} {r.choice(['Crossing', 'Bridge', 'Viaduct'])}"
        mayor = self.person("Mayor")
        self.headlines = ["{name} opens to traffic", "{place} celebrates its new bridge", "First cars cross the {name}"]
        self.fact("date", "date", self.date, ["The new {name} opened to traffic on {v}.",
                                              "The {name} was opened on {v} after years of delays.",
                                              "Drivers first crossed the {name} on {v}."])
        self.fact("cost", "money", ("USD", r.randrange(3, 60) * 1e8),
                  ["The project cost {v}, {src}.", "Built at a cost of {v}, the bridge is the largest project in {region}."])
        self.fact("length", "quantity", r.randrange(8, 60) / 10, ["The bridge is {v} kilometers long.",
                                                                   "The span stretches {v} kilometers across the estuary."])
        self.fact("workers", "count", r.randrange(4, 40) * 100, ["About {v} workers were employed on the site.",
                                                                  "At the peak of construction {v} workers were on site."])
        self.fact("years", "duration", r.randrange(2, 7), ["Construction took {v} years.",
                                                           "The work lasted {v} years, longer than first planned."])
        self.fact("vehicles", "count", r.randrange(20, 120) * 1000, ["Engineers expect {v} vehicles a day by the end of the decade.",
                                                                      "The crossing is designed to carry {v} vehicles a day."])
        self.fact("mayor", "name", mayor, ["Mayor {v} cut the ribbon at the ceremony.",
                                           "\"This is a proud day,\" Mayor {v} said."])

    def _earnings(self):
        r = self.rng
        self.name = self.namer.surname() + r.choice([" Systems", " Holdings", " Industries", " Foods", " Logistics"])
        ceo = self.person("Chief executive")
        q = r.choice(["first", "second", "third", "fourth"])
        self.headlines = ["{name} reports {q}-quarter results", "{name} revenue rises", "{name} beats forecasts"]
        self.q = q
        self.fact("date", "date", self.date, ["{name} reported its {q}-quarter results on {v}.",
                                              "The results were published on {v}."])
        self.fact("revenue", "money", ("USD", r.randrange(5, 400) * 1e8),
                  ["{q_cap}-quarter revenue was {v}.", "The company said {q}-quarter revenue reached {v}."])
        self.fact("profit", "money", ("USD", r.randrange(2, 90) * 1e7),
                  ["Net profit came to {v} in the {q} quarter.", "{q_cap}-quarter profit was {v}, {src}."])
        self.fact("growth", "percent", r.randrange(2, 30), ["Revenue rose {v} percent from a year earlier.",
                                                             "Sales climbed {v}% compared with the same quarter last year."])
        self.fact("staff", "count", r.randrange(10, 900) * 10, ["The company employs {v} people.",
                                                                 "{name} has a workforce of {v} employees."])
        self.fact("ceo", "name", ceo, ["Chief executive {v} told analysts the company was on track.",
                                       "\"Demand remained strong,\" chief executive {v} said."])

    def _election(self):
        r = self.rng
        self.name = f"the {self.place} mayoral election"
        winner = self.person("Mayor-elect")
        self.person("Candidate")
        self.headlines = ["{winner} wins {place} mayoral race", "{place} elects a new mayor", "Turnout up in {place} vote"]
        self.fact("date", "date", self.date, ["Voters in {place} went to the polls on {v}.",
                                              "The election was held on {v}."])
        self.fact("turnout", "percent", r.randrange(35, 80), ["Turnout was {v} percent, {src}.",
                                                               "Election officials put turnout at {v}%."])
        self.fact("votes", "count", r.randrange(3000, 90000), ["The winner received {v} votes.",
                                                               "{winner} won with {v} votes."])
        self.fact("margin", "percent", r.randrange(1, 20), ["The margin of victory was {v} percentage points.",
                                                             "{winner} won by {v} percentage points."])
        self.fact("winner", "name", winner, ["{v} was declared the winner late in the evening.",
                                             "\"The people of {place} have spoken,\" {v} said."])

    def _study(self):
        r = self.rng
        self.name = f"the University of {self.place}"
        lead = self.person("Professor")
        self.headlines = ["Study finds link between sleep and memory", "{place} researchers publish sleep study",
                          "Sleep study from {place} draws attention"]
        self.fact("date", "date", self.date, ["The study was published on {v}.", "Researchers published the findings on {v}."])
        self.fact("participants", "count", r.randrange(4, 90) * 100,
                  ["The study followed {v} participants.", "Researchers tracked {v} adults."])
        self.fact("share", "percent", r.randrange(10, 70), ["{v} percent of participants slept less than six hours.",
                                                             "About {v}% of those studied reported poor sleep."])
        self.fact("months", "duration", r.randrange(6, 48), ["The participants were followed for {v} months.",
                                                             "The research ran for {v} months."])
        self.fact("budget", "money", ("EUR", r.randrange(5, 90) * 1e5 * 10),
                  ["The project was funded with {v}.", "Funding for the research totalled {v}."])
        self.fact("lead", "name", lead, ["Professor {v}, who led the study, said the results were clear.",
                                         "\"We were surprised by the size of the effect,\" said Professor {v}."])

    def _derailment(self):
        r = self.rng
        self.name = f"the {self.place} derailment"
        op = self.person("Spokesperson")
        self.headlines = ["Train derails near {place}", "Passengers hurt in {place} derailment", "Inquiry into {place} train crash"]
        self.fact("date", "date", self.date, ["A passenger train derailed near {place} on {v}.",
                                              "The derailment happened on {v}, {src}."])
        self.fact("time", "time", r.randrange(5, 23) * 60 + r.choice((0, 10, 20, 40)),
                  ["The train left the tracks at {v}.", "The accident happened shortly before {v}."])
        self.fact("passengers", "count", r.randrange(60, 600), ["The train was carrying {v} passengers.",
                                                                 "There were {v} passengers on board."])
        self.fact("injured", "count", r.randrange(3, 80), ["{v} people were injured.",
                                                           "Hospitals treated {v} injured passengers."])
        self.fact("speed", "quantity", r.randrange(6, 16) * 10, ["The train was travelling at {v} km/h.",
                                                                  "Investigators said the train was moving at {v} km/h."])
        self.fact("hours", "duration", r.randrange(3, 30), ["The line was closed for {v} hours.",
                                                            "Services were suspended for {v} hours."])
        self.fact("op", "name", op, ["Spokesperson {v} said an investigation had begun.",
                                     "\"Safety is our first priority,\" spokesperson {v} said."])

    def _festival(self):
        r = self.rng
        self.name = f"the {self.place} {r.choice(['Jazz', 'Film', 'Folk', 'Lantern', 'Harvest'])} Festival"
        director = self.person("Director")
        self.headlines = ["{name_cap} draws record crowds", "{name_cap} closes", "Crowds flock to {place}"]
        self.fact("date", "date", self.date, ["{name_cap} opened on {v}.", "The festival began on {v}."])
        self.fact("visitors", "count", r.randrange(10, 400) * 500, ["The festival attracted {v} visitors.",
                                                                     "Organisers counted {v} visitors."])
        self.fact("ticket", "money", ("GBP", r.randrange(20, 180)), ["A day ticket cost {v}.",
                                                                     "Tickets were sold at {v} each."])
        self.fact("acts", "count", r.randrange(20, 200), ["{v} acts performed on six stages.",
                                                          "The programme featured {v} performers."])
        self.fact("days", "duration", r.randrange(3, 11), ["The festival ran for {v} days.",
                                                           "Events continued for {v} days."])
        self.fact("director", "name", director, ["Festival director {v} called it the best year yet.",
                                                 "\"We are already planning next year,\" director {v} said."])

    def _fire(self):
        r = self.rng
        self.name = f"the {self.place} factory fire"
        chief = self.person("Fire chief")
        self.headlines = ["Fire destroys factory in {place}", "{place} factory blaze under control",
                          "Firefighters battle {place} blaze"]
        self.fact("date", "date", self.date, ["A fire broke out at a factory in {place} on {v}.",
                                              "The blaze started on {v}, {src}."])
        self.fact("time", "time", r.randrange(0, 24) * 60 + r.choice((0, 30)),
                  ["The alarm was raised at {v}.", "The first call came in at {v}."])
        self.fact("firefighters", "count", r.randrange(30, 250), ["{v} firefighters fought the blaze.",
                                                                   "Some {v} firefighters were sent to the scene."])
        self.fact("hours", "duration", r.randrange(3, 20), ["It took {v} hours to bring the fire under control.",
                                                            "The fire burned for {v} hours."])
        self.fact("injured", "count", r.randrange(1, 25), ["{v} workers were injured.", "{v} people were treated for injuries."])
        self.fact("damage", "money", ("EUR", r.randrange(2, 90) * 1e6),
                  ["The damage was estimated at {v}.", "The owners put the losses at {v}."])
        self.fact("chief", "name", chief, ["Fire chief {v} said the cause was not yet known.",
                                           "\"The building could not be saved,\" fire chief {v} said."])

    def _summit(self):
        r = self.rng
        self.name = f"the {self.city} summit"
        a = self.person("President")
        b = self.person("Prime Minister")
        self.headlines = ["{a} and {b} meet in {city}", "Leaders sign deals at {city} summit", "{city} talks end"]
        self.fact("date", "date", self.date, ["President {a} and Prime Minister {b} met in {city} on {v}.",
                                              "The summit was held in {city} on {v}."])
        self.fact("minutes", "duration", r.randrange(3, 16) * 10, ["The talks lasted {v} minutes.",
                                                                    "The leaders spoke for {v} minutes."])
        self.fact("deals", "count", r.randrange(3, 25), ["The two sides signed {v} agreements.",
                                                         "{v} agreements were signed at the summit."])
        self.fact("trade", "money", ("USD", r.randrange(5, 500) * 1e8),
                  ["Trade between the two countries is worth {v} a year.", "Annual trade stands at {v}."])
        self.fact("a", "name", a, ["President {v} called the talks productive.",
                                   "\"This is a new chapter,\" President {v} said."])
        self.fact("b", "name", b, ["Prime Minister {v} thanked the hosts.", "Prime Minister {v} said more work lay ahead."])


STORY_KINDS = ["storm", "bridge", "earnings", "election", "study", "derailment", "festival", "fire", "summit"]


def perturb(kind: str, value, rng: random.Random):
    """A value that cannot be reconciled with the original."""
    if kind == "date":
        return value + dt.timedelta(days=rng.choice((-1, 1, 2)))
    if kind == "time":
        return (value + rng.choice((60, 120, -60))) % (24 * 60)
    if kind in ("count", "duration"):
        return value + max(2, value // 5) * rng.choice((1, -1)) if value > 10 else value + rng.choice((2, 3))
    if kind == "percent":
        return value + rng.choice((3, 5, -3)) if value > 6 else value + 4
    if kind == "quantity":
        return round(value * 1.3, 1) if isinstance(value, float) else value + 30
    if kind == "money":
        cur, amount = value
        return cur, amount * rng.choice((0.6, 1.5))
    return value


def render_value(kind: str, value, pub: dt.date, rng: random.Random, variant: str | None = None) -> str:
    if kind == "date":
        return fmt_date(value, pub, rng)
    if kind == "time":
        return fmt_time(value, rng)
    if kind in ("count", "duration"):
        return fmt_count(value, rng)
    if kind == "percent":
        return str(value)
    if kind == "quantity":
        return f"{value:g}"
    if kind == "money":
        return fmt_money(value[1], value[0], rng)
    if kind == "name":
        return variant or value["full"]
    return str(value)


def write_story(story: Story, n_docs: int, out: Path, rng: random.Random, planted: list) -> list[Path]:
    fields = {"name": story.name, "name_cap": story.name[:1].upper() + story.name[1:], "place": story.place,
              "city": story.city, "region": story.region, "org": story.org, "population": story.population,
              "industry": story.industry, "distance": story.distance, **story.background}
    if hasattr(story, "q"):
        fields["q"], fields["q_cap"] = story.q, story.q.title()
    for key, (kind, value, _) in story.facts.items():
        if kind == "name":
            fields[key] = value["full"]
    conflict_doc = rng.randrange(1, n_docs) if rng.random() < 0.6 and n_docs > 1 else -1
    keys = list(story.facts)
    conflict_key = rng.choice(keys[1:]) if conflict_doc >= 0 else None
    outlets = rng.sample(OUTLETS, n_docs)
    paths = []
    for d in range(n_docs):
        pub = story.date + dt.timedelta(days=rng.choice((0, 1, 1, 2)))
        chosen = [k for k in keys if k == "date" or rng.random() < 0.8]
        if d == conflict_doc and conflict_key not in chosen:
            chosen.append(conflict_key)
        sentences = []
        for k in chosen:
            kind, value, templates = story.facts[k]
            variant = None
            if d == conflict_doc and k == conflict_key:
                if kind == "name":
                    variant = name_variant(value, rng)
                else:
                    value = perturb(kind, value, rng)
            v = render_value(kind, value, pub, rng, variant)
            src = rng.choice(SOURCE_LINES).format(**fields)
            text = rng.choice(templates).format(v=v, src=src, **fields)
            sentences.append(text[:1].upper() + text[1:])
        filler = [f.format(**fields) for f in rng.sample(FILLER, rng.randrange(5, 11))]
        for _ in range(rng.randrange(10, 22)):
            filler.append((rng.choice(SUBJECTS) + " " + rng.choice(PREDICATES) + rng.choice(TAILS) + ".").format(**fields))
        paragraphs = _paragraphs(sentences, filler, rng)
        headline = rng.choice(story.headlines).format(**fields)
        headline = headline[:1].upper() + headline[1:]
        fmt = rng.choices(("txt", "md", "html"), weights=(45, 35, 20))[0]
        name = f"story{story.index:06d}-{chr(97 + d)}.{fmt}"
        path = out / name
        path.write_text(_document(fmt, headline, paragraphs, pub, outlets[d]), encoding="utf-8")
        paths.append(path)
    if conflict_doc >= 0:
        planted.append({"story": story.index, "kind": story.facts[conflict_key][0], "fact": conflict_key,
                        "documents": [p.name for p in paths]})
    return paths


def _paragraphs(facts: list[str], filler: list[str], rng: random.Random) -> list[str]:
    """Lead with the first facts, then mix the rest with background prose, two to four sentences a paragraph."""
    lead, rest = facts[:2], facts[2:] + filler
    rng.shuffle(rest)
    paras = [" ".join(lead)]
    while rest:
        k = rng.randrange(2, 5)
        paras.append(" ".join(rest[:k]))
        rest = rest[k:]
    return paras


def _wrap(text: str, width: int = 100) -> str:
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "\n".join(lines)


def _document(fmt: str, headline: str, paragraphs: list[str], pub: dt.date, outlet: str) -> str:
    if fmt == "txt":
        return (f"{headline}\nPublished {MONTHS[pub.month - 1]} {pub.day}, {pub.year}\n\n"
                + "\n\n".join(_wrap(p) for p in paragraphs) + "\n")
    if fmt == "md":
        return (f"---\ntitle: {headline}\nsource: {outlet}\ndate: {pub.isoformat()}\n---\n\n# {headline}\n\n"
                + "\n\n".join(_wrap(p) for p in paragraphs) + "\n")
    body = "\n".join(f"<p>{_html_escape(p)}</p>" for p in paragraphs)
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{_html_escape(headline)}</title>\n<meta name=\"date\" content=\"{pub.isoformat()}\">\n"
            f"<meta property=\"og:site_name\" content=\"{outlet}\">\n</head>\n<body>\n"
            f"<nav><a href=\"/\">Home</a> | <a href=\"/news\">News</a></nav>\n<article>\n"
            f"<h1>{_html_escape(headline)}</h1>\n{body}\n</article>\n"
            f"<footer>&copy; {pub.year} {outlet}</footer>\n</body>\n</html>\n")


def _html_escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def generate(out: str | os.PathLike, docs: int, seed: int = 7, per_folder: int = 1000) -> dict:
    """Write `docs` documents under out/ (folders of about per_folder documents). Returns the manifest."""
    root = Path(out)
    root.mkdir(parents=True, exist_ok=True)
    planted: list[dict] = []
    written = 0
    total_bytes = 0
    story_index = 0
    while written < docs:
        rng = random.Random(f"{seed}:{story_index}")  # story i does not depend on the corpus size
        n = min(rng.randrange(2, 6), docs - written)  # the last story may be cut short
        story = Story(rng, story_index)
        folder = root / f"part{written // per_folder:04d}"
        folder.mkdir(exist_ok=True)
        for p in write_story(story, n, folder, rng, planted):
            total_bytes += p.stat().st_size
        written += n
        story_index += 1
    manifest = {"generator": GENERATOR_VERSION, "seed": seed, "documents": written, "stories": story_index, "bytes": total_bytes,
                "planted": planted}
    (root / "planted.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out")
    p.add_argument("--docs", type=int, default=1000)
    p.add_argument("--seed", type=int, default=7)
    a = p.parse_args()
    m = generate(a.out, a.docs, a.seed)
    print(f"{m['documents']:,} documents in {m['stories']:,} stories, {m['bytes'] / 1e6:.1f} MB, "
          f"{len(m['planted']):,} planted conflicts -> {a.out}")


if __name__ == "__main__":
    main()
