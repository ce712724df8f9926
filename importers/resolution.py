"""Who is who: matching people and organisations in a file to those already known.

The evidence, strongest first:

- the same email: the same person;
- the same name (ignoring case, accents and spacing) and a shared
  organisation: the same person;
- the same name, no organisation in common but nothing against it: the same
  person, as members of one network rarely share a full name;
- the same name but different emails, or a first name that may be a short
  form of the other ("Sam" / "Samantha") with the same surname, or a name
  a letter or two away: *possibly* the same person. These are kept apart
  and listed for review rather than guessed.

Name similarity is rapidfuzz's (Jaro–Winkler and token-set ratios), not
hand-written.
"""

import hashlib
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz.distance import JaroWinkler

from graphsvc.model import Organisation, Person
from graphsvc.model.text import fold_text

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
    """A name's words, folded, without titles or letters after it ("Dr Zoë Ng OBE": zoe, ng)."""
    words = fold_text(name).split()
    while len(words) > 1 and words[0] in HONORIFICS:
        words.pop(0)
    while len(words) > 1 and words[-1] in POSTNOMINALS:
        words.pop()
    return tuple(words)


def name_key(name: str) -> str:
    """A name without case, accents, punctuation, spaces or titles.

    >>> name_key("Dr Mary-Ann  O'Neil")
    'maryannoneil'
    """
    return "".join(name_words(name))


def organisation_key(name: str) -> str:
    """An organisation's name without noise words, its words sorted.

    >>> organisation_key("The Coventry Grapevine Ltd")
    'coventry grapevine'
    >>> organisation_key("Grapevine, Coventry")
    'coventry grapevine'
    """
    words = [
        w for w in fold_text(name.replace("&", " and ")).split() if w not in ORGANISATION_NOISE
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
        key = organisation_key(name) or fold_text(name)
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
    """Matches people to those known, learning each new one as it goes."""

    known: list[KnownPerson]
    # Pairs a person has said are different: not proposed for review again.
    kept_apart: set[frozenset[str]] = field(default_factory=set)
    _by_email: dict[str, str] = field(default_factory=dict)
    _by_name: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    # Only people who share a surname and first initial, or a first name and the
    # surname's initial, are compared letter by letter: comparing everyone with
    # everyone is too slow for 100,000 rows.
    _by_block: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    people: dict[str, KnownPerson] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for person in self.known:
            self.learn(person)

    def learn(self, person: KnownPerson) -> None:
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
            self._by_name[name_key(person.name)].append(person.id)
            for block in _blocks(person.name):
                self._by_block[block].append(person.id)
        self.people[person.id] = person
        if person.email:
            self._by_email.setdefault(person.email.lower(), person.id)

    def resolve(self, name: str, email: str | None, organisations: frozenset[str]) -> Match:
        if email and email.lower() in self._by_email:
            return Match(self._by_email[email.lower()], True, "same email")
        same_name = [self.people[p] for p in self._by_name.get(name_key(name), [])]
        for person in same_name:
            if organisations & person.organisations:
                return Match(person.id, True, "same name and organisation")
        new = new_id(Person, email.lower() if email else name_key(name), *sorted(organisations))
        for person in same_name:
            if email and person.email and person.email.lower() != email.lower():
                return self._possibly(new, person.id, "same name, different email")
            return Match(person.id, True, "same name")
        candidate = self._similar(name)
        if candidate is not None:
            return self._possibly(new, candidate[0], candidate[1])
        return Match(new, False)

    def _possibly(self, new: str, candidate: str, reason: str) -> Match:
        if new == candidate or frozenset((new, candidate)) in self.kept_apart:
            return Match(new, False)
        return Match(new, False, reason, candidate)

    def _similar(self, name: str) -> tuple[str, str] | None:
        words = name_words(name)
        first = words[0] if words else ""
        folded = " ".join(words)
        best: tuple[float, str, str] | None = None
        candidates = dict.fromkeys(
            other for block in _blocks(name) for other in self._by_block.get(block, [])
        )
        for other_id in candidates:
            other_words = name_words(self.people[other_id].name)
            other_first = other_words[0]
            if (
                first != other_first
                and len(min(first, other_first, key=len)) >= 2
                and (first.startswith(other_first) or other_first.startswith(first))
            ):
                return other_id, "first name may be a short form, same surname"
            score = JaroWinkler.similarity(folded, " ".join(other_words))
            if score >= NAME_SIMILARITY_FOR_REVIEW and (best is None or score > best[0]):
                best = (score, other_id, f"similar name ({score:.2f})")
        return (best[1], best[2]) if best else None


def _blocks(name: str) -> tuple[tuple[str, str], ...]:
    """The blocks a name is in: (surname, first initial) and (first name, surname initial)."""
    words = name_words(name)
    if not words:
        return ()
    return ("surname " + words[-1], words[0][:1]), ("first " + words[0], words[-1][:1])
