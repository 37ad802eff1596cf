"""The offer form keeps what was typed and shows every refused term beside its field with
the product's ranges; the firm accepts an offer only from the page of its terms, after a
confirmation."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from ecosystem.financing import services as pipeline
from ecosystem.financing.models import Lead, Offer
from tests.worlds.leads import World, client_for

pytestmark = pytest.mark.django_db
S = Lead.Status


def _valid_until(days: int = 5) -> str:
    return (timezone.localtime() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def test_an_offer_outside_the_ranges_is_refused_with_every_error_beside_its_field():
    world = World(status=S.CONTACTED)
    rm = client_for(world.rm)
    typed = {
        "amount": "9000000",
        "rate": "9.75",
        "term_months": "48",
        "conditions": "须提供房产抵押",
        "valid_until": _valid_until(),
    }
    with translation.override("en"):
        response = rm.post(world.lead_url("financing_lead_offer"), typed, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert not Offer.objects.exists()
    form = response.context["moves"]["offer"]
    assert set(form.errors) == {"amount", "rate", "term_months"}
    html = response.content.decode()
    for field in ("amount", "rate", "term_months"):
        assert f'data-testid="error-{field}"' in html or f"id_{field}" in html
    # What was typed is still there.
    assert 'value="9000000"' in html and 'value="9.75"' in html and 'value="48"' in html
    assert "须提供房产抵押" in html
    # The product's ranges beside the fields.
    assert "100,000.00" in html and "5,000,000.00" in html
    assert "3.2000%" in html and "6.5000%" in html
    assert "6 and 36 months" in html


def test_the_service_names_every_refused_term_at_once():
    world = World(status=S.CONTACTED)
    with pytest.raises(Exception) as refused:
        pipeline.offer_make(
            lead=world.lead,
            actor=world.rm,
            amount=Decimal("800000"),
            rate=Decimal("1.0"),
            term_months=2,
            valid_until=timezone.now() - timedelta(hours=1),
        )
    assert refused.value.code == "rate_out_of_range"
    assert set(refused.value.extra["errors"]) == {"rate", "term_months", "valid_until"}


def _offer(world) -> Offer:
    return pipeline.offer_make(
        lead=world.lead,
        actor=world.rm,
        amount=Decimal("800000"),
        rate=Decimal("4.15"),
        term_months=12,
        valid_until=timezone.now() + timedelta(days=7),
        conditions="按季付息",
    )


def test_the_firm_sees_the_terms_and_confirms_before_accepting():
    world = World(status=S.CONTACTED)
    offer = _offer(world)
    member = client_for(world.member)
    confirm = reverse("financing_enterprise_offer_confirm", args=[world.enterprise.pk, offer.pk])
    accept = reverse("financing_enterprise_offer_accept", args=[world.enterprise.pk, offer.pk])
    assert f'href="{confirm}"' in member.get(world.enterprise_leads_url()).content.decode()

    page = member.get(confirm)
    html = page.content.decode()
    assert page.status_code == 200
    for testid, shown in (
        ("term-amount", "800,000.00"),
        ("term-rate", "4.15%"),
        ("term-conditions", "按季付息"),
        ("term-valid-until", timezone.localtime(offer.valid_until).strftime("%Y-%m-%d %H:%M")),
    ):
        start = html.index(f'data-testid="{testid}"')
        assert shown in html[start : html.index("</dd>", start)], testid
    assert 'data-testid="confirm-accept"' in html

    # A POST without the confirmation accepts nothing and leads to the terms.
    response = member.post(accept)
    assert response.status_code == 302 and response["Location"] == confirm
    offer.refresh_from_db()
    assert offer.status == Offer.Status.MADE

    member.post(accept, {"confirm": "yes"})
    offer.refresh_from_db()
    world.lead.refresh_from_db()
    assert (offer.status, world.lead.status) == (Offer.Status.ACCEPTED, S.ACCEPTED)
    # Answered: the page shows the terms and no button any more.
    assert 'data-testid="confirm-accept"' not in member.get(confirm).content.decode()


def test_another_firm_cannot_open_the_terms():
    world = World(status=S.CONTACTED)
    offer = _offer(world)
    other = world.other_member.memberships.get().enterprise_id
    outsider = client_for(world.other_member)
    for pk in (other, world.enterprise.pk):
        url = reverse("financing_enterprise_offer_confirm", args=[pk, offer.pk])
        assert outsider.get(url).status_code == 404


def test_an_offer_on_a_lead_that_moved_meanwhile_says_why_and_keeps_the_input():
    world = World(status=S.CONTACTED)
    rm = client_for(world.rm)
    Lead.objects.filter(pk=world.lead.pk).update(status=S.DECLINED)
    typed = {"amount": "800000", "rate": "4.0", "term_months": "12", "valid_until": _valid_until()}
    response = rm.post(world.lead_url("financing_lead_offer"), typed)
    assert not Offer.objects.exists()
    # A declined lead has no offer form; the refusal is said on the page.
    assert response.status_code == 400
    assert [str(m) for m in response.context["messages"]]
