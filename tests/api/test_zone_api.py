"""The zone API (/api/v1/zones/…): a permission matrix over every endpoint (a denied call
changes nothing), decisions answering 200 / 400 / 409, bulk decisions, financial-year
verification, queue filters and the dashboard figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from ecosystem.core.models import AuditEvent, Notification
from ecosystem.enterprises import services as es
from ecosystem.enterprises.models import FinancialYear, QualificationClaim
from ecosystem.enterprises.workflow import ClaimStatus
from ecosystem.registries.models import RegistryEntry
from ecosystem.zones.models import RejectionReason
from ecosystem.zones.reference import REJECTION_REASONS
from tests.factories import (
    BankStaffFactory,
    EnterpriseFactory,
    EnterpriseMemberFactory,
    ProgramFactory,
    UserFactory,
    ZoneFactory,
    ZoneOfficialFactory,
    api_key_for,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _rejection_reasons(db):
    """The managed reasons come from a data migration, which a transactional (browser)
    test earlier in the session truncates; put them back so each test sees the list."""
    for position, (code, label_zh, label_en) in enumerate(REJECTION_REASONS):
        RejectionReason.objects.get_or_create(
            code=code, defaults={"label_zh": label_zh, "label_en": label_en, "position": position}
        )


PDF = b"%PDF-1.4\n%%EOF\n"
FIGURES = {
    "revenue": Decimal("12000000.00"),
    "total_costs": Decimal("9000000.00"),
    "total_assets": Decimal("15000000.00"),
    "rd_expense": Decimal("1500000.00"),
    "net_profit": Decimal("100000.00"),
    "employees": 80,
    "rd_staff": 30,
}


def submit_claim(zone=None, *, program=None):
    enterprise = EnterpriseFactory(zone=zone)
    member = EnterpriseMemberFactory(enterprise=enterprise)
    claim = es.claim_create(
        enterprise=enterprise,
        actor=member,
        program=program or ProgramFactory(),
        certificate_number="GR2025",
        year=2025,
    )
    es.evidence_add(claim=claim, actor=member, upload=SimpleUploadedFile("c.pdf", PDF))
    return es.claim_submit(claim=claim, actor=member), member


@dataclass
class World:
    official: object
    colleague: object
    other_official: object
    member: object
    bank: object
    stranger: object
    zone: object
    claim: QualificationClaim
    year: FinancialYear

    def api(self, who: str) -> APIClient:
        client = APIClient(headers={"accept-language": "en"})
        if who != "anonymous":
            client.force_authenticate(getattr(self, who))
        return client


@pytest.fixture
def world() -> World:
    zone = ZoneFactory()
    claim, member = submit_claim(zone)
    year = es.financial_year_save(enterprise=claim.enterprise, actor=member, year=2024, **FIGURES)
    return World(
        official=ZoneOfficialFactory(zone=zone),
        colleague=ZoneOfficialFactory(zone=zone),
        other_official=ZoneOfficialFactory(zone=ZoneFactory()),
        member=member,
        bank=BankStaffFactory(),
        stranger=UserFactory(),
        zone=zone,
        claim=claim,
        year=year,
    )


def state(world: World) -> tuple:
    claim = QualificationClaim.objects.get(pk=world.claim.pk)
    year = FinancialYear.objects.get(pk=world.year.pk)
    return claim.status, claim.version, year.verification_status, AuditEvent.objects.count()


def claim_url(world, suffix="detail"):
    return reverse(f"api-zone-claim-{suffix}", args=[world.claim.pk])


READS = {
    "queue": lambda w: reverse("api-zone-queue"),
    "claim": lambda w: claim_url(w),
    "year": lambda w: reverse("api-zone-year-detail", args=[w.year.pk]),
    "dashboard": lambda w: reverse("api-zone-dashboard"),
}
WRITES = {
    "approve": lambda w: (claim_url(w, "decide"), {"to": "verified"}),
    "reject": lambda w: (
        claim_url(w, "decide"),
        {"to": "rejected", "reason_code": "other", "reason_text": "no"},
    ),
    "needs_info": lambda w: (claim_url(w, "decide"), {"to": "needs_info", "message": "more"}),
    "bulk": lambda w: (
        reverse("api-zone-claim-bulk-decide"),
        {"claim_ids": [w.claim.pk], "to": "verified"},
    ),
    "year": lambda w: (
        reverse("api-zone-year-verification", args=[w.year.pk]),
        {"status": "verified"},
    ),
}


@pytest.mark.parametrize("endpoint", sorted(READS))
@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 401), ("member", 404), ("bank", 404), ("stranger", 404), ("official", 200)],
)
def test_read_matrix(world, endpoint, who, expected):
    assert world.api(who).get(READS[endpoint](world)).status_code == expected


@pytest.mark.parametrize("endpoint", ["claim", "year"])
def test_an_official_of_another_zone_gets_404_on_the_item(world, endpoint):
    assert world.api("other_official").get(READS[endpoint](world)).status_code == 404


def test_an_official_of_another_zone_gets_404_on_the_evidence(world):
    evidence = world.claim.evidence.get()
    args = {"enterprise_pk": world.claim.enterprise_id, "claim_pk": world.claim.pk}
    url = reverse("api-claim-evidence-download", kwargs={**args, "pk": evidence.pk})
    assert world.api("other_official").get(url).status_code == 404
    assert world.api("official").get(url).status_code == 200


def test_another_zones_queue_and_dashboard_are_their_own(world):
    client = world.api("other_official")
    assert client.get(READS["queue"](world)).json()["count"] == 0
    assert client.get(READS["dashboard"](world)).json()["enterprises"] == 0


@pytest.mark.parametrize("action", sorted(WRITES))
@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 401),
        ("other_official", 404),
        ("member", 404),
        ("bank", 404),
        ("stranger", 404),
    ],
)
def test_a_denied_write_changes_nothing(world, action, who, expected):
    url, data = WRITES[action](world)
    if who == "other_official" and action == "bulk":
        expected = 200  # answered per claim: not found
    before = state(world)
    response = world.api(who).post(url, data, format="json")
    assert response.status_code == expected
    assert state(world) == before
    if expected == 200:
        assert response.json() == {
            "done": [],
            "refused": [{"id": world.claim.pk, "detail": "Not found."}],
        }


@pytest.mark.parametrize("action", sorted(WRITES))
def test_the_zone_official_may_write(world, action):
    url, data = WRITES[action](world)
    before = state(world)
    response = world.api("official").post(url, data, format="json")
    assert response.status_code == 200, response.json()
    assert state(world) != before


def test_staff_without_a_second_factor_are_refused(world):
    official = ZoneOfficialFactory(zone=world.zone, second_factor=False)
    client = APIClient()
    client.force_authenticate(official)
    before = state(world)
    assert client.get(READS["queue"](world)).status_code == 403
    assert client.post(*WRITES["approve"](world), format="json").status_code == 403
    assert state(world) == before


def test_an_official_s_token_is_refused_and_the_signed_in_api_reaches_the_queue(world):
    key = api_key_for(world.official)  # made directly: the tokens page refuses officials
    refused = APIClient(headers={"authorization": f"Token {key}"})
    assert refused.get(reverse("api-zone-queue")).status_code == 401
    client = APIClient()
    client.force_authenticate(world.official)
    items = client.get(reverse("api-zone-queue")).json()["results"]
    assert [(i["kind"], i["id"]) for i in items] == [
        ("claim", world.claim.pk),
        ("financial_year", world.year.pk),
    ]


# --- decisions -----------------------------------------------------------------------------


def test_approve_answers_the_decided_claim_and_notifies(world):
    events = AuditEvent.objects.count()
    response = world.api("official").post(
        claim_url(world, "decide"), {"to": "verified"}, format="json"
    )
    body = response.json()
    assert body["claim"]["status"] == "verified"
    assert body["claim"]["decided_by"] == str(world.official)
    assert body["allowed_decisions"] == []
    assert AuditEvent.objects.count() == events + 1
    assert Notification.objects.filter(recipient=world.member, kind="claim_status").exists()


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"to": "rejected", "reason_text": "x"}, "reason_required"),
        ({"to": "rejected", "reason_code": "made_up"}, "bad_reason"),
        ({"to": "needs_info"}, "message_required"),
        ({"to": "expired"}, "invalid"),
        ({}, "invalid"),
    ],
)
def test_a_decision_missing_what_it_requires_is_400_and_changes_nothing(world, data, code):
    before = state(world)
    response = world.api("official").post(claim_url(world, "decide"), data, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert state(world) == before


def test_a_claim_decided_meanwhile_is_409_already_decided(world):
    es.claim_transition(
        claim=world.claim,
        to=ClaimStatus.REJECTED,
        actor=world.colleague,
        reason_code="other",
        reason_text="dup",
    )
    before = state(world)
    response = world.api("official").post(
        claim_url(world, "decide"), {"to": "verified"}, format="json"
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "already_decided"
    assert body["detail"].startswith(f"Already decided by {world.colleague} at ")
    assert state(world) == before


def test_review_detail_has_evidence_list_entries_history_and_decisions(world):
    RegistryEntry.objects.create(
        program=world.claim.program, batch="b1", uscc=world.claim.enterprise.uscc, name="x"
    )
    body = world.api("official").get(claim_url(world)).json()
    assert body["claim"]["enterprise"]["uscc"] == world.claim.enterprise.uscc
    assert [e["original_name"] for e in body["evidence"]] == ["c.pdf"]
    assert body["evidence"][0]["inline_url"].startswith("/enterprises/")
    assert [e["batch"] for e in body["registry_same_code"]] == ["b1"]
    assert [h["verb"] for h in body["history"]] == [
        "claim.created",
        "evidence.added",
        "claim.submitted",
    ]
    assert [r["number"] for r in body["revisions"]] == [1]
    assert sorted(body["allowed_decisions"]) == ["needs_info", "rejected", "verified"]


def test_bulk_decide_reports_done_and_refused(world):
    second, _member = submit_claim(world.zone)
    es.claim_transition(claim=second, to=ClaimStatus.VERIFIED, actor=world.colleague)
    response = world.api("official").post(
        reverse("api-zone-claim-bulk-decide"),
        {"claim_ids": [world.claim.pk, second.pk], "to": "rejected", "reason_code": "other"},
        format="json",
    )
    body = response.json()
    assert body["done"] == [world.claim.pk]
    assert [r["id"] for r in body["refused"]] == [second.pk]
    assert "Already decided by" in body["refused"][0]["detail"]
    assert QualificationClaim.objects.get(pk=world.claim.pk).status == ClaimStatus.REJECTED


def test_bulk_reject_without_a_reason_is_400_and_changes_nothing(world):
    before = state(world)
    response = world.api("official").post(
        reverse("api-zone-claim-bulk-decide"),
        {"claim_ids": [world.claim.pk], "to": "rejected"},
        format="json",
    )
    assert (response.status_code, response.json()["code"]) == (400, "reason_required")
    assert state(world) == before


# --- financial years, queue filters, dashboard ------------------------------------------


def test_a_discrepancy_needs_a_note(world):
    url = reverse("api-zone-year-verification", args=[world.year.pk])
    client = world.api("official")
    before = state(world)
    response = client.post(url, {"status": "discrepancy"}, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "note_required")
    assert state(world) == before
    body = client.post(url, {"status": "discrepancy", "note": "tax return"}, format="json").json()
    assert (body["verification_status"], body["verification_note"]) == ("discrepancy", "tax return")


def test_queue_filters(world):
    program = ProgramFactory(code="api-hte")
    wanted, _member = submit_claim(world.zone, program=program)
    QualificationClaim.objects.filter(pk=world.claim.pk).update(
        submitted_at=timezone.now() - timedelta(days=30)
    )
    client = world.api("official")

    def ids(**params):
        body = client.get(reverse("api-zone-queue"), params).json()
        return [(i["kind"], i["id"]) for i in body["results"]]

    assert ids(program="api-hte") == [("claim", wanted.pk)]
    assert ids(kind="financial_year") == [("financial_year", world.year.pk)]
    assert ids(q=wanted.enterprise.uscc) == [("claim", wanted.pk)]
    assert ids(min_age=10) == [("claim", world.claim.pk)]
    assert ids(status="resubmitted") == []
    first = client.get(reverse("api-zone-queue")).json()["results"][0]
    assert first["overdue"] and first["age_working_days"] > first["target_days"]
    assert client.get(reverse("api-zone-queue"), {"min_age": "x"}).status_code == 400


def test_dashboard_figures(world):
    es.claim_transition(claim=world.claim, to=ClaimStatus.VERIFIED, actor=world.official)
    body = world.api("official").get(reverse("api-zone-dashboard")).json()
    assert body["zone"] == world.zone.code
    assert body["enterprises"] == 1
    assert body["decided_last_7_days"] == 1
    assert body["funnel"][:3] == [
        {"stage": "registered", "count": 1},
        {"stage": "verified", "count": 1},
        {"stage": "matched", "count": 0},
    ]
    other = world.other_official.memberships.get().zone
    assert (
        world.api("official").get(reverse("api-zone-dashboard"), {"zone": other.pk}).status_code
        == 404
    )


def test_the_schema_lists_the_zone_endpoints(client):
    schema = client.get(reverse("api-schema")).content
    for path in (b"/api/v1/zones/queue/", b"/api/v1/zones/claims/{id}/decide/"):
        assert path in schema
