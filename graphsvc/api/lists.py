"""Filters and orders shared by the lists of people: by region, cell and sector.

A filter only narrows what the viewer may already see; the consent rule is
applied by the routes (graphsvc.api.present) before or after, never here.
"""

from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import Depends, Query

from graphsvc.analysis.profiles import PersonProfile
from graphsvc.service import NetworkView

GroupFilter = Annotated[str | None, Query(max_length=200)]
NotInTheRoomOrder = Literal["status", "name", "region", "last_attended"]
PotentialOrder = Literal["size", "region", "theme"]


@dataclass(frozen=True)
class PeopleFilter:
    """Who a list keeps: people in this region, this cell and this sector (each optional)."""

    region: str | None = None
    cell: str | None = None
    sector: str | None = None

    @property
    def narrows(self) -> bool:
        return any((self.region, self.cell, self.sector))

    def keeps(self, person: PersonProfile | None) -> bool:
        if person is None:
            return False
        return (
            (self.region is None or person.region == self.region)
            and (self.sector is None or person.sector == self.sector)
            and (self.cell is None or self.cell in person.cells)
        )


async def get_people_filter(
    region: GroupFilter = None, cell: GroupFilter = None, sector: GroupFilter = None
) -> PeopleFilter:
    return PeopleFilter(region or None, cell or None, sector or None)


PeopleFilterDep = Annotated[PeopleFilter, Depends(get_people_filter)]


def person_of(view: NetworkView, person_id: object) -> PersonProfile | None:
    return view.profile.people.get(str(person_id))


def by_name(view: NetworkView, person_id: object) -> tuple[str, str]:
    """A sort key: the person's name as shown, then their id for a stable order."""
    person = person_of(view, person_id)
    return ((person.name if person else "").casefold(), str(person_id))


def by_region(view: NetworkView, person_id: object) -> tuple[bool, str, str, str]:
    """A sort key: region (people with none last), then name."""
    person = person_of(view, person_id)
    region = person.region if person and person.region else ""
    return (not region, region, *by_name(view, person_id))
