"""Many loan status rows at once, from a file or the API: a bulk upsert keyed by the bank's
loan reference. Each row applies on its own (a bad row is reported with its line and field
and changes nothing); sending the same rows again changes nothing.

A row of a loan the book does not hold yet names the disbursed lead it belongs to; a lead
or a reference of another bank is refused like one that does not exist.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db import DatabaseError, transaction
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from ecosystem.accounts.scope import scope_of
from ecosystem.core.errors import ApplicationError
from ecosystem.core.services import audit_record
from ecosystem.funds.models import Loan, LoanEvent
from ecosystem.funds.permissions import bank_loans_q
from ecosystem.funds.services.loan_batches import BATCH_ROWS, Item, apply_batch
from ecosystem.funds.services.loans import Status, apply_event, apply_report, loan_open
from ecosystem.funds.workflow import Classification

#: Words a bank's file may use for the five categories and the two payment kinds.
CLASSIFICATION_WORDS = {
    "正常": Classification.NORMAL,
    "关注": Classification.SPECIAL_MENTION,
    "次级": Classification.SUBSTANDARD,
    "可疑": Classification.DOUBTFUL,
    "损失": Classification.LOSS,
    "special mention": Classification.SPECIAL_MENTION,
    **{value: value for value in Classification.values},
}
EVENT_WORDS = {
    "还本": LoanEvent.Kind.REPAYMENT,
    "本金": LoanEvent.Kind.REPAYMENT,
    "付息": LoanEvent.Kind.INTEREST,
    "利息": LoanEvent.Kind.INTEREST,
    **{value: value for value in LoanEvent.Kind.values},
}


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    code: str
    message: str


@dataclass
class LoanRowsResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    history: int = 0
    events: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def applied(self) -> int:
        return self.created + self.updated + self.history


class _Bad(Exception):
    def __init__(self, field_name: str, code: str, message: str):
        super().__init__(message)
        self.field, self.code, self.message = field_name, code, message


def _text(row: dict, name: str) -> str:
    value = row.get(name)
    return "" if value is None else str(value).strip()


def _decimal(row: dict, name: str, *, required=True) -> Decimal | None:
    raw = row.get(name)
    if isinstance(raw, Decimal | int | float) and not isinstance(raw, bool):
        return Decimal(str(raw))
    text = _text(row, name).replace(",", "").replace("¥", "").replace("￥", "")
    if not text:
        if required:
            raise _Bad(name, "required", _("This value is required."))
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise _Bad(name, "bad_number", _("“%(value)s” is not a number.") % {"value": text})
    return value


def _date(row: dict, name: str, *, required=True) -> date | None:
    raw = row.get(name)
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = _text(row, name)
    if not text:
        if required:
            raise _Bad(name, "required", _("This value is required."))
        return None
    try:
        value = parse_date(text.replace("/", "-").replace(".", "-")[:10])
    except ValueError:
        value = None
    if value is None:
        raise _Bad(name, "bad_date", _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": text})
    return value


def _int(row: dict, name: str) -> int:
    value = _decimal(row, name, required=False)
    if value is None:
        return 0
    if value != value.to_integral_value():
        raise _Bad(name, "bad_integer", _("Enter a whole number of days."))
    return int(value)


def _classification(row: dict) -> str:
    text = _text(row, "classification")
    if not text:
        raise _Bad("classification", "required", _("This value is required."))
    found = CLASSIFICATION_WORDS.get(text) or CLASSIFICATION_WORDS.get(text.lower())
    if found is None:
        raise _Bad(
            "classification",
            "bad_classification",
            _("“%(value)s” is not one of 正常, 关注, 次级, 可疑, 损失.") % {"value": text},
        )
    return str(found)


def status_of(row: dict) -> Status:
    return Status(
        as_of=_date(row, "as_of"),
        outstanding_principal=_decimal(row, "outstanding_principal"),
        next_due_date=_date(row, "next_due_date", required=False),
        days_past_due=_int(row, "days_past_due"),
        classification=_classification(row),
    )


def loan_rows_upsert(*, actor, rows: list[tuple[int, dict]], source: str) -> LoanRowsResult:
    """Apply ``rows`` (line number, fields) for ``actor``'s banks; see the module. Rows
    of loans in the book go a batch at a time (``loan_batches``); the rest row by row."""
    result = LoanRowsResult()
    scope = scope_of(actor, fresh=True)
    own = Loan.objects.filter(bank_loans_q(scope))

    def error(number, field_name, code, message):
        result.errors.append(RowError(number, field_name, code, message))

    batched, rows = _batchable(rows)
    for low in range(0, len(batched), BATCH_ROWS):
        items = batched[low : low + BATCH_ROWS]
        before = (result.updated, result.unchanged, result.history, len(result.errors))
        try:
            left = apply_batch(
                actor=actor, own=own, items=items, source=source, result=result, error=error
            )
        except DatabaseError:  # the batch rolled back: its rows go one by one
            result.updated, result.unchanged, result.history = before[:3]
            del result.errors[before[3] :]
            left = items
        rows += [(item.number, item.row) for item in left]
    rows.sort(key=lambda numbered: numbered[0])
    for number, row in rows:
        try:
            with transaction.atomic():
                outcome, events = _apply_row(actor, own, row, source)
        except _Bad as bad:
            result.errors.append(RowError(number, bad.field, bad.code, bad.message))
            continue
        except ApplicationError as error:
            result.errors.append(
                RowError(number, error.extra.get("field", ""), error.code, str(error.message))
            )
            continue
        setattr(result, outcome, getattr(result, outcome) + 1)
        result.events += events
    result.errors.sort(key=lambda error: error.row)
    if result.applied or result.events:
        audit_record(
            actor=actor,
            verb="loan_book.rows",
            target=None,
            after={
                "source": source,
                "created": result.created,
                "updated": result.updated,
                "history": result.history,
                "unchanged": result.unchanged,
                "events": result.events,
                "errors": len(result.errors),
            },
        )
    return result


def _batchable(rows: list[tuple[int, dict]]) -> tuple[list[Item], list[tuple[int, dict]]]:
    """(items for the batches, rows for the row-by-row path): a row goes in a batch when
    it carries a status only (no payments) that reads, under a reference no other row
    uses."""
    uses = Counter(_text(row, "reference") for _number, row in rows)
    items, rest = [], []
    for number, row in rows:
        reference = _text(row, "reference")
        payments = row.get("events") or _text(row, "event_kind") or _text(row, "event_amount")
        if not reference or uses[reference] > 1 or payments:
            rest.append((number, row))
            continue
        try:
            status = status_of(row)
        except _Bad:
            rest.append((number, row))
            continue
        items.append(Item(number, reference, _text(row, "lead"), status, row))
    return items, rest


def _apply_row(actor, own, row: dict, source: str) -> tuple[str, int]:
    reference = _text(row, "reference")
    if not reference:
        raise _Bad("reference", "required", _("Enter the bank's loan reference."))
    status = status_of(row)
    events = _events_of(row)
    matches = list(own.select_for_update().filter(reference=reference)[:2])
    if len(matches) > 1:
        raise _Bad(
            "reference",
            "ambiguous_reference",
            _("Two of your banks use this reference; send the rows of each bank apart."),
        )
    if matches:
        loan = matches[0]
        lead_id = _text(row, "lead")
        if lead_id and lead_id != str(loan.lead_id):
            raise _Bad("lead", "lead_mismatch", _("This reference belongs to another lead."))
        outcome = apply_report(loan=loan, actor=actor, status=status, source=source)
    else:
        loan = _open(actor, row, reference, status, source)
        outcome = "created"
    created = 0
    for event in events:
        _event, made = apply_event(loan=loan, actor=actor, source=source, **event)
        created += made
    return outcome, created


def _open(actor, row, reference, status, source) -> Loan:
    from ecosystem.financing.models import Lead
    from ecosystem.financing.permissions import bank_leads_q

    lead_id = _text(row, "lead")
    if not lead_id:
        raise _Bad(
            "lead",
            "unknown_reference",
            _("No loan of your bank has this reference; name its lead to add it."),
        )
    leads = Lead.objects.filter(bank_leads_q(scope_of(actor)), status=Lead.Status.DISBURSED)
    lead = leads.filter(pk=lead_id if lead_id.isdigit() else 0).first()
    if lead is None:
        raise _Bad("lead", "lead_not_found", _("No disbursed lead of your bank has this number."))
    return loan_open(lead=lead, actor=actor, reference=reference, status=status, source=source)


def _events_of(row: dict) -> list[dict]:
    """The payments a row carries: ``events`` (API) or one ``event_*`` column set (file)."""
    given = list(row.get("events") or [])
    if _text(row, "event_kind") or _text(row, "event_amount"):
        given.append(
            {
                "kind": row.get("event_kind"),
                "amount": row.get("event_amount"),
                "paid_on": row.get("event_date"),
                "reference": row.get("event_reference"),
            }
        )
    events = []
    for item in given:
        kind = EVENT_WORDS.get(_text(item, "kind")) or EVENT_WORDS.get(_text(item, "kind").lower())
        if kind is None:
            raise _Bad("event_kind", "bad_kind", _("Choose principal repaid or interest paid."))
        events.append(
            {
                "kind": str(kind),
                "amount": _decimal(item, "amount"),
                "paid_on": _date(item, "paid_on"),
                "reference": _text(item, "reference"),
            }
        )
    return events
