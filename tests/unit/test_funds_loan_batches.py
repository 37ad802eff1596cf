"""A bank's status file applied a batch at a time (``services.loan_batches``): each row's
outcome is the one it would have alone — updated, unchanged, history, refused with its line
and field — rows the batch cannot take (a new reference, a reference twice) go row by row
in order, a filed loan turning non-performing tells the fund managers, and the queries of
a file do not grow with its rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ecosystem.core.models import Notification
from ecosystem.funds import services
from ecosystem.funds.models import Loan, LoanReport
from ecosystem.funds.services.loans import Status
from tests.worlds.fund_pool import PoolWorld

pytestmark = pytest.mark.django_db


def _row(reference, as_of, *, outstanding="900000", days=0, classification="正常", lead=""):
    return {
        "reference": reference,
        "lead": lead,
        "as_of": as_of.isoformat(),
        "outstanding_principal": outstanding,
        "days_past_due": str(days),
        "classification": classification,
    }


def _reports(loan) -> int:
    return LoanReport.objects.filter(loan=loan).count()


def test_each_row_of_a_batch_has_the_outcome_it_would_have_alone():
    world = PoolWorld()
    a = world.loan
    world.confirmed(a)
    b, c, d, e, f = (world.another_loan(f"LN-{x}") for x in "BCDEF")
    today, yesterday = world.today, world.today - timedelta(days=1)
    status = Status(
        as_of=today, outstanding_principal=b.principal, days_past_due=0, classification="normal"
    )
    services.loan_report(loan=c, actor=world.rm, status=status)
    opening = LoanReport.objects.get(loan=b)
    before = {loan.pk: _reports(loan) for loan in (a, b, c, d, e, f)}
    rows = [
        (2, _row("LN-POOL-1", today, outstanding="800000", days=95, classification="关注")),
        (3, _row("LN-B", opening.as_of, outstanding=str(opening.outstanding_principal))),
        (4, _row("LN-C", yesterday)),  # older than the state: history only
        (5, _row("LN-D", today, outstanding="2000000")),  # more than disbursed
        (6, _row("LN-E", today, lead=str(a.lead_id))),  # another lead's reference
        (7, _row("LN-X", today)),  # not in the book, no lead named
        (8, _row("LN-F", yesterday, days=10)),  # twice: row by row, in order
        (9, _row("LN-F", today, days=20)),
    ]
    result = services.loan_rows_upsert(actor=world.rm, rows=rows, source="upload")

    assert (result.created, result.updated, result.unchanged, result.history) == (0, 3, 1, 1)
    assert [(err.row, err.field, err.code) for err in result.errors] == [
        (5, "outstanding_principal", "outstanding_out_of_range"),
        (6, "lead", "lead_mismatch"),
        (7, "lead", "unknown_reference"),
    ]
    after = {loan.pk: _reports(loan) for loan in (a, b, c, d, e, f)}
    added = {pk: after[pk] - before[pk] for pk in after}
    assert added == {a.pk: 1, b.pk: 0, c.pk: 1, d.pk: 0, e.pk: 0, f.pk: 2}
    a.refresh_from_db(), c.refresh_from_db(), d.refresh_from_db(), f.refresh_from_db()
    assert (a.days_past_due, a.classification, a.is_non_performing) == (
        95,
        "special_mention",
        True,
    )
    assert (c.reported_on, c.days_past_due) == (today, 0)  # the newer state stays
    assert d.outstanding_principal == d.principal  # the refused row changed nothing
    assert (f.reported_on, f.days_past_due) == (today, 20)
    told = Notification.objects.filter(kind="funds.loan_non_performing")
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted(
        [world.fm.pk, world.fm2.pk]
    )

    again = services.loan_rows_upsert(actor=world.rm, rows=rows, source="upload")
    assert (again.updated, again.history, again.unchanged) == (0, 0, 5)
    assert told.count() == 2  # already non-performing: nobody is told twice


def test_the_queries_of_a_file_do_not_grow_with_its_rows():
    world = PoolWorld()
    loans = [world.loan, *(world.another_loan(f"LN-{i}") for i in range(5))]
    today = world.today

    def upload(chosen, outstanding):
        rows = [(n, _row(x.reference, today, outstanding=outstanding)) for n, x in chosen]
        with CaptureQueriesContext(connection) as queries:
            result = services.loan_rows_upsert(actor=world.rm, rows=rows, source="upload")
        assert (result.updated, result.errors) == (len(rows), [])
        return len(queries)

    two = upload(list(enumerate(loans[:2], start=2)), "900000")
    six = upload(list(enumerate(loans, start=2)), "800000")
    assert six == two
    assert Loan.objects.filter(outstanding_principal=800000).count() == 6
