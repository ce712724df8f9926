"""Text normalisation shared by storage, search and matching."""

import re
import unicodedata
from functools import lru_cache

_APOSTROPHES = re.compile(r"['\u2019\u2018`]")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


# Imports fold the same organisation, town and cell names again and again.
@lru_cache(maxsize=2**16)
def fold_text(text: str) -> str:
    """Lower-case ``text``, strip accents and punctuation, collapse spaces.

    Apostrophes vanish ("O'Brien" is one word), other punctuation separates
    words ("Sarah-Jane" is two).

    >>> fold_text("  Zoë O'Brien-Smith ")
    'zoe obrien smith'
    """
    if text.isascii():
        without_marks = text
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        without_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_ALNUM.sub(" ", _APOSTROPHES.sub("", without_marks.casefold())).strip()
