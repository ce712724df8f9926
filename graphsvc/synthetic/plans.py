"""The pieces a synthetic network is planned from, before they become records."""

import datetime as dt
from dataclasses import dataclass

import numpy as np

AS_OF = dt.date(2026, 10, 31)
NETWORK_START = dt.date(2019, 1, 1)
EVENTS_START = dt.date(2021, 1, 1)

# Attendance roles and cell roles are small ints in the arrays.
ATTENDEE, SPEAKER, HOST = 0, 1, 2
MEMBER, THOUGHT_LEADER, CONVENOR, CONNECTOR = 0, 1, 2, 3


@dataclass
class EventPlan:
    name: str
    date: dt.date
    category: str
    held_by: int  # cell index, or -1
    attendees: np.ndarray  # person indices
    roles: np.ndarray  # ATTENDEE / SPEAKER / HOST per attendee
    parts: list[str] | None = None


@dataclass
class CellPlan:
    name: str
    category: str
    themes: list[int]  # theme indices
    region: int  # region index, or -1 for national cells
    start: dt.date


@dataclass
class OrganisationPlan:
    name: str
    sector: int
    town: int
