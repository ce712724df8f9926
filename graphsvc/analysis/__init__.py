"""Analysis: snapshot in, results out; no database and no web here."""

from graphsvc.analysis.membership import (
    MembershipSummary,
    members_by_region,
    members_by_sector,
    summarise_membership,
)

__all__ = ["MembershipSummary", "members_by_region", "members_by_sector", "summarise_membership"]
