"""Schemes: their versioned terms, their fund managers, and the banks that join them."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecosystem.accounts.models import Membership
from ecosystem.accounts.roles import Role
from ecosystem.accounts.scope import forget_scope, scope_of
from ecosystem.core.errors import ApplicationError, ConflictError
from ecosystem.core.services import audit_record
from ecosystem.funds import calculations, permissions
from ecosystem.funds.models import CooperatingBank, Filing, Scheme, SchemeVersion
from ecosystem.funds.services.common import not_found
from ecosystem.funds.workflow import FILING_HOLDS_HEADROOM

TERMS = (
    "fund_size",
    "leverage_cap",
    "compensation_share",
    "cumulative_cap",
    "per_firm_annual_cap",
    "max_term_months",
    "subsidy_rate",
    "per_firm_annual_subsidy_cap",
)


def version_at(scheme: Scheme, day: date) -> SchemeVersion | None:
    """The terms in force on ``day``: the newest version effective then."""
    return (
        scheme.versions.filter(effective_from__lte=day)
        .exclude(effective_to__lt=day)
        .order_by("-number")
        .first()
    )


def fund_manager_appoint(*, scheme: Scheme, user, actor) -> Membership:
    """A platform admin makes ``user`` a fund manager of ``scheme``."""
    if not scope_of(actor, fresh=True).is_platform_admin:
        raise ApplicationError(
            _("Only platform administrators appoint fund managers."),
            code="not_platform_admin",
            status=403,
        )
    try:
        with transaction.atomic():
            membership = Membership.objects.create(user=user, role=Role.FUND_MANAGER, scheme=scheme)
            audit_record(
                actor=actor,
                verb="scheme.fund_manager_appointed",
                target=scheme,
                after={"user": user.pk},
            )
    except IntegrityError as exc:
        raise ConflictError(
            _("This person already manages the scheme."), code="membership_exists"
        ) from exc
    forget_scope(user)
    return membership


def scheme_version_create(
    *, scheme: Scheme, actor, effective_from: date, programs=(), zones=(), **terms
) -> SchemeVersion:
    """A fund manager publishes new terms; earlier versions stay as they were."""
    if not permissions.can_manage_scheme(actor, scheme):
        raise not_found()
    unknown = set(terms) - set(TERMS)
    if unknown:
        raise ValueError(f"unknown terms {sorted(unknown)}")
    with transaction.atomic():
        locked = Scheme.objects.select_for_update().get(pk=scheme.pk)
        current = version_at(locked, effective_from)
        values = {name: getattr(current, name) for name in TERMS} if current else {}
        values.update(terms)
        number = (locked.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = SchemeVersion(
            scheme=locked,
            number=number,
            effective_from=effective_from,
            created_by=actor,
            **values,
        )
        version.full_clean(exclude=["created_by"])
        version.save()
        version.programs.set(programs or (current.programs.all() if current else []))
        version.zones.set(zones or (current.zones.all() if current else []))
        audit_record(
            actor=actor,
            verb="scheme.version_created",
            target=locked,
            after={"number": number, **{k: str(v) for k, v in values.items()}},
        )
    return version


def bank_join(*, scheme: Scheme, bank, actor) -> CooperatingBank:
    """A bank's manager accepts the scheme's current terms for the bank (recorded)."""
    if not permissions.can_join_scheme(actor, bank):
        raise not_found()
    version = version_at(scheme, timezone.localdate())
    if version is None:
        raise ConflictError(_("The scheme has no terms in force."), code="no_terms")
    try:
        with transaction.atomic():
            joined = CooperatingBank.objects.create(
                scheme=scheme, bank=bank, version=version, accepted_by=actor
            )
            audit_record(
                actor=actor,
                verb="scheme.bank_joined",
                target=scheme,
                after={"bank": bank.pk, "version": version.number},
            )
    except IntegrityError as exc:
        raise ConflictError(_("The bank already cooperates."), code="already_joined") from exc
    return joined


def filed_balance(scheme: Scheme):
    """The outstanding principal of the loans filed into the pool (awaiting or confirmed)."""
    total = Filing.objects.filter(scheme=scheme, status__in=FILING_HOLDS_HEADROOM).aggregate(
        total=Sum("loan__outstanding_principal")
    )["total"]
    return total or calculations.ZERO


def scheme_headroom(scheme: Scheme):
    version = version_at(scheme, timezone.localdate())
    if version is None:
        return calculations.ZERO
    return calculations.headroom(
        fund_size=version.fund_size,
        leverage_cap=version.leverage_cap,
        filed_balance=filed_balance(scheme),
    )
