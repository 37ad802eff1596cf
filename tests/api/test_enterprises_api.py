"""The enterprise API (/api/v1/enterprises/…, /api/v1/join-requests/, /api/v1/programs/).

A permission matrix runs every endpoint and method for every kind of caller; a denied
call is shown to change nothing. The world it runs in is in ``tests/worlds/enterprise_api.py``; the
behaviour tests are in ``test_enterprises_api_flows.py`` (registration, profile, figures,
insights, programs) and ``test_enterprises_api_claims_consent.py`` (claims, evidence,
consent, the access log and token access).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from ecosystem.enterprises.models import AccessLogEntry
from tests.worlds.enterprise_api import (
    FIGURES,
    World,
    base,
    build_world,
    client_for,
    pdf,
    state,
)

pytestmark = pytest.mark.django_db


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
