"""Status rows of loans already in the book, applied a batch at a time (a bank's monthly
file holds one row per loan: tens of thousands of rows).

A batch is one transaction: its loans locked in one query (in id order), each loan's
latest report read in one more, every row checked in Python exactly as one row alone would
be (``loans.check_status``; a report equal to the latest changes nothing, an older one is
history), then the new reports inserted and the loans' states updated in bulk. A row that
fails its checks is reported and changes nothing; the others apply. The rows a batch does
not take — a reference not in the book (a new loan), one that two of the actor's banks
use, a row with payments — are handed back for the row-by-row path."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from ecosystem.core.errors import ApplicationError
from ecosystem.funds.models import Loan, LoanReport
from ecosystem.funds.services.loans import STATE_FIELDS, Status, check_status, tell_fund_managers
from ecosystem.funds.workflow import is_non_performing

#: Rows per transaction: large enough to amortise the round trips, small enough that a
#: batch's locks are short.
BATCH_ROWS = 2000


@dataclass(frozen=True)
class Item:
    """One parsed row: its line (or index), the reference, the lead named (or ""), the
    status, and the row as given (for the row-by-row path if the batch hands it back)."""

    number: int
    reference: str
    lead: str
    status: Status
    row: dict


class _Loan(NamedTuple):
    """What a batch reads of a locked loan (no model instances: a batch reads thousands)."""

    pk: int
    reference: str
    lead_id: int
    principal: Decimal
    disbursed_on: date
    reported_on: date
    classification: str
    days_past_due: int
    latest_report_id: int | None


def apply_batch(*, actor, own, items: list[Item], source: str, result, error) -> list[Item]:
    """Apply ``items`` (distinct references) to ``own`` loans; count outcomes on
    ``result``, report refusals through ``error(number, field, code, message)``; return
    the items left for the row-by-row path."""
    latest_id = Subquery(
        LoanReport.objects.filter(loan=OuterRef("pk")).order_by("-as_of", "-id").values("id")[:1]
    )
    with transaction.atomic():
        loans = [
            _Loan(*values)
            for values in own.select_for_update(of=("self",))
            .filter(reference__in=[item.reference for item in items])
            .annotate(latest_report_id=latest_id)
            .order_by("pk")
            .values_list(*_Loan._fields)
        ]
        by_reference: dict[str, list[_Loan]] = {}
        for loan in loans:
            by_reference.setdefault(loan.reference, []).append(loan)
        latest = {
            pk: key
            for pk, *key in LoanReport.objects.filter(
                pk__in=[loan.latest_report_id for loan in loans if loan.latest_report_id]
            ).values_list("pk", *_KEY)
        }
        left, taken = [], []
        for item in items:
            found = by_reference.get(item.reference, [])
            if len(found) != 1:
                left.append(item)
                continue
            loan = found[0]
            outcome = _outcome(item, loan, latest.get(loan.latest_report_id), error)
            if outcome is not None:
                taken.append((item, loan, outcome))
        _write(taken, actor=actor, source=source, result=result)
    return left


def _write(taken, *, actor, source: str, result) -> None:
    """Count the outcomes, insert the new reports, update the loans' states in bulk, tell
    the fund managers of filed loans that turned non-performing."""
    older = [(item, loan) for item, loan, outcome in taken if outcome == "history"]
    known = set()
    if older:  # an older report sent again is already in the history: nothing to add
        known = set(
            LoanReport.objects.filter(
                loan_id__in={loan.pk for _item, loan in older},
                as_of__in={item.status.as_of for item, _loan in older},
            ).values_list("loan_id", *_KEY)
        )
    reports, changed, turned_bad = [], [], []
    for item, loan, outcome in taken:
        status = item.status
        if outcome == "history" and (loan.pk, *_key(status)) in known:
            outcome = "unchanged"
        setattr(result, outcome, getattr(result, outcome) + 1)
        if outcome == "unchanged":
            continue
        reports.append((loan.pk, status))
        if outcome == "history":
            continue
        changed.append((loan.pk, status))
        was_bad = is_non_performing(loan.classification, loan.days_past_due)
        if is_non_performing(status.classification, status.days_past_due) and not was_bad:
            turned_bad.append(loan.pk)
    reporter = actor if getattr(actor, "is_authenticated", False) else None
    _insert_reports(reports, reporter, source)
    _update_states(changed, timezone.now())
    for loan in Loan.objects.filter(pk__in=turned_bad):
        tell_fund_managers(loan)


def _columns(rows: list[tuple[int, Status]]) -> list[list]:
    """The arrays of ``unnest``: loan ids, then each state field."""
    return [
        [pk for pk, _status in rows],
        [status.outstanding_principal for _pk, status in rows],
        [status.next_due_date for _pk, status in rows],
        [status.days_past_due for _pk, status in rows],
        [status.classification for _pk, status in rows],
        [status.as_of for _pk, status in rows],
    ]


def _insert_reports(rows: list[tuple[int, Status]], reporter, source: str) -> None:
    """The new reports: on PostgreSQL one ``INSERT … SELECT FROM unnest(arrays)``;
    elsewhere ``bulk_create``."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        LoanReport.objects.bulk_create(
            LoanReport(
                loan_id=pk,
                as_of=status.as_of,
                outstanding_principal=status.outstanding_principal,
                next_due_date=status.next_due_date,
                days_past_due=status.days_past_due,
                classification=status.classification,
                source=source,
                reported_by=reporter,
            )
            for pk, status in rows
        )
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO funds_loanreport (loan_id, outstanding_principal, next_due_date, "
            "days_past_due, classification, as_of, source, reported_by_id, created_at) "
            "SELECT v.*, %s, %s, %s FROM unnest(%s::bigint[], %s::numeric[], %s::date[], "
            "%s::integer[], %s::text[], %s::date[]) AS v",
            [source, reporter.pk if reporter else None, timezone.now(), *_columns(rows)],
        )


def _update_states(rows: list[tuple[int, Status]], now) -> None:
    """Write the loans' new states: on PostgreSQL one ``UPDATE … FROM unnest(arrays)``
    (Django's ``bulk_update`` builds a CASE per field and row: seconds for a batch);
    elsewhere ``bulk_update``."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        loans = Loan.objects.in_bulk([pk for pk, _status in rows])
        for pk, status in rows:
            loan = loans[pk]
            for name in STATE_FIELDS:
                setattr(loan, name, getattr(status, name))
            loan.reported_on, loan.updated_at = status.as_of, now
        Loan.objects.bulk_update(loans.values(), [*STATE_FIELDS, "reported_on", "updated_at"])
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE funds_loan AS l SET outstanding_principal = v.outstanding, "
            "next_due_date = v.next_due, days_past_due = v.days, classification = v.class, "
            "reported_on = v.reported_on, updated_at = %s "
            "FROM unnest(%s::bigint[], %s::numeric[], %s::date[], %s::integer[], %s::text[], "
            "%s::date[]) AS v(id, outstanding, next_due, days, class, reported_on) "
            "WHERE l.id = v.id",
            [now, *_columns(rows)],
        )


#: What makes two reports of a loan the same report.
_KEY = ("as_of", "outstanding_principal", "next_due_date", "days_past_due", "classification")


def _key(report) -> tuple:
    return (
        report.as_of,
        Decimal(report.outstanding_principal),
        report.next_due_date,
        report.days_past_due,
        report.classification,
    )


def _outcome(item: Item, loan: _Loan, latest: list | None, error) -> str | None:
    """ "updated", "history" (older than the loan's state), "unchanged" (the latest
    report again), or None (refused: reported through ``error``)."""
    if item.lead and item.lead != str(loan.lead_id):
        error(item.number, "lead", "lead_mismatch", _("This reference belongs to another lead."))
        return None
    status = item.status
    try:
        check_status(status, principal=loan.principal, disbursed_on=loan.disbursed_on)
    except ApplicationError as exc:
        error(item.number, exc.extra.get("field", ""), exc.code, str(exc.message))
        return None
    if latest is not None and tuple(latest) == _key(status):
        return "unchanged"
    return "history" if status.as_of < loan.reported_on else "updated"
