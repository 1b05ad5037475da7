"""Cheap necessary conditions for expensive patterns, derived from the patterns themselves.

Python's re tries a big alternation branch by branch at every position it is asked about, so a
failing attempt at DATE costs microseconds, and almost every attempt fails. `start_pattern(P, k)`
reads P's parse tree and returns a small pattern that matches the first k characters of every
string P can match (more, never less): where it does not match, P cannot either, and P need not be
tried. Being computed from P, it stays right when P changes.

The over-approximation is deliberate and simple: lookarounds and word boundaries are dropped (they
only ever forbid), a backreference ends the prefix (anything may follow), a conditional group is read
as both of its branches, ASCII letters match in either case (and the other characters re's case
folding lets through, CASE_FOLDS), digits as any digit. `Scanner` uses such a pattern to run
P.finditer while trying P only where it can start; a `ScanGroup` runs several scanners' scans as
one. Read backwards, the same machinery gives the last k characters of every match: `Tail` uses them
to search a pattern anchored at the end of a window ("about\\s+$" before a figure) only where the
window ends right.
"""
from __future__ import annotations

import re
from functools import cached_property, lru_cache

try:  # Python 3.11+
    from re import _constants as _c, _parser as _sre
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _c
    import sre_parse as _sre

_ANY = r"[\s\S]"
_OPEN = None  # ends a prefix after which anything may follow
_CATEGORIES = {_c.CATEGORY_DIGIT: r"\d", _c.CATEGORY_NOT_DIGIT: r"\D", _c.CATEGORY_SPACE: r"\s",
               _c.CATEGORY_NOT_SPACE: r"\S", _c.CATEGORY_WORD: r"\w", _c.CATEGORY_NOT_WORD: r"\W"}
_ZERO_WIDTH = {_c.AT, _c.ASSERT, _c.ASSERT_NOT}
_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT} | ({_c.POSSESSIVE_REPEAT} if hasattr(_c, "POSSESSIVE_REPEAT") else set())
_GROUPS = {_c.SUBPATTERN} | ({_c.ATOMIC_GROUP} if hasattr(_c, "ATOMIC_GROUP") else set())


def start_pattern(pattern: re.Pattern, k: int) -> re.Pattern:
    """A pattern that matches at every position where `pattern` matches (and maybe elsewhere),
    looking at no more than its first k characters."""
    return re.compile(_start_regex(pattern, k), pattern.flags & ~(re.IGNORECASE | re.VERBOSE))


def _start_regex(pattern: re.Pattern, k: int) -> str:
    key = (pattern.pattern, pattern.flags, k)
    found = DERIVED.get(key)
    if found is None:
        found = DERIVED[key] = _render(_trie(_prefixes(pattern, k)))
    return found


@lru_cache(maxsize=32)
def _prefixes(pattern: re.Pattern, k: int) -> frozenset:
    """What _sequence reads from the whole pattern, kept while the process derives: a ScanGroup
    joins its members' (DATE's take a tenth of a second)."""
    return frozenset(_sequence(list(_parse(pattern)), k, bool(pattern.flags & re.IGNORECASE)))


# regexes derived so far: (pattern, flags, k) -> start regex; ("group", (pattern, flags, k)...) -> a
# ScanGroup's start regex; ("tail", pattern, flags, k) -> a Tail's reversed end regex ("" for none); and
# leading lookbehinds read: ("lookbehind", pattern, flags) -> (class, negative) or None. Deriving the
# extractors' takes a quarter of a second, which a re-run that extracts one changed file would pay for
# it alone: the executors keep them in the cache folder (checker.executors._Derived)
DERIVED: dict[tuple, object] = {}


def _parse(pattern: re.Pattern):
    return _sre.parse(pattern.pattern, pattern.flags)


class Scanner:
    """pattern.finditer(text), trying the pattern only where its first k characters can match.

    When the pattern opens with a one-character lookbehind ("(?<![\\w-])": a match starts a word), the
    scan consumes that character, so that re skips the inside of words without entering the start
    pattern at each letter; the text it scans has a character in front that stands for "nothing
    before" (one the lookbehind would let through, or stop)."""

    def __init__(self, pattern: re.Pattern, k: int, before: str | None = None, also=None):
        """before: a class of the one character every match follows but at the start of a text, for a
        pattern that does not say so with a leading lookbehind; also(text): more positions where a
        match may start, in order, for the matches that follow anything."""
        self.pattern, self.k, self.before, self.also = pattern, k, before, also
        self.group: ScanGroup | None = None  # set by ScanGroup: the starts come from its shared scan

    @cached_property
    def _scan(self):
        """(the scan pattern, the character put in front of the text or ""), or None when the pattern
        may match the empty string (finditer's rules for empty matches are not rebuilt here).

        Built on first use, not at import: reading the parse tree and compiling the start pattern
        cost tens of milliseconds per scanner, which a process that extracts nothing need not pay."""
        pattern = self.pattern
        flags = pattern.flags & ~(re.IGNORECASE | re.VERBOSE)
        start = _start_regex(pattern, self.k)
        if start == "":
            return None
        lookbehind = (self.before, True) if self.before is not None else _leading_lookbehind(pattern)
        pad = None
        if lookbehind is not None:
            regex, negative = lookbehind
            # at the start of a text a negative lookbehind holds and a positive one fails
            pad = next((c for c in (" ", "\x00", "\uffff") if bool(re.fullmatch(regex, c, flags)) == negative), None)
        if pad is None:
            return re.compile(f"(?={start})", flags), ""
        return re.compile(f"{lookbehind[0]}(?={start})", flags), pad

    def starts(self, text: str):
        """Where a match may start, in order."""
        if self._scan is None:
            found = range(len(text) + 1)
        elif self.group is not None and self.group._scan is not None:
            found = self.group.starts(self, text)
        else:
            scan, pad = self._scan
            if not pad:
                found = (m.start() for m in scan.finditer(text))
            else:
                found = (m.end() - 1 for m in scan.finditer(pad + text))
        if self.also is None:
            return found
        return sorted(set(found).union(self.also(text)))

    def finditer(self, text: str):
        if self._scan is None:
            yield from self.pattern.finditer(text)
            return
        match = self.pattern.match
        pos = 0
        for start in self.starts(text):
            if start >= pos:
                m = match(text, start)
                if m:
                    yield m
                    pos = m.end()


class ScanGroup:
    """Scanners that find their starts in one scan of a text instead of one scan each.

    The group's scan pattern is the trie of all its members' prefixes after `before`, a class that
    takes every character a member's own lookbehind class does (tests check every code point): it
    runs over the text once, and a member's starts are those of the group's where its own scan
    pattern matches, one anchored attempt each. The last text scanned is kept, so that the members
    called one after the other on a document share the scan."""

    def __init__(self, *members: Scanner, before: str):
        self.members, self.before = members, before
        self._last: tuple = (None, "", [])  # (text, the text with the pad in front, the group's starts)
        for member in members:
            member.group = self

    @cached_property
    def _scan(self):
        """(the scan pattern, the pad), or None when the members cannot share one: one of them may
        start anywhere or needs another pad or other flags (then each scans alone)."""
        scans = [m._scan for m in self.members]
        if any(s is None or not s[1] for s in scans) or len({s[1] for s in scans}) > 1 \
                or len({s[0].flags for s in scans}) > 1:
            return None
        key = ("group",) + tuple((m.pattern.pattern, m.pattern.flags, m.k) for m in self.members)
        start = DERIVED.get(key)
        if start is None:
            start = DERIVED[key] = _render(_trie(set().union(*(_prefixes(m.pattern, m.k) for m in self.members))))
        return re.compile(f"{self.before}(?={start})", scans[0][0].flags), scans[0][1]

    def starts(self, member: Scanner, text: str) -> list[int]:
        last = self._last
        if last[0] is not text:
            scan, pad = self._scan
            padded = pad + text
            last = self._last = (text, padded, [m.start() for m in scan.finditer(padded)])
        _, padded, found = last
        match = member._scan[0].match
        return [p for p in found if match(padded, p)]


class Tail:
    """pattern.search(text, pos, endpos) for a pattern anchored at the end of what it searches (a
    word before a figure: "(?:about|around)\\s+$" on the text before it).

    re would try the pattern at every position of the window; most windows end in no such word. So
    the window is first read backwards against a pattern derived from the last k characters of every
    string the pattern can match (more, never less): when that fails, so would the search. The window
    is copied reversed: meant for the few dozen characters before a figure, not for a whole text."""

    def __init__(self, pattern: re.Pattern, k: int = 6):
        self.pattern, self.k = pattern, k

    @cached_property
    def _check(self):
        """The derived pattern, matched at the start of the window reversed; None: no check (the
        pattern is not anchored at its end, or may match nothing at it)."""
        regex = _end_regex(self.pattern, self.k)
        return re.compile(regex, self.pattern.flags & ~(re.IGNORECASE | re.VERBOSE)) if regex else None

    def search(self, text: str, pos: int = 0, endpos: int | None = None):
        end = len(text) if endpos is None else min(endpos, len(text))
        check = self._check
        if check is not None and not check.match(text[pos:end][::-1]):
            return None
        return self.pattern.search(text, pos, end)


def _end_regex(pattern: re.Pattern, k: int) -> str:
    key = ("tail", pattern.pattern, pattern.flags, k)
    found = DERIVED.get(key)
    if found is None:
        found = DERIVED[key] = _read_end(pattern, k)
    return found


def _read_end(pattern: re.Pattern, k: int) -> str:
    items = list(_parse(pattern))
    anchor = None if pattern.flags & re.MULTILINE else _end_anchor(items)
    if anchor is None:
        return ""
    body = _render(_trie(_sequence(items, k, bool(pattern.flags & re.IGNORECASE), back=True)))
    if not body:
        return ""
    # "$" also matches before a newline that ends the text: the match may end one character early
    return (r"\n?" + body) if anchor is _c.AT_END else body


def _end_anchor(items: list):
    """How every match of the items ends: at "\\Z" (AT_END_STRING), at "$" (AT_END: maybe before a
    final newline) or not always at the end (None)."""
    if not items:
        return None
    op, av = items[-1]
    if op is _c.AT:
        return av if av in (_c.AT_END, _c.AT_END_STRING) else None
    if op is _c.BRANCH:
        ends = {_end_anchor(list(alt)) for alt in av[1]}
    elif op is _c.SUBPATTERN:
        ends = {_end_anchor(list(av[3]))}
    else:
        return None
    if None in ends:
        return None
    return _c.AT_END if _c.AT_END in ends else _c.AT_END_STRING


def _leading_lookbehind(pattern: re.Pattern):
    """(a class of the one character every match follows, whether the lookbehind was negative) when
    the pattern opens with a one-character lookbehind, else None. Kept in DERIVED too: it parses the
    whole pattern to read its first item."""
    key = ("lookbehind", pattern.pattern, pattern.flags)
    if key not in DERIVED:
        DERIVED[key] = _read_lookbehind(pattern)
    return DERIVED[key]


def _read_lookbehind(pattern: re.Pattern):
    items = list(_parse(pattern))
    if not items or items[0][0] not in (_c.ASSERT, _c.ASSERT_NOT):
        return None
    op, (direction, sub) = items[0]
    sub = list(sub)
    if direction != -1 or len(sub) != 1 or sub[0][0] not in (_c.IN, _c.LITERAL):
        return None
    kind, av = sub[0]
    charset = _exact_charset(av if kind is _c.IN else [(kind, av)], negate=op is _c.ASSERT_NOT)
    if charset is None:
        return None
    return (f"(?i:{charset})" if pattern.flags & re.IGNORECASE else charset), op is _c.ASSERT_NOT


def _sequence(items: list, k: int, icase: bool, back: bool = False) -> set:
    """Prefixes (tuples of one-character regexes) of length <= k of what the items match in a row; a
    prefix shorter than k is complete (or ends in _OPEN). back: suffixes instead, last character first
    (what the items match, read backwards)."""
    done: set = set()
    open_: set = {()}
    for item in (reversed(items) if back else items):
        open_ = _extend(open_, lambda room: _item(item, room, icase, back), k, done)
        if not open_:
            break
    return done | open_


def _extend(heads: set, tails_for, k: int, done: set) -> set:
    """Each head followed by each of its tails (tails_for(room left), computed once per room): prefixes
    that reach k characters or end open go to `done`; the shorter ones are returned to grow further."""
    grown: set = set()
    tails: dict = {}
    for head in heads:
        room = k - len(head)
        if room not in tails:
            tails[room] = tails_for(room)
        for tail in tails[room]:
            joined = head + tail
            if len(joined) >= k or (joined and joined[-1] is _OPEN):
                done.add(joined)
            else:
                grown.add(joined)
    return grown


def _item(item, k: int, icase: bool, back: bool) -> set:
    op, av = item
    if op is _c.LITERAL:
        return {(_literal(chr(av), icase),)}
    if op is _c.NOT_LITERAL or op is _c.ANY:
        return {(_ANY,)}
    if op is _c.IN:
        return {(_charset(av, icase),)}
    if op in _ZERO_WIDTH:
        return {()}
    if op is _c.BRANCH:
        return set().union(*(_sequence(list(alt), k, icase, back) for alt in av[1]))
    if op in _GROUPS:
        if op is _c.SUBPATTERN:
            _, add, remove, sub = av
            icase = bool((icase or add & re.IGNORECASE) and not remove & re.IGNORECASE)
        else:
            sub = av
        return _sequence(list(sub), k, icase, back)
    if op in _REPEATS:
        return _repeat(av, k, icase, back)
    if op is _c.GROUPREF_EXISTS:
        _, yes, no = av
        return _sequence(list(yes), k, icase, back) | (_sequence(list(no), k, icase, back) if no else {()})
    return {(_OPEN,)}  # a backreference, or anything not read here: it may match anything


def _repeat(av, k: int, icase: bool, back: bool) -> set:
    low, high, sub = av
    one = _sequence(list(sub), 2, icase, back)
    if high > 1 and all(len(p) == 1 and p[0] is not _OPEN for p in one):
        # a run of single characters (\s+, \d{1,3}): one atom that matches any such run, so that
        # the k characters looked at reach past it
        atoms = sorted(p[0] for p in one)
        run = (atoms[0] if len(atoms) == 1 else f"(?:{'|'.join(atoms)})") + "+"
        return {(run,), ()} if low == 0 else {(run,)}
    bodies: dict = {}  # by the room left: the same across repetitions

    def body(room: int) -> set:
        if room not in bodies:
            bodies[room] = _sequence(list(sub), room, icase, back)
        return bodies[room]

    done: set = set()
    seen: set = set()
    frontier: set = {()}
    count = 0
    while frontier:
        if count >= low:
            done |= frontier
            seen |= frontier
        if count == high:
            break
        grown = _extend(frontier, body, k, done)
        count += 1
        # past the minimum, a prefix met before leads nowhere new (fewer repetitions remain)
        frontier = grown - seen if count > low else grown
    return done


def _literal(char: str, icase: bool) -> str:
    return _chars({char}) if _widened(char) else f"(?i:{re.escape(char)})" if icase else re.escape(char)


def _widened(char: str) -> bool:
    return char.isascii() and char.isalnum() or char.isspace()


def _chars(chars: set) -> str:
    """Characters as one atom, a little wider than asked: ASCII letters in any case, ASCII digits as
    any digit, spaces as any space. Then the trie's branches merge, and each starts with a plain
    character class, which re rejects without entering the branch."""
    if all(c.isspace() for c in chars):
        return r"\s"
    if all(c.isascii() and c.isdigit() for c in chars):
        return r"\d"
    wide = set()
    for c in chars:
        low = c.lower()
        wide.update((low, low.upper(), *CASE_FOLDS.get(low, "")) if c.isascii() and c.isalpha() else (c,))
    return "[" + "".join(re.escape(c) for c in sorted(wide)) + "]"


# what else re.IGNORECASE matches for an ASCII letter, beyond its two cases: "İ" and "K" lower-case
# to "i" and "k", and re equates "ı" with "i" and "ſ" with "s" (found by trying every code point)
CASE_FOLDS = {"i": "\u0130\u0131", "k": "\u212a", "s": "\u017f"}


def _charset(items, icase: bool) -> str:
    if all(op is _c.LITERAL and _widened(chr(av)) for op, av in items):
        return _chars({chr(av) for _, av in items})
    if all(op is _c.RANGE and all(chr(x).isascii() and chr(x).isdigit() for x in av) or
           op is _c.CATEGORY and av is _c.CATEGORY_DIGIT for op, av in items):
        return r"\d"
    if list(items) == [(_c.CATEGORY, _c.CATEGORY_SPACE)]:
        return r"\s"
    charset = _exact_charset(items)
    if charset is None:  # not read here: any character
        return _ANY
    return f"(?i:{charset})" if icase else charset


def _exact_charset(items, negate: bool = False):
    """The character class of parsed class items (negated if asked), or None when it has items not
    read here."""
    parts = []
    for op, av in items:
        if op is _c.NEGATE:
            negate = not negate
        elif op is _c.LITERAL:
            parts.append(re.escape(chr(av)))
        elif op is _c.RANGE:
            parts.append(f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}")
        elif op is _c.CATEGORY and av in _CATEGORIES:
            parts.append(_CATEGORIES[av])
        else:
            return None
    return f"[{'^' if negate else ''}{''.join(parts)}]"


def _trie(prefixes: set) -> dict:
    root: dict = {}
    for prefix in prefixes:
        node = root
        for atom in prefix:
            if atom is _OPEN:
                break
            node = node.setdefault(atom, {})
        node[_OPEN] = {}  # a prefix may end here
    return root


def _render(node: dict) -> str:
    if _OPEN in node:  # something ends here: whatever follows need not match
        return ""
    alternatives = [atom + _render(child) for atom, child in sorted(node.items())]
    return alternatives[0] if len(alternatives) == 1 else f"(?:{'|'.join(alternatives)})"
