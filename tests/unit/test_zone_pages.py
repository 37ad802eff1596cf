"""Zone pages: a permission matrix over every zone page and action (a denied call changes
nothing), the review decisions with their refusals, the queue's filters and bulk flow,
financial-year verification, dashboard figures against independent counts, and exports
that stream and neutralise formulas."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from ecosystem.core.models import AuditEvent, Notification
from ecosystem.enterprises import services as es
from ecosystem.enterprises.models import Enterprise, QualificationClaim
from ecosystem.enterprises.workflow import ClaimStatus
from ecosystem.registries.models import RegistryEntry
from tests.factories import (
    PlatformAdminFactory,
    ProgramFactory,
)
from tests.worlds.files import PDF, PNG
from tests.worlds.fresh import fresh
from tests.worlds.zone import (
    World,
    build_world,
    client_of,
    csv_text,
    ensure_rejection_reasons,
    evidence_url,
    state,
    submit_claim,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _rejection_reasons(db):
    ensure_rejection_reasons()


@pytest.fixture(scope="module")
def _built(module_db) -> World:
    """The world, built once for the module; each test runs in a savepoint rolled back
    after it (80 tests built it again each)."""
    return build_world()


@pytest.fixture
def world(_built) -> World:
    """The module's world as this test's own objects (``tests.worlds.fresh``)."""
    return fresh(_built)


# --- permission matrix -------------------------------------------------------------------

ITEM_PAGES = ["claim", "year", "evidence"]
OWN_PAGES = ["queue", "queue_csv", "dashboard", "dashboard_csv", "settings"]


def page_url(world: World, name: str) -> str:
    return {
        "claim": reverse("zone_claim_review", args=[world.claim.pk]),
        "year": reverse("zone_year_review", args=[world.year.pk]),
        "evidence": evidence_url(world.claim),
        "queue": reverse("zone_queue"),
        "queue_csv": reverse("zone_queue_export", args=["csv"]),
        "dashboard": reverse("zone_dashboard"),
        "dashboard_csv": reverse("zone_dashboard_export", args=["stages", "csv"]),
        "settings": reverse("zone_settings"),
    }[name]


@pytest.mark.parametrize("page_name", ITEM_PAGES + OWN_PAGES)
def test_anonymous_is_sent_to_sign_in(world, page_name):
    response = world.client_for("anonymous").get(page_url(world, page_name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("page_name", ITEM_PAGES + OWN_PAGES)
def test_the_zone_official_opens_every_page(world, page_name):
    response = world.client_for("official").get(page_url(world, page_name))
    assert response.status_code == 200


@pytest.mark.parametrize("page_name", ITEM_PAGES)
def test_an_official_of_another_zone_gets_404_on_the_item_and_its_evidence(world, page_name):
    response = world.client_for("other_official").get(page_url(world, page_name))
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["member", "bank", "stranger"])
@pytest.mark.parametrize("page_name", ["claim", "year", *OWN_PAGES])
def test_zone_pages_do_not_exist_for_other_roles(world, who, page_name):
    assert world.client_for(who).get(page_url(world, page_name)).status_code == 404


def test_the_other_zone_sees_an_empty_queue_and_its_own_dashboard(world):
    client = world.client_for("other_official")
    queue = client.get(reverse("zone_queue"))
    assert world.claim.enterprise.name not in queue.content.decode()
    assert queue.context["total"] == 0
    rows = list(csv.reader(io.StringIO(csv_text(client.get(page_url(world, "queue_csv"))))))
    assert len(rows) == 1  # the header only


ACTIONS = {
    "approve": lambda w: (
        reverse("zone_claim_decide", args=[w.claim.pk]),
        {"to": "verified"},
    ),
    "reject": lambda w: (
        reverse("zone_claim_decide", args=[w.claim.pk]),
        {"to": "rejected", "reason_code": "other", "reason_text": "no"},
    ),
    "needs_info": lambda w: (
        reverse("zone_claim_decide", args=[w.claim.pk]),
        {"to": "needs_info", "message": "more please"},
    ),
    "bulk": lambda w: (reverse("zone_queue_bulk"), {"claim": [w.claim.pk], "to": "verified"}),
    "year": lambda w: (
        reverse("zone_year_review", args=[w.year.pk]),
        {"status": "verified", "note": ""},
    ),
}


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("other_official", 404), ("member", 404), ("bank", 404)],
)
def test_a_denied_action_changes_nothing(world, action, who, expected):
    url, data = ACTIONS[action](world)
    if who == "other_official" and action == "bulk":
        expected = 302  # the bulk form reports the claim as not found
    before = state(world)
    response = world.client_for(who).post(url, data)
    assert response.status_code == expected
    assert state(world) == before


def test_a_bulk_decision_from_another_zone_reports_not_found(world):
    response = world.client_for("other_official").post(
        reverse("zone_queue_bulk"), {"claim": [world.claim.pk], "to": "verified"}, follow=True
    )
    assert "Not found." in response.content.decode()
    assert QualificationClaim.objects.get(pk=world.claim.pk).status == ClaimStatus.SUBMITTED


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_the_zone_official_may_take_every_action(world, action):
    url, data = ACTIONS[action](world)
    before = state(world)
    response = world.client_for("official").post(url, data)
    assert response.status_code == 302
    assert state(world) != before


def test_a_platform_admin_reads_every_zone_but_decides_in_none(world):
    client = client_of(PlatformAdminFactory())
    response = client.get(reverse("zone_claim_review", args=[world.claim.pk]))
    assert response.status_code == 200
    assert not response.context["open_for_decision"]
    before = state(world)
    url, data = ACTIONS["approve"](world)
    assert client.post(url, data).status_code == 404
    url, data = ACTIONS["year"](world)
    assert client.post(url, data).status_code == 404
    assert state(world) == before


# --- the review page ---------------------------------------------------------------------


def test_review_page_shows_evidence_inline_list_entries_and_history(world):
    claim, _member = submit_claim(world.zone, files=((PDF, "certificate.pdf"), (PNG, "photo.png")))
    enterprise = claim.enterprise
    Enterprise.objects.filter(pk=enterprise.pk).update(name="北京星河微电子科技有限公司")
    RegistryEntry.objects.create(
        program=claim.program, batch="2025-1", uscc=enterprise.uscc, name="北京星河微电子"
    )
    RegistryEntry.objects.create(
        program=claim.program, batch="2025-1", uscc="91110000000000000X", name="星河微电子有限公司"
    )
    RegistryEntry.objects.create(
        program=claim.program, batch="2025-1", uscc="91110000000000001X", name="无关企业"
    )
    response = world.client_for("official").get(reverse("zone_claim_review", args=[claim.pk]))
    html = response.content.decode()
    pdf, png = claim.evidence.order_by("pk")
    pdf_url = reverse("evidence_download", args=[enterprise.pk, claim.pk, pdf.pk])
    png_url = reverse("evidence_download", args=[enterprise.pk, claim.pk, png.pk])
    assert f'<iframe src="{pdf_url}"' in html
    assert f'<img src="{png_url}"' in html
    registry = response.context["registry"]
    assert [e.name for e in registry["same_code"]] == ["北京星河微电子"]
    assert [e.name for e in registry["similar_name"]] == ["星河微电子有限公司"]
    assert "无关企业" not in html
    verbs = [entry.verb for entry in response.context["history"]]
    assert verbs == ["claim.created", "evidence.added", "evidence.added", "claim.submitted"]
    assert response.context["open_for_decision"]
    assert 'data-testid="decide-approve"' in html


def test_approval_from_the_review_page_notifies_the_enterprise(world):
    events = AuditEvent.objects.count()
    response = world.client_for("official").post(
        reverse("zone_claim_decide", args=[world.claim.pk]), {"to": "verified"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("zone_queue")
    claim = QualificationClaim.objects.get(pk=world.claim.pk)
    assert (claim.status, claim.decided_by) == (ClaimStatus.VERIFIED, world.official)
    assert AuditEvent.objects.count() == events + 1
    assert AuditEvent.objects.filter(verb="claim.verified", target_id=str(claim.pk)).count() == 1
    assert Notification.objects.filter(recipient=world.member, kind="claim_status").exists()


@pytest.mark.parametrize(
    "data",
    [
        {"to": "rejected", "reason_code": "", "reason_text": "not on the list"},
        {"to": "rejected", "reason_code": "not_on_list", "reason_text": ""},
        {"to": "rejected", "reason_code": "made_up", "reason_text": "x"},
        {"to": "needs_info", "message": ""},
        {"to": "draft"},
    ],
)
def test_a_decision_without_what_it_requires_is_refused_and_changes_nothing(world, data):
    before = state(world)
    response = world.client_for("official").post(
        reverse("zone_claim_decide", args=[world.claim.pk]), data
    )
    assert response.status_code == 400
    assert state(world) == before


def test_a_rejection_carries_the_reason_code_and_text(world):
    world.client_for("official").post(
        reverse("zone_claim_decide", args=[world.claim.pk]),
        {"to": "rejected", "reason_code": "certificate_expired", "reason_text": "2019 certificate"},
    )
    claim = QualificationClaim.objects.get(pk=world.claim.pk)
    assert (claim.status, claim.reason_code, claim.reason_text) == (
        ClaimStatus.REJECTED,
        "certificate_expired",
        "2019 certificate",
    )


def test_a_claim_decided_meanwhile_shows_already_decided_and_changes_nothing(world):
    es.claim_transition(
        claim=world.claim,
        to=ClaimStatus.REJECTED,
        actor=world.colleague,
        reason_code="other",
        reason_text="duplicate",
    )
    before = state(world)
    response = world.client_for("official").post(
        reverse("zone_claim_decide", args=[world.claim.pk]), {"to": "verified"}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Already decided by" in html and str(world.colleague) in html
    assert state(world) == before
    assert not response.context["open_for_decision"]


def test_decided_claims_stay_visible_to_their_zone_only(world):
    es.claim_transition(claim=world.claim, to=ClaimStatus.VERIFIED, actor=world.colleague)
    url = reverse("zone_claim_review", args=[world.claim.pk])
    response = world.client_for("official").get(url)
    assert response.status_code == 200
    assert 'data-testid="decisions"' not in response.content.decode()
    assert world.client_for("other_official").get(url).status_code == 404


def test_a_draft_is_not_open_to_the_zone(world):
    enterprise = world.claim.enterprise
    draft = es.claim_create(
        enterprise=enterprise,
        actor=world.member,
        program=ProgramFactory(),
        certificate_number="D1",
        year=2025,
    )
    url = reverse("zone_claim_review", args=[draft.pk])
    assert world.client_for("official").get(url).status_code == 404


def test_evidence_may_be_framed_by_the_review_page(world):
    """PDFs show in an iframe on the review page: the evidence view allows the same origin."""
    response = world.client_for("official").get(evidence_url(world.claim))
    assert response["X-Frame-Options"] == "SAMEORIGIN"
