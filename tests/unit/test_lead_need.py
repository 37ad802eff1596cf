"""The financing need on the lead (issue #15): the enterprise chooses one of its open
needs when it applies, or writes one in the same form; the lead page, the inbox and the
relationship manager's export show it; an offer shows how far it is from the amount asked."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ecosystem.enterprises.models import FinancingNeed
from ecosystem.enterprises.services import financing_need_close
from ecosystem.financing import services
from ecosystem.financing.models import Lead
from tests.factories import FinancingNeedFactory
from tests.worlds.financing import apply_url, build_world, client_for, state

pytestmark = pytest.mark.django_db

PREFIX = "m{}-"


@pytest.fixture
def world():
    return build_world()


def _post(world, data):
    match = world.match_of(world.matched)
    prefixed = {PREFIX.format(match.pk) + k: v for k, v in data.items()}
    return client_for(world.users["member"]).post(apply_url(world, world.matched), prefixed)


def _need(world, **kw):
    return FinancingNeedFactory(
        enterprise=world.matched,
        amount=Decimal("3000000.00"),
        term_months=36,
        purpose=FinancingNeed.Purpose.PRODUCTION_LINE,
        collateral=FinancingNeed.Collateral.EQUIPMENT,
        **kw,
    )


def test_the_match_page_offers_the_open_needs_with_the_latest_chosen(world):
    need = _need(world)
    FinancingNeedFactory(enterprise=world.matched, status=FinancingNeed.Status.CLOSED)
    body = (
        client_for(world.users["member"])
        .get(f"/financing/enterprises/{world.matched.pk}/matches/")
        .content.decode()
    )
    match = world.match_of(world.matched)
    assert f'<option value="{need.pk}" selected>' in body
    assert body.count("<option value=") - body.count('name="m') >= 1
    assert f'name="m{match.pk}-amount"' in body  # the new-need fields, in the same form
    assert "3,000,000.00" in body


def test_applying_with_a_chosen_need_copies_its_terms_onto_the_lead(world):
    need = _need(world)
    assert _post(world, {"need": str(need.pk)}).status_code == 302
    lead = Lead.objects.get()
    assert (lead.need, lead.need_amount, lead.need_term_months) == (need, need.amount, 36)
    assert (lead.need_purpose, lead.need_collateral) == ("production_line", "equipment")
    # Closing the need afterwards changes nothing on the lead.
    financing_need_close(need=need, actor=world.users["member"])
    lead.refresh_from_db()
    assert lead.need_amount == Decimal("3000000.00")


def test_a_need_written_in_the_apply_form_is_saved_and_carried(world):
    response = _post(
        world,
        {
            "need": "new",
            "amount": "2,500,000",
            "term_months": "24",
            "purpose": "rd",
            "collateral": "ip_pledge",
        },
    )
    assert response.status_code == 302
    need = FinancingNeed.objects.get(enterprise=world.matched)
    assert (need.amount, need.term_months, need.purpose, need.collateral) == (
        Decimal("2500000.00"),
        24,
        "rd",
        "ip_pledge",
    )
    lead = Lead.objects.get()
    assert (lead.need, lead.need_amount, lead.need_collateral) == (need, need.amount, "ip_pledge")


def test_a_half_written_need_is_refused_keeping_what_was_typed(world):
    before = state()
    response = _post(world, {"need": "new", "amount": "2500000", "term_months": ""})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'value="2500000"' in body
    assert 'data-testid="error-term_months"' in body
    assert state() == before
    assert not FinancingNeed.objects.exists()


def test_another_enterprises_need_cannot_be_named(world):
    foreign = FinancingNeedFactory(enterprise=world.matched_elsewhere)
    before = state()
    with pytest.raises(Exception) as raised:
        services.match_apply(
            enterprise=world.matched,
            actor=world.users["member"],
            match=world.match_of(world.matched),
            need=foreign,
        )
    assert getattr(raised.value, "code", "") == "need_invalid"
    assert state() == before


def _lead_with_need(world):
    need = _need(world)
    return services.match_apply(
        enterprise=world.matched,
        actor=world.users["member"],
        match=world.match_of(world.matched),
        need=need,
    )


def test_the_lead_page_and_the_inbox_show_the_need(world):
    lead = _lead_with_need(world)
    rm = client_for(world.users["rm"])
    with translation.override("en"):
        page = rm.get(f"/financing/leads/{lead.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # The money rule: the short figure, the exact yuan on hover.
    assert (
        'data-testid="need-amount"><span class="text-nowrap" title="3,000,000.00 yuan">'
        "CNY 3.00 million</span>"
    ) in page
    assert "Amount asked (yuan)" not in page  # the figure carries its unit
    assert 'data-testid="need-purpose">production line' in page
    assert "machinery and equipment" in page
    inbox = rm.get("/financing/leads/?tab=team").content.decode()
    assert 'data-testid="lead-need" data-amount="3000000.00"' in inbox
    assert "3,000,000.00" in inbox


def test_the_export_carries_the_need_columns(world):
    _lead_with_need(world)
    client = client_for(world.users["rm"])
    for language in ("en", "zh-hans"):
        response = client.get(
            "/financing/leads/export/csv/?tab=team", HTTP_ACCEPT_LANGUAGE=language
        )
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        header, row = list(csv.reader(io.StringIO(text)))[:2]
        with translation.override(language):
            asked, purpose, collateral = (
                _("amount asked (yuan)"),
                _("purpose"),
                _("collateral offered"),
            )
            labels = (_("production line"), _("machinery and equipment"))
        assert row[header.index(asked)] == "3000000.00", language
        assert (row[header.index(purpose)], row[header.index(collateral)]) == labels


def test_an_offer_above_or_below_the_amount_asked_shows_the_difference(world):
    lead = _lead_with_need(world)
    rm = world.users["rm"]
    services.lead_claim(lead=lead, actor=rm)
    services.lead_transition(lead=lead, to=Lead.Status.CONTACTED, actor=rm)
    services.offer_make(
        lead=lead,
        actor=rm,
        amount=Decimal("2000000.00"),
        rate=Decimal("3.5"),
        term_months=24,
        valid_until=timezone.now() + timedelta(days=7),
    )
    page = client_for(rm).get(f"/financing/leads/{lead.pk}/").content.decode()
    assert 'data-difference="-1000000.00"' in page
    assert "1,000,000.00" in page
    assert lead.offer_difference(Decimal("3500000")) == Decimal("500000.00")
