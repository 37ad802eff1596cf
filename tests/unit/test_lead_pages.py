"""Lead pages: the relationship manager's inbox, the lead page and the enterprise's list
of its requests: a permission matrix, claiming, declining with a reason, the access log
and exports."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ecosystem.enterprises.models import AccessLogEntry, Consent
from ecosystem.financing import services as pipeline
from ecosystem.financing import workflow
from ecosystem.financing.models import Lead, LeadNote, Offer
from tests.factories import EnterpriseFactory
from tests.worlds.leads import World, client_for, state

pytestmark = pytest.mark.django_db
S = Lead.Status


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def translated(response, text: str) -> str:
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        return _(text)


# ---- permission matrix -----------------------------------------------------------------


def test_anonymous_is_sent_to_login_everywhere():
    world = World()
    client = client_for(None)
    for url in (
        reverse("financing_lead_inbox"),
        world.lead_url(),
        reverse("financing_lead_export", args=["csv"]),
        world.enterprise_leads_url(),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "login" in response["Location"], url
    before = state(world)
    response = client.post(world.lead_url("financing_lead_claim"))
    assert response.status_code == 302
    assert state(world) == before


@pytest.mark.parametrize(
    "who", ["rm_other_bank", "manager_other_bank", "rm_other_branch", "member", "other_member"]
)
def test_outsiders_get_404_on_the_lead_page_and_its_posts_change_nothing(who):
    world = World()
    client = client_for(getattr(world, who))
    assert client.get(world.lead_url()).status_code == 404
    before = state(world)
    posts = {
        "financing_lead_claim": {},
        "financing_lead_move": {"to": "declined", "reason_code": "credit_history"},
        "financing_lead_note": {"body": "peek"},
        "financing_lead_assign": {"assignee": world.rm.pk},
    }
    for name, data in posts.items():
        assert client.post(world.lead_url(name), data).status_code == 404, name
    assert state(world) == before


@pytest.mark.parametrize(("who", "status"), [("rm", 200), ("other_rm", 200), ("manager", 200)])
def test_staff_of_the_leads_branch_and_bank_managers_open_it(who, status):
    world = World()
    assert client_for(getattr(world, who)).get(world.lead_url()).status_code == status


def test_inbox_shows_only_the_users_own_scope():
    world = World()
    for who, sees in [
        ("rm", True),
        ("manager", True),
        ("rm_other_branch", False),
        ("rm_other_bank", False),
    ]:
        response = client_for(getattr(world, who)).get(
            reverse("financing_lead_inbox"), {"tab": "team"}
        )
        assert response.status_code == 200
        assert (world.enterprise.name in response.content.decode()) is sees, who
    # Not bank staff at all: the inbox does not exist.
    assert client_for(world.member).get(reverse("financing_lead_inbox")).status_code == 404


def test_another_enterprise_gets_404_on_the_enterprise_leads_page_and_offer_answers():
    world = World(status=S.CONTACTED)
    offer = pipeline.offer_make(
        lead=world.lead,
        actor=world.rm,
        amount=Decimal("800000"),
        rate=Decimal("4.0"),
        term_months=12,
        valid_until=timezone.now() + timedelta(days=7),
    )
    outsider = client_for(world.other_member)
    assert outsider.get(world.enterprise_leads_url()).status_code == 404
    assert client_for(world.rm).get(world.enterprise_leads_url()).status_code == 404
    before = state(world)
    for name in ("financing_enterprise_offer_accept", "financing_enterprise_offer_decline"):
        # Through the other enterprise's own URL, and through the right enterprise's.
        own = reverse(name, args=[world.other_member.memberships.get().enterprise_id, offer.pk])
        assert outsider.post(own).status_code == 404
        assert outsider.post(reverse(name, args=[world.enterprise.pk, offer.pk])).status_code == 404
    assert state(world) == before


# ---- inbox -----------------------------------------------------------------------------


def test_claim_from_the_inbox_and_a_second_claim_gets_the_clear_message():
    world = World()
    inbox = reverse("financing_lead_inbox") + "?tab=unassigned"
    client = client_for(world.rm)
    page = client.get(inbox).content.decode()
    assert f'data-testid="claim-{world.lead.pk}"' in page
    response = client.post(world.lead_url("financing_lead_claim"), {"next": inbox})
    assert response.status_code == 302
    assert response["Location"] == inbox
    world.lead.refresh_from_db()
    assert (world.lead.status, world.lead.assigned_to_id) == (S.ASSIGNED, world.rm.pk)
    mine = client.get(reverse("financing_lead_inbox"), {"tab": "mine"}).content.decode()
    assert world.enterprise.name in mine

    before = state(world)
    response = client_for(world.other_rm).post(world.lead_url("financing_lead_claim"))
    assert response.status_code == 302
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        expected = _("Someone else already took this lead: %(name)s.") % {"name": world.rm}
    assert texts(response) == [expected]
    assert state(world) == before


def test_inbox_filters_search_and_overdue_highlight():
    world = World(due_in=timedelta(hours=-1))
    client = client_for(world.manager)
    url = reverse("financing_lead_inbox")
    page = client.get(url, {"tab": "team", "overdue": "on"}).content.decode()
    assert 'data-overdue="yes"' in page
    assert 'data-testid="overdue-badge"' in page
    found = client.get(url, {"tab": "team", "q": world.enterprise.uscc}).content.decode()
    assert f'data-pk="{world.lead.pk}"' in found
    missing = client.get(url, {"tab": "team", "q": "没有这家"}).content.decode()
    assert f'data-pk="{world.lead.pk}"' not in missing
    other_status = client.get(url, {"tab": "team", "status": "declined"}).content.decode()
    assert f'data-pk="{world.lead.pk}"' not in other_status
    by_product = client.get(
        url, {"tab": "team", "product": world.version.product_id}
    ).content.decode()
    assert f'data-pk="{world.lead.pk}"' in by_product


def test_export_streams_csv_and_xlsx_of_the_users_scope():
    world = World()
    client = client_for(world.rm)
    response = client.get(reverse("financing_lead_export", args=["csv"]), {"tab": "team"})
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    body = b"".join(response.streaming_content).decode("utf-8")
    assert world.enterprise.name in body
    assert world.enterprise.uscc in body
    xlsx = client.get(reverse("financing_lead_export", args=["xlsx"]), {"tab": "team"})
    assert xlsx.status_code == 200
    assert b"".join(xlsx.streaming_content)[:2] == b"PK"
    assert client.get(reverse("financing_lead_export", args=["pdf"])).status_code == 404
    other = client_for(world.rm_other_bank).get(
        reverse("financing_lead_export", args=["csv"]), {"tab": "team"}
    )
    assert world.enterprise.name not in b"".join(other.streaming_content).decode("utf-8")


# ---- the lead page ---------------------------------------------------------------------


def test_opening_the_lead_page_writes_exactly_one_access_log_entry():
    world = World(status=S.ASSIGNED)
    response = client_for(world.rm).get(world.lead_url())
    assert response.status_code == 200
    entries = AccessLogEntry.objects.filter(enterprise=world.enterprise)
    assert entries.count() == 1
    entry = entries.get()
    assert (entry.viewer_id, entry.bank_id, entry.section) == (world.rm.pk, world.bank.pk, "lead")
    page = response.content.decode()
    for testid in ("enterprise-data", "match-explanation", "consent-status", "timeline", "moves"):
        assert f'data-testid="{testid}"' in page
    assert 'data-testid="move-contacted"' in page
    assert 'data-testid="decline-form"' in page


def test_without_consent_the_page_hides_the_data_and_logs_nothing():
    world = World(status=S.ASSIGNED)
    Consent.objects.update(revoked_at=timezone.now())
    page = client_for(world.rm).get(world.lead_url()).content.decode()
    assert 'data-consented="no"' in page
    assert 'data-testid="enterprise-data"' not in page
    assert world.enterprise.uscc not in page
    assert AccessLogEntry.objects.count() == 0


def test_decline_without_reason_is_refused_and_with_reason_the_enterprise_reads_it():
    world = World(status=S.ASSIGNED)
    client = client_for(world.rm)
    before = state(world)
    response = client.post(
        world.lead_url("financing_lead_move"), {"to": "declined", "note": "负债过高"}
    )
    # The decline form again: the error beside the reason, the note as typed.
    assert response.status_code == 400
    form = response.context["moves"]["decline"]
    assert form.errors["reason_code"] == [translated(response, "Choose a reason code.")]
    assert "负债过高" in response.content.decode()
    # Nothing changed; showing the page again is one more recorded view of the data.
    assert state(world)[:5] == before[:5]

    response = client.post(
        world.lead_url("financing_lead_move"),
        {"to": "declined", "reason_code": workflow.DeclineReason.EXISTING_DEBT},
    )
    world.lead.refresh_from_db()
    assert world.lead.status == S.DECLINED

    page = client_for(world.member).get(world.enterprise_leads_url())
    assert page.status_code == 200
    with translation.override(page.wsgi_request.LANGUAGE_CODE):
        reason = workflow.reason_text(workflow.DeclineReason.EXISTING_DEBT)
    html = page.content.decode()
    assert 'data-testid="decline-reason"' in html
    assert reason in html


def test_the_rm_contacts_offers_the_enterprise_accepts_and_disbursement_is_recorded():
    world = World(status=S.ASSIGNED)
    rm = client_for(world.rm)
    rm.post(world.lead_url("financing_lead_move"), {"to": "contacted"})
    rm.post(world.lead_url("financing_lead_note"), {"body": "打过电话"})
    valid = (timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    # Above the product maximum: refused with the service's message, nothing made.
    response = rm.post(
        world.lead_url("financing_lead_offer"),
        {"amount": "9000000", "rate": "4.0", "term_months": "12", "valid_until": valid},
    )
    assert not Offer.objects.exists()
    assert response.status_code == 400
    assert "5,000,000" in response.context["moves"]["offer"].errors["amount"][0]
    rm.post(
        world.lead_url("financing_lead_offer"),
        {"amount": "800000", "rate": "4.0", "term_months": "12", "valid_until": valid},
    )
    offer = Offer.objects.get()
    member = client_for(world.member)
    page = member.get(world.enterprise_leads_url()).content.decode()
    assert f'data-testid="accept-offer-{offer.pk}"' in page
    member.post(
        reverse("financing_enterprise_offer_accept", args=[world.enterprise.pk, offer.pk]),
        {"confirm": "yes"},
    )
    world.lead.refresh_from_db()
    assert world.lead.status == S.ACCEPTED
    rm.post(
        world.lead_url("financing_lead_disburse"),
        {"amount": "800000", "disbursed_on": timezone.localdate().isoformat()},
    )
    world.lead.refresh_from_db()
    assert world.lead.status == S.DISBURSED
    kinds = list(world.lead.notes.values_list("kind", flat=True))
    assert LeadNote.Kind.NOTE in kinds
    timeline = rm.get(world.lead_url()).content.decode()
    assert "打过电话" in timeline
    assert 'data-testid="disbursement"' in timeline


def test_manager_assigns_a_new_lead():
    world = World()
    response = client_for(world.manager).post(
        world.lead_url("financing_lead_assign"), {"assignee": world.other_rm.pk}
    )
    assert response.status_code == 302
    world.lead.refresh_from_db()
    assert (world.lead.status, world.lead.assigned_to_id) == (S.ASSIGNED, world.other_rm.pk)
    # A relationship manager of another branch is not offered and is refused.
    before = state(world)
    client_for(world.manager).post(
        world.lead_url("financing_lead_assign"), {"assignee": world.rm_other_branch.pk}
    )
    assert state(world) == before


def test_inbox_queries_do_not_grow_with_the_number_of_rows():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    world = World()
    client = client_for(world.manager)
    url = reverse("financing_lead_inbox")
    client.get(url, {"tab": "team"})  # warm the session and caches
    with CaptureQueriesContext(connection) as one:
        client.get(url, {"tab": "team"})
    for _n in range(5):
        enterprise = EnterpriseFactory(zone=world.enterprise.zone)
        Lead.objects.create(
            enterprise=enterprise,
            product=world.version.product,
            product_version=world.version,
            bank=world.bank,
            branch=world.branch,
            source=Lead.Source.APPLY,
            indicative_limit=Decimal("1000000"),
            assigned_to=world.rm,
            status=S.ASSIGNED,
        )
    with CaptureQueriesContext(connection) as six:
        page = client.get(url, {"tab": "team"}).content.decode()
    assert page.count('data-testid="lead"') == 6
    assert len(six.captured_queries) == len(one.captured_queries)


def test_revoked_consent_hides_the_enterprise_in_the_inbox_search_and_export():
    world = World()
    client = client_for(world.rm)
    inbox = client.get(reverse("financing_lead_inbox"), {"tab": "team"}).content.decode()
    assert world.enterprise.uscc in inbox
    Consent.objects.update(revoked_at=timezone.now())
    inbox = client.get(reverse("financing_lead_inbox"), {"tab": "team"}).content.decode()
    assert world.enterprise.uscc not in inbox and world.enterprise.name not in inbox
    found = client.get(
        reverse("financing_lead_inbox"), {"tab": "team", "q": world.enterprise.uscc}
    ).content.decode()
    assert world.lead_url() not in found  # searching by code reveals nothing either
    export = client.get(reverse("financing_lead_export", args=["csv"]), {"tab": "team"})
    body = b"".join(export.streaming_content).decode("utf-8")
    assert world.enterprise.uscc not in body and world.enterprise.name not in body


def test_the_inbox_opens_where_the_work_is_and_an_empty_mine_tab_points_at_it():
    world = World()  # one new lead of the RM's branch, nobody's yet
    client = client_for(world.rm)
    opened = client.get(reverse("financing_lead_inbox"))
    assert opened.status_code == 302 and opened["Location"].endswith("?tab=unassigned")
    assert world.enterprise.name in client.get(opened["Location"]).content.decode()
    page = client.get(reverse("financing_lead_inbox"), {"tab": "mine"}).content.decode()
    assert 'data-testid="unassigned-waiting"' in page and 'href="?tab=unassigned"' in page
    other = World(status=S.ASSIGNED)  # the RM's own lead: the tab is not empty
    mine = client_for(other.rm).get(reverse("financing_lead_inbox")).content.decode()
    assert other.enterprise.name in mine and 'data-testid="unassigned-waiting"' not in mine
