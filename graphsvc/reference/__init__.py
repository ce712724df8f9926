"""Reference data shipped with the service (no network access at run time).

Sources and licences are in ``ATTRIBUTION.md`` beside the files.
"""

import csv
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class Region:
    """One of the 12 ONS regions of England and nations of the UK."""

    ons_code: str
    name: str
    nation_code: str
    nation: str
    population: int


@dataclass(frozen=True)
class NamedPlace:
    """A town, local authority or county, and the region or nation it lies in."""

    name: str
    level: str  # "town", "district", "county", or "area" (another name for part of a region)
    region_code: str
    aliases: tuple[str, ...] = ()
    ons_code: str | None = None
    current: bool = True


@dataclass(frozen=True)
class PostcodeArea:
    """The letters at the start of a postcode, and where its postcodes mostly are."""

    area: str
    post_town: str
    region_code: str
    also_covers: tuple[str, ...]  # other regions or nations some of its postcodes are in


@dataclass(frozen=True)
class AmbiguousName:
    """One of the places a name shared by several places may mean."""

    name: str
    meaning: str
    region_code: str
    most_likely: bool


def _rows(filename: str) -> list[dict[str, str]]:
    text = resources.files(__package__).joinpath(filename).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def _listed(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(";") if part.strip())


@cache
def uk_regions() -> tuple[Region, ...]:
    """The 12 regions and nations, in ONS code order."""
    return tuple(
        Region(
            r["ons_code"], r["name"], r["nation_code"], r["nation"], int(r["population_mid2022"])
        )
        for r in _rows("uk_regions.csv")
    )


@cache
def uk_local_authorities() -> tuple[NamedPlace, ...]:
    """Every local authority of the UK (April 2023), and the English districts merged since 2018.

    ONS writes some names back to front ("Bristol, City of"); those are named
    the usual way round and keep the ONS form as an alias.
    """
    found = []
    for r in _rows("uk_local_authorities.csv"):
        name, aliases = r["name"], _listed(r["aliases"])
        head, _, tail = name.rpartition(", ")
        if head and tail.endswith(" of"):
            name, aliases = head, (r["name"], f"{tail} {head}", *aliases)
        found.append(
            NamedPlace(
                name, "district", r["region_code"], aliases, r["gss_code"], r["current"] == "yes"
            )
        )
    return tuple(found)


@cache
def uk_counties() -> tuple[NamedPlace, ...]:
    """Counties (ceremonial, metropolitan, former, preserved) and informal areas."""
    return tuple(
        NamedPlace(
            r["name"],
            "area" if r["kind"] == "area" else "county",
            r["region_code"],
            _listed(r["aliases"]),
        )
        for r in _rows("uk_counties.csv")
    )


@cache
def uk_towns() -> tuple[NamedPlace, ...]:
    """Cities, towns and well-known districts of cities."""
    return tuple(
        NamedPlace(r["name"], "town", r["region_code"], _listed(r["aliases"]))
        for r in _rows("uk_towns.csv")
    )


@cache
def uk_postcode_areas() -> tuple[PostcodeArea, ...]:
    return tuple(
        PostcodeArea(r["area"], r["post_town"], r["region_code"], _listed(r["also_covers"]))
        for r in _rows("uk_postcode_areas.csv")
    )


@cache
def ambiguous_place_names() -> tuple[AmbiguousName, ...]:
    return tuple(
        AmbiguousName(r["name"], r["meaning"], r["region_code"], r["most_likely"] == "yes")
        for r in _rows("ambiguous_place_names.csv")
    )


@cache
def uk_region_boundaries() -> dict[str, Any]:
    """The 12 regions and nations as a GeoJSON FeatureCollection (longitude, latitude).

    Each feature's ``id`` is the area's name; its properties hold the name,
    the ONS code and ``label``, a point inside it.
    """
    text = resources.files(__package__).joinpath("uk_regions.geojson").read_text("utf-8")
    found: dict[str, Any] = json.loads(text)
    return found


@dataclass(frozen=True)
class AgeBand:
    """An age band of the UK's adults and how many people are in it (approximately)."""

    name: str
    population: int


@cache
def uk_age_bands() -> tuple[AgeBand, ...]:
    """The UK's adults by age band, mid-2022 (ONS, approximate: see the file's header)."""
    text = resources.files(__package__).joinpath("uk_age_bands.csv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    return tuple(
        AgeBand(row["age_band"], int(row["population_mid2022"])) for row in csv.DictReader(lines)
    )
