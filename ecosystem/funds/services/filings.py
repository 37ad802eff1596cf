"""Filing a disbursed loan into a risk pool, and the fund manager's decision on it.

The filing checks, against the terms in force on the disbursement date: the bank
cooperates in the scheme; the firm is in an eligible zone and held an eligible
qualification verified on that date (each kept with its provenance: the official list
entry that verified it, or the zone official who did); the term is within the longest
term; the firm's loans filed in the disbursement's year stay within the per-firm cap; and
the pool's live headroom (read under a lock on the scheme row, so two filings racing for
the last of it cannot both pass) covers the loan's outstanding principal."""

from __future__ import annotations

from datetime import datetime, time

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecosystem.accounts.scope import fund_managers_of_scheme
from ecosystem.core import races
from ecosystem.core.errors import ConflictError
from ecosystem.core.services import audit_record, notify
from ecosystem.core.worktime import CALENDAR_ZONE, add_working_days
from ecosystem.funds import calculations, permissions
from ecosystem.funds.models import CooperatingBank, Filing, Loan, Scheme, SchemeVersion
from ecosystem.funds.services.common import not_found
from ecosystem.funds.services.moves import check_move
from ecosystem.funds.services.schemes import filed_balance, version_at
from ecosystem.funds.workflow import FILING_HOLDS_HEADROOM, FILING_TRANSITIONS, FilingStatus

#: Working days a fund manager has to confirm or refuse a filing.
FILING_DECISION_DAYS = 5
#: Filings that count against a firm's annual cap (all but refused and withdrawn).
FILING_COUNTS_FOR_FIRM = (*FILING_HOLDS_HEADROOM, FilingStatus.CLOSED.value)


def _refuse(message, code: str) -> ConflictError:
    return ConflictError(message, code=code)


def qualifications_at(*, enterprise, day, programs) -> list[dict]:
    """The firm's qualifications in ``programs`` verified on ``day``, each with its
    provenance. A claim counts if it was decided (verified) by the end of that day and
    was valid then; a claim verified later, or revoked, does not."""
    from ecosystem.enterprises.models import QualificationClaim
    from ecosystem.enterprises.workflow import ClaimStatus

    end_of_day = datetime.combine(day, time.max, tzinfo=CALENDAR_ZONE)
    claims = (
        QualificationClaim.objects.filter(
            enterprise=enterprise,
            program__in=programs,
            status__in=[ClaimStatus.VERIFIED, ClaimStatus.EXPIRED],
            decided_at__lte=end_of_day,
        )
        .exclude(valid_until__lt=day)
        .select_related("program", "registry_entry", "decided_by")
        .order_by("program__pk", "-decided_at")
    )
    found = []
    for claim in claims:
        entry = claim.registry_entry
        provenance = (
            {
                "source": "registry",
                "registry_entry": entry.pk,
                "batch": entry.batch,
                "list_name": entry.name,
            }
            if entry is not None
            else {
                "source": "official",
                "decided_by": claim.decided_by_id,
                "decided_by_name": str(claim.decided_by or ""),
            }
        )
        found.append(
            {
                "claim": claim.pk,
                "program": claim.program_id,
                "program_name": str(claim.program),
                "certificate_number": claim.certificate_number,
                "verified_at": timezone.localtime(claim.decided_at).isoformat(),
                "valid_until": claim.valid_until.isoformat() if claim.valid_until else None,
                **provenance,
            }
        )
    return found


def eligibility(*, loan: Loan, version: SchemeVersion) -> dict:
    """What the filing records, or raises the first refusal (zone, qualification, term)."""
    enterprise = loan.enterprise
    zones = list(version.zones.values_list("pk", flat=True))
    if zones and enterprise.zone_id not in zones:
        raise _refuse(_("The firm's zone is not eligible for this scheme."), "zone_not_eligible")
    programs = list(version.programs.all())
    qualifications = []
    if programs:
        qualifications = qualifications_at(
            enterprise=enterprise, day=loan.disbursed_on, programs=programs
        )
        if not qualifications:
            raise _refuse(
                _(
                    "On the disbursement date (%(day)s) the firm held no verified "
                    "qualification the scheme accepts."
                )
                % {"day": loan.disbursed_on.isoformat()},
                "not_qualified",
            )
    if loan.term_months > version.max_term_months:
        raise _refuse(
            _("The loan's term (%(term)s months) is longer than the scheme allows (%(max)s).")
            % {"term": loan.term_months, "max": version.max_term_months},
            "term_too_long",
        )
    return {
        "checked_on": loan.disbursed_on.isoformat(),
        "zone": enterprise.zone_id,
        "qualifications": qualifications,
        "version": version.number,
    }


def firm_filed_in_year(*, scheme: Scheme, enterprise, year: int):
    total = Filing.objects.filter(
        scheme=scheme,
        loan__enterprise=enterprise,
        loan__disbursed_on__year=year,
        status__in=FILING_COUNTS_FOR_FIRM,
    ).aggregate(total=Sum("amount"))["total"]
    return total or calculations.ZERO


def filing_submit(*, loan: Loan, scheme: Scheme, actor) -> Filing:
    """The bank side files ``loan`` into the risk pool ``scheme``; a fund manager confirms."""
    if not permissions.can_report_loan(actor, loan):
        raise not_found()
    if not permissions.can_view_scheme(actor, scheme):
        raise not_found()
    if scheme.kind != Scheme.Kind.RISK_POOL:
        raise _refuse(_("Loans are filed only into a risk-compensation pool."), "not_a_pool")
    with transaction.atomic():
        scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
        loan = Loan.objects.select_for_update().select_related("enterprise").get(pk=loan.pk)
        if not CooperatingBank.objects.filter(scheme=scheme, bank_id=loan.bank_id).exists():
            raise _refuse(
                _("The bank has not accepted this scheme's terms."), "bank_not_cooperating"
            )
        if Filing.objects.filter(loan=loan, status__in=FILING_COUNTS_FOR_FIRM).exists():
            raise _refuse(_("This loan is already filed."), "already_filed")
        if loan.is_non_performing:
            raise _refuse(_("A non-performing loan cannot be filed."), "non_performing")
        version = version_at(scheme, loan.disbursed_on)
        if version is None:
            raise _refuse(
                _("The scheme had no terms in force on the disbursement date."), "no_terms"
            )
        record = eligibility(loan=loan, version=version)
        if version.per_firm_annual_cap > 0:
            left = calculations.firm_cap_left(
                cap=version.per_firm_annual_cap,
                filed_this_year=firm_filed_in_year(
                    scheme=scheme, enterprise=loan.enterprise, year=loan.disbursed_on.year
                ),
            )
            if loan.principal > left:
                raise _refuse(
                    _(
                        "The firm's loans filed for %(year)s would exceed the per-firm cap: "
                        "¥%(left)s is left."
                    )
                    % {"year": loan.disbursed_on.year, "left": f"{left:,.2f}"},
                    "firm_cap_exceeded",
                )
        current = version_at(scheme, timezone.localdate()) or version
        room = calculations.headroom(
            fund_size=current.fund_size,
            leverage_cap=current.leverage_cap,
            filed_balance=filed_balance(scheme),
        )
        if loan.outstanding_principal > room:
            raise _refuse(
                _("The pool's headroom (¥%(room)s) does not cover this loan.")
                % {"room": f"{room:,.2f}"},
                "no_headroom",
            )
        record["headroom_before"] = str(room)
        races.race_window("filing")
        try:
            with transaction.atomic():
                filing = Filing.objects.create(
                    loan=loan,
                    scheme=scheme,
                    version=version,
                    amount=loan.outstanding_principal,
                    eligibility=record,
                    filed_by=actor,
                    review_due_at=add_working_days(timezone.now(), FILING_DECISION_DAYS),
                )
        except IntegrityError as exc:
            raise _refuse(_("This loan is already filed."), "already_filed") from exc
        audit_record(
            actor=actor,
            verb="filing.filed",
            target=filing,
            after={"amount": str(filing.amount), "scheme": scheme.pk, "version": version.number},
        )
        names = {"reference": loan.reference, "scheme": scheme.name}
        notify(
            list(fund_managers_of_scheme(scheme.pk)),
            "funds.filing_filed",
            title=lambda: _("A loan was filed into %(scheme)s: %(reference)s") % names,
            url=filing.get_absolute_url(),
        )
    return filing


def filing_transition(*, filing: Filing, to: str, actor, reason: str = "") -> Filing:
    """Confirm or refuse (fund manager, a reason to refuse), withdraw (bank, before the
    decision) or close (bank, the loan repaid). A refused move changes nothing."""
    if not permissions.can_view_filing(actor, filing):
        raise not_found()
    with transaction.atomic():
        filing = (
            Filing.objects.select_for_update()
            .select_related("loan", "loan__lead", "scheme")
            .get(pk=filing.pk)
        )
        check_move(
            table=FILING_TRANSITIONS,
            choices=FilingStatus,
            source=filing.status,
            target=to,
            parties=permissions.party_of(actor, loan=filing.loan, scheme=filing.scheme),
            reason=reason,
        )
        before = filing.status
        filing.status = to
        fields = ["status", "updated_at"]
        if to in (FilingStatus.CONFIRMED, FilingStatus.REFUSED):
            filing.decided_by, filing.decided_at = actor, timezone.now()
            fields += ["decided_by", "decided_at"]
        if reason:
            filing.reason = reason.strip()
            fields.append("reason")
        filing.save(update_fields=fields)
        audit_record(
            actor=actor,
            verb=f"filing.{to}",
            target=filing,
            before={"status": before},
            after={"status": to, "reason": filing.reason},
        )
        if to in (FilingStatus.CONFIRMED, FilingStatus.REFUSED) and filing.filed_by_id:
            names = {"reference": filing.loan.reference, "status": filing.get_status_display()}
            notify(
                filing.filed_by,
                f"funds.filing_{to}",
                title=lambda: _("Filing of %(reference)s: %(status)s") % names,
                body=filing.reason,
                url=filing.get_absolute_url(),
            )
    return filing


def filing_overdue(filing: Filing) -> bool:
    return bool(
        filing.status == FilingStatus.FILED
        and filing.review_due_at
        and filing.review_due_at < timezone.now()
    )
