"""What each person brings to the analysis, read once from a snapshot.

One pass over the snapshot's relationships collects, for every person, the
groups they share with others (cells, events, organisations, themes), their
personal ties, and the attributes analyses explain themselves with (sector,
region, place, themes, visibility, last attendance).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from graphsvc.model import IntroductionStatus, Visibility
from graphsvc.reference import uk_regions
from graphsvc.store.snapshot import Snapshot

# Introductions that happened count as a tie; suggested or declined ones do not.
INTRODUCTION_TIE_STATUSES = frozenset({IntroductionStatus.MADE, IntroductionStatus.LED_SOMEWHERE})


@dataclass
class PersonProfile:
    id: str
    name: str
    sector: str | None
    visibility: Visibility  # as stored; missing or unknown is hidden
    joined: str | None
    place: str | None = None
    region: str | None = None
    organisation: str | None = None
    themes: list[str] = field(default_factory=list)
    cells: list[str] = field(default_factory=list)
    events_attended: int = 0
    last_attended: str | None = None


@dataclass
class NetworkProfile:
    """People, their groups and ties, in the snapshot's terms."""

    people: dict[str, PersonProfile]
    # group id -> member person ids, by kind of group
    cells: dict[str, list[str]]
    events: dict[str, list[str]]
    organisations: dict[str, list[str]]
    past_organisations: dict[str, list[str]]
    themes: dict[str, list[str]]
    knows: list[tuple[str, str, int]]
    # (a, b, by, status); a missing or unknown status reads as SUGGESTED
    introductions: list[tuple[str, str, str | None, IntroductionStatus]]
    node_names: dict[str, str]  # names of every named node (cells, places, ...)
    cell_regions: dict[str, str]  # regional groups' region names
    event_dates: dict[str, str]


def region_names_by_place(snapshot: Snapshot) -> dict[str, str]:
    """Each place's ONS region (or nation, outside England), found up PART_OF."""
    region_codes = {r.ons_code: r.name for r in uk_regions()}
    found: dict[str, str] = {}
    for place, data in snapshot.nodes(data=True):
        if data.get("kind") != "Place":
            continue
        current, seen = place, set()
        while current not in seen:
            seen.add(current)
            code = snapshot.nodes[current].get("ons_code")
            if code in region_codes:
                found[place] = region_codes[code]
                break
            parents = [v for _, v, t in snapshot.out_edges(current, keys=True) if t == "PART_OF"]
            if not parents:
                break
            current = parents[0]
    return found


def profile_network(snapshot: Snapshot) -> NetworkProfile:
    """Read people, their groups and their ties from a store snapshot."""
    people: dict[str, PersonProfile] = {}
    names: dict[str, str] = {}
    event_dates: dict[str, str] = {}
    for node, data in snapshot.nodes(data=True):
        names[node] = str(data.get("name", node))
        if data.get("kind") == "Person":
            people[node] = PersonProfile(
                id=node,
                name=names[node],
                sector=data.get("sector"),
                visibility=Visibility.parse(data.get("visibility")),
                joined=data.get("joined"),
            )
        elif data.get("kind") == "Event":
            event_dates[node] = str(data.get("date", ""))
    region_of = region_names_by_place(snapshot)
    groups: dict[str, defaultdict[str, list[str]]] = {
        kind: defaultdict(list) for kind in ("cells", "events", "orgs", "past_orgs", "themes")
    }
    knows: list[tuple[str, str, int]] = []
    introductions: list[tuple[str, str, str | None, IntroductionStatus]] = []
    cell_regions: dict[str, str] = {}
    rel: Any
    for start, end, rel_type, rel in snapshot.edges(keys=True, data=True):
        person = people.get(start)
        if rel_type == "ATTENDED" and person is not None:
            groups["events"][end].append(start)
            person.events_attended += 1
            date = event_dates.get(end)
            if date and (person.last_attended is None or date > person.last_attended):
                person.last_attended = date
        elif rel_type == "MEMBER_OF" and person is not None:
            groups["cells"][end].append(start)
            person.cells.append(end)
        elif rel_type == "WORKS_WITH" and person is not None:
            if rel.get("current", True):
                groups["orgs"][end].append(start)
                person.organisation = person.organisation or end
            else:
                groups["past_orgs"][end].append(start)
        elif rel_type == "INTERESTED_IN" and person is not None:
            groups["themes"][end].append(start)
            person.themes.append(end)
        elif rel_type == "BASED_IN":
            if person is not None:
                person.place = end
                person.region = region_of.get(end)
            elif end in region_of and snapshot.nodes[start].get("kind") == "Cell":
                cell_regions[start] = region_of[end]
        elif rel_type == "KNOWS" and person is not None and end in people:
            knows.append((start, end, int(rel.get("strength", 1))))
        elif rel_type == "INTRODUCED_TO" and person is not None and end in people:
            status = IntroductionStatus.parse(rel.get("status"))
            introductions.append((start, end, rel.get("by"), status))
    for person in people.values():
        person.themes.sort()
        person.cells.sort()
    return NetworkProfile(
        people=people,
        cells=dict(groups["cells"]),
        events=dict(groups["events"]),
        organisations=dict(groups["orgs"]),
        past_organisations=dict(groups["past_orgs"]),
        themes=dict(groups["themes"]),
        knows=knows,
        introductions=introductions,
        node_names=names,
        cell_regions=cell_regions,
        event_dates=event_dates,
    )


def latest_activity(profile: NetworkProfile) -> dt.date | None:
    """The date of the latest event in the data: the analyses' "today"."""
    dates = [d for d in profile.event_dates.values() if d]
    return dt.date.fromisoformat(max(dates)) if dates else None
