"""Who may see and do what: roles, and the consent each person gave.

One place decides; the API asks it for every response, and the analysis asks
it who may be suggested. See the README's "Roles and consent".
"""

from graphsvc.access.policy import SUGGESTABLE, Role, Viewer, may_be_suggested

__all__ = ["SUGGESTABLE", "Role", "Viewer", "may_be_suggested"]
