"""Resolving thousands of people of one surname compares each with a few others, not all,
and still finds the names a letter away and the short forms.

Growth is checked by counting the names compared, not by timing
(``benchmarks/bench_resolution.py`` times it).
"""

import random

import pytest
from rapidfuzz.distance import OSA, JaroWinkler

from importers.name_blocks import SCAN_LIMIT
from importers.resolution import NAME_SIMILARITY_FOR_REVIEW, KnownPerson, Match, PersonResolver

SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]


def first_names(count: int, seed: int = 7) -> list[str]:
    """Different first names beginning with S ("Sabadeko", ...), some a letter apart."""
    rng = random.Random(seed)
    found: dict[str, None] = {}
    while len(found) < count:
        found["S" + rng.choice("aeiou") + "".join(rng.choice(SYLLABLES) for _ in range(3))] = None
    return list(found)


def resolve_all(resolver: PersonResolver, names: list[str]) -> list[Match]:
    """Resolve each name as an import does: against everyone before it."""
    matches = []
    for number, name in enumerate(names):
        email = f"member{number}@example.org"
        match = resolver.resolve(name, email, frozenset())
        resolver.learn(KnownPerson(match.person, name, email))
        matches.append(match)
    return matches


def comparisons_per_row(rows: int) -> float:
    resolver = PersonResolver([])
    resolve_all(resolver, [f"{first} Smith" for first in first_names(rows)])
    return resolver.comparisons / rows


def test_names_compared_per_row_stay_level_as_a_surname_grows_eightfold() -> None:
    # Comparing every name with every earlier one of its block made this grow 8-fold.
    small, large = comparisons_per_row(1000), comparisons_per_row(8000)
    assert large <= 1.5 * small, (small, large)
    assert large < 20


def test_the_same_name_at_one_of_thousands_of_organisations_is_found_without_a_search() -> None:
    resolver = PersonResolver(
        [
            KnownPerson(f"person:{n}", "Sam Smith", None, frozenset({f"org:{n}"}))
            for n in range(5000)
        ]
    )
    match = resolver.resolve("Sam Smith", None, frozenset({"org:4321", "org:4999"}))
    assert (match.person, match.reason) == ("person:4321", "same name and organisation")
    assert resolver.comparisons == 0


@pytest.fixture(scope="module")
def crowded() -> PersonResolver:
    """A resolver that knows 2,000 Smiths whose first names begin with S, and 2,000
    Sebastians whose surnames do: two blocks too large to compare name by name."""
    resolver = PersonResolver([])
    generated = first_names(2000, seed=11)
    resolve_all(resolver, [f"{first} Smith" for first in generated])
    resolve_all(resolver, [f"Sebastian {surname}" for surname in generated])
    # Generated names never have "sh" or "st": these two have no near neighbours.
    resolver.learn(KnownPerson("person:shoshana", "Shoshana Smith"))
    resolver.learn(KnownPerson("person:sebastian", "Sebastian Smith"))
    return resolver


@pytest.mark.parametrize(
    ("name", "candidate", "reason"),
    [
        ("Shosh Smith", "person:shoshana", "first name may be a short form, same surname"),
        ("Shoshanah Smith", "person:shoshana", "first name may be a short form, same surname"),
        ("Sebastien Smith", "person:sebastian", "similar name"),  # a letter changed
        ("Sebastan Smith", "person:sebastian", "similar name"),  # dropped
        ("Sebasstian Smith", "person:sebastian", "similar name"),  # added
        ("Sebastina Smith", "person:sebastian", "similar name"),  # swapped
        ("Sebastian Smyth", "person:sebastian", "similar name"),  # in the surname
    ],
)
def test_a_crowded_block_still_finds_short_forms_and_names_a_letter_away(
    crowded: PersonResolver, name: str, candidate: str, reason: str
) -> None:
    before = crowded.comparisons
    match = crowded.resolve(name, None, frozenset())
    assert not match.merged and match.candidate == candidate, match
    assert crowded.comparisons - before < SCAN_LIMIT  # through the index, not name by name
    assert match.reason is not None and match.reason.startswith(reason)


def test_a_crowded_surname_finds_every_earlier_name_a_letter_away_that_is_similar() -> None:
    """What comparing every pair finds within a letter, an indexed block finds too."""
    names = [f"{first} Smith" for first in first_names(SCAN_LIMIT * 8, seed=3)]
    matches = resolve_all(PersonResolver([]), names)
    for number, (name, match) in enumerate(zip(names, matches, strict=True)):
        earlier = names[:number]
        near = [
            other
            for other in earlier
            if OSA.distance(name.split()[0].lower(), other.split()[0].lower()) <= 1
            and JaroWinkler.similarity(name.lower(), other.lower()) >= NAME_SIMILARITY_FOR_REVIEW
        ]
        assert bool(near) <= (match.candidate is not None), (name, near, match)
