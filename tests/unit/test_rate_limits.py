"""Sign-in and sign-up are rate limited with the limits as configured (not test overrides):
five failed sign-ins for one account block that account from the address they came from,
never from others (an outsider cannot lock a staff member out), the owner is told when
failures pile up, and one address cannot open more than twenty accounts a minute. Behind
the proxy (``ALLAUTH_TRUSTED_PROXY_COUNT``) the address is the client's, not the proxy's."""

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from ecosystem.accounts.models import User
from ecosystem.accounts.services import LOGIN_FAILURES_NOTICE_AFTER
from ecosystem.core.models import Notification
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def from_address(ip: str) -> Client:
    return Client(REMOTE_ADDR=ip, headers={"accept-language": "en"})


def sign_in(ip: str, email: str, password: str):
    client = from_address(ip)
    response = client.post(reverse("account_login"), {"login": email, "password": password})
    return client, response


def test_limits_are_configured_for_sign_in_and_sign_up():
    limits = settings.ACCOUNT_RATE_LIMITS
    assert limits["login_failed"] == "10/m/ip,5/5m/key"
    assert limits["signup"] == "20/m/ip"
    assert limits["login"] == "30/m/ip"


def test_the_sixth_failed_sign_in_from_one_address_is_refused_there():
    UserFactory(email="target@example.com")
    for _ in range(5):
        client, response = sign_in("10.0.0.1", "target@example.com", "wrong-password")
        assert response.status_code == 200  # the form again, with an error
        assert SESSION_KEY not in client.session
    client, response = sign_in("10.0.0.1", "target@example.com", PASSWORD)
    assert SESSION_KEY not in client.session
    assert "Too many failed login attempts" in response.content.decode()


def test_failures_from_other_addresses_do_not_lock_the_owner_out():
    UserFactory(email="target@example.com")
    for n in range(10):
        sign_in(f"10.0.0.{n + 1}", "target@example.com", "wrong-password")
    client, _ = sign_in("10.0.1.1", "target@example.com", PASSWORD)
    assert SESSION_KEY in client.session


def behind_proxy(client_ip: str) -> Client:
    """A request through our one proxy (10.9.9.9), which appends the client's address."""
    return Client(
        REMOTE_ADDR="10.9.9.9",
        headers={"accept-language": "en", "x-forwarded-for": f"198.18.0.1, {client_ip}"},
    )


def test_behind_a_trusted_proxy_ten_failures_from_one_client_do_not_block_another(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    UserFactory(email="staff@example.com")
    url = reverse("account_login")
    for _ in range(10):
        attacker = behind_proxy("203.0.113.7")
        attacker.post(url, {"login": "staff@example.com", "password": "wrong-password"})
        assert SESSION_KEY not in attacker.session
    blocked = behind_proxy("203.0.113.7")
    response = blocked.post(url, {"login": "staff@example.com", "password": PASSWORD})
    assert SESSION_KEY not in blocked.session  # the attacker's address is limited
    assert "Too many failed login attempts" in response.content.decode()
    owner = behind_proxy("198.51.100.4")
    owner.post(url, {"login": "staff@example.com", "password": PASSWORD})
    assert SESSION_KEY in owner.session


def test_without_trusted_proxies_a_forged_forwarded_for_does_not_escape_the_limit(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    UserFactory(email="target@example.com")
    url = reverse("account_login")
    for n in range(5):
        behind_proxy(f"203.0.113.{n + 1}").post(
            url, {"login": "target@example.com", "password": "wrong-password"}
        )
    client = behind_proxy("203.0.113.99")  # the same REMOTE_ADDR, a new forged header
    response = client.post(url, {"login": "target@example.com", "password": PASSWORD})
    assert SESSION_KEY not in client.session
    assert "Too many failed login attempts" in response.content.decode()


def test_the_owner_is_told_once_when_failures_pile_up():
    user = UserFactory(email="target@example.com")
    for n in range(LOGIN_FAILURES_NOTICE_AFTER + 3):
        sign_in(f"10.0.3.{n + 1}", "target@example.com", "wrong-password")
    notices = Notification.objects.filter(recipient=user, kind="login_failures")
    assert notices.count() == 1


def test_nobody_is_told_of_failures_below_the_threshold():
    user = UserFactory(email="target@example.com")
    for n in range(LOGIN_FAILURES_NOTICE_AFTER - 1):
        sign_in(f"10.0.3.{n + 1}", "target@example.com", "wrong-password")
    assert not Notification.objects.filter(recipient=user).exists()


def test_four_failures_do_not_lock_the_account():
    UserFactory(email="target@example.com")
    for n in range(4):
        sign_in(f"10.0.0.{n + 1}", "target@example.com", "wrong-password")
    client, _ = sign_in("10.0.1.1", "target@example.com", PASSWORD)
    assert SESSION_KEY in client.session


def test_a_locked_account_does_not_lock_others_signing_in_from_the_same_address():
    UserFactory(email="target@example.com")
    UserFactory(email="bystander@example.com")
    for _ in range(5):
        sign_in("10.0.0.1", "target@example.com", "wrong-password")
    client, _ = sign_in("10.0.0.1", "bystander@example.com", PASSWORD)
    assert SESSION_KEY in client.session


def test_one_address_opens_at_most_twenty_accounts_a_minute():
    client = from_address("10.0.2.1")
    codes = []
    for n in range(21):
        data = {
            "email": f"burst{n}@example.com",
            "password1": "Kx9!long-enough-pass",
            "password2": "Kx9!long-enough-pass",
        }
        codes.append(client.post(reverse("account_signup"), data).status_code)
        client.logout()
    assert codes[:20] == [302] * 20
    assert codes[20] == 429
    assert not User.objects.filter(email="burst20@example.com").exists()
    other = from_address("10.0.2.2").post(
        reverse("account_signup"),
        {
            "email": "elsewhere@example.com",
            "password1": "Kx9!long-enough-pass",
            "password2": "Kx9!long-enough-pass",
        },
    )
    assert other.status_code == 302
