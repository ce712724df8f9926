"""Place names to UK places, from the reference data shipped with the service."""

from dataclasses import dataclass
from functools import cache

from graphsvc.model.geography import region_place_id, town_place_id
from graphsvc.model.text import fold_text
from graphsvc.reference import uk_regions, uk_towns


@dataclass(frozen=True)
class PlaceMatch:
    id: str
    name: str
    level: str
    region_code: str  # the ONS code of the region or nation it is in


@cache
def _gazetteer() -> dict[str, PlaceMatch]:
    found: dict[str, PlaceMatch] = {}
    for region in uk_regions():
        found[fold_text(region.nation)] = PlaceMatch(
            region_place_id(region.nation_code), region.nation, "nation", region.nation_code
        )
        found[fold_text(region.name)] = PlaceMatch(
            region_place_id(region.ons_code), region.name, "region", region.ons_code
        )
    for town in uk_towns():
        found.setdefault(
            fold_text(town.name),
            PlaceMatch(town_place_id(town.name), town.name, town.level, town.region_code),
        )
    return found


def find_place(text: str) -> PlaceMatch | None:
    """The known place a name means, or None.

    >>> find_place("  MANCHESTER ").region_code
    'E12000002'
    """
    return _gazetteer().get(fold_text(text))
