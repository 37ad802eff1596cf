"""Yearly figures and financing needs."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecosystem.core.errors import ApplicationError, ConflictError
from ecosystem.core.services import audit_record, model_snapshot, validated
from ecosystem.enterprises.models import FinancialYear, FinancingNeed
from ecosystem.enterprises.models.figures import FIGURE_FIELDS, VerificationStatus
from ecosystem.enterprises.services.common import require_member


def _check_figures(year: int, figures: dict) -> None:
    errors: dict[str, list[str]] = {}
    this_year = timezone.localdate().year
    if year > this_year:
        errors.setdefault("year", []).append(str(_("%(year)d is in the future.") % {"year": year}))
    for name, value in figures.items():
        if isinstance(value, float):
            errors.setdefault(name, []).append(str(_("Amounts must be exact decimals.")))
    rd, costs = figures.get("rd_expense"), figures.get("total_costs")
    if rd is not None and costs is not None and Decimal(rd) > Decimal(costs):
        errors.setdefault("rd_expense", []).append(str(_("R&D expense cannot exceed total costs.")))
    staff, employees = figures.get("rd_staff"), figures.get("employees")
    if staff is not None and employees is not None and int(staff) > int(employees):
        errors.setdefault("rd_staff", []).append(str(_("S&T staff cannot exceed employees.")))
    if errors:
        first = next(iter(errors.values()))[0]
        raise ApplicationError(first, code="invalid", extra={"errors": errors})


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
        if current is None:
            merged = figures
        else:
            merged = {**model_snapshot(current, FIGURE_FIELDS), **figures}
            if expected_version is not None and current.version != expected_version:
                raise ConflictError(
                    _(
                        "Someone else saved %(year)d meanwhile. Reload to see their figures; "
                        "your input is kept below."
                    )
                    % {"year": year},
                    code="stale_version",
                )
        _check_figures(year, merged)
        if current is None:
            instance = validated(FinancialYear(enterprise=enterprise, year=year, **figures))
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
            return instance
        before = model_snapshot(current, FIGURE_FIELDS)
        for name, value in figures.items():
            setattr(current, name, value)
        validated(current)
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
    return current


def financing_need_create(
    *, enterprise, actor, amount: Decimal, term_months: int, purpose: str, note: str = ""
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
            note=note,
        )
    )
    with transaction.atomic():
        need.save()
        audit_record(
            actor=actor,
            verb="financing_need.created",
            target=need,
            after=model_snapshot(need, ["amount", "term_months", "purpose"]),
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
