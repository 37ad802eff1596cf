"""Yearly figures and financing needs."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecosystem.core.errors import ApplicationError, ConflictError
from ecosystem.core.services import audit_record, model_snapshot, validated
from ecosystem.enterprises.models import FinancialYear, FinancingNeed
from ecosystem.enterprises.models.figures import FIGURE_FIELDS, VerificationStatus
from ecosystem.enterprises.services.common import rematch_later, require_member
from ecosystem.enterprises.summary import summary_sync
from ecosystem.enterprises.waiting import YEARS, waiting_sync


def _check_figures(instance: FinancialYear, figures: dict) -> None:
    """Field rules (model validators) and cross-field rules, reported together per field."""
    errors: dict[str, list[str]] = {}
    for name, value in figures.items():
        if isinstance(value, float):
            errors.setdefault(name, []).append(str(_("Amounts must be exact decimals.")))
    if errors:
        raise ApplicationError(
            next(iter(errors.values()))[0], code="invalid", extra={"errors": errors}
        )
    try:
        instance.full_clean(
            exclude=["enterprise"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        errors = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
    if instance.year and instance.year > timezone.localdate().year:
        errors.setdefault("year", []).append(
            str(_("%(year)d is in the future.") % {"year": instance.year})
        )
    if (
        "rd_expense" not in errors
        and "total_costs" not in errors
        and (
            instance.rd_expense is not None
            and instance.total_costs is not None
            and instance.rd_expense > instance.total_costs
        )
    ):
        errors.setdefault("rd_expense", []).append(str(_("R&D expense cannot exceed total costs.")))
    if (
        "rd_staff" not in errors
        and "employees" not in errors
        and (
            instance.rd_staff is not None
            and instance.employees is not None
            and instance.rd_staff > instance.employees
        )
    ):
        errors.setdefault("rd_staff", []).append(str(_("S&T staff cannot exceed employees.")))
    if errors:
        raise ApplicationError(
            next(iter(errors.values()))[0], code="invalid", extra={"errors": errors}
        )


def financial_year_save(
    *, enterprise, actor, year: int, expected_version: int | None = None, **figures
) -> FinancialYear:
    """Create or update one year. Changing a verified year sends it back to unverified."""
    require_member(actor, enterprise)
    unknown = set(figures) - set(FIGURE_FIELDS)
    if unknown:
        raise ApplicationError(_("Unknown fields."), code="unknown_fields")
    with transaction.atomic():
        current = (
            FinancialYear.objects.select_for_update()
            .filter(enterprise=enterprise, year=year)
            .first()
        )
        if current is not None:
            if expected_version is not None and current.version != expected_version:
                raise ConflictError(
                    _(
                        "Someone else saved %(year)d meanwhile. Reload to see their figures; "
                        "your input is kept below."
                    )
                    % {"year": year},
                    code="stale_version",
                )
        if current is None:
            instance = FinancialYear(enterprise=enterprise, year=year, **figures)
            _check_figures(instance, figures)
            try:
                with transaction.atomic():
                    instance.save()
            except IntegrityError as exc:
                raise ConflictError(
                    _("Figures for %(year)d already exist.") % {"year": year},
                    code="year_exists",
                ) from exc
            audit_record(
                actor=actor,
                verb="financial_year.created",
                target=instance,
                after=model_snapshot(instance, FIGURE_FIELDS),
            )
            summary_sync(enterprise_ids=[instance.enterprise_id])
            waiting_sync(enterprise_ids=[instance.enterprise_id], backlogs=(YEARS,))  # awaits
            rematch_later(enterprise_id=instance.enterprise_id)
            return instance
        before = model_snapshot(current, FIGURE_FIELDS)
        for name, value in figures.items():
            setattr(current, name, value)
        _check_figures(current, figures)
        changed = [n for n in FIGURE_FIELDS if str(before[n]) != str(getattr(current, n))]
        if not changed:
            return current
        if current.verification_status != VerificationStatus.UNVERIFIED:
            current.verification_status = VerificationStatus.UNVERIFIED
            current.verified_by = None
            current.verified_at = None
            changed += ["verification_status", "verified_by", "verified_at"]
        current.version += 1
        current.save(update_fields=[*changed, "version", "updated_at"])
        audit_record(
            actor=actor,
            verb="financial_year.updated",
            target=current,
            before=before,
            after=model_snapshot(current, FIGURE_FIELDS),
        )
        if {"revenue", "employees"} & set(changed):
            summary_sync(enterprise_ids=[current.enterprise_id])
        # unverified now, waiting since this save (``updated_at``): the zone's backlog
        waiting_sync(enterprise_ids=[current.enterprise_id], backlogs=(YEARS,))
        rematch_later(enterprise_id=current.enterprise_id)
    return current


def financial_year_set_verification(
    *, financial_year: FinancialYear, actor, status: str, note: str = ""
) -> FinancialYear:
    """A zone official of the enterprise's zone marks a year verified or flags a discrepancy."""
    from ecosystem.enterprises.permissions import is_zone_official_for

    if not is_zone_official_for(actor, financial_year.enterprise):
        raise ApplicationError(_("Not found."), code="not_found", status=404)
    if status not in VerificationStatus.values:
        raise ApplicationError(_("Unknown verification status."), code="bad_status")
    if status == VerificationStatus.DISCREPANCY and not note.strip():
        raise ApplicationError(_("Describe the discrepancy."), code="note_required")
    with transaction.atomic():
        current = FinancialYear.objects.select_for_update().get(pk=financial_year.pk)
        before = {"verification_status": current.verification_status}
        current.verification_status = status
        current.verification_note = note[:500]
        current.verified_by = actor if status == VerificationStatus.VERIFIED else None
        current.verified_at = timezone.now() if status == VerificationStatus.VERIFIED else None
        current.save(
            update_fields=["verification_status", "verification_note", "verified_by", "verified_at"]
        )
        audit_record(
            actor=actor,
            verb="financial_year.verification",
            target=current,
            before=before,
            after={"verification_status": status, "note": note},
        )
        if status != before["verification_status"]:  # into or out of the zone's backlog
            waiting_sync(enterprise_ids=[current.enterprise_id], backlogs=(YEARS,))
        rematch_later(enterprise_id=current.enterprise_id)
    return current


def financing_need_create(
    *,
    enterprise,
    actor,
    amount: Decimal,
    term_months: int,
    purpose: str,
    note: str = "",
    collateral: str = FinancingNeed.Collateral.NONE,
) -> FinancingNeed:
    require_member(actor, enterprise)
    if isinstance(amount, float):
        raise ApplicationError(_("Amounts must be exact decimals."), code="invalid")
    need = validated(
        FinancingNeed(
            enterprise=enterprise,
            amount=amount,
            term_months=term_months,
            purpose=purpose,
            collateral=collateral or FinancingNeed.Collateral.NONE,
            note=note,
        )
    )
    with transaction.atomic():
        need.save()
        audit_record(
            actor=actor,
            verb="financing_need.created",
            target=need,
            after=model_snapshot(need, ["amount", "term_months", "purpose", "collateral"]),
        )
    return need


def financing_need_close(*, need: FinancingNeed, actor) -> FinancingNeed:
    require_member(actor, need.enterprise)
    with transaction.atomic():
        need = FinancingNeed.objects.select_for_update().get(pk=need.pk)
        if need.status != FinancingNeed.Status.CLOSED:
            need.status = FinancingNeed.Status.CLOSED
            need.save(update_fields=["status"])
            audit_record(actor=actor, verb="financing_need.closed", target=need)
    return need
