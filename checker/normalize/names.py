"""Name keys: one key per way of writing a person's name, blind to case, hyphens, spaces between
romanized syllables, diacritics and titles. 'Lee Jae-myung' = 'Lee Jae Myung' = 'Lee Jaemyung'."""
from __future__ import annotations

import unicodedata
from functools import lru_cache

_FOLD = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ł": "l", "ı": "i", "’": "'"})


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case ASCII-ish form: diacritics stripped ('Satō' -> 'sato', 'Álvarez' -> 'alvarez')."""
    for _ in range(3):  # casefolding and compatibility decomposition can undo each other: 'ℌ' -> 'H' -> 'h'
        decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD))
        folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        if folded == text:
            break
        text = folded
    return folded


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """Letters only, folded: spacing, hyphens and apostrophes do not matter."""
    return "".join(ch for ch in fold(name) if ch.isalnum())


def token_keys(tokens: list[str]) -> list[str]:
    return [name_key(t) for t in tokens]
