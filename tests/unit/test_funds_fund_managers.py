"""A platform admin appoints a scheme's fund managers (an existing staff account; a zone
official may be one) and ends an appointment on the scheme's managers page; refusals
change nothing; the staff invitation form still does not offer the role."""

import pytest
from django.test import Client
from django.urls import reverse

from ecosystem.accounts.models import Membership
from ecosystem.accounts.roles import INVITABLE_ROLES, Role
from ecosystem.accounts.scope import scope_of
from ecosystem.core.errors import ApplicationError
from ecosystem.core.models import AuditEvent
from ecosystem.funds.services.schemes import fund_manager_appoint, fund_manager_end
from tests.factories import (
    EnterpriseMemberFactory,
    PlatformAdminFactory,
    SchemeVersionFactory,
    ZoneOfficialFactory,
)

pytestmark = pytest.mark.django_db


def _client(user, language="en"):
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


def _state(scheme):
    return (
        sorted(Membership.objects.filter(scheme=scheme).values_list("user_id", "is_active")),
        AuditEvent.objects.count(),
    )


def test_an_admin_appoints_a_zone_official_and_ends_the_appointment():
    scheme = SchemeVersionFactory().scheme
    admin, official = PlatformAdminFactory(), ZoneOfficialFactory()
    page = _client(admin).get(reverse("funds:scheme_managers", args=[scheme.pk]))
    assert page.status_code == 200 and 'data-testid="appoint-form"' in page.content.decode()
    response = _client(admin).post(
        reverse("funds:scheme_manager_appoint", args=[scheme.pk]),
        {"email": official.email.upper()},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(scheme=scheme, user=official)
    assert membership.is_active and scope_of(official, fresh=True).manages_scheme(scheme.pk)
    assert (
        _client(official).get(reverse("funds:scheme_version_create", args=[scheme.pk])).status_code
        == 200
    )
    listing = _client(admin).get(reverse("funds:scheme_managers", args=[scheme.pk]))
    assert official.email in listing.content.decode()
    ended = _client(admin).post(
        reverse("funds:scheme_manager_end", args=[scheme.pk, membership.pk])
    )
    assert ended.status_code == 302
    membership.refresh_from_db()
    assert not membership.is_active
    assert not scope_of(official, fresh=True).manages_scheme(scheme.pk)
    assert AuditEvent.objects.filter(verb="scheme.fund_manager_ended").count() == 1
    assert (
        _client(official).get(reverse("funds:scheme_version_create", args=[scheme.pk])).status_code
        == 404
    )
    # Appointed again: the same membership comes back.
    fund_manager_appoint(scheme=scheme, user=official, actor=admin)
    assert Membership.objects.filter(scheme=scheme, user=official, is_active=True).count() == 1


@pytest.mark.parametrize("who", ["unknown", "member", "twice"])
def test_an_appointment_that_cannot_be_made_is_refused_beside_the_email(who):
    scheme = SchemeVersionFactory().scheme
    admin = PlatformAdminFactory()
    official = ZoneOfficialFactory()
    fund_manager_appoint(scheme=scheme, user=official, actor=admin)
    email = {
        "unknown": "nobody@example.cn",
        "member": EnterpriseMemberFactory().email,  # a firm's account is not staff
        "twice": official.email,
    }[who]
    before = _state(scheme)
    response = _client(admin).post(
        reverse("funds:scheme_manager_appoint", args=[scheme.pk]), {"email": email}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-testid="error-email"' in body and f'value="{email}"' in body
    assert _state(scheme) == before


def test_only_platform_admins_appoint_and_end():
    scheme = SchemeVersionFactory().scheme
    admin, official = PlatformAdminFactory(), ZoneOfficialFactory()
    membership = fund_manager_appoint(scheme=scheme, user=official, actor=admin)
    before = _state(scheme)
    # A fund manager of the scheme may not appoint a colleague nor end an appointment.
    client = _client(official)
    assert client.get(reverse("funds:scheme_managers", args=[scheme.pk])).status_code == 404
    other = ZoneOfficialFactory()
    url = reverse("funds:scheme_manager_appoint", args=[scheme.pk])
    assert client.post(url, {"email": other.email}).status_code == 404
    end_url = reverse("funds:scheme_manager_end", args=[scheme.pk, membership.pk])
    assert client.post(end_url).status_code == 404
    with pytest.raises(ApplicationError):
        fund_manager_end(membership=membership, actor=official)
    with pytest.raises(ApplicationError):
        fund_manager_appoint(scheme=scheme, user=other, actor=official)
    assert _state(scheme) == before


def test_ending_twice_changes_nothing_the_second_time():
    scheme = SchemeVersionFactory().scheme
    admin = PlatformAdminFactory()
    membership = fund_manager_appoint(scheme=scheme, user=ZoneOfficialFactory(), actor=admin)
    fund_manager_end(membership=membership, actor=admin)
    before = _state(scheme)
    with pytest.raises(ApplicationError):
        fund_manager_end(membership=membership, actor=admin)
    assert _state(scheme) == before


def test_the_staff_invitation_still_does_not_offer_the_fund_manager_role():
    assert Role.FUND_MANAGER not in INVITABLE_ROLES
    client = _client(PlatformAdminFactory())
    form = client.get(reverse("admin:accounts_invitation_add")).content.decode()
    assert 'value="bank_manager"' in form and 'value="fund_manager"' not in form
