"""Text normalisation shared by storage, search and matching."""

import re
import unicodedata

_APOSTROPHES = re.compile(r"['\u2019\u2018`]")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def fold_text(text: str) -> str:
    """Lower-case ``text``, strip accents and punctuation, collapse spaces.

    Apostrophes vanish ("O'Brien" is one word), other punctuation separates
    words ("Sarah-Jane" is two).

    >>> fold_text("  Zoë O'Brien-Smith ")
    'zoe obrien smith'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    without_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_ALNUM.sub(" ", _APOSTROPHES.sub("", without_marks.casefold())).strip()
