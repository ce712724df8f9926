"""Who is who: matching people and organisations in a file to those already known.

The evidence, strongest first:

- the same email: the same person;
- the same name (ignoring case, accents and spacing) and a shared
  organisation: the same person;
- the same name, no organisation in common but nothing against it: the same
  person, as members of one network rarely share a full name;
- the same name but different emails, the same single name ("Andrew") with
  nothing else in common, or a first name that may be a short
  form of the other ("Sam" / "Samantha") with the same surname, or a name
  a letter or two away: *possibly* the same person. These are kept apart
  and listed for review rather than guessed.

Names are told apart in their own script (:func:`name_key`: 王伟 and 汪伟 are
two names) and compared for similarity in a transliteration
(:func:`name_words`: "Wang Wei" may be 王伟), which is never stored or shown.
Name similarity is rapidfuzz's (Jaro–Winkler and token-set ratios), not
hand-written.
"""

import hashlib
import itertools
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler

from graphsvc.model import Organisation, Person
from graphsvc.model.text import fold_name, fold_text
from importers.name_blocks import BlockName, NameBlock

HONORIFICS = frozenset(
    {
        "dr",
        "prof",
        "professor",
        "cllr",
        "councillor",
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "rev",
        "revd",
        "reverend",
        "sir",
        "dame",
        "lord",
        "lady",
        "baroness",
        "baron",
    }
)
# Organisation names longer than this are not split into every shorter variant.
MAX_WORDS_FOR_SUBSETS = 8
POSTNOMINALS = frozenset({"obe", "mbe", "cbe", "dbe", "kbe", "frsa", "phd", "mp", "jp"})
# Close enough to ask a person, not close enough to merge.
NAME_SIMILARITY_FOR_REVIEW = 0.93
# Local parts of shared mailboxes: an address like these names no one.
SHARED_MAILBOXES = frozenset(
    {
        "accounts",
        "admin",
        "contact",
        "enquiries",
        "enquiry",
        "events",
        "finance",
        "hello",
        "info",
        "mail",
        "members",
        "membership",
        "news",
        "newsletter",
        "noreply",
        "office",
        "postmaster",
        "reception",
        "sales",
        "support",
        "team",
        "webmaster",
    }
)
_LETTERS = re.compile(r"[^\W\d_]+")
# Words that do not tell organisations apart.
ORGANISATION_NOISE = frozenset(
    {"the", "ltd", "limited", "cic", "cio", "plc", "llp", "inc", "co", "uk", "and", "of"}
)


@dataclass(frozen=True)
class KnownPerson:
    id: str
    name: str
    email: str | None = None
    organisations: frozenset[str] = frozenset()
    visibility: str | None = None
    # Further addresses a file gave ("email 2"): they find the person too.
    other_emails: tuple[str, ...] = ()


@dataclass(frozen=True)
class KnownOrganisation:
    id: str
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Match:
    person: str
    merged: bool  # False: a new person, possibly the same as ``candidate``
    reason: str | None = None
    candidate: str | None = None


@lru_cache(maxsize=2**17)  # each known name is compared with many others
def name_words(name: str) -> tuple[str, ...]:
    """A name's words, folded and transliterated, without titles or letters after it
    ("Dr Zoë Ng OBE": zoe, ng; "王伟": wang, wei): how names are compared for similarity."""
    return _without_titles(fold_text(name).split())


def _without_titles(words: list[str]) -> tuple[str, ...]:
    while len(words) > 1 and words[0] in HONORIFICS:
        words.pop(0)
    while len(words) > 1 and words[-1] in POSTNOMINALS:
        words.pop()
    return tuple(words)


@lru_cache(maxsize=2**17)
def name_key(name: str) -> str:
    """A name without case, accents, punctuation, spaces or titles, in its own
    script: two names are the same name when their keys are equal. Never empty
    for a name that is not: a name of symbols alone is its own key.

    >>> name_key("Dr Mary-Ann  O'Neil")
    'maryannoneil'
    >>> name_key("王伟") != name_key("汪伟"), name_key("🙂")
    (True, '🙂')
    """
    return "".join(_without_titles(fold_name(name).split())) or "".join(
        unicodedata.normalize("NFC", name).casefold().split()
    )


def native_name(name: str) -> str | None:
    """A name's folded words in a script other than Latin's, or None for a Latin name.

    >>> native_name("李娜"), native_name("Zoë Brown")
    ('李娜', None)
    """
    if name.isascii():
        return None
    words = " ".join(_without_titles(fold_name(name).split()))
    return None if words.isascii() else words


@lru_cache(maxsize=2**16)
def name_from_email(email: str) -> str | None:
    """A name for someone known only by their email: the words of its local part,
    capitalised ("jo.bloggs@example.org": "Jo Bloggs"). None for a shared
    mailbox ("info@...") or a local part with no word of two letters.

    >>> name_from_email("jo.bloggs-smith@example.org"), name_from_email("info@example.org")
    ('Jo Bloggs Smith', None)
    """
    local = email.rpartition("@")[0]
    words = _LETTERS.findall(local)
    if not any(len(word) > 1 for word in words) or fold_text(local) in SHARED_MAILBOXES:
        return None
    return " ".join(word[:1].upper() + word[1:] for word in words)


def named_from_email(name: str, email: str | None) -> bool:
    """Whether ``name`` is the one :func:`name_from_email` gives ``email`` (a stand-in)."""
    # Such a name is never longer than the address: most names are ruled out unread.
    return email is not None and len(name) < len(email) and name == name_from_email(email)


def organisation_key(name: str) -> str:
    """An organisation's name without noise words, its words sorted, in its own
    script (a transliteration's syllables would make 北京大学 part of 北京师范大学).

    >>> organisation_key("The Coventry Grapevine Ltd")
    'coventry grapevine'
    >>> organisation_key("Grapevine, Coventry")
    'coventry grapevine'
    """
    words = [
        w for w in fold_name(name.replace("&", " and ")).split() if w not in ORGANISATION_NOISE
    ]
    return " ".join(sorted(words))


def new_id(kind: type[Person] | type[Organisation], *evidence: str) -> str:
    """A stable id from what identified the record, so re-imports find the same id."""
    digest = hashlib.sha256("\x1f".join(evidence).encode()).hexdigest()[:12]
    return kind.make_id(digest)


class OrganisationResolver:
    """Finds or names organisations: exact key, alias, or word-order and extra-word variants."""

    def __init__(self, known: list[KnownOrganisation]) -> None:
        self._by_key: dict[str, str] = {}
        # Word to the keys holding it (a dict keeps them in a stable order).
        self._by_word: dict[str, dict[str, None]] = defaultdict(dict)
        self.names: dict[str, str] = {}
        self.aliases: dict[str, set[str]] = defaultdict(set)
        for org in known:
            self.names[org.id] = org.name
            # Kept whole: a node written back must not lose the aliases it had.
            self.aliases[org.id].update(org.aliases)
            for text in (org.name, *org.aliases):
                self._remember(organisation_key(text), org.id)

    def resolve(self, name: str) -> tuple[str, bool]:
        """The organisation's id, and whether it is new."""
        key = organisation_key(name) or fold_name(name) or name.casefold()
        found = self._by_key.get(key) or self._variant_of(key)
        if found is not None:
            if name != self.names.get(found):
                self.aliases[found].add(name)
            self._remember(key, found)
            return found, False
        org_id = new_id(Organisation, key)
        self._remember(key, org_id)
        self.names[org_id] = name
        return org_id, True

    def _variant_of(self, key: str) -> str | None:
        """A known organisation whose name has every word of this one, or the reverse.

        "Coventry Grapevine" and "Grapevine Coventry and Warwickshire" are one
        organisation; two shared words at least, so "Age UK" and "Age UK Leeds"
        (one word apart from noise) stay apart.
        """
        words = set(key.split())
        if len(words) < 2:
            return None
        if len(words) <= MAX_WORDS_FOR_SUBSETS:
            for size in range(len(words) - 1, 1, -1):
                for subset in itertools.combinations(sorted(words), size):
                    if (found := self._by_key.get(" ".join(subset))) is not None:
                        return found
        rarest = min(words, key=lambda w: len(self._by_word.get(w, ())))
        for known_key in self._by_word.get(rarest, {}):
            if words <= set(known_key.split()):
                return self._by_key[known_key]
        return None

    def _remember(self, key: str, org_id: str) -> None:
        if key in self._by_key:
            return
        self._by_key[key] = org_id
        for word in set(key.split()):
            self._by_word[word][key] = None


@dataclass
class PersonResolver:
    """Matches people to those known, learning each new one as it goes.

    ``comparisons`` counts the names compared letter by letter, which grows
    about linearly with the rows however many share a surname (see
    :mod:`importers.name_blocks`).
    """

    known: list[KnownPerson]
    # Pairs a person has said are different: not proposed for review again.
    kept_apart: set[frozenset[str]] = field(default_factory=set)
    _by_email: dict[str, str] = field(default_factory=dict)
    # A name's key -> the first person known by it, and (name key, organisation) ->
    # the earliest-met person of that name there.
    _first_named: dict[str, str] = field(default_factory=dict)
    _by_name_and_organisation: dict[tuple[str, str], str] = field(default_factory=dict)
    # Only people who share a surname and first initial, or a first name and the
    # surname's initial, are compared letter by letter: comparing everyone with
    # everyone is too slow for 100,000 rows.
    _blocks: dict[tuple[str, str], NameBlock] = field(default_factory=dict)
    # The order people were first met in: the earliest wins where several match.
    _met: dict[str, int] = field(default_factory=dict)
    people: dict[str, KnownPerson] = field(default_factory=dict)
    comparisons: int = 0

    def __post_init__(self) -> None:
        for person in self.known:
            self.learn(person)

    def learn(self, person: KnownPerson) -> None:
        for address in person.other_emails:
            self._by_email.setdefault(address.lower(), person.id)
        previous = self.people.get(person.id)
        if previous is not None:
            if (
                (previous.email or not person.email)
                and person.organisations <= previous.organisations
                and (previous.visibility or not person.visibility)
            ):
                return  # nothing new (most rows of an attendance file)
            person = KnownPerson(
                id=person.id,
                name=previous.name,
                email=previous.email or person.email,
                organisations=previous.organisations | person.organisations,
                visibility=previous.visibility or person.visibility,
            )
        else:
            self._met[person.id] = len(self._met)
            self._first_named.setdefault(name_key(person.name), person.id)
            self._block(person)
        self.people[person.id] = person
        for org in person.organisations - (previous.organisations if previous else frozenset()):
            self._at_organisation(name_key(person.name), org, person.id)
        if person.email:
            self._by_email.setdefault(person.email.lower(), person.id)

    def resolve(
        self,
        name: str,
        email: str | None,
        organisations: frozenset[str],
        other_emails: tuple[str, ...] = (),
    ) -> Match:
        if email and email.lower() in self._by_email:
            return Match(self._by_email[email.lower()], True, "same email")
        for address in other_emails:
            if (known := self._by_email.get(address.lower())) is not None:
                return Match(known, True, "same email (another of the row's addresses)")
        key = name_key(name)
        same_name = self._first_named.get(key)
        if same_name is not None and (shared := self._named_at(key, organisations)):
            return Match(shared, True, "same name and organisation")
        new = new_id(Person, email.lower() if email else key, *sorted(organisations))
        if same_name is not None:
            person = self.people[same_name]
            if email and person.email and person.email.lower() != email.lower():
                return self._possibly(new, person.id, "same name, different email")
            if _a_first_name_alone(name):
                return self._possibly(new, person.id, "same first name only")
            return Match(person.id, True, "same name")
        candidate = self._similar(name)
        if candidate is not None:
            return self._possibly(new, candidate[0], candidate[1])
        return Match(new, False)

    def _possibly(self, new: str, candidate: str, reason: str) -> Match:
        if new == candidate or frozenset((new, candidate)) in self.kept_apart:
            return Match(new, False)
        return Match(new, False, reason, candidate)

    def _at_organisation(self, key: str, org: str, person_id: str) -> None:
        """Remember that a person of this name is at this organisation (the earliest-met wins)."""
        earlier = self._by_name_and_organisation.get((key, org))
        if earlier is None or self._met[person_id] < self._met[earlier]:
            self._by_name_and_organisation[(key, org)] = person_id

    def _named_at(self, key: str, organisations: frozenset[str]) -> str | None:
        """The earliest-met person of this name at any of these organisations."""
        found = [
            person
            for org in organisations
            if (person := self._by_name_and_organisation.get((key, org))) is not None
        ]
        return min(found, key=self._met.__getitem__) if found else None

    def _block(self, person: KnownPerson) -> None:
        words = name_words(person.name)
        if not words:
            return
        name = BlockName(" ".join(words), words[0], person.id, native_name(person.name))
        for block_key, fixes_surname in zip(_block_keys(words), (True, False), strict=True):
            block = self._blocks.get(block_key)
            if block is None:
                block = self._blocks[block_key] = NameBlock(fixes_surname)
            block.add(name)

    def _similar(self, name: str) -> tuple[str, str] | None:
        """Someone whose first name may be a short form of this one's, with the same
        surname (the earliest met); else the most similar name, if close enough."""
        words = name_words(name)
        if not words:
            return None
        native = native_name(name)
        by_surname, by_first = (self._blocks.get(key) for key in _block_keys(words))
        # Short forms are a Latin-script habit ("Sam", "Samantha").
        if by_surname is not None and native is None:
            short, looked_at = by_surname.short_form(words[0])
            self.comparisons += looked_at
            if short is not None:
                return short.person, "first name may be a short form, same surname"
        folded = " ".join(words)
        # Two names in one script are compared as written, since names that
        # transliterate alike (王伟, 汪伟) are different names; a name in another
        # script is compared through the transliteration ("Wang Wei", 王伟).
        transliterated: dict[str, str] = {}
        as_written: dict[str, str] = {}
        for block in (by_surname, by_first):
            for known in block.candidates(folded) if block is not None else ():
                if native is not None and known.native is not None:
                    as_written.setdefault(known.native, known.person)
                else:
                    transliterated.setdefault(known.folded, known.person)
        self.comparisons += len(transliterated) + len(as_written)
        found: list[tuple[float, str]] = []
        for text, candidates in ((folded, transliterated), (native, as_written)):
            if text is not None and candidates:
                best = _most_similar(text, list(candidates))
                if best is not None:
                    found.append((best[1], candidates[best[0]]))
        if not found:
            return None
        score, person = max(found, key=lambda pair: pair[0])
        return person, f"similar name ({score:.2f})"


def _most_similar(text: str, choices: list[str]) -> tuple[str, float] | None:
    """The choice most like ``text``, and its similarity, if close enough to review."""
    best = process.extractOne(
        text, choices, scorer=JaroWinkler.similarity, score_cutoff=NAME_SIMILARITY_FOR_REVIEW
    )
    return None if best is None else (best[0], best[1])


def _block_keys(words: tuple[str, ...]) -> tuple[tuple[str, str], tuple[str, str]]:
    """The blocks a name is in: (surname, first initial) and (first name, surname initial)."""
    return ("surname " + words[-1], words[0][:1]), ("first " + words[0], words[-1][:1])


def _a_first_name_alone(name: str) -> bool:
    """Whether a name is one word of a script with letter case ("Andrew"): there a
    full name has two words at least, and a first name alone is shared by many, so
    two people of that name are nothing like one. (Names in scripts without case,
    such as 王伟, are whole without a space.)"""
    return len(name.split()) < 2 and any(letter.isupper() or letter.islower() for letter in name)
