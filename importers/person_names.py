"""People's names as meeting tools and minutes write them, put the usual way round.

Teams and Zoom add tags to display names ("Ann Lee (Guest)", "Lee, Ann
(MLCSU)", "Ann Lee (she/her)"); directories list people surname first
("Lee, Ann", "LEE Ann"); minutes add initials ("Ann Lee (AL)"). The name
stored is the person's own, in "First Surname" order, without the tags;
a tag that names an organisation is kept as the person's organisation.
"""

import re

from graphsvc.model.text import fold_text

# "Amina Yusuf (she/her)", "Amina Yusuf - Coventry Grapevine", "Amina | Grapevine".
_BRACKETED = re.compile(r"\s*[(\[][^)\]]*[)\]]")
_ORGANISATION_AFTER = re.compile(r"\s+(?:-|\||–|—)\s+")
# "Ann Lee (Guest)", "Ann Lee [EXT]": a bracketed tag at the end of a name.
_TRAILING_TAG = re.compile(r"\s*[(\[]([^()\[\]]*)[)\]]\s*$")
# Tags that say how someone joined, not who they are or where they work.
STATUS_TAGS = frozenset(
    {
        "guest",
        "ext",
        "external",
        "extern",
        "externe",
        "unverified",
        "visitor",
        "host",
        "co host",
        "cohost",
        "me",
        "you",
        "organizer",
        "organiser",
        "presenter",
        "attendee",
        "panelist",
        "panellist",
    }
)
PRONOUN_WORDS = frozenset({"she", "her", "hers", "he", "him", "his", "they", "them", "theirs"})
# Words after a surname that belong with it: "Birch Jr, Johnnie L".
SURNAME_SUFFIXES = frozenset({"jr", "jnr", "junior", "sr", "snr", "senior", "ii", "iii", "iv"})
# Letters after a name that are not a first name: "Lee, PhD".
QUALIFICATIONS = frozenset({"phd", "md", "dds", "obe", "mbe", "cbe", "frsa", "mp", "jp", "esq"})
_NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_'’.\-]*(?:['’.\-][^\W\d_]*)*\.?$")
MAX_NAME_WORDS = 5


def name_and_tags(text: str) -> tuple[str, list[str]]:
    """A display name without its trailing bracketed tags, and the tags (first first).

    >>> name_and_tags("Joanna Grant (MLCSU) (Guest)")
    ('Joanna Grant', ['MLCSU', 'Guest'])
    """
    name = " ".join(text.split())
    tags: list[str] = []
    while (found := _TRAILING_TAG.search(name)) and found.start() > 0:
        tags.insert(0, " ".join(found.group(1).split()))
        name = name[: found.start()].rstrip()
    return name, [t for t in tags if t]


def is_status_tag(tag: str) -> bool:
    """Whether a tag says how someone joined ("Guest", "EXT") or their pronouns."""
    folded = fold_text(tag)
    return folded in STATUS_TAGS or bool(set(folded.split()) & PRONOUN_WORDS)


def are_initials(tag: str, name: str) -> bool:
    """Whether a tag is the initials of the name beside it ("Michael Hunter (MH)").

    >>> are_initials("MH", "Michael Hunter"), are_initials("NHS", "Michael Hunter")
    (True, False)
    """
    letters = tag.replace(".", "").replace(" ", "")
    initials = "".join(word[0] for word in name.replace("-", " ").split() if word[0].isalpha())
    return bool(letters) and letters.isalpha() and letters.upper() == initials.upper()


def organisation_tag(name: str, tags: list[str]) -> str | None:
    """The tag that names the person's organisation ("MLCSU"), if one does."""
    for tag in tags:
        if not is_status_tag(tag) and not are_initials(tag, name):
            return tag
    return None


def looks_like_name(text: str) -> bool:
    """Whether text is a few capitalised words of letters, as a person's name is.

    >>> looks_like_name("Mary-Ann O'Neil"), looks_like_name("Thanks all")
    (True, False)
    """
    words = text.split()
    if not words or len(words) > MAX_NAME_WORDS:
        return False
    if not all(_NAME_WORD.match(w) for w in words):
        return False
    return words[0][0].isupper() and words[-1][0].isupper()


def first_name_first(name: str) -> str:
    """ "Surname, First" as "First Surname"; any other name as it is.

    A generational suffix stays after the surname; text after the comma that
    is only a suffix or a qualification ("King, Jr.", "Lee, PhD") is not a
    first name.

    >>> first_name_first("García Simón, Pedro"), first_name_first("Birch Jr, Johnnie L")
    ('Pedro García Simón', 'Johnnie L Birch Jr')
    >>> first_name_first("Martin Luther King, Jr."), first_name_first("Ann Lee")
    ('Martin Luther King, Jr.', 'Ann Lee')
    """
    surname, comma, first = name.partition(",")
    surname, first = surname.strip(), first.strip()
    if not comma or "," in first or not looks_like_name(surname) or not looks_like_name(first):
        return name
    folded = fold_text(first)
    if folded in SURNAME_SUFFIXES or folded in QUALIFICATIONS or len(folded) < 2:
        return name
    return f"{first} {surname}"


def has_surname_suffix(text: str) -> bool:
    """Whether the last word of a name is a generational suffix ("Birch Jr")."""
    words = fold_text(text).split()
    return bool(words) and words[-1] in SURNAME_SUFFIXES


def capitals_surname_last(name: str) -> str:
    """ "ROBUST Razvan" (a surname in capitals first, as some directories write it)
    as "Razvan ROBUST"; a name all in capitals, or in the usual case, as it is.

    >>> capitals_surname_last("ROBUST Razvan"), capitals_surname_last("JANSSENS JAN")
    ('Razvan ROBUST', 'JANSSENS JAN')
    >>> capitals_surname_last("Ann LEE")
    'Ann LEE'
    """
    words = name.split()
    leading = 0
    while leading < len(words) and _in_capitals(words[leading]):
        leading += 1
    rest = words[leading:]
    if not leading or not rest or any(_in_capitals(w) for w in rest):
        return name
    return " ".join(rest + words[:leading])


def _in_capitals(word: str) -> bool:
    letters = [ch for ch in word if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def display_name(text: str) -> tuple[str, str | None]:
    """A Zoom display name without pronouns, notes or the name it replaced (all in
    brackets), and an organisation after a dash.

    >>> display_name("Aled Jones - Swansea Council"), display_name("Ann L (Ann Lee)")
    (('Aled Jones', 'Swansea Council'), ('Ann L', None))
    """
    name = " ".join(_BRACKETED.sub("", text).split())
    parts = _ORGANISATION_AFTER.split(name, maxsplit=1)
    if len(parts) == 2 and parts[1]:
        return parts[0], parts[1]
    return name, None
