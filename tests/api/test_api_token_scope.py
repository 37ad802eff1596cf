"""What a staff API token reaches: a read-only token reads within its owner's scope and
every write is 403; an integration token reaches its bank's lead feed and nothing else;
an expired, revoked or refused token is 401; the last use is written once a minute; the
old unscoped tokens were migrated to short-lived read-only ones."""

from __future__ import annotations

import importlib
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from ecosystem.accounts.api.permissions import TokenScope
from ecosystem.accounts.models import Membership, StaffToken
from ecosystem.accounts.roles import Role
from ecosystem.financing.models import Lead
from tests.factories import ZoneOfficialFactory, api_key_for
from tests.worlds.leads import World
from tests.worlds.tokens import token_client

pytestmark = pytest.mark.django_db
LEADS = "/api/v1/financing/leads/"


@pytest.fixture(autouse=True)
def no_settle(settings):
    settings.LEADS_FEED_SETTLE_SECONDS = 0


def lead_ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return sorted(row["id"] for row in response.json()["results"])


@pytest.fixture
def two_banks():
    """``one.manager`` manages bank one and is also an RM of bank two's branch."""
    one, two = World(), World()
    Membership.objects.create(user=one.manager, role=Role.BANK_RM, bank=two.bank, branch=two.branch)
    return one, two


def test_a_read_only_token_reads_the_owner_s_scope_and_cannot_write(two_banks):
    one, two = two_banks
    api = token_client(api_key_for(one.manager))
    assert lead_ids(api.get(LEADS)) == sorted([one.lead.pk, two.lead.pk])
    assert api.get("/api/v1/me/").status_code == 200
    before = Lead.objects.values_list("pk", "status", "assigned_to_id").order_by("pk")
    before = list(before)
    for method, url in [
        ("post", f"{LEADS}{one.lead.pk}/claim/"),
        ("post", f"{LEADS}{one.lead.pk}/assign/"),
        ("post", f"{LEADS}{one.lead.pk}/transition/"),
        ("patch", f"/api/v1/enterprises/{one.enterprise.pk}/"),
        ("delete", f"/api/v1/enterprises/{one.enterprise.pk}/"),
        ("put", "/api/v1/me/"),
    ]:
        response = getattr(api, method)(url, {}, format="json")
        assert response.status_code == 403, (method, url)
    assert "read-only" in api.post(f"{LEADS}{one.lead.pk}/claim/").json()["detail"]
    after = list(Lead.objects.values_list("pk", "status", "assigned_to_id").order_by("pk"))
    assert after == before


def test_an_integration_token_reaches_only_its_bank_s_lead_feed(two_banks):
    one, two = two_banks
    api = token_client(api_key_for(one.manager, kind="lead_feed", bank=one.bank))
    assert lead_ids(api.get(LEADS)) == [one.lead.pk]
    assert api.get(f"{LEADS}{one.lead.pk}/").status_code == 200
    assert api.get(f"{LEADS}{two.lead.pk}/").status_code == 404
    for url in [
        "/api/v1/me/",
        "/api/v1/financing/products/",
        "/api/v1/financing/matches/",
        "/api/v1/financing/dashboard/",
        f"/api/v1/enterprises/{one.enterprise.pk}/",
        "/api/v1/programs/",
    ]:
        response = api.get(url)
        assert response.status_code == 403, url
        assert "lead feed" in response.json()["detail"]


def test_an_integration_token_works_its_feed_within_the_owner_s_role(two_banks):
    one, two = two_banks
    rm_api = token_client(api_key_for(one.rm, kind="lead_feed", bank=one.bank))
    assert rm_api.post(f"{LEADS}{one.lead.pk}/claim/").status_code == 200
    one.lead.refresh_from_db()
    assert one.lead.assigned_to == one.rm
    # The other bank's lead stays out of reach of a feed token of bank one.
    feed = token_client(api_key_for(one.manager, kind="lead_feed", bank=one.bank))
    assert feed.post(f"{LEADS}{two.lead.pk}/claim/").status_code == 404
    two.lead.refresh_from_db()
    assert two.lead.assigned_to is None


def test_an_rm_s_integration_token_keeps_the_branch_scope():
    world = World()
    api = token_client(api_key_for(world.rm_other_branch, kind="lead_feed", bank=world.bank))
    assert lead_ids(api.get(LEADS)) == []


@pytest.mark.parametrize("state", ["expired", "revoked", "unknown", "official", "left_bank"])
def test_expired_revoked_unknown_or_no_longer_allowed_tokens_get_401(state):
    world = World()
    user = world.rm
    now = timezone.now()
    fields = {
        "expired": {"expires_at": now - timedelta(seconds=1)},
        "revoked": {"revoked_at": now},
    }.get(state, {})
    key = api_key_for(user, kind="lead_feed", bank=world.bank, **fields)
    if not fields:
        assert token_client(key).get(LEADS).status_code == 200  # until the change below
    if state == "unknown":
        key = key[:-2] + "xx"
    elif state == "official":
        Membership.objects.filter(user=ZoneOfficialFactory()).update(user=user)
    elif state == "left_bank":
        Membership.objects.filter(user=user).update(is_active=False)
    response = token_client(key).get(LEADS)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_the_last_use_is_written_at_most_once_a_minute():
    world = World()
    key = api_key_for(world.manager)
    api = token_client(key)
    token = StaffToken.objects.get()
    assert token.last_used_at is None
    api.get("/api/v1/me/")
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    with CaptureQueriesContext(connection) as queries:
        api.get("/api/v1/me/")
    assert not [q for q in queries if q["sql"].lstrip().upper().startswith("UPDATE")]
    token.refresh_from_db()
    assert token.last_used_at == first
    StaffToken.objects.update(last_used_at=first - timedelta(seconds=61))
    api.get("/api/v1/me/")
    token.refresh_from_db()
    assert token.last_used_at > first - timedelta(seconds=1)


def _api_views(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from _api_views(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and (prefix + str(pattern.pattern)).startswith(
            "api/v1/"
        ):
            yield prefix + str(pattern.pattern), getattr(pattern.callback, "cls", None)


def test_every_api_view_applies_the_token_scope():
    """A view that set its own permission classes would let a read-only token write."""
    views = [(route, cls) for route, cls in _api_views() if cls is not None]
    assert len(views) > 50
    missing = [
        route
        for route, cls in views
        if TokenScope not in {type(p) for p in cls().get_permissions()}
    ]
    assert missing == []


def test_old_unscoped_tokens_become_read_only_for_two_weeks_or_end():
    """The migration: allowed staff keep their old key, read-only, for 14 days; platform
    admins and zone officials lose theirs; the plaintext keys are deleted."""
    migration = importlib.import_module(
        "ecosystem.accounts.migrations.0005_staff_tokens_replace_drf_tokens"
    )
    world = World()
    official = ZoneOfficialFactory()
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamp, "
            "user_id integer)"
        )
        for key, user in [("a" * 40, world.rm), ("b" * 40, official), ("c" * 40, world.member)]:
            cursor.execute(
                "INSERT INTO authtoken_token (key, created, user_id) VALUES (%s, %s, %s)",
                [key, timezone.now(), user.pk],
            )
    # The function reads only the editor's connection.
    migration.migrate_drf_tokens(apps, SimpleNamespace(connection=connection))
    token = StaffToken.objects.get()
    assert (token.user, token.kind, token.bank) == (world.rm, "read_only", None)
    assert timedelta(days=13) < token.expires_at - timezone.now() <= timedelta(days=14)
    assert lead_ids(token_client("a" * 40).get(LEADS)) == [world.lead.pk]
    assert token_client("a" * 40).post(f"{LEADS}{world.lead.pk}/claim/").status_code == 403
    assert token_client("b" * 40).get("/api/v1/me/").status_code == 401
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM authtoken_token")
        assert cursor.fetchone() == (0,)
