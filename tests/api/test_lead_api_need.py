"""The need on the lead through the API (issue #15): applying names a need or writes one,
the lead (for the bank and for the enterprise) carries it, offers say how far they are from
the amount asked, and the schema documents all of it."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import yaml
from django.core.management import call_command
from django.utils import timezone

from ecosystem.enterprises.models import FinancingNeed
from ecosystem.financing import services
from ecosystem.financing.models import Lead
from tests.factories import FinancingNeedFactory
from tests.worlds.financing import build_world, state
from tests.worlds.financing_api import API, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def _apply(world, body):
    url = f"{API}matches/{world.match_of(world.matched).pk}/apply/"
    return client_for(world.users["member"]).post(url, body, format="json")


def test_applying_with_a_written_need_returns_the_lead_with_it(world):
    response = _apply(
        world,
        {"amount": "4000000.00", "term_months": 12, "purpose": "working_capital"},
    )
    assert response.status_code == 201, response.json()
    need = response.json()["need"]
    assert (need["amount"], need["term_months"], need["purpose"]) == (
        "4000000.00",
        12,
        "working_capital",
    )
    assert need["collateral"] == "none"
    assert need["id"] == FinancingNeed.objects.get().pk


def test_half_a_need_or_both_a_need_and_a_new_one_are_refused_changing_nothing(world):
    chosen = FinancingNeedFactory(enterprise=world.matched)
    before = state()
    assert _apply(world, {"amount": "4000000.00"}).status_code == 400
    both = {"need": chosen.pk, "amount": "20000", "term_months": 1, "purpose": "rd"}
    assert _apply(world, both).status_code == 400
    assert state() == before


def test_the_leads_api_shows_the_need_and_each_offers_difference(world, settings):
    settings.LEADS_FEED_SETTLE_SECONDS = 0
    chosen = FinancingNeedFactory(
        enterprise=world.matched,
        amount=Decimal("1000000.00"),
        purpose=FinancingNeed.Purpose.RD,
        collateral=FinancingNeed.Collateral.RECEIVABLES,
    )
    assert _apply(world, {"need": chosen.pk}).status_code == 201
    lead = Lead.objects.get()
    rm = world.users["rm"]
    services.lead_claim(lead=lead, actor=rm)
    services.lead_transition(lead=lead, to=Lead.Status.CONTACTED, actor=rm)
    services.offer_make(
        lead=lead,
        actor=rm,
        amount=Decimal("1200000.00"),
        rate=Decimal("3.5"),
        term_months=24,
        valid_until=timezone.now() + timedelta(days=7),
    )
    for who in ("rm", "member"):
        api = client_for(world.users[who])
        for body in (api.get(f"{API}leads/{lead.pk}/").json(), api.get(f"{API}leads/").json()):
            row = body if "need" in body else body["results"][0]
            assert row["need"]["amount"] == "1000000.00", who
            assert (row["need"]["purpose"], row["need"]["collateral"]) == ("rd", "receivables")
            assert row["need"]["purpose_label"] and row["need"]["collateral_label"]
            assert row["offers"][0]["difference_from_need"] == "200000.00"


def test_a_lead_without_a_need_says_null(world):
    assert _apply(world, {}).status_code == 201
    lead = Lead.objects.get()
    row = client_for(world.users["rm"]).get(f"{API}leads/{lead.pk}/").json()
    assert row["need"] is None


def test_the_schema_documents_the_need_and_the_apply_body(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(out))
    schema = yaml.safe_load(out.read_text())
    components = schema["components"]["schemas"]
    need = components["LeadNeed"]
    assert {"id", "amount", "term_months", "purpose", "collateral"} <= set(need["properties"])
    lead_props = components["LeadApi"]["properties"]
    assert "need" in lead_props
    apply = schema["paths"]["/api/v1/financing/matches/{id}/apply/"]["post"]
    assert "requestBody" in apply
    assert "difference_from_need" in components["LeadOffer"]["properties"]
