"""Each role's home page is a work queue: counters from the database linking to the filtered
list they count, and the work due today, each line a link to its object; the number of
queries does not grow with the work."""

import re
from datetime import timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from ecosystem.enterprises.workflow import ClaimStatus
from ecosystem.financing.models import Lead, Offer
from ecosystem.registries.models import ListImport
from tests.factories import (
    BankManagerFactory,
    BankStaffFactory,
    BranchFactory,
    CampaignInvitationFactory,
    EnterpriseFactory,
    EnterpriseMemberFactory,
    LeadFactory,
    ListImportFactory,
    OfferFactory,
    PlatformAdminFactory,
    QualificationClaimFactory,
    RegistryOfficerFactory,
    ZoneFactory,
    ZoneOfficialFactory,
)

pytestmark = pytest.mark.django_db

S = Lead.Status
COUNTER = re.compile(
    r'<a class="home-counter[^"]*" href="([^"]*)" data-testid="counter">\s*'
    r'<div class="figure-value">(\d+)</div><div class="small text-body-secondary">([^<]*)</div>'
)
ITEM = re.compile(r'data-testid="work-item">\s*<a href="([^"]*)"')


def panel(response, role) -> str:
    html = response.content.decode()
    start = html.index(f'data-testid="panel-{role}"')
    end = html.find('data-testid="panel-', start + 10)
    return html[start : end if end != -1 else None]


def counters(chunk) -> dict[str, tuple[int, str]]:
    return {
        unescape(label): (int(value), unescape(url)) for url, value, label in COUNTER.findall(chunk)
    }


def items(chunk) -> list[str]:
    return ITEM.findall(chunk)


def query(url) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def home(client):
    """The home page in English."""
    return client.get(reverse("home"), headers={"accept-language": "en"})


def past(days):
    return timezone.now() - timedelta(days=days)


def test_zone_official_sees_claims_waiting_and_past_target_with_links(client):
    zone, other = ZoneFactory(review_target_days=5), ZoneFactory()
    late = QualificationClaimFactory(
        enterprise=EnterpriseFactory(zone=zone), status=ClaimStatus.SUBMITTED, submitted_at=past(30)
    )
    fresh = QualificationClaimFactory(
        enterprise=EnterpriseFactory(zone=zone), status=ClaimStatus.SUBMITTED, submitted_at=past(0)
    )
    QualificationClaimFactory(
        enterprise=EnterpriseFactory(zone=other),
        status=ClaimStatus.SUBMITTED,
        submitted_at=past(30),
    )
    client.force_login(ZoneOfficialFactory(zone=zone))
    chunk = panel(home(client), "zone_official")
    found = counters(chunk)
    value, url = found["Claims past the review target"]
    assert value == 1
    assert url.startswith(reverse("zone_queue")) and query(url) == {"kind": "claim", "min_age": "6"}
    assert found["Claims waiting for review"][0] == 2
    assert found["Enterprises registered in the zone"][0] == 2
    # Past the target first: only the late claim is listed, linked to its review page.
    assert items(chunk) == [reverse("zone_claim_review", args=[late.pk])]
    assert reverse("zone_claim_review", args=[fresh.pk]) not in chunk
    # The queue the counter links to lists exactly the late claim.
    queue = client.get(url).content.decode()
    assert reverse("zone_claim_review", args=[late.pk]) in queue
    assert reverse("zone_claim_review", args=[fresh.pk]) not in queue


def _bank_world():
    enterprise = EnterpriseFactory()
    branch = BranchFactory(zones=[enterprise.zone])
    rm = BankStaffFactory(branch=branch)
    overdue = LeadFactory(
        enterprise=enterprise,
        branch=branch,
        product_version__product__bank=branch.bank,
        status=S.ASSIGNED,
        assigned_to=rm,
        due_at=past(1),
    )
    unassigned = LeadFactory(
        enterprise=EnterpriseFactory(zone=enterprise.zone),
        branch=branch,
        product_version__product__bank=branch.bank,
        due_at=timezone.now() + timedelta(days=3),
    )
    offer = OfferFactory(
        lead__enterprise=EnterpriseFactory(zone=enterprise.zone),
        lead__branch=branch,
        lead__product_version__product__bank=branch.bank,
        lead__assigned_to=rm,
        lead__first_contact_at=past(2),
    )
    return branch, rm, overdue, unassigned, offer


def test_relationship_manager_sees_overdue_unassigned_and_offers_out(client):
    branch, rm, overdue, unassigned, offer = _bank_world()
    client.force_login(rm)
    chunk = panel(home(client), "bank_rm")
    found = counters(chunk)
    assert found["Overdue leads"][0] == 1
    assert query(found["Overdue leads"][1]) == {"tab": "mine", "overdue": "on"}
    assert found["Unassigned leads"][0] == 1
    assert query(found["Unassigned leads"][1]) == {"tab": "unassigned"}
    assert found["Offers awaiting the firm's answer"][0] == 1
    assert items(chunk) == [
        reverse("financing_lead_detail", args=[overdue.pk]),
        reverse("financing_lead_detail", args=[offer.lead_id]),
    ]
    # The counter's list holds the lead it counts.
    inbox = client.get(found["Overdue leads"][1]).content.decode()
    assert reverse("financing_lead_detail", args=[overdue.pk]) in inbox
    assert reverse("financing_lead_detail", args=[unassigned.pk]) not in inbox


def test_bank_manager_sees_the_whole_bank(client):
    branch, rm, overdue, unassigned, offer = _bank_world()
    BranchFactory(bank=branch.bank)
    client.force_login(BankManagerFactory(bank=branch.bank))
    found = counters(panel(home(client), "bank_manager"))
    assert found["Overdue leads"][0] == 1
    assert query(found["Overdue leads"][1]) == {"tab": "team", "overdue": "on"}
    assert found["Unassigned leads"][0] == 1
    assert found["Offers awaiting the firm's answer"][0] == 1


def test_enterprise_member_sees_offers_invitations_and_claims_to_correct(client):
    enterprise = EnterpriseFactory()
    member = EnterpriseMemberFactory(enterprise=enterprise)
    offer = OfferFactory(lead__enterprise=enterprise)
    OfferFactory(lead__enterprise=enterprise, status=Offer.Status.DECLINED, lead__status=S.DECLINED)
    CampaignInvitationFactory(enterprise=enterprise, expires_at=timezone.now() + timedelta(days=9))
    rejected = QualificationClaimFactory(
        enterprise=enterprise, status=ClaimStatus.REJECTED, reason_text="Certificate unreadable"
    )
    client.force_login(member)
    response = home(client)
    assert enterprise.uscc in response.content.decode()
    chunk = panel(response, "enterprise_owner")
    found = counters(chunk)
    leads_url = reverse("financing_enterprise_leads", args=[enterprise.pk])
    assert found["Offers awaiting your answer"] == (1, leads_url)
    assert found["Invitations from banks"][0] == 1
    assert found["Claims to correct"] == (1, reverse("claim_list", args=[enterprise.pk]))
    assert found["Open applications"][0] == 1
    assert found["Members"][0] == 1
    assert items(chunk)[0] == leads_url
    assert reverse("claim_detail", args=[enterprise.pk, rejected.pk]) in items(chunk)
    assert "Certificate unreadable" in chunk
    assert str(offer.lead.bank) in chunk


def test_registry_officer_sees_imports_waiting_for_confirmation(client):
    officer = RegistryOfficerFactory()
    program = officer.memberships.get().program
    waiting = ListImportFactory(program=program, status=ListImport.Status.PREVIEW)
    ListImportFactory(program=program, status=ListImport.Status.SUCCEEDED)
    client.force_login(officer)
    chunk = panel(home(client), "registry_officer")
    assert counters(chunk)["Imports waiting for confirmation"][0] == 1
    assert items(chunk) == [reverse("registry_import_detail", args=[waiting.pk])]


def test_platform_admin_sees_pending_invitations_and_overdue_leads(client):
    EnterpriseFactory.create_batch(2)
    LeadFactory(status=S.NEW, due_at=past(1))
    client.force_login(PlatformAdminFactory())
    response = home(client)
    found = counters(panel(response, "platform_admin"))
    assert found["Enterprises"][0] == 3  # the lead's enterprise too
    assert found["Overdue leads"] == (1, reverse("platform_dashboard"))
    for _value, url in found.values():
        assert client.get(url).status_code == 200, url
    # Each party's pages, which the admin's navigation does not list, are linked from home.
    chunk = panel(response, "platform_admin")
    links = re.findall(r'<li class="list-inline-item"><a href="([^"]*)">', chunk)
    assert reverse("zone_queue") in links and reverse("financing_products") in links
    for url in links:
        assert client.get(unescape(url)).status_code == 200, url


def test_anonymous_visitor_sees_the_landing_page(client):
    response = client.get(reverse("home"))
    assert reverse("account_signup").encode() in response.content
    assert b"panel-" not in response.content


def _count_queries(client, django_assert_max_num_queries, budget):
    with django_assert_max_num_queries(budget):
        assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize("role", ["rm", "manager", "official", "member"])
def test_home_queries_do_not_grow_with_the_work(role, client, django_assert_max_num_queries):
    branch, rm, *_ = _bank_world()
    enterprise = Lead.objects.first().enterprise
    users = {
        "rm": rm,
        "manager": BankManagerFactory(bank=branch.bank),
        "official": ZoneOfficialFactory(zone=enterprise.zone),
        "member": EnterpriseMemberFactory(enterprise=enterprise),
    }
    client.force_login(users[role])
    # One claim waits from the start: the zone panel reads its lines by id, a query it
    # spares when there is none to show.
    QualificationClaimFactory(enterprise=enterprise, status=ClaimStatus.SUBMITTED)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(reverse("home"))  # warm the calendar cache
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("home"))
    for n in range(4):
        e = EnterpriseFactory(zone=enterprise.zone)
        LeadFactory(
            enterprise=e,
            branch=branch,
            product_version__product__bank=branch.bank,
            status=S.ASSIGNED,
            assigned_to=rm,
            due_at=past(n + 1),
        )
        OfferFactory(
            lead__enterprise=enterprise,
            lead__branch=branch,
            lead__product_version__product__bank=branch.bank,
        )
        QualificationClaimFactory(enterprise=e, status=ClaimStatus.SUBMITTED, submitted_at=past(20))
        QualificationClaimFactory(enterprise=enterprise, status=ClaimStatus.REJECTED)
    _count_queries(client, django_assert_max_num_queries, len(first.captured_queries))


def test_offers_awaiting_an_answer_count_what_the_counter_links_to(client):
    """A withdrawn lead's offer, still "made" until it runs out, cannot be answered: neither
    counted nor listed; the counter equals the leads its link lists."""
    branch, rm, overdue, unassigned, offer = _bank_world()
    withdrawn = OfferFactory(
        lead__branch=branch,
        lead__product_version__product__bank=branch.bank,
        lead__assigned_to=rm,
        lead__status=S.WITHDRAWN,
    )
    assert withdrawn.status == Offer.Status.MADE
    client.force_login(BankManagerFactory(bank=branch.bank))
    chunk = panel(home(client), "bank_manager")
    count, link = counters(chunk)["Offers awaiting the firm's answer"]
    assert count == 1
    assert reverse("financing_lead_detail", args=[withdrawn.lead_id]) not in items(chunk)
    listed = client.get(link).content.decode()
    assert listed.count('data-testid="lead"') == count
    assert reverse("financing_lead_detail", args=[offer.lead_id]) in listed
