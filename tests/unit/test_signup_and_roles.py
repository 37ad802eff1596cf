"""Self sign-up gives a plain account: verified email required, never a staff role or scope."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from ecosystem.accounts.models import Membership, User
from tests.factories import PASSWORD, UserFactory, ZoneFactory

pytestmark = pytest.mark.django_db

SIGNUP = {"email": "Founder@Example.com", "password1": PASSWORD, "password2": PASSWORD}


def test_signup_sends_verification_and_does_not_log_in(client):
    response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(email="founder@example.com")
    assert not EmailAddress.objects.get(user=user).verified
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == 1
    assert re.search(r"/accounts/confirm-email/[^/\s]+/", mail.outbox[0].body)


def test_signup_form_ignores_role_and_scope_fields(client):
    zone = ZoneFactory()
    client.post(
        reverse("account_signup"),
        {
            **SIGNUP,
            "role": "zone_official",
            "zone": zone.pk,
            "is_staff": "on",
            "is_superuser": "on",
            "memberships": "1",
        },
    )
    user = User.objects.get(email="founder@example.com")
    assert not user.is_staff and not user.is_superuser
    assert not Membership.objects.filter(user=user).exists()


def test_unverified_user_cannot_sign_in(client):
    UserFactory(email="late@example.com", verified=False)
    client.post(reverse("account_login"), {"login": "late@example.com", "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_unverified_user_cannot_reach_enterprise_pages(client):
    user = UserFactory(verified=False)
    client.force_login(user)
    response = client.get(reverse("my_enterprises"))
    assert b'data-testid="my-enterprises"' not in response.content
    assert response.status_code == 200  # allauth's "verify your email first" page
    assert len(mail.outbox) == 1  # and it re-sent the verification


def test_verified_user_reaches_enterprise_pages(client):
    client.force_login(UserFactory())
    response = client.get(reverse("my_enterprises"))
    assert b'data-testid="my-enterprises"' in response.content


def test_password_reset_sends_a_working_link(client):
    UserFactory(email="forgot@example.com")
    client.post(reverse("account_reset_password"), {"email": "forgot@example.com"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[0].body)
    assert link
    response = client.get(link.group(1), follow=True)
    assert response.status_code == 200
    assert b"password1" in response.content


def test_signup_is_rate_limited(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/m/ip"}
    codes = []
    for n in range(3):
        data = {**SIGNUP, "email": f"burst{n}@example.com"}
        codes.append(client.post(reverse("account_signup"), data).status_code)
    assert codes[:2] == [302, 302]
    assert codes[2] == 429
    assert not User.objects.filter(email="burst2@example.com").exists()


def test_failed_logins_are_rate_limited(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "2/m/ip"}
    UserFactory(email="target@example.com")
    right = {"login": "target@example.com", "password": PASSWORD}
    client.post(reverse("account_login"), right)
    assert "_auth_user_id" in client.session  # the right password works at first
    client.logout()
    for _ in range(3):
        client.post(reverse("account_login"), {**right, "password": "wrong"})
    # once the limit is reached even the right password is refused
    client.post(reverse("account_login"), right)
    assert "_auth_user_id" not in client.session


def test_language_switch_changes_the_page_language(client):
    response = client.get(reverse("home"))
    assert b'<html lang="zh-hans">' in response.content
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("home"))
    assert b'<html lang="en">' in response.content
