"""A map's key: what each colour, size, ring, shape and kind of line means.

Each entry is plain data: a ``label``, a ``kind`` saying how the page draws
its sample, and a ``colour`` where the sample has one. The kinds are
``colour`` (a dot of the category's colour), ``size``, ``ring``, ``diamond``,
``you``, ``tie``, ``bridge-tie`` and ``suggested`` (a dashed line).
"""

from collections.abc import Mapping

from visualisations.palette import UNKNOWN

BRIDGE_BORDER = "#111111"
TIE = "#9AA5B1"
# Suggested introductions are drawn dashed in ink, a style no constellation,
# region or sector has (their colours are fills, never dashed lines).
SUGGESTED = "#1D2433"

KeyEntry = dict[str, str]


def entry(kind: str, label: str, colour: str = "") -> KeyEntry:
    return {"kind": kind, "label": label, "colour": colour}


def colour_entries(
    shown: Mapping[str, str], labels: Mapping[str, str], any_unknown: bool
) -> list[KeyEntry]:
    """A dot per category on the map (``shown``: key to colour), by its label, A to Z."""
    entries = sorted(
        (entry("colour", labels.get(key, key), colour) for key, colour in shown.items()),
        key=lambda e: e["label"].lower(),
    )
    if any_unknown:
        entries.append(entry("colour", "not known", UNKNOWN))
    return entries


def heading(colour_by: str) -> KeyEntry:
    return entry("heading", f"Colour: {colour_by}")


def people_entries(you_shown: bool, bridges: bool, single_points: bool) -> list[KeyEntry]:
    """What a map of people draws besides colour."""
    entries = [entry("size", "size: how much of the network passes through them (betweenness)")]
    if you_shown:
        entries.append(entry("you", "star: you", BRIDGE_BORDER))
    if bridges:
        entries.append(entry("ring", "black ring: a bridge between constellations", BRIDGE_BORDER))
    if single_points:
        entries.append(entry("diamond", "diamond: a single point of light (few or no ties yet)"))
    entries.append(entry("tie", "line: they work together (each person's strongest ties)", TIE))
    if bridges:
        only_tie = "black line: the only tie between two sides"
        entries.append(entry("bridge-tie", only_tie, BRIDGE_BORDER))
    return entries


def overview_entries(you_in: bool) -> list[KeyEntry]:
    entries = [
        entry("size", "size: how many members the constellation has"),
        entry("tie", "line: ties between their members; thicker, more of them", TIE),
    ]
    if you_in:
        entries.append(entry("ring", "black ring: the constellation you are in", BRIDGE_BORDER))
    return entries


def suggested_entry() -> KeyEntry:
    return entry("suggested", "dashed line: a suggested introduction", SUGGESTED)
