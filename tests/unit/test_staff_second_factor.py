"""Staff must enrol TOTP before any staff page opens."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from tests.factories import (
    PASSWORD,
    BankManagerFactory,
    BankStaffFactory,
    EnterpriseMemberFactory,
    PlatformAdminFactory,
    RegistryOfficerFactory,
    ZoneOfficialFactory,
)

pytestmark = pytest.mark.django_db

STAFF_FACTORIES = [
    ZoneOfficialFactory,
    RegistryOfficerFactory,
    BankStaffFactory,
    BankManagerFactory,
    PlatformAdminFactory,
]
STAFF_PAGES = ["home", "my_enterprises", "notification_list", "admin:index"]


@pytest.mark.parametrize("factory", STAFF_FACTORIES)
@pytest.mark.parametrize("page", STAFF_PAGES)
def test_staff_without_second_factor_is_sent_to_enrol(client, factory, page):
    client.force_login(factory(second_factor=False))
    response = client.get(reverse(page))
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


@pytest.mark.parametrize("factory", STAFF_FACTORIES)
def test_staff_without_second_factor_gets_no_api(client, factory):
    client.force_login(factory(second_factor=False))
    response = client.get(reverse("api-me"))
    assert response.status_code == 403


def test_login_of_staff_without_second_factor_ends_on_the_enrolment_page(client):
    official = ZoneOfficialFactory(second_factor=False)
    response = client.post(
        reverse("account_login"), {"login": official.email, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("mfa_activate_totp")
    assert response.status_code == 200
    assert b"totp" in response.content.lower()


def test_after_enrolment_staff_pages_open(client):
    official = ZoneOfficialFactory(second_factor=False)
    client.force_login(official)
    assert client.get(reverse("home")).status_code == 302
    TOTP.activate(official, generate_totp_secret())
    assert client.get(reverse("home")).status_code == 200


def test_enterprise_members_need_no_second_factor(client):
    client.force_login(EnterpriseMemberFactory())
    assert client.get(reverse("home")).status_code == 200


def test_staff_session_expires_sooner(client, settings):
    settings.STAFF_SESSION_AGE = 1800
    client.force_login(ZoneOfficialFactory())
    client.get(reverse("home"))
    assert client.session.get_expiry_age() == 1800
