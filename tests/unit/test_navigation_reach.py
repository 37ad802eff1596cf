"""Every outcome one click away: a firm's applications and offers page is in its
navigation, on its enterprise tabs and on its matches page, where a match with a lead links
to it (and says an offer waits)."""

import pytest
from django.urls import reverse

from ecosystem.financing.models import Lead
from tests.factories import (
    EnterpriseFactory,
    EnterpriseMemberFactory,
    LeadFactory,
    MatchFactory,
    OfferFactory,
)

pytestmark = pytest.mark.django_db


def test_a_member_finds_the_applications_and_offers_page_in_the_navigation(client):
    enterprise = EnterpriseFactory()
    client.force_login(EnterpriseMemberFactory(enterprise=enterprise))
    leads_url = reverse("financing_enterprise_leads", args=[enterprise.pk])
    for page in (reverse("home"), reverse("enterprise_detail", args=[enterprise.pk])):
        html = client.get(page).content.decode()
        assert f'href="{leads_url}" data-testid="nav-enterprise-leads"' in html
    detail = client.get(reverse("enterprise_detail", args=[enterprise.pk])).content.decode()
    assert f'href="{leads_url}" data-testid="tab-leads"' in detail
    page = client.get(leads_url).content.decode()
    assert f'aria-current="page" href="{leads_url}" data-testid="tab-leads"' in page


def test_a_member_of_two_enterprises_gets_one_link_each(client):
    first, second = EnterpriseFactory(), EnterpriseFactory()
    member = EnterpriseMemberFactory(enterprise=first)
    from ecosystem.accounts.models import Membership
    from ecosystem.accounts.roles import Role

    Membership.objects.create(user=member, enterprise=second, role=Role.ENTERPRISE_MEMBER)
    client.force_login(member)
    html = client.get(reverse("home")).content.decode()
    assert html.count('data-testid="nav-enterprise-leads"') == 2
    assert second.name in html


def test_staff_get_no_enterprise_link(client):
    from tests.factories import ZoneOfficialFactory

    client.force_login(ZoneOfficialFactory())
    assert b"nav-enterprise-leads" not in client.get(reverse("home")).content


def test_each_match_with_a_lead_links_to_it_and_says_an_offer_waits(client):
    enterprise = EnterpriseFactory()
    client.force_login(EnterpriseMemberFactory(enterprise=enterprise))
    offer = OfferFactory(lead__enterprise=enterprise)
    lead = offer.lead
    MatchFactory(enterprise=enterprise, product_version=lead.product_version)
    other = LeadFactory(enterprise=enterprise, status=Lead.Status.CONTACTED)
    MatchFactory(enterprise=enterprise, product_version=other.product_version)
    leads_url = reverse("financing_enterprise_leads", args=[enterprise.pk])
    html = client.get(
        reverse("financing_enterprise_matches", args=[enterprise.pk])
    ).content.decode()
    assert f'href="{leads_url}" data-testid="leads-link"' in html
    assert html.count(f'href="{leads_url}" data-testid="match-offer-link"') == 1
    assert html.count(f'href="{leads_url}" data-testid="match-lead-link"') == 1
