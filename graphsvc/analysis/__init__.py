"""Analysis: snapshot in, results out; no database and no web here.

The algorithms are importable from the package itself, as networkx's are:

>>> from graphsvc.analysis import collaboration_graph, find_constellations
>>> find_constellations.__module__
'graphsvc.analysis.constellations'

They are loaded on first use, so that importing the package (as every
``graphsvc`` command does) does not load igraph and scipy.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from graphsvc.analysis.bridges import Bridges, cut_points_and_bridges, find_bridges
    from graphsvc.analysis.brokerage import (
        betweenness,
        brokerage_roles,
        constraint,
        effective_size,
    )
    from graphsvc.analysis.constellations import (
        Constellations,
        detect_communities,
        find_constellations,
        potential_constellations,
    )
    from graphsvc.analysis.evaluation import evaluate_introductions
    from graphsvc.analysis.gaps import (
        Gaps,
        not_in_the_room,
        representation,
        representation_gaps,
        wilson_interval,
    )
    from graphsvc.analysis.growth import network_growth
    from graphsvc.analysis.introductions import Introduction, suggest_introductions
    from graphsvc.analysis.membership import (
        MembershipSummary,
        members_by_region,
        members_by_sector,
        summarise_membership,
    )
    from graphsvc.analysis.pipeline import Analysis, analyse
    from graphsvc.analysis.profiles import profile_network
    from graphsvc.analysis.projection import TieWeights, collaboration_graph

# Public name -> the module that defines it.
_EXPORTS: dict[str, str] = {
    **dict.fromkeys(("Bridges", "cut_points_and_bridges", "find_bridges"), "bridges"),
    **dict.fromkeys(
        ("betweenness", "brokerage_roles", "constraint", "effective_size"), "brokerage"
    ),
    **dict.fromkeys(
        (
            "Constellations",
            "detect_communities",
            "find_constellations",
            "potential_constellations",
        ),
        "constellations",
    ),
    "evaluate_introductions": "evaluation",
    **dict.fromkeys(
        ("Gaps", "not_in_the_room", "representation", "representation_gaps", "wilson_interval"),
        "gaps",
    ),
    "network_growth": "growth",
    **dict.fromkeys(("Introduction", "suggest_introductions"), "introductions"),
    **dict.fromkeys(
        ("MembershipSummary", "members_by_region", "members_by_sector", "summarise_membership"),
        "membership",
    ),
    **dict.fromkeys(("Analysis", "analyse"), "pipeline"),
    "profile_network": "profiles",
    **dict.fromkeys(("TieWeights", "collaboration_graph"), "projection"),
}

__all__ = [
    "Analysis",
    "Bridges",
    "Constellations",
    "Gaps",
    "Introduction",
    "MembershipSummary",
    "TieWeights",
    "analyse",
    "betweenness",
    "brokerage_roles",
    "collaboration_graph",
    "constraint",
    "cut_points_and_bridges",
    "detect_communities",
    "effective_size",
    "evaluate_introductions",
    "find_bridges",
    "find_constellations",
    "members_by_region",
    "members_by_sector",
    "network_growth",
    "not_in_the_room",
    "potential_constellations",
    "profile_network",
    "representation",
    "representation_gaps",
    "suggest_introductions",
    "summarise_membership",
    "wilson_interval",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'graphsvc.analysis' has no attribute {name!r}")
    value = getattr(import_module(f"graphsvc.analysis.{module}"), name)
    globals()[name] = value  # found once; later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
