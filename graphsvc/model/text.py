"""Text normalisation shared by storage, search and matching."""

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

_APOSTROPHES = re.compile(r"['\u2019\u2018`]")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# A Chinese character or a Korean syllable is a word of its own once transliterated
# ("王伟": "wang wei"), so each can be searched for.
_SYLLABLES = re.compile(
    "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\U00020000-\U0003134f]"
)
# Scripts whose combining marks are accents or vowel points, which names are
# written with and without; in others (Japanese kana, Indic scripts) a mark
# makes another letter.
_SCRIPTS_WITH_ACCENTS = frozenset({"LATIN", "GREEK", "CYRILLIC", "ARABIC", "HEBREW"})
# NUL ends a FalkorDB query early, and half of a UTF-16 pair has no UTF-8 form.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(text: str) -> bool:
    """Whether both databases can store ``text`` (no NUL, no half of a UTF-16 pair).

    >>> storable("Zoë O'Brien"), storable("person:\\x00"), storable("\\ud800")
    (True, False, False)
    """
    if text.isascii():
        return "\x00" not in text
    return _UNSTORABLE.search(text) is None


# Imports fold the same organisation, town and cell names again and again.
@lru_cache(maxsize=2**16)
def fold_text(text: str) -> str:
    """Lower-case ``text``, strip accents and punctuation, collapse spaces, and
    write every script in ASCII letters: what search and heading matching compare.

    Apostrophes vanish ("O'Brien" is one word), other punctuation separates
    words ("Sarah-Jane" is two). Other scripts are transliterated (anyascii),
    a Chinese or Korean syllable to a word of its own, so every name folds to
    ``[0-9a-z ]`` and can be searched by typing it in either script. The
    transliteration is for comparing only: it is never shown.

    >>> fold_text("  Zoë O'Brien-Smith ")
    'zoe obrien smith'
    >>> fold_text("王伟"), fold_text("Łukasz Straße"), fold_text("Иван")
    ('wang wei', 'lukasz strasse', 'ivan')
    """
    if not text.isascii():
        text = anyascii(_SYLLABLES.sub(r" \g<0> ", text))
    return _NON_ALNUM.sub(" ", _APOSTROPHES.sub("", text.casefold())).strip()


@lru_cache(maxsize=2**16)
def fold_name(text: str) -> str:
    """Lower-case ``text`` and strip accents and punctuation, keeping its script:
    what tells two names apart.

    Latin letters lose their accents and strokes ("Łukasz" is "lukasz"), and
    Greek, Cyrillic, Arabic and Hebrew ones their accents and vowel points; the
    letters of other scripts are kept whole, so two names that transliterate
    alike (王伟, 汪伟) stay two names. ASCII text folds as :func:`fold_text`.

    >>> fold_name("Zoë O'Brien"), fold_name("王伟"), fold_name("Łukasz")
    ('zoe obrien', '王伟', 'lukasz')
    >>> fold_name("مُحَمَّد علي") == fold_name("محمد علي")
    True
    """
    if text.isascii():
        return fold_text(text)
    letters: list[str] = []
    script = ""
    for char in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(char):
            if script not in _SCRIPTS_WITH_ACCENTS:
                letters.append(char)
            continue
        script = "LATIN" if char.isascii() else unicodedata.name(char, "").partition(" ")[0]
        if script == "LATIN" and not char.isascii():
            char = anyascii(char)
        letters.append(char)
    return _words(unicodedata.normalize("NFC", "".join(letters)).casefold())


def _words(text: str) -> str:
    """Letters, digits and their marks in words: apostrophes dropped, anything else a space."""
    kept = (
        char if unicodedata.category(char)[0] in "LNM" else " "
        for char in _APOSTROPHES.sub("", text)
    )
    return " ".join("".join(kept).split())
