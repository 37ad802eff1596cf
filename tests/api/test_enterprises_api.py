"""The enterprise API (/api/v1/enterprises/…, /api/v1/join-requests/, /api/v1/programs/).

A permission matrix runs every endpoint and method for every kind of caller; a denied
call is shown to change nothing. The behaviour tests below it cover registration,
optimistic locking, validation, evidence, consent and token access.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from ecosystem.accounts.models import Membership
from ecosystem.accounts.roles import Role
from ecosystem.core.models import AuditEvent
from ecosystem.enterprises import services, workflow
from ecosystem.enterprises.models import (
    AccessLogEntry,
    Consent,
    Enterprise,
    Evidence,
    FinancialYear,
    FinancingNeed,
    JoinRequest,
    QualificationClaim,
)
from ecosystem.enterprises.workflow import ClaimStatus
from ecosystem.registries.models import Program
from tests.factories import (
    BankStaffFactory,
    EnterpriseFactory,
    EnterpriseMemberFactory,
    ProgramFactory,
    UserFactory,
    ZoneFactory,
    ZoneOfficialFactory,
    make_uscc,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
FIGURES = {
    "revenue": "12000000.00",
    "total_costs": "9000000.00",
    "total_assets": "15000000.00",
    "rd_expense": "1500000.00",
    "net_profit": "-250000.50",
    "employees": 80,
    "rd_staff": 30,
    "ip_invention_patents": 2,
    "ip_utility_models": 5,
}


def pdf(name="certificate.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def program(code: str) -> Program:
    return Program.objects.filter(code=code).first() or ProgramFactory(code=code)


# --------------------------------------------------------------------------- world


@dataclass
class World:
    enterprise: Enterprise
    owner: object
    co_owner: object
    member: object
    member_membership: Membership
    year: FinancialYear
    need: FinancingNeed
    draft: QualificationClaim
    draft_evidence: Evidence
    verified: QualificationClaim
    verified_evidence: Evidence
    consent: Consent
    join_request: JoinRequest
    applicant: object
    callers: dict


def build_world() -> World:
    """One enterprise with everything on it, and one caller of each kind."""
    zone = ZoneFactory()
    enterprise = EnterpriseFactory(zone=zone, founded_on=datetime.date(2015, 3, 1))
    owner = EnterpriseMemberFactory(enterprise=enterprise)
    co_owner = EnterpriseMemberFactory(enterprise=enterprise)
    member = UserFactory()
    member_membership = Membership.objects.create(
        user=member, role=Role.ENTERPRISE_MEMBER, enterprise=enterprise
    )
    year = services.financial_year_save(
        enterprise=enterprise,
        actor=owner,
        year=2024,
        **{k: Decimal(v) if isinstance(v, str) else v for k, v in FIGURES.items()},
    )
    need = services.financing_need_create(
        enterprise=enterprise,
        actor=owner,
        amount=Decimal("5000000"),
        term_months=36,
        purpose="production_line",
    )
    draft = services.claim_create(
        enterprise=enterprise,
        actor=owner,
        program=program("hte"),
        certificate_number="GR202411000123",
        year=2024,
        valid_until=datetime.date(2027, 12, 31),
    )
    draft_evidence = services.evidence_add(claim=draft, actor=owner, upload=pdf())
    verified = services.claim_create(
        enterprise=enterprise,
        actor=owner,
        program=program("tsme"),
        certificate_number="2024110108A000123",
        year=2024,
    )
    verified_evidence = services.evidence_add(claim=verified, actor=owner, upload=pdf())
    services.claim_submit(claim=verified, actor=owner)
    verified = services.claim_transition(
        claim=verified, to=ClaimStatus.VERIFIED, party=workflow.REGISTRY
    )
    bank_user = BankStaffFactory()
    bank = Membership.objects.get(user=bank_user).bank
    consent = services.consent_grant(
        enterprise=enterprise, actor=owner, bank=bank, purpose=Consent.Purpose.FINANCING
    )
    applicant = UserFactory()
    join_request = JoinRequest.objects.create(enterprise=enterprise, user=applicant)
    callers = {
        "anonymous": None,
        "other_member": EnterpriseMemberFactory(enterprise=EnterpriseFactory(zone=zone)),
        "other_zone": ZoneOfficialFactory(zone=ZoneFactory()),
        "bank_no_consent": BankStaffFactory(),
        "zone_same": ZoneOfficialFactory(zone=zone),
        "bank_consent": bank_user,
        "member": owner,
    }
    return World(
        enterprise=enterprise,
        owner=owner,
        co_owner=co_owner,
        member=member,
        member_membership=member_membership,
        year=year,
        need=need,
        draft=draft,
        draft_evidence=draft_evidence,
        verified=verified,
        verified_evidence=verified_evidence,
        consent=consent,
        join_request=join_request,
        applicant=applicant,
        callers=callers,
    )


def client_for(user) -> APIClient:
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return api


def state(world: World) -> dict:
    """Everything a write could touch, to show a denied call changed nothing."""
    e = Enterprise.objects.get(pk=world.enterprise.pk)
    return {
        "counts": {
            model.__name__: model.objects.count()
            for model in (
                Enterprise,
                FinancialYear,
                FinancingNeed,
                QualificationClaim,
                Evidence,
                Consent,
                JoinRequest,
                Membership,
                AccessLogEntry,
                AuditEvent,
            )
        },
        "enterprise": (e.name, e.version, e.description),
        "years": list(FinancialYear.objects.values_list("year", "version", "revenue")),
        "needs": list(FinancingNeed.objects.values_list("pk", "status")),
        "claims": list(
            QualificationClaim.objects.values_list("pk", "status", "version", "certificate_number")
        ),
        "evidence": list(Evidence.objects.values_list("pk", "claim_id")),
        "consents": list(Consent.objects.values_list("pk", "revoked_at")),
        "join_requests": list(JoinRequest.objects.values_list("pk", "status")),
        "memberships": list(Membership.objects.values_list("pk", "role", "is_active")),
    }


# --------------------------------------------------------------------------- matrix


@dataclass(frozen=True)
class Endpoint:
    """``path`` is formatted with the world ``w``, below the enterprise's URL.

    ``kind``: read (members, zone officials of the zone, consented banks; a bank's
    read is logged under ``section``), members_read (members only) or write (members;
    owners where the service says so).
    """

    name: str
    method: str
    path: str
    kind: str
    ok: int = 200
    payload: Callable[[World], dict] | None = None
    section: str = ""

    def url(self, world: World) -> str:
        return base(world) + self.path.format(w=world)


def base(w: World) -> str:
    return f"/api/v1/enterprises/{w.enterprise.pk}/"


def read(name, path, section):
    return Endpoint(name, "get", path, "read", section=f"api:{section}")


def write(name, method, path, ok=200, payload=None):
    return Endpoint(name, method, path, "write", ok=ok, payload=payload)


CLAIM = "claims/{w.verified.pk}/"
DRAFT = "claims/{w.draft.pk}/"
ENDPOINTS = [
    read("enterprise detail", "", "enterprise"),
    read("lifecycle", "lifecycle/", "lifecycle"),
    read("self-assessment", "self-assessment/", "self-assessment"),
    read("financial years", "financial-years/", "financial-years"),
    read("financial year", "financial-years/2024/", "financial-years"),
    read("financing needs", "financing-needs/", "financing-needs"),
    read("financing need", "financing-needs/{w.need.pk}/", "financing-needs"),
    read("claims", "claims/", "claims"),
    read("claim", CLAIM, "claims"),
    read("evidence list", CLAIM + "evidence/", "evidence"),
    read("evidence detail", CLAIM + "evidence/{w.verified_evidence.pk}/", "evidence"),
    read("evidence download", CLAIM + "evidence/{w.verified_evidence.pk}/download/", "evidence"),
    Endpoint("consents", "get", "consents/", "members_read"),
    Endpoint("consent", "get", "consents/{w.consent.pk}/", "members_read"),
    Endpoint("access log", "get", "access-log/", "members_read"),
    Endpoint("members", "get", "members/", "members_read"),
    Endpoint("pending join requests", "get", "join-requests/", "members_read"),
    write(
        "update profile",
        "patch",
        "",
        payload=lambda w: {"version": w.enterprise.version, "description": "changed"},
    ),
    write("leave", "post", "leave/", ok=204),
    write(
        "add financial year",
        "post",
        "financial-years/",
        ok=201,
        payload=lambda w: {**FIGURES, "year": 2023},
    ),
    write(
        "change financial year",
        "patch",
        "financial-years/2024/",
        payload=lambda w: {"version": w.year.version, "revenue": "13000000.00"},
    ),
    write(
        "add financing need",
        "post",
        "financing-needs/",
        ok=201,
        payload=lambda w: {"amount": "800000.00", "term_months": 12, "purpose": "rd"},
    ),
    write("close financing need", "post", "financing-needs/{w.need.pk}/close/"),
    write(
        "draft claim",
        "post",
        "claims/",
        ok=201,
        payload=lambda w: {"program": "srdi", "certificate_number": "ZJTX-1", "year": 2024},
    ),
    write(
        "change claim",
        "patch",
        DRAFT,
        payload=lambda w: {"version": w.draft.version, "certificate_number": "GR2024110009"},
    ),
    write("submit claim", "post", DRAFT + "submit/"),
    write(
        "upload evidence",
        "post",
        DRAFT + "evidence/",
        ok=201,
        payload=lambda w: {"file": pdf("scan.pdf")},
    ),
    write("delete evidence", "delete", DRAFT + "evidence/{w.draft_evidence.pk}/", ok=204),
    write(
        "grant consent",
        "post",
        "consents/",
        ok=201,
        payload=lambda w: {"bank": w.consent.bank.code, "purpose": "preapproval"},
    ),
    write("revoke consent", "post", "consents/{w.consent.pk}/revoke/"),
    write("remove member", "delete", "members/{w.member_membership.pk}/", ok=204),
    write(
        "transfer ownership",
        "post",
        "members/{w.member_membership.pk}/transfer-ownership/",
        payload=lambda w: {"keep_owner": True},
    ),
    write("approve join request", "post", "join-requests/{w.join_request.pk}/approve/"),
    write("decline join request", "post", "join-requests/{w.join_request.pk}/decline/"),
]

CALLERS = [
    "anonymous",
    "other_member",
    "other_zone",
    "bank_no_consent",
    "zone_same",
    "bank_consent",
    "member",
]


def expected_status(endpoint: Endpoint, caller: str) -> int:
    if caller == "anonymous":
        return 401
    if caller in ("other_member", "other_zone", "bank_no_consent"):
        return 404
    if caller == "member":
        return endpoint.ok
    # zone official of the zone, bank with consent: they may see the enterprise
    return 200 if endpoint.kind == "read" else 403


def call(api: APIClient, endpoint: Endpoint, world: World):
    url = endpoint.url(world)
    payload = endpoint.payload(world) if endpoint.payload else None
    if endpoint.method == "get":
        return api.get(url)
    uploads = any(hasattr(value, "read") for value in (payload or {}).values())
    fmt = "multipart" if uploads else "json"
    return getattr(api, endpoint.method)(url, payload or {}, format=fmt)


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: f"{e.method} {e.name}")
def test_permission_matrix(endpoint, caller):
    world = build_world()
    before = state(world)
    response = call(client_for(world.callers[caller]), endpoint, world)
    expected = expected_status(endpoint, caller)
    assert response.status_code == expected, (response.status_code, getattr(response, "data", ""))
    after = state(world)
    if expected >= 400:
        assert after == before, "a denied call changed something"
        return
    if endpoint.kind != "write":
        logged = after["counts"]["AccessLogEntry"] - before["counts"]["AccessLogEntry"]
        if caller == "bank_consent":
            entry = AccessLogEntry.objects.latest("viewed_at", "id")
            assert logged == 1
            assert (entry.section, entry.viewer, entry.enterprise) == (
                endpoint.section,
                world.callers[caller],
                world.enterprise,
            )
        else:
            assert logged == 0
    else:
        assert after != before, "an allowed write changed nothing"


@pytest.mark.parametrize("caller", CALLERS)
def test_enterprise_list_holds_only_what_the_caller_may_see(caller):
    world = build_world()
    response = client_for(world.callers[caller]).get("/api/v1/enterprises/")
    if caller == "anonymous":
        assert response.status_code == 401
        return
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    visible = caller in ("zone_same", "bank_consent", "member")
    assert (world.enterprise.pk in ids) is visible


def test_plain_member_cannot_do_what_only_owners_may_and_nothing_changes():
    world = build_world()
    api = client_for(world.member)
    before = state(world)
    base_url = base(world)
    refused = [
        api.get(base_url + "join-requests/"),
        api.post(base_url + f"join-requests/{world.join_request.pk}/approve/"),
        api.delete(base_url + f"members/{world.owner.memberships.get().pk}/"),
        api.post(
            base_url + f"members/{world.owner.memberships.get().pk}/transfer-ownership/",
            {},
            format="json",
        ),
    ]
    assert [r.status_code for r in refused] == [403, 403, 403, 403]
    assert {r.json()["code"] for r in refused} == {"not_owner"}
    assert state(world) == before


# --------------------------------------------------------------------------- registration


def test_registering_a_new_code_makes_the_user_owner():
    user = UserFactory()
    zone = ZoneFactory()
    api = client_for(user)
    code = make_uscc(424242)
    response = api.post(
        "/api/v1/enterprises/",
        {
            "uscc": code.lower()[:9] + " " + code[9:],
            "name": "新芯微电子有限公司",
            "zone": zone.code,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["uscc"] == code
    assert body["version"] == 1
    assert Membership.objects.get(user=user, enterprise_id=body["id"]).role == Role.ENTERPRISE_OWNER
    assert api.get(f"/api/v1/enterprises/{body['id']}/").status_code == 200


def test_registering_an_existing_code_files_a_join_request_and_gives_no_access():
    world = build_world()
    newcomer = UserFactory()
    api = client_for(newcomer)
    response = api.post(
        "/api/v1/enterprises/",
        {
            "uscc": world.enterprise.uscc,
            "name": "something else",
            "zone": world.enterprise.zone.code,
            "join_message": "I run the lab",
        },
        format="json",
    )
    assert response.status_code == 202
    body = response.json()
    assert (body["enterprise"], body["status"], body["message"]) == (
        world.enterprise.pk,
        "pending",
        "I run the lab",
    )
    assert Enterprise.objects.filter(uscc=world.enterprise.uscc).count() == 1
    assert api.get(base(world)).status_code == 404
    assert api.get(base(world) + "claims/").status_code == 404
    mine = api.get("/api/v1/join-requests/").json()["results"]
    assert [r["id"] for r in mine] == [body["id"]]
    # the owners see it pending and approve; then the newcomer gets in
    owner_api = client_for(world.owner)
    pending = owner_api.get(base(world) + "join-requests/").json()["results"]
    assert body["id"] in {r["id"] for r in pending}
    assert owner_api.post(base(world) + f"join-requests/{body['id']}/approve/").status_code == 200
    assert api.get(base(world)).status_code == 200


def test_invalid_code_is_refused_with_a_translated_message_in_each_language():
    user = UserFactory()
    zone = ZoneFactory()
    valid = make_uscc(777)
    wrong = valid[:17] + ("0" if valid[17] != "0" else "1")
    api = client_for(user)
    answers = {}
    for language in ("en", "zh-hans"):
        response = api.post(
            "/api/v1/enterprises/",
            {"uscc": wrong, "name": "x", "zone": zone.code},
            format="json",
            HTTP_ACCEPT_LANGUAGE=language,
        )
        assert response.status_code == 400
        body = response.json()
        assert body["code"] == "invalid_uscc"
        assert body["detail"].strip()
        assert body["errors"]["uscc"]
        answers[language] = body["detail"]
    assert "check character" in answers["en"]
    assert answers["zh-hans"] != answers["en"]
    assert not Enterprise.objects.filter(uscc=wrong).exists()


def test_registration_needs_a_verified_email():
    user = UserFactory(verified=False)
    response = client_for(user).post(
        "/api/v1/enterprises/",
        {"uscc": make_uscc(31337), "name": "x", "zone": ZoneFactory().code},
        format="json",
    )
    assert (response.status_code, response.json()["code"]) == (403, "email_unverified")
    assert not Enterprise.objects.filter(uscc=make_uscc(31337)).exists()


def test_cancelling_someone_elses_join_request_is_404_and_own_works():
    world = build_world()
    stranger = client_for(UserFactory())
    url = f"/api/v1/join-requests/{world.join_request.pk}/cancel/"
    assert stranger.post(url).status_code == 404
    world.join_request.refresh_from_db()
    assert world.join_request.status == "pending"
    response = client_for(world.applicant).post(url)
    assert (response.status_code, response.json()["status"]) == (200, "cancelled")
    assert client_for(world.applicant).post(url).status_code == 409


# --------------------------------------------------------------------------- profile


def test_stale_version_is_a_conflict_and_changes_nothing():
    world = build_world()
    api = client_for(world.owner)
    first = api.patch(base(world), {"version": 1, "name": "第一次保存"}, format="json")
    assert first.status_code == 200
    assert first.json()["version"] == 2
    stale = api.patch(base(world), {"version": 1, "name": "过期的保存"}, format="json")
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_version"
    world.enterprise.refresh_from_db()
    assert (world.enterprise.name, world.enterprise.version) == ("第一次保存", 2)


def test_profile_update_needs_the_version():
    world = build_world()
    response = client_for(world.owner).patch(base(world), {"name": "x"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["version"]


def test_last_owner_cannot_leave():
    owner = EnterpriseMemberFactory()
    enterprise = owner.memberships.get().enterprise
    response = client_for(owner).post(f"/api/v1/enterprises/{enterprise.pk}/leave/")
    assert (response.status_code, response.json()["code"]) == (409, "last_owner")
    assert Membership.objects.get(user=owner).is_active


# --------------------------------------------------------------------------- figures


def year_url(world, suffix=""):
    return base(world) + "financial-years/" + suffix


def test_amounts_come_back_as_decimal_strings():
    world = build_world()
    body = client_for(world.owner).get(year_url(world, "2024/")).json()
    assert body["revenue"] == "12000000.00"
    assert body["net_profit"] == "-250000.50"
    assert (body["class_i_ip"], body["class_ii_ip"]) == (2, 5)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"revenue": "-1.00"}, "revenue"),
        ({"rd_expense": "9000000.01"}, "rd_expense"),
        ({"rd_staff": 81}, "rd_staff"),
        ({"year": timezone.localdate().year + 1}, "year"),
        ({"revenue": "12.345"}, "revenue"),
    ],
    ids=["negative revenue", "R&D above costs", "staff above employees", "future", "3 places"],
)
def test_invalid_figures_are_400_with_field_errors_and_nothing_saved(change, field):
    world = build_world()
    before = state(world)
    response = client_for(world.owner).post(
        year_url(world), {**FIGURES, "year": 2022, **change}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["detail"]
    assert body["errors"][field]
    assert state(world) == before


def test_adding_a_year_that_exists_is_a_conflict():
    world = build_world()
    response = client_for(world.owner).post(
        year_url(world), {**FIGURES, "year": 2024}, format="json"
    )
    assert (response.status_code, response.json()["code"]) == (409, "year_exists")


def test_changing_a_year_with_a_stale_version_changes_nothing():
    world = build_world()
    api = client_for(world.owner)
    ok = api.patch(year_url(world, "2024/"), {"version": 1, "employees": 90}, format="json")
    assert (ok.status_code, ok.json()["version"]) == (200, 2)
    stale = api.patch(year_url(world, "2024/"), {"version": 1, "employees": 99}, format="json")
    assert stale.status_code == 409
    world.year.refresh_from_db()
    assert (world.year.employees, world.year.version) == (90, 2)


def test_financing_need_below_the_minimum_is_refused():
    world = build_world()
    response = client_for(world.owner).post(
        base(world) + "financing-needs/",
        {"amount": "500.00", "term_months": 12, "purpose": "rd"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["amount"]
    assert FinancingNeed.objects.count() == 1


# --------------------------------------------------------------------------- claims


def claim_url(world, claim, suffix=""):
    return base(world) + f"claims/{claim.pk}/" + suffix


def test_executable_renamed_to_pdf_is_refused_with_a_clear_message():
    world = build_world()
    before = state(world)
    upload = SimpleUploadedFile("certificate.pdf", EXE, content_type="application/pdf")
    response = client_for(world.owner).post(
        claim_url(world, world.draft, "evidence/"),
        {"file": upload},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "upload_bad_type"
    assert "certificate.pdf" in body["detail"]
    assert "executable" in body["detail"]
    assert state(world) == before


def test_submitting_without_evidence_is_refused():
    world = build_world()
    api = client_for(world.owner)
    created = api.post(
        base(world) + "claims/",
        {"program": program("little-giant").code, "certificate_number": "XJR-1", "year": 2023},
        format="json",
    )
    assert created.status_code == 201
    claim_id = created.json()["id"]
    response = api.post(base(world) + f"claims/{claim_id}/submit/", {}, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "evidence_required")
    assert QualificationClaim.objects.get(pk=claim_id).status == ClaimStatus.DRAFT


def test_submitted_claim_can_no_longer_be_changed():
    world = build_world()
    api = client_for(world.owner)
    submitted = api.post(claim_url(world, world.draft, "submit/"), {}, format="json")
    assert (submitted.status_code, submitted.json()["status"]) == (200, "submitted")
    change = api.patch(
        claim_url(world, world.draft),
        {"version": submitted.json()["version"], "certificate_number": "X"},
        format="json",
    )
    assert (change.status_code, change.json()["code"]) == (409, "not_editable")
    remove = api.delete(claim_url(world, world.draft, f"evidence/{world.draft_evidence.pk}/"))
    assert remove.status_code == 409
    assert Evidence.objects.filter(pk=world.draft_evidence.pk).exists()


def test_evidence_download_streams_the_file():
    world = build_world()
    response = client_for(world.owner).get(
        claim_url(world, world.draft, f"evidence/{world.draft_evidence.pk}/download/")
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF


def test_bank_sees_verified_claims_only():
    world = build_world()
    api = client_for(world.callers["bank_consent"])
    listed = api.get(base(world) + "claims/").json()["results"]
    assert [c["id"] for c in listed] == [world.verified.pk]
    assert api.get(claim_url(world, world.draft)).status_code == 404
    download = claim_url(world, world.draft, f"evidence/{world.draft_evidence.pk}/download/")
    assert api.get(download).status_code == 404
    zone_listed = client_for(world.callers["zone_same"]).get(base(world) + "claims/").json()
    assert {c["id"] for c in zone_listed["results"]} == {world.draft.pk, world.verified.pk}


def test_evidence_of_another_enterprises_claim_is_404_through_this_enterprise():
    world = build_world()
    other = build_world()
    url = claim_url(world, other.draft, f"evidence/{other.draft_evidence.pk}/download/")
    # the other enterprise's owner knows the ids but not through this enterprise
    assert client_for(other.owner).get(url).status_code == 404
    assert client_for(world.owner).get(url).status_code == 404


# --------------------------------------------------------------------------- consent


def test_revoking_consent_hides_the_enterprise_from_the_bank_at_once():
    world = build_world()
    bank_api = client_for(world.callers["bank_consent"])
    assert bank_api.get(base(world)).status_code == 200
    revoke = client_for(world.owner).post(base(world) + f"consents/{world.consent.pk}/revoke/")
    assert revoke.status_code == 200
    assert revoke.json()["is_active"] is False
    assert bank_api.get(base(world)).status_code == 404
    assert bank_api.get(base(world) + "financial-years/").status_code == 404
    assert world.enterprise.pk not in {
        row["id"] for row in bank_api.get("/api/v1/enterprises/").json()["results"]
    }


def test_granting_consent_again_returns_the_active_one():
    world = build_world()
    response = client_for(world.owner).post(
        base(world) + "consents/",
        {"bank": world.consent.bank.code, "purpose": "financing"},
        format="json",
    )
    assert (response.status_code, response.json()["id"]) == (200, world.consent.pk)
    assert Consent.objects.count() == 1


def test_member_sees_who_at_the_bank_looked():
    world = build_world()
    banker = world.callers["bank_consent"]
    client_for(banker).get(base(world))
    log = client_for(world.owner).get(base(world) + "access-log/").json()["results"]
    assert [(e["viewer_email"], e["bank"], e["section"]) for e in log] == [
        (banker.email, world.consent.bank.code, "api:enterprise")
    ]


def test_token_authentication_works_for_a_bank_user_with_consent():
    world = build_world()
    banker = world.callers["bank_consent"]
    token = Token.objects.create(user=banker)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.get(base(world))
    assert response.status_code == 200
    assert response.json()["uscc"] == world.enterprise.uscc
    assert AccessLogEntry.objects.filter(viewer=banker, section="api:enterprise").count() == 1
    api.credentials(HTTP_AUTHORIZATION="Token wrong")
    assert api.get(base(world)).status_code == 401


# --------------------------------------------------------------------------- insights


def test_lifecycle_stage_comes_with_reasons():
    world = build_world()
    body = client_for(world.owner).get(base(world) + "lifecycle/").json()
    assert body["stage"] == "growth"
    assert body["figures_year"] == 2024
    assert body["reasons"]


def test_self_assessment_scores_the_latest_year_and_is_advisory():
    world = build_world()
    body = client_for(world.owner).get(base(world) + "self-assessment/").json()
    assert body["figures_year"] == 2024
    assert body["has_valid_hte_certificate"] is False
    result = body["result"]
    # 30 of 80 staff (37.5%): 20 points; R&D 1.5M of 12M revenue (12.5%): 50; a class I right: 30
    assert (result["staff_points"], result["rd_points"], result["results_points"]) == (20, 50, 30)
    assert (result["score"], result["passed"], result["route"]) == (100, True, "score")
    assert result["rd_basis"] == "revenue"
    assert body["note"]


def test_self_assessment_without_figures_has_no_result():
    owner = EnterpriseMemberFactory()
    enterprise = owner.memberships.get().enterprise
    body = client_for(owner).get(f"/api/v1/enterprises/{enterprise.pk}/self-assessment/").json()
    assert (body["figures_year"], body["result"]) == (None, None)


# --------------------------------------------------------------------------- programs


def test_programs_are_readable_by_any_signed_in_user_and_not_writable():
    api = client_for(UserFactory())
    listed = api.get("/api/v1/programs/").json()["results"]
    assert {"hte", "tsme", "srdi", "little-giant", "innovative-sme"} <= {p["code"] for p in listed}
    detail = api.get("/api/v1/programs/hte/")
    assert detail.status_code == 200
    assert detail.json()["name_zh"] == "高新技术企业"
    count = Program.objects.count()
    assert api.post("/api/v1/programs/", {"code": "x"}, format="json").status_code == 405
    assert api.delete("/api/v1/programs/hte/").status_code == 405
    assert Program.objects.count() == count
    assert APIClient().get("/api/v1/programs/").status_code == 401
