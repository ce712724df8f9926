"""Reference data shipped with the service (no network access at run time)."""

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Region:
    """One of the 12 ONS regions of England and nations of the UK."""

    ons_code: str
    name: str
    nation_code: str
    nation: str
    population: int


@dataclass(frozen=True)
class Town:
    name: str
    level: str
    region_code: str


def _rows(filename: str) -> list[dict[str, str]]:
    text = resources.files(__package__).joinpath(filename).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


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
def uk_towns() -> tuple[Town, ...]:
    return tuple(Town(r["name"], r["level"], r["region_code"]) for r in _rows("uk_towns.csv"))
