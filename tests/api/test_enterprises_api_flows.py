"""The enterprise API beyond its permission matrix: registration and join requests,
profile versions, yearly figures, lifecycle and self-assessment, programs. Claims,
evidence, consent and the access log are in ``test_enterprises_api_claims_consent.py``."""

from __future__ import annotations

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from ecosystem.accounts.models import Membership
from ecosystem.accounts.roles import Role
from ecosystem.enterprises.models import Enterprise, FinancingNeed
from ecosystem.registries.models import Program
from tests.factories import (
    EnterpriseMemberFactory,
    UserFactory,
    ZoneFactory,
    make_uscc,
)
from tests.worlds.enterprise_api import FIGURES, base, build_world, client_for, state

pytestmark = pytest.mark.django_db


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
