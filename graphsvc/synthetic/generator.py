"""A seeded synthetic network with planted community structure.

Members belong to hidden *communities* (a shared interest, often a shared
region). Communities grow cells, staff the same organisations, meet at their
cells' meetings and know each other; roundtables, drop-ins, online and annual
gatherings mix them. Some members never come to anything, some stop coming.
The planted communities are kept (``planted_community``) so analyses can be
checked against a known answer.

Everything is drawn from one ``numpy.random.Generator``: the same
``(members, seed)`` gives the same network, byte for byte.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from graphsvc.model import Sector
from graphsvc.model.text import fold_text
from graphsvc.reference import uk_regions
from graphsvc.synthetic import vocabulary as vocab
from graphsvc.synthetic.events import plan_events
from graphsvc.synthetic.plans import (
    AS_OF,
    NETWORK_START,
    CellPlan,
    EventPlan,
    OrganisationPlan,
)
from graphsvc.synthetic.ties import plan_cells, plan_introductions, plan_knows, plan_memberships

MEAN_COMMUNITY_SIZE = 60
NEVER_ATTENDS = 0.12
LAPSES = 0.10


@dataclass
class SyntheticNetwork:
    """The generated network as arrays; :mod:`.records` turns it into records."""

    members: int
    seed: int
    themes: list[str]
    theme_is_behaviour: list[bool]
    towns: list[tuple[str, str, int]]  # (name, level, region index)
    organisations: list[OrganisationPlan]
    cells: list[CellPlan]
    events: list[EventPlan]
    # People, one entry each.
    names: list[str]
    emails: list[str]
    sector: np.ndarray
    town: np.ndarray
    organisation: np.ndarray  # -1 for none
    past_organisation: np.ndarray  # -1 for none
    job_title: list[str]
    visibility: np.ndarray
    joined: np.ndarray  # date ordinals
    interests: list[list[int]]
    planted_community: np.ndarray
    # Relationships between people and cells / people.
    memberships: np.ndarray  # rows (person, cell, role)
    knows: np.ndarray  # rows (a, b, strength)
    introductions: np.ndarray  # rows (a, b, introducer, date ordinal, status index)
    sectors: list[str] = field(default_factory=lambda: [s.value for s in vocab.SECTOR_MIX])

    @property
    def attendance_count(self) -> int:
        return sum(len(event.attendees) for event in self.events)


def _mix(rng: np.random.Generator, mix: Mapping[Any, float], n: int) -> np.ndarray:
    """``n`` indices into ``mix``, drawn in its proportions."""
    weights = np.fromiter(mix.values(), float)
    drawn: np.ndarray = rng.choice(len(weights), size=n, p=weights / weights.sum())
    return drawn


def generate_network(members: int = 1000, seed: int = 42) -> SyntheticNetwork:
    """Generate a realistic civil-society network of ``members`` people.

    Parameters
    ----------
    members : int
        Number of people, from 100 to 1,000,000.
    seed : int
        Seed for every random choice.

    Examples
    --------
    >>> net = generate_network(200, seed=1)
    >>> len(net.names), len(set(net.emails))
    (200, 200)
    """
    if not 100 <= members <= 1_000_000:
        raise ValueError("members must be between 100 and 1,000,000")
    rng = np.random.default_rng(seed)
    regions = uk_regions()
    region_index = {r.ons_code: i for i, r in enumerate(regions)}
    towns = [(name, level, region_index[code]) for name, level, code in vocab.TOWNS]
    towns_in_region = [
        np.array([i for i, t in enumerate(towns) if t[2] == r]) for r in range(len(regions))
    ]
    themes = list(vocab.BEHAVIOURS) + list(vocab.INTERESTS)
    n_behaviours = len(vocab.BEHAVIOURS)

    # Communities: a shared interest, and for half of them a shared region.
    n_comm = max(4, round(members / MEAN_COMMUNITY_SIZE))
    comm_theme = rng.integers(n_behaviours, len(themes), n_comm)
    region_codes = list(vocab.MEMBER_REGION_MIX)
    comm_region = np.array(
        [region_index[region_codes[i]] for i in _mix(rng, vocab.MEMBER_REGION_MIX, n_comm)]
    )
    comm_regional = (rng.random(n_comm) < 0.5) & np.array(
        [regions[r].ons_code not in vocab.REGIONS_WITHOUT_GROUPS for r in comm_region]
    )
    comm_regional[0] = False  # so every region has a community open to it
    comm_weight = rng.lognormal(0.0, 0.5, n_comm)

    # Where people are follows the network's skew; each joins a national
    # community or a regional one of their own region.
    region = np.array(
        [region_index[region_codes[i]] for i in _mix(rng, vocab.MEMBER_REGION_MIX, members)]
    )
    community = np.empty(members, dtype=int)
    for r in range(len(regions)):
        here = np.flatnonzero(region == r)
        open_to = np.flatnonzero(~comm_regional | (comm_region == r))
        weights = comm_weight[open_to]
        community[here] = rng.choice(open_to, size=len(here), p=weights / weights.sum())
    town = np.empty(members, dtype=int)
    for r, choices in enumerate(towns_in_region):
        here = np.flatnonzero(region == r)
        town[here] = choices[rng.integers(0, len(choices), len(here))]

    # Organisations: each community staffs its own pool; names that repeat
    # (councils, universities) are one organisation shared across communities.
    sector_names = list(vocab.SECTOR_MIX)
    independent = sector_names.index(Sector.INDEPENDENT)
    sector = _mix(rng, vocab.SECTOR_MIX, members)
    organisations: list[OrganisationPlan] = []
    org_by_name: dict[str, int] = {}
    pools: dict[tuple[int, int], list[int]] = {}
    organisation = np.full(members, -1)
    surnames = vocab.name_pools()[0][1]
    reuse, pick = rng.random(members), rng.random((members, 5))
    for person in rng.permutation(members):
        if sector[person] == independent:
            continue
        key = (int(community[person]), int(sector[person]))
        pool = pools.setdefault(key, [])
        if pool and reuse[person] < 0.75:
            organisation[person] = pool[int(pick[person, 0] * len(pool))]
            continue
        patterns = vocab.ORGANISATION_PATTERNS[sector_names[sector[person]]]
        name = patterns[int(pick[person, 1] * len(patterns))].format(
            town=towns[town[person]][0],
            adjective=vocab.ADJECTIVES[int(pick[person, 2] * len(vocab.ADJECTIVES))],
            noun=vocab.NOUNS[int(pick[person, 3] * len(vocab.NOUNS))],
            surname=surnames[int(pick[person, 4] * len(surnames))],
        )
        if name not in org_by_name:
            org_by_name[name] = len(organisations)
            organisations.append(OrganisationPlan(name, int(sector[person]), int(town[person])))
        organisation[person] = org_by_name[name]
        pool.append(org_by_name[name])
    # A past affiliation (kept with current=false) for some people.
    movers = (organisation >= 0) & (rng.random(members) < 0.15)
    past_organisation = np.where(movers, rng.integers(0, max(1, len(organisations)), members), -1)
    past_organisation = np.where(past_organisation == organisation, -1, past_organisation)

    # People.
    locale = _mix(rng, vocab.NAME_LOCALES, members)
    pools_by_locale = vocab.name_pools()
    names, emails, job_titles = [], [], []
    name_draws, title_draws = rng.random((members, 2)), rng.random(members)
    for i in range(members):
        first_names, last_names = pools_by_locale[locale[i]]
        first = first_names[int(name_draws[i, 0] * len(first_names))]
        last = last_names[int(name_draws[i, 1] * len(last_names))]
        names.append(f"{first} {last}")
        local = ".".join(fold_text(f"{first} {last}").split()) or "member"
        emails.append(f"{local}.{i}@example.org")
        titles = vocab.JOB_TITLES[sector_names[sector[i]]]
        job_titles.append(titles[int(title_draws[i] * len(titles))])
    visibility = _mix(rng, vocab.VISIBILITY_MIX, members)
    # The network grows: more people joined recently than long ago.
    span = AS_OF.toordinal() - NETWORK_START.toordinal()
    joined = NETWORK_START.toordinal() + (rng.random(members) ** 0.6 * span).astype(int)
    extra = rng.integers(n_behaviours, len(themes), (members, 2))
    n_extra = rng.integers(0, 3, members)
    behaviour = np.where(rng.random(members) < 0.5, rng.integers(0, n_behaviours, members), -1)
    interests = []
    for i in range(members):
        own = {int(comm_theme[community[i]]), *extra[i, : n_extra[i]].tolist()}
        if behaviour[i] >= 0:
            own.add(int(behaviour[i]))
        interests.append(sorted(own))

    cells, cell_of_comm = plan_cells(
        rng, themes, n_behaviours, regions, comm_theme, comm_region, comm_regional
    )
    memberships = plan_memberships(rng, community, cell_of_comm, n_behaviours, len(cells))

    # Who comes to things, and until when.
    activity = rng.lognormal(0.0, 0.8, members)
    activity[rng.random(members) < NEVER_ATTENDS] = 0.0
    lapsed_at = np.full(members, AS_OF.toordinal() + 1)
    lapsing = rng.random(members) < LAPSES
    lapsed_at[lapsing] = joined[lapsing] + rng.integers(180, 1100, lapsing.sum())

    events = plan_events(
        rng,
        members,
        themes,
        n_behaviours,
        cells,
        cell_of_comm,
        community,
        memberships,
        activity,
        joined,
        lapsed_at,
    )
    knows = plan_knows(rng, community, members)
    introductions = plan_introductions(rng, community, joined, members)
    return SyntheticNetwork(
        members=members,
        seed=seed,
        themes=themes,
        theme_is_behaviour=[i < n_behaviours for i in range(len(themes))],
        towns=towns,
        organisations=organisations,
        cells=cells,
        events=events,
        names=names,
        emails=emails,
        sector=sector,
        town=town,
        organisation=organisation,
        past_organisation=past_organisation,
        job_title=job_titles,
        visibility=visibility,
        joined=joined,
        interests=interests,
        planted_community=community,
        memberships=memberships,
        knows=knows,
        introductions=introductions,
    )
