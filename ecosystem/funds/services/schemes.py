"""Schemes: their versioned terms, their fund managers, and the banks that join them."""

from __future__ import annotations

import uuid
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecosystem.accounts.models import Membership
from ecosystem.accounts.roles import Role
from ecosystem.accounts.scope import forget_scope, lock_fund_manager_appointment, scope_of
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
    """A platform admin makes ``user`` a fund manager of ``scheme`` (again, if their earlier
    appointment was ended)."""
    if not scope_of(actor, fresh=True).is_platform_admin:
        raise ApplicationError(
            _("Only platform administrators appoint fund managers."),
            code="not_platform_admin",
            status=403,
        )
    if not user.is_active:
        raise ApplicationError(
            _("This account is closed; it cannot manage a scheme."),
            code="inactive_user",
            extra={"errors": {"user": [_("This account is closed; it cannot manage a scheme.")]}},
        )
    with transaction.atomic():
        ended = lock_fund_manager_appointment(scheme_id=scheme.pk, user=user, active=False)
        if ended is not None:
            ended.is_active = True
            ended.save(update_fields=["is_active"])
            membership = ended
        else:
            try:
                with transaction.atomic():
                    membership = Membership.objects.create(
                        user=user, role=Role.FUND_MANAGER, scheme=scheme
                    )
            except IntegrityError as exc:
                message = _("This person already manages the scheme.")
                raise ConflictError(
                    message, code="membership_exists", extra={"errors": {"user": [message]}}
                ) from exc
        audit_record(
            actor=actor,
            verb="scheme.fund_manager_appointed",
            target=scheme,
            after={"user": user.pk},
        )
    forget_scope(user)
    return membership


def fund_manager_end(*, membership: Membership, actor) -> Membership:
    """A platform admin ends a fund manager's appointment; the history stays (the
    membership is kept, inactive, and the decisions they took keep their name)."""
    if not scope_of(actor, fresh=True).is_platform_admin:
        raise ApplicationError(
            _("Only platform administrators appoint fund managers."),
            code="not_platform_admin",
            status=403,
        )
    if membership.role != Role.FUND_MANAGER:
        raise not_found()
    with transaction.atomic():
        locked = lock_fund_manager_appointment(scheme_id=membership.scheme_id, pk=membership.pk)
        if not locked.is_active:
            raise ConflictError(_("This appointment has already ended."), code="already_ended")
        locked.is_active = False
        locked.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            verb="scheme.fund_manager_ended",
            target=locked.scheme,
            before={"user": locked.user_id},
        )
    forget_scope(locked.user)
    return locked


def terms_errors(values: dict, *, effective_from, effective_to=None) -> dict[str, list]:
    """What is absurd in a version's terms, by field: negative money, a share or a rate
    outside 0–100 %, leverage below 1, no fund, a zero longest term, an end before the start."""
    errors: dict[str, list] = {}

    def refuse(field, message):
        errors.setdefault(field, []).append(message)

    for field in ("cumulative_cap", "per_firm_annual_cap", "per_firm_annual_subsidy_cap"):
        if field in values and values[field] is not None and values[field] < 0:
            refuse(field, _("An amount cannot be negative."))
    fund = values.get("fund_size")
    if fund is None or fund <= 0:
        refuse("fund_size", _("The fund must be more than zero."))
    leverage = values.get("leverage_cap")
    if leverage is not None and leverage < 1:
        refuse("leverage_cap", _("The leverage cap is at least 1 (the fund itself)."))
    for field in ("compensation_share", "subsidy_rate"):
        value = values.get(field)
        if value is not None and not (0 <= value <= 1):
            refuse(field, _("A share is between 0 % and 100 %."))
    term = values.get("max_term_months")
    if term is not None and term < 1:
        refuse("max_term_months", _("The longest term is at least one month."))
    if effective_to is not None and effective_from is not None and effective_to < effective_from:
        refuse("effective_to", _("The end comes before the start."))
    return errors


def _invalid(errors: dict) -> ApplicationError:
    return ApplicationError(
        _("Some terms cannot be accepted; see the fields marked."),
        code="invalid_terms",
        extra={"errors": errors},
    )


def scheme_version_create(
    *,
    scheme: Scheme,
    actor,
    effective_from: date,
    effective_to: date | None = None,
    programs=None,
    zones=None,
    **terms,
) -> SchemeVersion:
    """A fund manager publishes new terms; earlier versions stay as they were (filings and
    acceptances keep the version they were made under). Terms not given are carried over
    from the version in force on ``effective_from``; so are its programs and zones when
    ``programs``/``zones`` is None (an empty list: any program, any zone)."""
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
        errors = terms_errors(values, effective_from=effective_from, effective_to=effective_to)
        if errors:
            raise _invalid(errors)
        number = (locked.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = SchemeVersion(
            scheme=locked,
            number=number,
            effective_from=effective_from,
            effective_to=effective_to,
            created_by=actor,
            **values,
        )
        version.full_clean(exclude=["created_by"])
        version.save()
        carried = current is not None
        version.programs.set(
            programs if programs is not None else (current.programs.all() if carried else [])
        )
        version.zones.set(zones if zones is not None else (current.zones.all() if carried else []))
        audit_record(
            actor=actor,
            verb="scheme.version_created",
            target=locked,
            after={
                "number": number,
                "effective_from": effective_from.isoformat(),
                "effective_to": effective_to.isoformat() if effective_to else None,
                **{k: str(v) for k, v in values.items()},
            },
        )
    return version


def scheme_create(*, actor, name: str, kind: str, owner_zone=None, owner_body: str = "") -> Scheme:
    """A new scheme (no terms yet: its fund managers publish them). A platform admin
    creates one for any zone or city-level body; a fund manager for an owner of a scheme
    they already manage, and becomes the new scheme's fund manager too (the owner's
    appointment carries over; nobody else is appointed by it)."""
    scope = scope_of(actor, fresh=True)
    if not permissions.can_create_scheme(actor):
        raise not_found()
    name = (name or "").strip()
    owner_body = (owner_body or "").strip()
    errors: dict[str, list] = {}
    if not name:
        errors["name"] = [_("Give the scheme a name.")]
    if kind not in Scheme.Kind.values:
        errors["kind"] = [_("Choose the type of scheme.")]
    if bool(owner_zone) == bool(owner_body):
        errors["owner_zone"] = [_("Name either the owning zone or the city-level body.")]
    elif not scope.is_platform_admin:
        zones, bodies = permissions.scheme_owners_of(actor)
        if (owner_zone and owner_zone.pk not in zones) or (owner_body and owner_body not in bodies):
            errors["owner_zone"] = [_("You may create schemes only for the owners of yours.")]
    if not errors and Scheme.objects.filter(name=name).exists():
        errors["name"] = [_("A scheme with this name exists.")]
    if errors:
        raise ApplicationError(
            _("The scheme cannot be created; see the fields marked."),
            code="invalid_scheme",
            extra={"errors": errors},
        )
    with transaction.atomic():
        scheme = Scheme.objects.create(
            code=f"scheme-{uuid.uuid4().hex[:12]}",
            name=name,
            kind=kind,
            owner_zone=owner_zone,
            owner_body=owner_body,
        )
        if not scope.is_platform_admin:
            Membership.objects.create(user=actor, role=Role.FUND_MANAGER, scheme=scheme)
        audit_record(
            actor=actor,
            verb="scheme.created",
            target=scheme,
            after={"name": name, "kind": kind, "owner": scheme.owner},
        )
    forget_scope(actor)
    return scheme


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
