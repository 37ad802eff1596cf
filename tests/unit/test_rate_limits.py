"""Sign-in and sign-up are rate limited with the limits as configured (not test overrides):
five failed sign-ins for one account lock it for everyone, whatever address they come from,
and one address cannot open more than twenty accounts a minute."""

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from ecosystem.accounts.models import User
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


def test_the_sixth_failed_sign_in_for_an_account_is_refused_from_any_address():
    UserFactory(email="target@example.com")
    for n in range(5):
        client, response = sign_in(f"10.0.0.{n + 1}", "target@example.com", "wrong-password")
        assert response.status_code == 200  # the form again, with an error
        assert SESSION_KEY not in client.session
    client, response = sign_in("10.0.1.1", "target@example.com", PASSWORD)
    assert SESSION_KEY not in client.session
    assert "Too many failed login attempts" in response.content.decode()


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
