"""The loan book's API: a bulk upsert keyed by the bank's loan reference, idempotent, with
row-level errors; a lead or loan of another bank refused; reads scoped to the user."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from ecosystem.funds.models import Loan, LoanEvent, LoanReport
from tests.factories import ZoneOfficialFactory
from tests.worlds.funds import World

pytestmark = pytest.mark.django_db
BULK = "/api/v1/funds/loans/bulk/"
LIST = "/api/v1/funds/loans/"


def api(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _state():
    return (
        list(Loan.objects.values_list("reference", "outstanding_principal", "classification")),
        LoanReport.objects.count(),
        LoanEvent.objects.count(),
    )


def _payment(world, reference="P-1", amount="3333.33"):
    return {
        "kind": "interest",
        "amount": amount,
        "paid_on": world.today.isoformat(),
        "reference": reference,
    }


def test_bulk_upsert_creates_then_updates_and_the_same_rows_again_change_nothing():
    world = World()
    first = api(world.rm).post(BULK, {"rows": [world.row(events=[_payment(world)])]}, format="json")
    assert first.status_code == 200, first.content
    assert (first.json()["created"], first.json()["events"]) == (1, 1)
    update = world.row(lead=False, days_past_due="95", classification="substandard")
    second = api(world.manager).post(BULK, {"rows": [update]}, format="json")
    assert second.json()["updated"] == 1
    before = _state()
    again = api(world.rm).post(
        BULK, {"rows": [{**update, "events": [_payment(world)]}]}, format="json"
    )
    assert (again.json()["unchanged"], again.json()["events"], again.json()["errors"]) == (
        1,
        0,
        [],
    )
    assert _state() == before
    assert Loan.objects.get().is_non_performing


def test_a_lead_or_a_loan_of_another_bank_is_refused_row_by_row_and_changes_nothing():
    world = World()
    api(world.rm).post(BULK, {"rows": [world.row()]}, format="json")
    before = _state()
    rows = [
        world.row("LN-X", lead=world.lead.pk),  # our lead, sent by the other bank
        # Another bank sends our reference: to it, it is an unknown loan.
        world.row("LN-001", lead=False, classification="loss"),
    ]
    answer = api(world.other.rm).post(BULK, {"rows": rows}, format="json")
    assert answer.status_code == 200
    assert [(e["row"], e["code"]) for e in answer.json()["errors"]] == [
        (1, "lead_not_found"),
        (2, "unknown_reference"),
    ]
    assert _state() == before


def test_a_payment_reference_reused_with_other_figures_is_a_row_error():
    world = World()
    api(world.rm).post(BULK, {"rows": [world.row(events=[_payment(world)])]}, format="json")
    before = _state()
    row = world.row(lead=False, events=[_payment(world, amount="1.00")])
    answer = api(world.rm).post(BULK, {"rows": [row]}, format="json")
    assert [e["code"] for e in answer.json()["errors"]] == ["event_reference_taken"]
    assert _state() == before


def test_only_bank_staff_may_upsert_and_the_firm_reads_its_loans_only():
    world = World()
    api(world.rm).post(BULK, {"rows": [world.row()]}, format="json")
    before = _state()
    assert api(None).post(BULK, {"rows": [world.row("N")]}, format="json").status_code in (
        401,
        403,
    )
    for outsider in (world.member, ZoneOfficialFactory(zone=world.enterprise.zone)):
        refused = api(outsider).post(BULK, {"rows": [world.row("N")]}, format="json")
        assert refused.status_code == 404
    assert _state() == before
    loan = Loan.objects.get()
    assert [row["reference"] for row in api(world.member).get(LIST).json()["results"]] == ["LN-001"]
    assert api(world.other_member).get(LIST).json()["results"] == []
    assert api(world.other.rm).get(f"{LIST}{loan.pk}/").status_code == 404
    official = ZoneOfficialFactory(zone=world.enterprise.zone)
    assert api(official).get(LIST).json()["results"] == []
    detail = api(world.member).get(f"{LIST}{loan.pk}/").json()
    assert (detail["outstanding_principal"], detail["classification"]) == ("900000.00", "normal")


def test_an_empty_or_malformed_request_is_a_400():
    world = World()
    assert api(world.rm).post(BULK, {"rows": []}, format="json").status_code == 400
    assert api(world.rm).post(BULK, {"rows": "x"}, format="json").status_code == 400
