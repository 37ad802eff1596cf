"""The loan book: a disbursed lead's loan is opened by its bank, its status reported (the
history kept, a repeated report a no-op), its payments recorded once; files in UTF-8,
UTF-8 with BOM, GB18030 and XLSX, with row-level errors; a lead of another bank refused."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ecosystem.core.errors import ApplicationError
from ecosystem.core.models import AuditEvent
from ecosystem.funds import services
from ecosystem.funds.models import Loan, LoanEvent, LoanReport
from ecosystem.funds.services.loan_files import read_loan_file
from ecosystem.funds.services.loans import Status
from tests.factories import ZoneOfficialFactory
from tests.worlds.funds import World, csv_bytes, xlsx_bytes
from tests.worlds.leads import client_for

pytestmark = pytest.mark.django_db


def _state():
    return (
        Loan.objects.count(),
        list(Loan.objects.values_list("outstanding_principal", "classification")),
        LoanReport.objects.count(),
        LoanEvent.objects.count(),
    )


def _status(world, **changes) -> Status:
    fields = {
        "as_of": world.today,
        "outstanding_principal": Decimal("900000"),
        "days_past_due": 0,
        "classification": "normal",
        "next_due_date": world.today + timedelta(days=30),
    }
    fields.update(changes)
    return Status(**fields)


def test_the_bank_opens_the_loan_of_a_disbursed_lead_from_the_disbursement():
    world = World()
    loan = services.loan_open(lead=world.lead, actor=world.rm, reference="LN-001")
    assert (loan.principal, loan.term_months, loan.annual_rate) == (
        Decimal("1000000.00"),
        12,
        Decimal("4.0000"),
    )
    assert loan.disbursed_on == world.lead.disbursement.disbursed_on
    assert loan.reports.count() == 1
    assert AuditEvent.objects.filter(verb="loan.opened").count() == 1


def test_another_banks_staff_cannot_open_the_loan_and_nothing_changes():
    world = World()
    before = _state()
    with pytest.raises(ApplicationError) as refused:
        services.loan_open(lead=world.lead, actor=world.other.rm, reference="LN-001")
    assert refused.value.status == 404
    assert _state() == before


def test_a_lead_not_yet_disbursed_has_no_loan():
    world = World()
    other_lead = world.other.lead
    other_lead.status = other_lead.Status.ACCEPTED
    other_lead.save(update_fields=["status"])
    with pytest.raises(ApplicationError) as refused:
        services.loan_open(lead=other_lead, actor=world.other.rm, reference="X")
    assert refused.value.code == "not_disbursed"
    assert Loan.objects.count() == 0


def test_reports_keep_the_history_and_a_repeated_report_changes_nothing():
    world = World()
    loan = services.loan_open(lead=world.lead, actor=world.rm, reference="LN-001")
    overdue = _status(world, days_past_due=95, classification="substandard")
    assert services.loan_report(loan=loan, actor=world.rm, status=overdue) == "updated"
    assert services.loan_report(loan=loan, actor=world.rm, status=overdue) == "unchanged"
    older = _status(world, as_of=world.today - timedelta(days=5))
    assert services.loan_report(loan=loan, actor=world.manager, status=older) == "history"
    loan.refresh_from_db()
    assert (loan.days_past_due, loan.classification, loan.is_non_performing) == (
        95,
        "substandard",
        True,
    )
    assert loan.reports.count() == 3


def test_an_impossible_status_is_refused_and_changes_nothing():
    world = World()
    loan = services.loan_open(lead=world.lead, actor=world.rm, reference="LN-001")
    before = _state()
    for bad in (
        _status(world, outstanding_principal=Decimal("1000000.01")),
        _status(world, as_of=world.today + timedelta(days=1)),
        _status(world, classification="bad"),
    ):
        with pytest.raises(ApplicationError):
            services.loan_report(loan=loan, actor=world.rm, status=bad)
    assert _state() == before


def test_a_payment_is_recorded_once_and_its_reference_cannot_change_figures():
    world = World()
    loan = services.loan_open(lead=world.lead, actor=world.rm, reference="LN-001")
    payment = {
        "kind": "interest",
        "amount": Decimal("3333.33"),
        "paid_on": world.today,
        "reference": "P-1",
    }
    _event, made = services.loan_event_record(loan=loan, actor=world.rm, **payment)
    _again, made_again = services.loan_event_record(loan=loan, actor=world.rm, **payment)
    assert (made, made_again, LoanEvent.objects.count()) == (True, False, 1)
    with pytest.raises(ApplicationError) as refused:
        services.loan_event_record(loan=loan, actor=world.rm, **{**payment, "amount": Decimal("1")})
    assert refused.value.code == "event_reference_taken"
    assert LoanEvent.objects.get().amount == Decimal("3333.33")


@pytest.mark.parametrize(
    "content",
    [
        lambda rows: csv_bytes(rows),
        lambda rows: b"\xef\xbb\xbf" + csv_bytes(rows),
        lambda rows: csv_bytes(rows, encoding="gb18030"),
        xlsx_bytes,
    ],
    ids=["utf-8", "utf-8-bom", "gb18030", "xlsx"],
)
def test_a_loan_book_file_in_each_encoding_loads_and_loading_it_again_changes_nothing(content):
    world = World()
    rows = [world.row(classification="关注", days_past_due="12")]
    upload = SimpleUploadedFile("贷款台账.csv", content(rows))
    parsed = read_loan_file(upload)
    first = services.loan_rows_upsert(actor=world.rm, rows=parsed, source="upload")
    assert (first.created, first.errors) == (1, [])
    loan = Loan.objects.get()
    assert (loan.classification, loan.days_past_due, loan.reference) == (
        "special_mention",
        12,
        "LN-001",
    )
    before = _state()
    again = services.loan_rows_upsert(actor=world.rm, rows=parsed, source="upload")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert _state() == before


def test_bad_rows_are_refused_one_by_one_with_their_line_and_the_good_rows_load():
    world = World()
    rows = [
        world.row("LN-001"),
        world.row("LN-002", classification="很好"),
        world.row("LN-003", lead=False, outstanding_principal="abc"),
        world.row("LN-004", lead=str(world.other_lead.pk)),  # a lead of another bank
    ]
    parsed = read_loan_file(SimpleUploadedFile("book.csv", csv_bytes(rows)))
    result = services.loan_rows_upsert(actor=world.rm, rows=parsed, source="upload")
    assert result.created == 1
    assert [(e.row, e.code) for e in result.errors] == [
        (3, "bad_classification"),
        (4, "bad_number"),
        (5, "lead_not_found"),
    ]
    assert list(Loan.objects.values_list("reference", flat=True)) == ["LN-001"]
    assert not Loan.objects.filter(lead=world.other_lead).exists()


def test_a_file_that_is_not_a_loan_book_is_refused_whole():
    for raw, code in (
        (b"MZ\x90\x00binary", "upload_bad_type"),
        ("名称,金额\n甲,1\n".encode(), "missing_columns"),
        ("贷款编号,报告日期\n".encode("utf-16"), "bad_encoding"),
    ):
        with pytest.raises(ApplicationError) as refused:
            read_loan_file(SimpleUploadedFile("x.csv", raw))
        assert refused.value.code == code


def test_the_lead_page_offers_the_bank_the_loan_form_and_then_shows_the_loan():
    world = World()
    client = client_for(world.rm)
    page = client.get(reverse("financing_lead_detail", args=[world.lead.pk]))
    assert b'data-testid="loan-open-form"' in page.content
    data = {
        "loan-reference": "LN-009",
        "loan-as_of": world.today.isoformat(),
        "loan-outstanding_principal": "1000000",
        "loan-days_past_due": "0",
        "loan-classification": "normal",
    }
    answer = client.post(reverse("funds:loan_open", args=[world.lead.pk]), data)
    assert answer.status_code == 302
    page = client.get(reverse("financing_lead_detail", args=[world.lead.pk]))
    assert b'data-testid="loan-reference">LN-009' in page.content
    assert b'data-testid="loan-status-form"' in page.content


def test_a_refused_loan_form_keeps_what_was_typed_and_changes_nothing():
    world = World()
    data = {
        "loan-reference": "LN-TYPED",
        "loan-as_of": world.today.isoformat(),
        "loan-outstanding_principal": "2000000",  # more than was disbursed
        "loan-days_past_due": "0",
        "loan-classification": "normal",
    }
    answer = client_for(world.rm).post(reverse("funds:loan_open", args=[world.lead.pk]), data)
    assert answer.status_code == 400
    assert b'value="LN-TYPED"' in answer.content
    assert b'data-testid="error-outstanding_principal"' in answer.content
    assert Loan.objects.count() == 0


def test_the_firm_sees_its_loans_the_zone_only_figures_and_outsiders_nothing():
    world = World()
    services.loan_open(lead=world.lead, actor=world.rm, reference="LN-001")
    url = reverse("funds:loan_list")
    member_page = client_for(world.member).get(url)
    assert b"LN-001" in member_page.content
    assert b"LN-001" not in client_for(world.other_member).get(url).content
    official = ZoneOfficialFactory(zone=world.enterprise.zone)
    zone_page = client_for(official).get(url)
    assert b'data-testid="zone-loan-row"' in zone_page.content
    assert b"LN-001" not in zone_page.content
    loan = Loan.objects.get()
    assert client_for(official).get(reverse("funds:loan_detail", args=[loan.pk])).status_code == 404
    other_bank = client_for(world.other.rm).get(reverse("funds:loan_detail", args=[loan.pk]))
    assert other_bank.status_code == 404
