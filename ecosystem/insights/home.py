"""The figures on each role's home page, read from the database and scoped to the user."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from ecosystem.accounts.roles import BANK_ROLES, ENTERPRISE_ROLES, Role
from ecosystem.accounts.scope import (
    active_memberships,
    members_of_enterprise,
    officers_of_program,
    officials_of_zone,
    scope_of,
)


@dataclass
class Panel:
    role: str
    title: str
    scope: str
    figures: list[tuple[str, int]] = field(default_factory=list)


def home_panels(*, user) -> list[Panel]:
    from ecosystem.accounts.models import Invitation, User
    from ecosystem.core.models import AuditEvent
    from ecosystem.enterprises.models import Enterprise
    from ecosystem.zones.models import Zone

    panels: list[Panel] = []
    for m in active_memberships(user):
        label = m.get_role_display()
        if m.role in ENTERPRISE_ROLES:
            panels.append(
                Panel(
                    m.role,
                    label,
                    f"{m.enterprise} ({m.enterprise.uscc})",
                    [
                        (
                            _("Members"),
                            members_of_enterprise(m.enterprise_id).count(),
                        ),
                    ],
                )
            )
        elif m.role == Role.ZONE_OFFICIAL:
            panels.append(
                Panel(
                    m.role,
                    label,
                    str(m.zone),
                    [
                        (
                            _("Enterprises registered in the zone"),
                            Enterprise.objects.filter(zone=m.zone).count(),
                        ),
                        (
                            _("Officials of the zone"),
                            officials_of_zone(m.zone_id).count(),
                        ),
                    ],
                )
            )
        elif m.role == Role.REGISTRY_OFFICER:
            panels.append(
                Panel(
                    m.role,
                    label,
                    str(m.program),
                    [
                        (
                            _("Officers of this program"),
                            officers_of_program(m.program_id).count(),
                        ),
                        (_("Enterprises registered on the portal"), Enterprise.objects.count()),
                    ],
                )
            )
        elif m.role in BANK_ROLES:
            zones = Zone.objects.filter(branches__bank=m.bank).distinct()
            if m.branch_id:
                zones = Zone.objects.filter(branches=m.branch)
            panels.append(
                Panel(
                    m.role,
                    label,
                    str(m.branch or m.bank),
                    [
                        (_("Zones served"), zones.count()),
                        (
                            _("Enterprises in the zones served"),
                            Enterprise.objects.filter(zone__in=zones).count(),
                        ),
                    ],
                )
            )
    if scope_of(user).is_platform_admin:
        panels.append(
            Panel(
                "platform_admin",
                str(_("Platform administrator")),
                "",
                [
                    (_("Users"), User.objects.count()),
                    (_("Enterprises"), Enterprise.objects.count()),
                    (_("Zones"), Zone.objects.count()),
                    (
                        _("Pending invitations"),
                        Invitation.objects.filter(status=Invitation.Status.PENDING).count(),
                    ),
                    (_("Audit events"), AuditEvent.objects.count()),
                ],
            )
        )
    return panels
