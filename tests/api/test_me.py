"""/api/v1/me: the user, roles and scopes; read-only, so no one grants themselves a role."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from ecosystem.accounts.models import Membership
from tests.factories import (
    BankStaffFactory,
    EnterpriseMemberFactory,
    UserFactory,
    ZoneFactory,
    ZoneOfficialFactory,
    api_key_for,
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/me/"


@pytest.fixture
def api():
    return APIClient()


def test_anonymous_gets_401(api):
    assert api.get(URL).status_code == 401


def test_enterprise_member_sees_role_and_scope(api):
    member = EnterpriseMemberFactory()
    api.force_authenticate(member)
    data = api.get(URL).json()
    assert data["email"] == member.email
    assert data["roles"] == ["enterprise_owner"]
    scope = data["memberships"][0]["scope"]
    enterprise = Membership.objects.get(user=member).enterprise
    assert scope == {
        "type": "enterprise",
        "id": enterprise.pk,
        "code": enterprise.uscc,
        "name": enterprise.name,
    }


def test_relationship_manager_scope_is_the_branch(api):
    rm = BankStaffFactory()
    api.force_authenticate(rm)
    data = api.get(URL).json()
    assert data["roles"] == ["bank_rm"]
    assert data["memberships"][0]["scope"]["type"] == "branch"
    assert data["second_factor"] is True


def test_token_authentication_for_system_integration(api):
    rm = BankStaffFactory()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_key_for(rm)}")
    assert api.get(URL).json()["email"] == rm.email
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert api.get(URL).status_code == 401


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_me_cannot_be_written(api, method):
    user = UserFactory()
    zone = ZoneFactory()
    api.force_authenticate(user)
    payload = {
        "roles": ["zone_official"],
        "is_platform_admin": True,
        "memberships": [{"role": "zone_official", "scope": {"type": "zone", "id": zone.pk}}],
    }
    response = getattr(api, method)(URL, payload, format="json")
    assert response.status_code == 405
    user.refresh_from_db()
    assert not user.is_superuser
    assert not Membership.objects.filter(user=user).exists()


def test_no_api_route_accepts_writes_to_memberships_or_invitations():
    from django.urls import get_resolver

    def walk(patterns, prefix=""):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            else:
                yield prefix + str(p.pattern)

    api_routes = [r for r in walk(get_resolver().url_patterns) if r.startswith("api/")]
    assert api_routes, "the API router is empty"
    assert not [r for r in api_routes if "membership" in r or "invitation" in r]


def test_staff_without_second_factor_is_refused(api):
    api.force_authenticate(ZoneOfficialFactory(second_factor=False))
    response = api.get(URL)
    assert response.status_code == 403


def test_schema_and_offline_docs(client):
    schema = client.get(reverse("api-schema"))
    assert schema.status_code == 200
    assert b"/api/v1/me/" in schema.content
    docs = client.get(reverse("api-docs")).content.decode()
    assert "swagger-ui" in docs
    for cdn in ("cdn.jsdelivr", "unpkg.com", "cdnjs", "fonts.googleapis"):
        assert cdn not in docs
