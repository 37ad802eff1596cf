"""Who may do what with an enterprise's record. Reads go through the scoped selectors."""

from ecosystem.accounts.roles import BANK_ROLES, ENTERPRISE_ROLES, Role


def _roles_for(user, enterprise) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        user.memberships.filter(is_active=True, enterprise=enterprise).values_list(
            "role", flat=True
        )
    )


def is_member(user, enterprise) -> bool:
    return bool(_roles_for(user, enterprise) & ENTERPRISE_ROLES)


def is_owner(user, enterprise) -> bool:
    return Role.ENTERPRISE_OWNER in _roles_for(user, enterprise)


def can_edit(user, enterprise) -> bool:
    """Members (owners included) keep the profile, figures, claims and consents."""
    return is_member(user, enterprise)


def can_manage_members(user, enterprise) -> bool:
    return is_owner(user, enterprise)


def is_zone_official_for(user, enterprise) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.memberships.filter(
            is_active=True, role=Role.ZONE_OFFICIAL, zone_id=enterprise.zone_id
        ).exists()
    )


def bank_viewing(user, enterprise):
    """The bank through which ``user`` sees ``enterprise`` (holding an active consent), or None.

    Views by such users are written to the enterprise's access log.
    """
    if not getattr(user, "is_authenticated", False) or is_member(user, enterprise):
        return None
    from ecosystem.enterprises.models import Consent
    from ecosystem.financing.models import Bank

    banks = user.memberships.filter(is_active=True, role__in=BANK_ROLES).values("bank_id")
    consent = Consent.objects.filter(
        enterprise=enterprise, bank_id__in=banks, revoked_at__isnull=True
    ).first()
    return Bank.objects.get(pk=consent.bank_id) if consent else None
