"""The UK's nations and ONS regions as Place records, from the shipped reference data."""

import hashlib

from graphsvc.model.enums import PlaceLevel
from graphsvc.model.nodes import Place
from graphsvc.model.provenance import Provenance
from graphsvc.model.relationships import PartOf
from graphsvc.model.text import fold_text
from graphsvc.reference import uk_regions

# Longest id key made from a name: with a kind's prefix and an event's date it
# stays within the 200 characters an id may have, whatever the name's length.
MAX_SLUG_LENGTH = 160
SLUG_DIGEST_LENGTH = 12


def slug(text: str) -> str:
    """An id key from a name: folded, words joined by hyphens ("Zoë's Trust" -> "zoes-trust").

    A key longer than ``MAX_SLUG_LENGTH`` is cut short and ends with a digest of
    the whole, so two long names that begin alike still get different ids.

    >>> len(slug("Cell " + "x" * 290)) == MAX_SLUG_LENGTH
    True
    """
    key = fold_text(text).replace(" ", "-")
    if len(key) <= MAX_SLUG_LENGTH:
        return key
    digest = hashlib.sha256(key.encode()).hexdigest()[:SLUG_DIGEST_LENGTH]
    return f"{key[: MAX_SLUG_LENGTH - SLUG_DIGEST_LENGTH - 1]}-{digest}"


def region_place_id(ons_code: str) -> str:
    """The Place id of a region or nation, by its ONS code."""
    return Place.make_id(ons_code)


def town_place_id(name: str) -> str:
    return Place.make_id(slug(name))


def uk_region_records(seen: Provenance) -> tuple[list[Place], list[PartOf]]:
    """Every nation and region as a Place, each region PART_OF its nation."""

    def place(code: str, name: str, level: PlaceLevel) -> Place:
        return Place(
            id=region_place_id(code), name=name, level=level, ons_code=code, provenance=seen
        )

    places: list[Place] = []
    links: list[PartOf] = []
    nations: set[str] = set()
    for region in uk_regions():
        if region.nation_code not in nations:
            nations.add(region.nation_code)
            places.append(place(region.nation_code, region.nation, PlaceLevel.NATION))
        if region.ons_code != region.nation_code:
            places.append(place(region.ons_code, region.name, PlaceLevel.REGION))
            links.append(
                PartOf(
                    start=region_place_id(region.ons_code),
                    end=region_place_id(region.nation_code),
                    provenance=seen,
                )
            )
    return places, links
