"""Who may see and do what: roles, and the consent each person gave.

One place decides; the API asks it for every response. See DESIGN.md,
"Privacy", and the README's "Roles and consent".
"""

from graphsvc.access.policy import Role, Viewer

__all__ = ["Role", "Viewer"]
