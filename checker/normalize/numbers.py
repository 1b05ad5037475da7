"""Numbers written in digits or words -> float, with the precision the writer implied."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen".split())}
TENS = {w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
          "trillion": 1_000_000_000_000}
SHORT_SCALES = {"k": 1_000, "thousand": 1_000, "m": 1_000_000, "mn": 1_000_000, "mln": 1_000_000,
                "million": 1_000_000, "bn": 1_000_000_000, "b": 1_000_000_000, "billion": 1_000_000_000,
                "tn": 1_000_000_000_000, "trillion": 1_000_000_000_000, "lakh": 100_000, "lakhs": 100_000,
                "crore": 10_000_000, "crores": 10_000_000}
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
        if "/" in t:  # "1/4", "10 1/2"
            m = re.fullmatch(r"(?:(\d+)\s+)?(\d{1,2})/(\d{1,2})", t)
            if not m or int(m.group(3)) == 0:
                return None
            return (int(m.group(1) or 0) + int(m.group(2)) / int(m.group(3)), 0.0)
        try:
            return parse_digits(t)
        except ValueError:
            return None
    v = parse_words(t)
    if v is None:  # "a quarter million", "three quarters billion", "half a million"
        spans = scan_numbers(t)
        if len(spans) == 1 and spans[0].start == 0 and spans[0].end == len(t):
            return spans[0].value, abs(spans[0].value) * 0.1  # a round fraction of a scale is approximate
        return None
    return (v, 0.5) if v is not None else None


def fmt_number(value: float) -> str:
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    if abs(value) >= 1e15:
        return f"{value:.6g}"
    if value == int(value):
        return str(int(value))
    shown = f"{value:.6g}"
    if "e" in shown:  # 1000000.1 is not "1e+06": that would read back as another number
        shown = f"{value:.6f}".rstrip("0").rstrip(".")
    return shown


# ---- number phrases: every number in a text, with fractions, signs, decimals and powers ----------
#
# scan_numbers() reads what a person may write as one number: "three hundred and forty two",
# "two thirds of a million", "minus five point five", "1 over twenty-one", "40 000", "1.3e6", "10 bln".
# It knows nothing of what the number counts; extractors decide that from the words around it.

_ORDINAL_DEN = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4,
                "fourths": 4, "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6, "seventh": 7, "sevenths": 7,
                "eighth": 8, "eighths": 8, "ninth": 9, "ninths": 9, "tenth": 10, "tenths": 10,
                "eleventh": 11, "elevenths": 11, "twelfth": 12, "twelfths": 12, "thirteenth": 13,
                "thirteenths": 13, "fourteenth": 14, "fourteenths": 14, "fifteenth": 15, "fifteenths": 15,
                "sixteenth": 16, "sixteenths": 16, "seventeenth": 17, "seventeenths": 17, "eighteenth": 18,
                "eighteenths": 18, "nineteenth": 19, "nineteenths": 19, "twentieth": 20, "twentieths": 20,
                "thirtieth": 30, "thirtieths": 30, "fortieth": 40, "fortieths": 40, "fiftieth": 50,
                "fiftieths": 50, "sixtieth": 60, "sixtieths": 60, "seventieth": 70, "seventieths": 70,
                "eightieth": 80, "eightieths": 80, "ninetieth": 90, "ninetieths": 90, "hundredth": 100,
                "hundredths": 100, "thousandth": 1e3, "thousandths": 1e3, "millionth": 1e6, "millionths": 1e6,
                "billionth": 1e9, "billionths": 1e9, "trillionth": 1e12, "trillionths": 1e12}
# "first"/"second" only name a fraction after a tens word ("twenty-first"): "a second" is time
_ORDINAL_UNIT_ONLY = {"first": 1, "firsts": 1, "second": 2, "seconds": 2}
_WORD_SCALES = {"thousand": 1e3, "thousands": 1e3, "million": 1e6, "millions": 1e6, "billion": 1e9,
                "billions": 1e9, "trillion": 1e12, "trillions": 1e12, "lakh": 1e5, "lakhs": 1e5,
                "crore": 1e7, "crores": 1e7}
# abbreviations read as a scale after digits only ("10 bln", "1MM", "5k")
_ABBR_SCALES = {"k": 1e3, "K": 1e3, "bn": 1e9, "bln": 1e9, "mln": 1e6, "mn": 1e6, "tn": 1e12, "tln": 1e12,
                "MM": 1e6, "M": 1e6, "B": 1e9, "G": 1e9, "T": 1e12}
_ZEROS = {"zero": 0, "nought": 0, "naught": 0}

_WORDS_ALL = (set(UNITS) | set(_ZEROS) | set(TENS) | {"hundred", "hundreds"} | set(_WORD_SCALES) | set(_ORDINAL_DEN)
              | set(_ORDINAL_UNIT_ONLY) | {"dozen", "dozens", "dozs", "doz", "a", "an", "and", "point", "minus",
                                          "negative", "over", "out"})
_DIGITS_RX = (r"(?:\d{1,3}(?:\.\d{3})+,\d+(?![\d.]|,\d)"          # 1.111,11 (thousands dots, decimal comma)
              r"|\d{1,2}(?:,\d\d)+,\d{3}(?:\.\d+)?(?![\d]|,\d)"  # 12,34,567.89 (lakh grouping)
              r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d]|,\d)"       # 1,674,200.5
              r"|\d+\s+\d{1,2}/\d{1,2}(?![\d/])"                 # 2 1/4
              r"|(?<![\d/])\d{1,3}/\d{1,3}(?![\d/])"             # 1/4
              r"|\d{1,3}(?:[ \u202f\u00a0]\d{3})+(?:\.\d+)?(?![\d])"  # 40 000, 1 234 567.89
              r"|(?<!\d,)\d+,\d{1,2}(?![\d,])"                    # 1,3 and 5,00 (decimal comma)
              r"|\d+(?:\.\d+)?|\.\d+)")
_POWER_RX = r"(?:[eE][-+]?\d+|\^[-+]*\d+|\s?[x×]\s?10\^[-+]?\d+)"
_TOKEN_RX = re.compile(
    rf"(?P<dotted>(?<![\d.])\d+(?:\.\d+){{2,}}(?![\d.]))"
    rf"|(?P<neg>(?<![\w.,)-])-(?=\d))?(?P<digits>{_DIGITS_RX})(?P<power>{_POWER_RX})?"
    rf"(?P<abbr>\s?(?-i:bln|tln|mln|bn|mn|tn|MM|[MBGT])\b|(?-i:k|K)\b)?"
    r"|(?P<word>[A-Za-z]+)"
    r"|(?P<hy>-\s*)|(?P<sp>\s+)|(?P<other>.)",
    re.S)


@dataclass(slots=True)
class _Tok:
    kind: str      # D (digits) U (unit word 0-9) T (teen) X (tens) H (hundred) S (scale) O (ordinal denominator)
    #                F (first/second) A (a/an) AND POINT MINUS OVER OUTOF DOZ
    value: float
    start: int
    end: int
    hy_before: bool = False   # joined to the previous token by a hyphen
    plural: bool = False


@dataclass(slots=True)
class NumberSpan:
    start: int
    end: int
    value: float
    prec: float       # half a unit of the last digit written
    words: bool       # written in words


def _digits_value(s: str) -> tuple[float, float]:
    if "/" in s:
        whole, _, frac = s.strip().rpartition(" ")
        num, den = frac.split("/")
        return (float(whole) if whole else 0.0) + (int(num) / int(den) if int(den) else float("inf")), 0.0  # "0/0"
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+,\d+", s):
        s = s.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d+,\d{1,2}", s):
        s = s.replace(",", ".")
    s = re.sub(r"[,\s\u202f\u00a0]", "", s)
    value = float(s)
    return value, (0.5 * 10 ** -(len(s) - s.index(".") - 1) if "." in s else 0.5)


def _power(base: float, p: str) -> float:
    p = p.strip()
    try:  # "1e400", "10^400": too large for a float is infinity, never an exception
        if p[0] in "eE":
            return base * 10 ** _exponent(p[1:])
        if p[0] == "^":
            exp = p[1:]
            sign = -1 if exp.count("-") % 2 and not exp.startswith("--") else 1
            return base ** (sign * _exponent(exp.lstrip("+-")))
        return base * 10 ** _exponent(re.sub(r"^[x×]\s?10\^", "", p))
    except (OverflowError, ZeroDivisionError):
        return float("inf")


def _exponent(digits: str) -> int:
    """An exponent, clamped: "1e999999999" must not build a billion-digit integer."""
    body = digits.strip().lstrip("+-")
    value = int(body) if len(body) <= 4 else 9999
    return -value if digits.strip().startswith("-") else value


def _tokens(text: str) -> list[list[_Tok]]:
    """Runs of number tokens; a run breaks at any character that cannot join two parts of a number."""
    runs: list[list[_Tok]] = []
    run: list[_Tok] = []
    hy = False

    def close():
        nonlocal run
        if run:
            runs.append(run)
        run = []

    for m in _TOKEN_RX.finditer(text):
        kind = m.lastgroup
        if m.group("dotted"):
            close()
            pos = m.start()
            for part in m.group("dotted").split("."):
                runs.append([_Tok("D", float(part), pos, pos + len(part))])
                pos += len(part) + 1
            hy = False
            continue
        if m.group("digits"):
            if run and run[-1].kind == "D":
                close()
            if hy and run:
                close()  # 222-2222: digits joined by a hyphen are separate numbers
            before = text[m.start() - 1:m.start()] if m.start() else ""
            after = text[m.end():m.end() + 1]
            if before.isalpha() or (after.isalpha() and not m.group("abbr")) or after in ("/",) or before == "/":
                if not (before.isalpha() and before.isupper() is False and False):
                    close()
                    hy = False
                    if not (after.isalpha() or before.isalpha()):
                        value, _ = _digits_value(m.group("digits"))
                        runs.append([_Tok("D", value, m.start("digits"), m.end("digits"))])
                    continue
            value, _ = _digits_value(m.group("digits"))
            if m.group("power"):
                value = _power(value, m.group("power"))
            if m.group("neg"):
                value = -value
            end = m.end("power") if m.group("power") else m.end("digits")
            tok = _Tok("D", value, m.start(), end)
            run.append(tok)
            if m.group("abbr"):
                scale = _ABBR_SCALES[m.group("abbr").strip()]
                run.append(_Tok("S", scale, m.start("abbr") + (1 if m.group("abbr")[0].isspace() else 0), m.end("abbr")))
            hy = False
            continue
        if kind == "word":
            w = m.group("word").lower()
            nxt = text[m.end():m.end() + 4].lower()
            t = None
            if w in UNITS and UNITS[w] < 10:
                t = _Tok("U", UNITS[w], m.start(), m.end())
            elif w in _ZEROS:
                t = _Tok("U", 0, m.start(), m.end())
            elif w in UNITS:
                t = _Tok("T", UNITS[w], m.start(), m.end())
            elif w in TENS:
                t = _Tok("X", TENS[w], m.start(), m.end())
            elif w in ("hundred", "hundreds"):
                t = _Tok("H", 100, m.start(), m.end(), plural=w.endswith("s"))
            elif w in _WORD_SCALES:
                t = _Tok("S", _WORD_SCALES[w], m.start(), m.end())
            elif w in _ORDINAL_DEN:
                t = _Tok("O", _ORDINAL_DEN[w], m.start(), m.end(), plural=w.endswith("s") or w == "halves")
            elif w in _ORDINAL_UNIT_ONLY:
                t = _Tok("F", _ORDINAL_UNIT_ONLY[w], m.start(), m.end(), plural=w.endswith("s"))
            elif w in ("dozen", "dozens", "dozs", "doz"):
                t = _Tok("DOZ", 12, m.start(), m.end())
            elif w in ("a", "an"):
                t = _Tok("A", 1, m.start(), m.end())
            elif w == "and":
                t = _Tok("AND", 0, m.start(), m.end())
            elif w == "point":
                t = _Tok("POINT", 0, m.start(), m.end())
            elif w in ("minus", "negative"):
                t = _Tok("MINUS", 0, m.start(), m.end())
            elif w == "over":
                t = _Tok("OVER", 0, m.start(), m.end())
            elif w == "out" and nxt.startswith(" of"):
                t = _Tok("OUTOF", 0, m.start(), m.end() + 3)
            elif w == "of" and run and (run[-1].kind == "OUTOF" or (
                    run[-1].kind == "O" and re.match(r"\s+an?\s+(?:thousand|million|billion|trillion)\b",
                                                      text[m.end():m.end() + 14], re.I))):
                hy = False
                continue  # "one out of three", "two thirds of a million"
            if t is None:
                close()
                hy = False
                continue
            t.hy_before = hy
            run.append(t)
            hy = False
            continue
        if kind == "hy":
            if hy:
                close()
            hy = True
            continue
        if kind == "sp":
            continue
        if kind == "other" and m.group(0) == "," and False:
            continue
        close()
        hy = False
    close()
    return runs


def _cardinal(toks: list[_Tok], i: int, allow_and: bool = True) -> Optional[tuple[float, int, str, float]]:
    """An integer (or digits) from toks[i]: (value, next index, kind of the last token, last multiplier)."""
    total = 0.0
    current = 0.0
    seen = False
    prev = ""
    last_mult = float("inf")
    j = i
    n = len(toks)
    while j < n:
        t = toks[j]
        k = t.kind
        if t.hy_before and seen and not (prev == "X" and k in ("U",)) and k not in ("S", "H"):
            break
        if k == "D":
            if seen:
                break
            current = t.value
            last_mult = 1.0
        elif k == "U":
            if prev in ("U", "T", "D") or (prev == "X" and current % 10):
                break
            current += t.value
            last_mult = 1.0
        elif k == "T":
            if prev in ("U", "T", "X", "D"):
                break
            current += t.value
            last_mult = 1.0
        elif k == "X":
            if prev in ("U", "T", "X", "D"):
                break
            current += t.value
            last_mult = 10.0
        elif k == "H":
            if prev == "H" or (prev and prev not in ("U", "T", "X", "D", "A", "S")):
                break
            if prev == "S" or not seen or prev == "A":
                current = current or 1.0
            if current >= 100 and prev != "D":
                break
            current *= 100
            last_mult = 100.0
        elif k == "S":
            if prev == "S" or t.value >= last_mult and prev not in ("U", "T", "X", "D", "H", "A", ""):
                break
            if total and t.value >= _last_scale(total):
                break
            total += (current or 1.0) * t.value
            current = 0.0
            last_mult = t.value
        elif k == "DOZ":
            if prev not in ("U", "T", "X", "D", "A", ""):
                break
            current = (current or 1.0) * 12
            last_mult = 12.0
        elif k == "A":
            if seen or j + 1 >= n or toks[j + 1].kind not in ("H", "S", "DOZ"):
                break
            current = 1.0
            k = "A"
        elif k == "AND" and allow_and and seen and j + 1 < n:
            nxt = _cardinal(toks, j + 1, allow_and=False)
            if nxt is None or nxt[0] >= min(last_mult, _magnitude(current + total)) or \
                    (nxt[1] < n and toks[nxt[1]].kind in ("O", "F")):
                break
            value, j2, kind2, _ = nxt
            current += value
            j = j2
            prev = kind2
            seen = True
            last_mult = 1.0
            continue
        else:
            break
        seen = seen or k != "A"
        prev = k
        j += 1
    if not seen:
        return None
    return total + current, j, prev, last_mult


def _last_scale(total: float) -> float:
    for s in (1e12, 1e9, 1e7, 1e6, 1e5, 1e3):
        if total >= s and total % s == 0:
            return s
    return 1e3


def _magnitude(v: float) -> float:
    if v >= 1000:
        return _last_scale(v) if v % 1000 == 0 else 1000
    if v >= 100 and v % 100 == 0:
        return 100
    if v >= 20 and v % 10 == 0:
        return 10
    return float("inf") if v == 0 else 1.0


def _denominator(toks: list[_Tok], j: int) -> Optional[tuple[float, int, bool]]:
    """An ordinal denominator at toks[j]: 'fifths', 'twenty-firsts', 'thirty fifths'."""
    n = len(toks)
    if j < n and toks[j].kind == "O":
        return toks[j].value, j + 1, toks[j].plural
    if j + 1 < n and toks[j].kind == "X" and toks[j + 1].kind in ("O", "F") and toks[j + 1].value < 10:
        return toks[j].value + toks[j + 1].value, j + 2, toks[j + 1].plural
    return None


def _read(toks: list[_Tok], i: int) -> Optional[tuple[float, int, bool]]:
    """One number from toks[i]: (value, next index, exact)."""
    n = len(toks)
    sign = 1.0
    j = i
    if toks[j].kind == "MINUS":
        if j + 1 >= n:
            return None
        sign, j = -1.0, j + 1
    # a fraction with no whole part: "two thirds", "a trillionth", "half million"
    if toks[j].kind == "O" and toks[j].value == 2 and not toks[j].plural:
        frac, k = 0.5, j + 1
        return _scaled_fraction(toks, k, frac, sign)
    if toks[j].kind == "A":
        den = _denominator(toks, j + 1)
        if den:
            return _scaled_fraction(toks, den[1], 1 / den[0], sign)
    card = _cardinal(toks, j)
    if card is None:
        return None
    value, k, last, _ = card
    # "one hundred thirty fifths": the tens word with the ordinal is the denominator
    if last == "X" and k < n and toks[k].kind in ("O", "F") and toks[k].value < 10 and k - 1 > j \
            and toks[k - 2].kind != "AND":
        den = toks[k - 1].value + toks[k].value
        return _scaled_fraction(toks, k + 1, (value - toks[k - 1].value) / den, sign)
    den = _denominator(toks, k)
    if den and (den[2] or value == 1):
        return _scaled_fraction(toks, den[1], value / den[0], sign)
    # the whole part continues: "and a half", "and three fifths", "point five", "over three"
    while k < n:
        t = toks[k]
        if t.kind == "AND" and k + 1 < n:
            if toks[k + 1].kind == "A" or (toks[k + 1].kind == "O" and toks[k + 1].value == 2):
                a = k + 2 if toks[k + 1].kind == "A" else k + 1
                den = _denominator(toks, a)
                if den:
                    frac = 1 / den[0]
                    k2 = den[1]
                    if k2 < n and toks[k2].kind == "S":
                        frac, k2 = frac * toks[k2].value, k2 + 1
                    elif last == "S":
                        frac *= _last_scale(value)
                    value, k = value + frac, k2
                    continue
            part = _cardinal(toks, k + 1, allow_and=True)
            if part is not None:
                pv, pk, plast, _ = part
                den = _denominator(toks, pk)
                if den is None and plast == "X" and pk < n and toks[pk].kind == "O":
                    den = None
                if den:
                    frac = pv / den[0]
                    k2 = den[1]
                    scale = 1.0
                    if k2 < n and toks[k2].kind == "S":
                        scale, k2 = toks[k2].value, k2 + 1
                    elif last == "S":
                        scale = _last_scale(value)
                    if frac < 1:
                        value, k = value + frac * scale, k2
                    else:
                        value, k = (value + pv) / den[0], k2
                    continue
            break
        if t.kind == "POINT" and k + 1 < n:
            digits = ""
            k2 = k + 1
            while k2 < n and toks[k2].kind in ("U", "T", "X"):
                if toks[k2].kind == "U":
                    digits += str(int(toks[k2].value))
                    k2 += 1
                else:
                    part = _cardinal(toks, k2, allow_and=False)
                    if part is None:
                        break
                    digits += str(int(part[0]))
                    k2 = part[1]
                    break
            if not digits:
                break
            value, k = float(f"{int(value)}.{digits}"), k2
            continue
        if t.kind in ("OVER", "OUTOF") and k + 1 < n:
            if t.kind == "OUTOF" and (toks[j].kind == "D" or toks[k + 1].kind == "D"):
                break  # "12 out of 10" in digits is a score, two numbers
            part = _cardinal(toks, k + 1)
            if part is None or part[0] == 0:
                break
            value, k = value / part[0], part[1]
            continue
        break
    return sign * value, k, True


def _scaled_fraction(toks, k, frac, sign):
    n = len(toks)
    if k < n and toks[k].kind == "S":
        return sign * frac * toks[k].value, k + 1, True
    if k + 1 < n and toks[k].kind == "A" and toks[k + 1].kind == "S" and toks[k].end + 4 >= toks[k + 1].start:
        return sign * frac * toks[k + 1].value, k + 2, True
    return sign * frac, k, True


_PRONOUN_ONE = re.compile(r"(?:\b(?:the|which|that|this|each|any|no|every|some|another|last|little|only|one)\s+)$", re.I)


def scan_numbers(text: str) -> list[NumberSpan]:
    """Every number written in text, in order: digits, words, fractions, signs, decimals, powers."""
    out: list[NumberSpan] = []
    for run in _tokens(text):
        i = 0
        while i < len(run):
            t = run[i]
            half_of = t.kind == "O" and t.value == 2 and not t.plural and i + 1 < len(run) and (
                run[i + 1].kind == "S" or run[i + 1].kind == "A" and i + 2 < len(run) and run[i + 2].kind == "S")
            if t.kind in ("AND", "OVER", "OUTOF", "POINT", "F") or (t.kind == "O" and not half_of) or (t.kind == "A" and (
                    i + 1 >= len(run) or run[i + 1].kind not in ("H", "S", "DOZ", "O", "X"))):
                i += 1
                continue
            try:
                got = _read(run, i)
            except (ValueError, ZeroDivisionError, OverflowError):
                got = None
            if got is None or got[1] <= i:
                i += 1
                continue
            value, j, _ = got
            start, end = run[i].start, run[j - 1].end
            words = run[i].kind != "D"
            if words and j - i == 1 and run[i].kind == "U" and run[i].value == 1 and \
                    _PRONOUN_ONE.search(text, max(0, start - 12), start):
                i = j
                continue  # "the one you mentioned": a pronoun
            out.append(NumberSpan(start, end, value, 0.5, words))
            i = j
    return out
