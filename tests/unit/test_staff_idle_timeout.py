"""A staff session ends after STAFF_IDLE_TIMEOUT without a request (on top of its absolute
age); activity keeps it alive; enterprise users are not timed out this way."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from ecosystem.accounts import middleware
from tests.factories import BankStaffFactory, EnterpriseMemberFactory, ZoneOfficialFactory

pytestmark = pytest.mark.django_db

MINUTE = 60
START = 1_800_000_000.0


class Clock:
    def __init__(self):
        self.now = START

    def advance(self, minutes: float) -> None:
        self.now += minutes * MINUTE


@pytest.fixture
def clock(monkeypatch):
    frozen = Clock()
    monkeypatch.setattr(middleware, "_clock", lambda: frozen.now)
    return frozen


def signed_in(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def is_signed_in(client: Client) -> bool:
    return SESSION_KEY in client.session


def test_default_idle_timeout_is_thirty_minutes(settings):
    assert settings.STAFF_IDLE_TIMEOUT == 30 * MINUTE


def test_an_idle_staff_session_ends_and_the_next_page_asks_to_sign_in(clock):
    client = signed_in(ZoneOfficialFactory())
    assert client.get(reverse("zone_queue")).status_code == 200
    clock.advance(31)
    response = client.get(reverse("zone_queue"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={reverse('zone_queue')}"
    assert not is_signed_in(client)
    page = client.get(response["Location"])
    assert "signed out after 30 minutes without activity" in page.content.decode()


def test_activity_keeps_a_staff_session_alive(clock):
    client = signed_in(ZoneOfficialFactory())
    for _ in range(5):  # 5 × 25 minutes: far past the timeout in total, never idle for it
        assert client.get(reverse("zone_queue")).status_code == 200
        clock.advance(25)
    assert client.get(reverse("zone_queue")).status_code == 200
    assert is_signed_in(client)


def test_the_idle_timeout_follows_the_setting(clock, settings):
    settings.STAFF_IDLE_TIMEOUT = 5 * MINUTE
    client = signed_in(BankStaffFactory())
    client.get(reverse("home"))
    clock.advance(4)
    assert client.get(reverse("home")).status_code == 200
    clock.advance(6)
    client.get(reverse("home"))
    assert not is_signed_in(client)


def test_an_idle_staff_session_no_longer_reaches_the_api(clock):
    client = signed_in(BankStaffFactory())
    assert client.get("/api/v1/me/").status_code == 200
    clock.advance(45)
    assert client.get("/api/v1/me/").status_code == 401
    assert not is_signed_in(client)


def test_enterprise_members_are_not_timed_out_for_idling(clock):
    client = signed_in(EnterpriseMemberFactory())
    client.get(reverse("home"))
    clock.advance(120)
    assert client.get(reverse("home")).status_code == 200
    assert is_signed_in(client)
