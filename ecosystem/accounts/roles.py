"""Roles and the scope each one is bound to; one table for memberships and invitations."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ENTERPRISE_OWNER = "enterprise_owner", _("Enterprise owner")
    ENTERPRISE_MEMBER = "enterprise_member", _("Enterprise member")
    ZONE_OFFICIAL = "zone_official", _("Zone official")
    REGISTRY_OFFICER = "registry_officer", _("Registry officer")
    BANK_RM = "bank_rm", _("Relationship manager")
    BANK_MANAGER = "bank_manager", _("Bank manager")
    FUND_MANAGER = "fund_manager", _("Fund manager")


#: The model field each role is scoped by; every other scope field stays empty.
#: A relationship manager also carries the bank of the branch, for bank-wide queries.
ROLE_SCOPE: dict[str, tuple[str, ...]] = {
    Role.ENTERPRISE_OWNER: ("enterprise",),
    Role.ENTERPRISE_MEMBER: ("enterprise",),
    Role.ZONE_OFFICIAL: ("zone",),
    Role.REGISTRY_OFFICER: ("program",),
    Role.BANK_RM: ("bank", "branch"),
    Role.BANK_MANAGER: ("bank",),
    Role.FUND_MANAGER: ("scheme",),
}
#: The scope fields an invitation carries; a fund manager is appointed to a policy fund
#: scheme by ``funds.services.fund_manager_appoint``, not invited.
SCOPE_FIELDS = ("enterprise", "zone", "program", "bank", "branch")
MEMBERSHIP_SCOPE_FIELDS = (*SCOPE_FIELDS, "scheme")
ENTERPRISE_ROLES = frozenset({Role.ENTERPRISE_OWNER, Role.ENTERPRISE_MEMBER})
STAFF_ROLES = frozenset(set(Role) - ENTERPRISE_ROLES)
#: Staff roles a platform admin invites to by email; a fund manager is appointed to a scheme
#: instead (``funds.services.fund_manager_appoint``), as invitations carry no scheme.
INVITABLE_ROLES = frozenset(STAFF_ROLES - {Role.FUND_MANAGER})
BANK_ROLES = frozenset({Role.BANK_RM, Role.BANK_MANAGER})


def scope_check() -> models.Q:
    """A CHECK condition: exactly the scope fields of the role are set."""
    condition = models.Q()
    for role, fields in ROLE_SCOPE.items():
        role_q = models.Q(role=role)
        for field in MEMBERSHIP_SCOPE_FIELDS:
            role_q &= models.Q(**{f"{field}__isnull": field not in fields})
        condition |= role_q
    return condition
