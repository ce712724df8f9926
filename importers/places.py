"""Place names and postcodes to UK places, from the reference data shipped with the service.

A place as written in a membership file or a participant list ("Leeds",
"Hebden Bridge, West Yorkshire", "London Borough of Camden", "LS1 4AP") is
read as the town, local authority, county, region or nation it names, which
always lies in one of the 12 ONS regions and nations. Names that several
places share ("Newcastle") are read as the most likely one and carry a
``doubt`` for the import report, unless another part of the text settles it
("Newcastle, Staffordshire").
"""

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache, lru_cache

from graphsvc.model.geography import region_place_id, town_place_id
from graphsvc.model.text import fold_text
from graphsvc.reference import (
    AmbiguousName,
    NamedPlace,
    ambiguous_place_names,
    uk_counties,
    uk_local_authorities,
    uk_postcode_areas,
    uk_regions,
    uk_towns,
)

# Most specific first: when a text names several places, the smallest wins.
LEVEL_ORDER = {"town": 0, "district": 1, "county": 2, "region": 3, "nation": 4}

# Words around a place's name in council names and addresses ("Leeds City
# Council", "Royal Borough of Greenwich"), tried only when the whole text is
# not a known name, so "City of London" and "County Durham" stay themselves.
_PREFIXES = (
    "london borough of ",
    "royal borough of ",
    "borough of ",
    "city and county of ",
    "city of ",
    "county of ",
    "county ",
    "co ",
)
_SUFFIXES = (
    " metropolitan borough council",
    " metropolitan district council",
    " borough council",
    " district council",
    " county council",
    " city council",
    " council",
    " city",
    " county",
    " borough",
    " england",
    " uk",
)

# Outward code with or without the inward code, spaces removed: "SW1A1AA", "LS1", "B15".
_POSTCODE = re.compile(r"([A-Z]{1,2})\d[A-Z\d]?(?:\d[A-Z]{2})?")
_PART_SEPARATORS = re.compile(r"[,;/]|\s[-–]\s")


@dataclass(frozen=True)
class PlaceMatch:
    id: str
    name: str
    level: str
    region_code: str  # the ONS code of the region or nation it is in
    ons_code: str | None = None  # a local authority's GSS code
    doubt: str | None = None  # why the reading may be wrong, for the import report


@dataclass(frozen=True)
class _Alternative:
    """A less likely meaning of an ambiguous name, and its match where the data has one."""

    region_code: str
    match: PlaceMatch | None


def place_key(text: str) -> str:
    """How a place name is compared: folded, "&" as "and", no leading "the".

    >>> place_key("The Vale of Glamorgan")
    'vale of glamorgan'
    >>> place_key("Brighton & Hove")
    'brighton and hove'
    """
    key = fold_text(text.replace("&", " and "))
    return key.removeprefix("the ")


@cache
def region_names() -> dict[str, str]:
    """ONS code -> name, for every region and nation."""
    names: dict[str, str] = {}
    for region in uk_regions():
        names[region.ons_code] = region.name
        names[region.nation_code] = region.nation
    return names


def _named(place: NamedPlace) -> PlaceMatch:
    if place.level == "area":
        return _region_match(place.region_code)
    return PlaceMatch(
        town_place_id(place.name), place.name, place.level, place.region_code, place.ons_code
    )


@cache
def _region_match(code: str) -> PlaceMatch:
    level = "nation" if code[1:3] == "92" else "region"
    return PlaceMatch(region_place_id(code), region_names()[code], level, code, code)


def _candidates() -> dict[str, list[tuple[tuple[int, int], PlaceMatch]]]:
    """Every key a name or alias gives, with the matches it could mean, best ranked first."""
    found: dict[str, list[tuple[tuple[int, int], PlaceMatch]]] = defaultdict(list)
    for code in region_names():
        found[place_key(region_names()[code])].append(((-1, 0), _region_match(code)))
    for place in (*uk_towns(), *uk_local_authorities(), *uk_counties()):
        match = _named(place)
        # Current names before aliases and merged districts; then the smaller place.
        found[place_key(place.name)].append(((not place.current, LEVEL_ORDER[match.level]), match))
        for alias in place.aliases:
            found[place_key(alias)].append(((2, LEVEL_ORDER[match.level]), match))
    for choices in found.values():
        choices.sort(key=lambda choice: choice[0])
    return found


def name_conflicts() -> dict[str, set[str]]:
    """Keys that name places in more than one region or nation, with those regions.

    Each must be settled in ``ambiguous_place_names.csv`` (a test checks).
    """
    return {
        key: regions
        for key, choices in _candidates().items()
        if len(regions := {match.region_code for _, match in choices}) > 1
    }


@cache
def _gazetteer() -> tuple[dict[str, PlaceMatch], dict[str, tuple[_Alternative, ...]]]:
    candidates = _candidates()
    # One reading per place id, the best ranked, so that "Kingston upon Hull, City of"
    # and "Hull" give the same place at the same level.
    canonical: dict[str, tuple[tuple[int, int], PlaceMatch]] = {}
    for choices in candidates.values():
        for rank, match in choices:
            if match.id not in canonical or rank < canonical[match.id][0]:
                canonical[match.id] = (rank, match)
    found = {key: canonical[choices[0][1].id][1] for key, choices in candidates.items()}
    alternatives: dict[str, tuple[_Alternative, ...]] = {}
    meanings: dict[str, list[AmbiguousName]] = defaultdict(list)
    for meaning in ambiguous_place_names():
        meanings[place_key(meaning.name)].append(meaning)
    for key, listed in meanings.items():
        likely = next(m for m in listed if m.most_likely)
        others = [m for m in listed if not m.most_likely]
        chosen = found[place_key(likely.meaning)]
        said = ", ".join(f"{m.meaning} ({region_names()[m.region_code]})" for m in others)
        found[key] = replace(
            chosen,
            doubt=(
                f"'{likely.name}' read as {chosen.name} ({region_names()[chosen.region_code]});"
                f" it may mean {said}"
            ),
        )
        alternatives[key] = tuple(
            _Alternative(m.region_code, found.get(place_key(m.meaning))) for m in others
        )
    return found, alternatives


@cache
def _postcode_areas() -> dict[str, PlaceMatch]:
    found = {}
    for area in uk_postcode_areas():
        match = _region_match(area.region_code)
        if area.also_covers:
            others = " and ".join(region_names()[code] for code in area.also_covers)
            match = replace(
                match,
                doubt=f"postcode area {area.area} read as {match.name}; some of it is in {others}",
            )
        found[area.area] = match
    return found


def postcode_area(text: str) -> str | None:
    """The area letters of a UK postcode or outward code, or None.

    >>> postcode_area("sw1a 1aa"), postcode_area("LS1"), postcode_area("Leeds")
    ('SW', 'LS', None)
    """
    shape = _POSTCODE.fullmatch("".join(text.split()).upper())
    return shape.group(1) if shape else None


def _lookup(key: str) -> PlaceMatch | None:
    found = _gazetteer()[0]
    if key in found:
        return found[key]
    stripped = [key] + [key.removeprefix(p) for p in _PREFIXES if key.startswith(p)]
    for text in stripped:
        if text in found:
            return found[text]
        for suffix in _SUFFIXES:
            if text.endswith(suffix) and (shorter := text.removesuffix(suffix)) in found:
                return found[shorter]
    return None


def place_named(text: str) -> PlaceMatch | None:
    """The place ``text`` is exactly the name or postcode of, or None.

    Stricter than ``find_place``: an affiliation such as "Birmingham City
    Council" or "Leeds - Bradford Trust" is an organisation, not a place.
    """
    return _postcode_or_name(text, _gazetteer()[0].get)


def _read_place(text: str) -> PlaceMatch | None:
    """A place column's text: a name or postcode, maybe with council words around it."""
    return _postcode_or_name(text, _lookup)


def _postcode_or_name(text: str, by_key: Callable[[str], PlaceMatch | None]) -> PlaceMatch | None:
    area = postcode_area(text)
    if area is not None:
        return _postcode_areas().get(area)
    return by_key(place_key(text))


def _settle(best: PlaceMatch, text: str, others: list[PlaceMatch]) -> PlaceMatch:
    """An ambiguous name read in the light of the rest of the text ("Newport, Isle of Wight")."""
    regions = {other.region_code for other in others}
    if best.region_code in regions:
        return replace(best, doubt=None)
    for alternative in _gazetteer()[1].get(place_key(text), ()):
        if alternative.region_code in regions:
            if alternative.match is not None:
                return alternative.match
            return min(
                (o for o in others if o.region_code == alternative.region_code),
                key=lambda o: LEVEL_ORDER[o.level],
            )
    return best


@lru_cache(maxsize=2**16)
def find_place(text: str) -> PlaceMatch | None:
    """The known place a name, postcode or comma-separated address means, or None.

    >>> find_place("  MANCHESTER ").region_code
    'E12000002'
    >>> find_place("Leeds City Council").name
    'Leeds'
    >>> find_place("Hebden Bridge, West Yorkshire").name
    'Hebden Bridge'
    >>> find_place("Newcastle").doubt.split(";")[0]
    "'Newcastle' read as Newcastle upon Tyne (North East)"
    >>> find_place("Newcastle, Staffordshire").name
    'Newcastle-under-Lyme'
    """
    whole = _read_place(text)
    if whole is not None:
        return whole
    parts = [part for part in _PART_SEPARATORS.split(text) if part.strip()]
    if len(parts) < 2:
        return None
    read = [(part, match) for part in parts if (match := _read_place(part)) is not None]
    if not read:
        return None
    chosen = min(range(len(read)), key=lambda i: LEVEL_ORDER[read[i][1].level])
    part, best = read[chosen]
    if best.doubt is None:
        return best
    return _settle(best, part, [match for i, (_, match) in enumerate(read) if i != chosen])


# Longest run of words looked up when finding the places a text mentions.
MAX_PLACE_WORDS = 4


@lru_cache(maxsize=2**16)
def find_place_in_row(text: str, context: tuple[str, ...]) -> PlaceMatch | None:
    """The place ``text`` means, a doubtful reading settled by the rest of its row
    (the organisation's name, a county, a postcode) before the most likely is taken.

    >>> find_place_in_row("Bangor", ("Gwynedd Council",)).region_code
    'W92000004'
    >>> find_place_in_row("Bangor", ("Belfast Youth Forum",)).name
    'Bangor'
    >>> find_place_in_row("CH5 1AB", ("Flintshire County Council",)).name
    'Flintshire'
    """
    found = find_place(text)
    if found is None or found.doubt is None:
        return found
    hints = [place for said in context if said != text for place in places_mentioned(said)]
    if not hints:
        return found
    settled = _settle(found, text, hints)
    if settled.doubt is None:
        return settled
    return _settle_postcode_area(settled, text, hints)


def _settle_postcode_area(best: PlaceMatch, text: str, hints: list[PlaceMatch]) -> PlaceMatch:
    """A postcode area that crosses a border, read where the rest of the row is."""
    area = postcode_area(text)
    covers = next((a.also_covers for a in uk_postcode_areas() if a.area == area), ())
    there = [hint for hint in hints if hint.region_code in covers]
    return min(there, key=lambda h: LEVEL_ORDER[h.level]) if there else best


@lru_cache(maxsize=2**14)
def places_mentioned(text: str) -> tuple[PlaceMatch, ...]:
    """The places a text names beyond doubt, whole ("Gwynedd Council") or within
    it ("Gwynedd Youth Service"); a name several places share tells nothing.

    Words within a text count only as a run of several words, or one naming a
    local authority, county, region or nation: a single word may be a small
    town's name by chance ("Street", "March").

    >>> [p.name for p in places_mentioned("Youth Service for Gwynedd and Anglesey")]
    ['Gwynedd', 'Isle of Anglesey']
    """
    whole = _read_place(text)
    if whole is not None:
        return (whole,) if whole.doubt is None else ()
    words = place_key(text).split()
    gazetteer = _gazetteer()[0]
    found: list[PlaceMatch] = []
    for size in range(min(MAX_PLACE_WORDS, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            match = gazetteer.get(" ".join(words[start : start + size]))
            if match is None or match.doubt is not None:
                continue
            if size > 1 or match.level != "town":
                found.append(match)
    return tuple(dict.fromkeys(found))
