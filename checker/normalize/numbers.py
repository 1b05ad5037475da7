"""Numbers written in digits or words -> float, with the precision the writer implied."""
from __future__ import annotations

import re
from typing import Optional

UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen".split())}
TENS = {w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
          "trillion": 1_000_000_000_000}
SHORT_SCALES = {"k": 1_000, "thousand": 1_000, "m": 1_000_000, "mn": 1_000_000, "mln": 1_000_000,
                "million": 1_000_000, "bn": 1_000_000_000, "b": 1_000_000_000, "billion": 1_000_000_000,
                "tn": 1_000_000_000_000, "trillion": 1_000_000_000_000}
FRACTIONS = {"half": 0.5, "halves": 0.5, "third": 1 / 3, "thirds": 1 / 3, "quarter": 0.25, "quarters": 0.25,
             "fourth": 0.25, "fourths": 0.25, "fifth": 0.2, "fifths": 0.2, "tenth": 0.1, "tenths": 0.1}
ORDINALS = {w: i + 1 for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
    "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split())}
ORDINALS.update({"twenty-first": 21, "twenty-second": 22, "twenty-third": 23, "twenty-fourth": 24,
                 "twenty-fifth": 25, "twenty-sixth": 26, "twenty-seventh": 27, "twenty-eighth": 28,
                 "twenty-ninth": 29, "thirtieth": 30, "thirty-first": 31})

NUMBER_WORDS = sorted(set(UNITS) | set(TENS) | {"hundred", "thousand", "million", "billion", "trillion"},
                      key=len, reverse=True)
_WORD = "(?:" + "|".join(NUMBER_WORDS) + ")"
# a run of number words: "three hundred and forty-two", "twenty five", "a dozen"
WORD_NUMBER = (r"(?:(?:a\s+)?dozen|" + _WORD + r"(?:(?:[\s-]+|\s+and\s+)" + _WORD + r")*)")
DIGIT_NUMBER = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
_TOKEN = re.compile(r"[a-z]+")


def parse_words(text: str) -> Optional[float]:
    """'three hundred and forty two' -> 342; 'a dozen' -> 12; None when it is not a number."""
    words = _TOKEN.findall(text.lower())
    if not words:
        return None
    if words[-1] == "dozen":
        return 12.0 * (1 if len(words) <= 2 else (parse_words(" ".join(words[:-1])) or 1))
    total = 0
    current = 0
    seen = False
    for w in words:
        if w == "and":
            continue
        if w in UNITS:
            current += UNITS[w]
        elif w in TENS:
            current += TENS[w]
        elif w == "hundred":
            current = (current or 1) * 100
        elif w in SCALES:
            total += (current or 1) * SCALES[w]
            current = 0
        else:
            return None
        seen = True
    return float(total + current) if seen else None


def parse_digits(text: str) -> tuple[float, float]:
    """'3,400' -> (3400, 0.5); '52.4' -> (52.4, 0.05): the value and half a unit of its last digit."""
    clean = text.replace(",", "")
    value = float(clean)
    if "." in clean:
        decimals = len(clean) - clean.index(".") - 1
        return value, 0.5 * 10 ** (-decimals)
    return value, 0.5


def parse_number(text: str) -> Optional[tuple[float, float]]:
    """Digits or words -> (value, half-precision)."""
    t = text.strip()
    if not t:
        return None
    if t[0].isdigit() or t[0] == ".":
        try:
            return parse_digits(t)
        except ValueError:
            return None
    v = parse_words(t)
    return (v, 0.5) if v is not None else None


def fmt_number(value: float) -> str:
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    if abs(value) >= 1e15:
        return f"{value:.6g}"
    if value == int(value):
        return str(int(value))
    return f"{value:.6g}"
