"""The prefilter (checker/extract/prefilter.py) may only ever skip positions where a pattern cannot match:
every scanner the extractors use must give exactly its pattern's finditer, on news text and on fuzzed
text built from the patterns' own words in every case variant re would accept. The checks are shown to
fail on deliberately broken scanners, so that they keep testing something."""
from __future__ import annotations

import importlib
import pkgutil
import random
import re
import sys
from functools import lru_cache

import pytest
import yaml
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample

import checker.extract
from checker.extract import prefilter
from checker.extract.dates import DATE, date_matches
from checker.extract.prefilter import CASE_FOLDS, Scanner, Tail
from tests.conftest import FIXTURES, ROOT

# ---- case folding ---------------------------------------------------------------------------------


@lru_cache(maxsize=None)
def _ignorecase_matches(letter: str) -> frozenset[str]:
    """The characters (of all code points) that re.IGNORECASE lets stand for an ASCII letter."""
    return frozenset(m.group(0) for m in re.finditer("(?i)" + letter, _EVERY_CODE_POINT))


_EVERY_CODE_POINT = "".join(map(chr, range(sys.maxunicode + 1)))


def _fold_errors(folds: dict) -> list[str]:
    """Where a table of extra case folds disagrees with re, letter by letter: the prefilter widens an
    ASCII letter to its two cases and folds[lower], and must accept everything re accepts for it."""
    errors = []
    for letter in "abcdefghijklmnopqrstuvwxyz":
        told = {letter, letter.upper(), *folds.get(letter, "")}
        for variant in (letter, letter.upper()):
            actual = _ignorecase_matches(variant)
            if actual != told:
                errors.append(f"{variant!r}: re accepts {sorted(actual)}, the table says {sorted(told)}")
    return errors


def test_case_folds_are_exactly_what_re_accepts_for_ascii_letters():
    assert _fold_errors(CASE_FOLDS) == []


def test_case_fold_check_catches_a_missing_or_extra_fold():
    assert _fold_errors({**CASE_FOLDS, "s": ""})
    assert _fold_errors({**CASE_FOLDS, "x": "\u00d7"})


def test_widened_letter_classes_accept_every_ignorecase_match():
    """What the start patterns write for a literal letter (any case) accepts all that re does."""
    for letter in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ":
        atom = re.compile(prefilter._chars({letter}))
        assert all(atom.fullmatch(ch) for ch in _ignorecase_matches(letter)), letter


# ---- scanners -------------------------------------------------------------------------------------


def _extract_defined(kind: type) -> dict:
    """Every object of the kind (a Scanner, a Tail) the extraction modules define, found by looking,
    so that a new one is tested too."""
    found = {}
    for info in pkgutil.iter_modules(checker.extract.__path__):
        module = importlib.import_module(f"checker.extract.{info.name}")
        for name, value in vars(module).items():
            if isinstance(value, kind):
                found[f"{info.name}.{name}"] = value
    return found


SCANNERS: dict[str, Scanner] = _extract_defined(Scanner)


def _finders() -> dict:
    """name -> (the reference finditer, what the extractors call instead)."""
    finders = {name: (s.pattern.finditer, s.finditer) for name, s in SCANNERS.items()}
    finders["dates.date_matches"] = (DATE.finditer, date_matches)
    return finders


FINDERS = _finders()


def _found(finditer, text: str) -> list:
    return [(m.span(), m.groups()) for m in finditer(text)]


def _disagree(finders: dict, text: str) -> list[str]:
    return [name for name, (expected, actual) in finders.items() if _found(expected, text) != _found(actual, text)]


def _news_texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8", errors="replace") for root in (FIXTURES, ROOT / "seeds")
             for p in sorted(root.rglob("*")) if p.is_file() and p.suffix in (".md", ".txt", ".html", ".yaml")]
    texts += [case["text"] for case in yaml.safe_load((FIXTURES / "extraction.yaml").read_text(encoding="utf-8"))]
    return texts + EDGES


# where a scanner is most easily wrong: at the start of a text, a currency after a letter, re's case
# folds, non-ASCII digits and spaces, a date word after a letter DATE's lookbehind does not see
EDGES = ["$5 billion", "x$3", "abc$3 and xHK$5", "us$5", "é$5", "½tonight", "at mıdnight", "ſix o'clock", "\u0130n 2025",
         "ſept. 3, 2025", "at ١٢:٣٠ p.m.", "12\xa0million", "between 3\tand 5 p.m.", "June\n3", "weeK-long"]


NEWS = _news_texts()

# pieces of text around numbers, times and dates, and characters that case folding or \d let through
PIECES = ["US$", "us $", "u.s. $", "U.S.$", "HK$", "Mex$", "CAD$", "Rs.", "USD", "usd", "EUR", "$", "€", "£", "¥", "₹",
          "3", "12", "2025", "1,000", "2.5", "1/2", "10 1/2", "१२", "٣", "½", "a.m.", "pm", "p.m", "AM", "o'clock",
          "o’clock", "noon", "midnight", "half past", "quarter to", "in the morning", "tonight", "between", "from",
          "to", "and", "million", "bn", "k", "an hour", "a half", "decade-long", "nearly", "twenty", "dozen", "GMT",
          "June", "Sept.", "mid-", "Q3", "1990s", "3rd", "fiscal", "x", "é", "_", "-", "–", "—", "'", "’", ":", ".",
          ",", "/", "#", "@", "+", "%", "(", ")", "\n", "\u0130", "\u0131", "\u017f", "\u212a", "\xa0"]
# every word the scanned patterns spell out, so that fuzzed text reaches deep into their alternations
WORDS = sorted({w for s in SCANNERS.values() for w in re.findall(r"[A-Za-z]{2,}", s.pattern.pattern)} |
               {w for w in re.findall(r"[A-Za-z]{2,}", DATE.pattern)})
_VARIANTS = {c: [c.lower(), c.upper(), *CASE_FOLDS.get(c.lower(), "")] for c in "abcdefghijklmnopqrstuvwxyz"}


def _recase(word: str, rng: random.Random) -> str:
    """The word with some letters in another case re.IGNORECASE equates with them."""
    return "".join(rng.choice(_VARIANTS[c.lower()]) if c.lower() in _VARIANTS and rng.random() < 0.3 else c
                   for c in word)


_PIECE = st.one_of(st.sampled_from(PIECES), st.tuples(st.sampled_from(WORDS), st.randoms(use_true_random=False))
                   .map(lambda wr: _recase(*wr)), st.text(max_size=3))
FUZZ = st.lists(st.tuples(_PIECE, st.sampled_from(["", "", " ", " ", "-", ",", "."])).map("".join),
                min_size=1, max_size=14).map("".join)


def test_the_extractors_use_scanners():
    assert {"dates._DATE_SCAN", "dates._TIME_SCAN", "numbers._CANDIDATE_SCAN"} <= set(SCANNERS)


def test_scanners_find_what_finditer_finds_in_news_text():
    for text in NEWS:
        assert _disagree(FINDERS, text) == [], text[:200]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(FUZZ)
def test_scanners_find_what_finditer_finds_in_fuzzed_text(text):
    assert _disagree(FINDERS, text) == []


def test_scanners_share_one_scan_and_it_takes_every_start_they_would():
    """The group's class takes every character (every code point) a member's lookbehind takes."""
    from checker.extract import SCANS

    assert SCANS._scan is not None and {"dates._DATE_SCAN", "numbers._CANDIDATE_SCAN"} <= \
        {name for name, s in SCANNERS.items() if s.group is SCANS}
    every = "".join(map(chr, range(0x110000)))
    group = set(re.findall(SCANS.before, every))
    for member in SCANS.members:
        lead = member._scan[0].pattern.split("(?=", 1)[0]
        assert set(re.findall(lead, every, member._scan[0].flags)) <= group, lead


def test_grouped_scanners_on_texts_in_turn():
    """The group keeps the last text's scan: members called on other texts in between still get theirs."""
    texts = [t for t in NEWS if re.search(r"\d", t)][:6]
    expected = {(i, name): _found(f[0], t) for i, t in enumerate(texts) for name, f in FINDERS.items()}
    rng = random.Random(3)
    calls = list(expected)
    rng.shuffle(calls)
    for i, name in calls:
        assert _found(FINDERS[name][1], texts[i]) == expected[i, name], name


def test_a_group_class_that_misses_starts_is_caught():
    from checker.extract import SCANS

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(SCANS, "before", "[ ]")  # a start after a newline or a bracket is lost
        mp.setattr(SCANS, "_last", (None, "", []))
        mp.delitem(SCANS.__dict__, "_scan")
        assert any(_disagree(FINDERS, text) for text in NEWS)
    SCANS.__dict__.pop("_scan", None)
    SCANS._last = (None, "", [])


# ---- the checks above fail on a broken scanner ----------------------------------------------------


def _rebuilt(monkeypatch, breakage: dict) -> dict:
    """The scanners built again with parts of the prefilter replaced."""
    monkeypatch.setattr(prefilter, "DERIVED", {})  # derived again, not taken from the memo
    prefilter._prefixes.cache_clear()
    for name, value in breakage.items():
        monkeypatch.setattr(prefilter, name, value)
    return {name: (s.pattern.finditer, Scanner(s.pattern, s.k, s.before, s.also).finditer)
            for name, s in SCANNERS.items()}


def _caught(finders: dict) -> bool:
    if any(_disagree(finders, text) for text in NEWS):
        return True
    try:
        # without shrinking: any text that shows a difference will do
        find(FUZZ, lambda text: bool(_disagree(finders, text)),
             settings=settings(max_examples=2000, deadline=None, database=None, derandomize=True,
                               phases=[Phase.generate]))
    except NoSuchExample:
        return False
    return True


def test_rebuilt_scanners_pass():
    """The rebuilding below changes nothing by itself (else the next tests would prove nothing)."""
    with pytest.MonkeyPatch.context() as mp:
        finders = _rebuilt(mp, {})
        assert not any(_disagree(finders, text) for text in NEWS)


@pytest.mark.parametrize("breakage", [
    # letters compared in the case written, though the pattern ignores case
    {"_literal": lambda char, icase: re.escape(char)},
    # "ſix o'clock", "mıdnight": re's extra case folds forgotten
    {"CASE_FOLDS": {}},
    # a repeated group read as if it occurred once
    {"_repeat": lambda av, k, icase, back: prefilter._sequence(list(av[2]), k, icase, back)},
], ids=["case", "folds", "repeat"])
def test_a_broken_scanner_is_caught(breakage):
    try:
        with pytest.MonkeyPatch.context() as mp:
            assert _caught(_rebuilt(mp, breakage))
    finally:
        prefilter._prefixes.cache_clear()  # what the broken reading derived


# ---- tails: searches anchored at the end of their window --------------------------------------------


TAILS: dict[str, Tail] = _extract_defined(Tail)
_SEQUENCE = prefilter._sequence


def _tail_windows(text: str, rng: random.Random) -> list[tuple[int, int]]:
    """Windows ending where the extractors look back from: before figures and words, and anywhere."""
    ends = [m.start() for m in re.finditer(r"\d+|\b\w", text)] + [rng.randrange(len(text) + 1) for _ in range(5)]
    return [(max(0, end - width), end) for end in ends for width in (12, 40, 60)]


def _tails_disagree(tails: dict[str, Tail], text: str, windows) -> list[str]:
    out = []
    for name, tail in tails.items():
        for lo, hi in windows:
            a, b = tail.pattern.search(text, lo, hi), tail.search(text, lo, hi)
            if (a is None) != (b is None) or a is not None and (a.span(), a.groups()) != (b.span(), b.groups()):
                out.append(f"{name} {text[lo:hi]!r}")
    return out


def test_the_extractors_use_tails_with_a_check():
    assert {"numbers._BOUND_BEFORE", "context.PREVIOUS_BEFORE", "dates._OFFSET"} <= set(TAILS)
    assert all(tail._check is not None for tail in TAILS.values()), "a Tail whose pattern gives no check"


def test_tails_find_what_search_finds_in_news_text():
    rng = random.Random(5)
    for text in NEWS:
        assert _tails_disagree(TAILS, text, _tail_windows(text, rng)) == []


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(FUZZ.map(lambda t: t + " "))
def test_tails_find_what_search_finds_in_fuzzed_text(text):
    windows = [(max(0, hi - 40), hi) for hi in range(len(text) + 1)]
    assert _tails_disagree(TAILS, text, windows) == []


@pytest.mark.parametrize("regex, text, expected", [
    (r"ago$", "three days ago\n", "ago"),  # "$" before a final newline
    (r"ago\Z", "three days ago\n", None),
    (r"(?:from|versus)\s+$", "up from ", "from "),
    (r"(?:from\s+$|(?:compared with)\s+$)", "as compared with ", "compared with "),
    (r"(?i:week of)\s+$", "the WEEK Of ", "WEEK Of "),
    (r"(?i:ſept)\s+$", "in SEPT ", "SEPT "),
    (r"(?i:sept)\s+$", "in ſept ", "ſept "),
], ids=["newline", "end-string", "branch", "branches", "case", "fold-pattern", "fold-text"])
def test_tail_anchored_patterns(regex, text, expected):
    tail = Tail(re.compile(regex))
    assert tail._check is not None
    m = tail.search(text)
    assert (m.group(0) if m else None) == expected == (re.search(regex, text).group(0) if expected else None)


@pytest.mark.parametrize("regex", [r"ago", r"ago$|now", r"(?m)ago$", r"\s*$"])
def test_tail_without_an_end_anchor_has_no_check(regex):
    """Not anchored at the end on every path, or matching nothing there: searched as it is."""
    tail = Tail(re.compile(regex))
    assert tail._check is None
    assert [m.span() for m in [tail.search("three days ago\nnow")] if m] == \
        [m.span() for m in [re.search(regex, "three days ago\nnow")] if m]


@pytest.mark.parametrize("breakage", [
    {"_sequence": lambda items, k, icase, back=False: _SEQUENCE(items, k, icase, False)},
    {"_literal": lambda char, icase: re.escape(char)},
], ids=["prefixes-not-suffixes", "case"])
def test_a_broken_tail_is_caught(breakage):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(prefilter, "DERIVED", {})
        for name, value in breakage.items():
            mp.setattr(prefilter, name, value)
        rebuilt = {name: Tail(t.pattern, t.k) for name, t in TAILS.items()}
        rng = random.Random(5)
        assert any(_tails_disagree(rebuilt, text, _tail_windows(text, rng)) for text in NEWS)


# ---- markdown: the block parser is skipped where no block it is read for can be ------------------

from checker.ingest import markdown  # noqa: E402

_BLOCK_TYPES = {"fence", "code_block", "html_block"}
# markdown made of lists, quotes, headings, rules and indentation, with and without the marks
MARKDOWN = st.lists(st.sampled_from([" ", " ", "  ", "\n", "\n\n", "-", "*", "+", ">", "#", "1.", "2)", "a", "Word",
                                     "---", "===", "\u00a0", "\t", "<", "<div>", "`", "```", "~~~", "[x]: y"]),
                    max_size=30).map("".join)


def _blocks_without_mark(block_mark):
    """A check of a body: does it hold a block the parser is read for, though block_mark finds nothing?"""
    return lambda body: not block_mark.search(body) and any(t.type in _BLOCK_TYPES for t in markdown._md.parse(body))


@settings(max_examples=300, deadline=None)
@given(MARKDOWN)
def test_markdown_blocks_need_a_block_mark(body):
    assert not _blocks_without_mark(markdown._BLOCK_MARK)(body)


def test_markdown_block_check_catches_a_missing_mark():
    for weaker in (r"[<`~\t]", r"[<`~]| {4}", r"[`~\t]| {4}"):  # raises NoSuchExample if not caught
        find(MARKDOWN, _blocks_without_mark(re.compile(weaker)),
             settings=settings(max_examples=2000, deadline=None, database=None, derandomize=True))


def test_markdown_reads_the_same_without_the_shortcut(monkeypatch):
    paths = [p for root in (FIXTURES, ROOT / "seeds") for p in sorted(root.rglob("*.md"))]
    raws = [p.read_text(encoding="utf-8", errors="replace") for p in paths]
    quick = [markdown.parse_markdown("x.md", raw) for raw in raws]
    monkeypatch.setattr(markdown, "_BLOCK_MARK", re.compile(""))
    for raw, doc in zip(raws, quick):
        full = markdown.parse_markdown("x.md", raw)
        assert getattr(full, "text", full) == getattr(doc, "text", doc)
