"""Each role's home page as a work queue: what needs the user today, read from the database
and scoped to the user.

A panel per active membership (and one for a platform admin): counters, each linking to the
list it counts (filtered), and up to ``ITEMS`` lines of work, each linking to its object.
Every panel makes a fixed number of queries whatever the number of claims, leads, offers or
imports behind it (tests/unit/test_home.py).
"""

from __future__ import annotations

from ecosystem.accounts.roles import BANK_ROLES, ENTERPRISE_ROLES, Role
from ecosystem.accounts.scope import active_memberships, scope_of
from ecosystem.insights.home.common import ITEMS, Counter, Panel, WorkItem
from ecosystem.insights.home.firms import _enterprise_panel, _registry_panel, _zone_panel
from ecosystem.insights.home.staff import _admin_panel, _bank_panel

__all__ = ["ITEMS", "Counter", "Panel", "WorkItem", "home_panels"]


def home_panels(*, user) -> list[Panel]:
    panels: list[Panel] = []
    for m in active_memberships(user):
        if m.role in ENTERPRISE_ROLES:
            panels.append(_enterprise_panel(m))
        elif m.role == Role.ZONE_OFFICIAL:
            panels.append(_zone_panel(m))
        elif m.role == Role.REGISTRY_OFFICER:
            panels.append(_registry_panel(m))
        elif m.role in BANK_ROLES:
            panels.append(_bank_panel(m, user))
    if scope_of(user).is_platform_admin:
        panels.append(_admin_panel())
    return panels
