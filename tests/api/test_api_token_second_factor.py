"""A token request's second-factor check reads the owner's authenticator with the token
(one query, not two), and still refuses an owner who has none."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ecosystem.financing.models import Lead
from tests.factories import api_key_for
from tests.worlds.leads import World
from tests.worlds.tokens import token_client

pytestmark = pytest.mark.django_db
LEADS = "/api/v1/financing/leads/"


@pytest.fixture(autouse=True)
def no_settle(settings):
    settings.LEADS_FEED_SETTLE_SECONDS = 0


def authenticator_reads(queries) -> list[str]:
    """The second-factor check's own query (``has_second_factor``'s ``exists()``)."""
    return [
        q["sql"]
        for q in queries.captured_queries
        if re.match(r'SELECT \S+ AS "a" FROM "mfa_authenticator"', q["sql"])
    ]


def test_a_token_request_reads_the_second_factor_with_the_token():
    world = World()
    api = token_client(api_key_for(world.rm, kind="lead_feed", bank=world.bank))
    with CaptureQueriesContext(connection) as queries:
        response = api.get(LEADS)
    assert response.status_code == 200, response.content
    assert [row["id"] for row in response.json()["results"]] == [world.lead.pk]
    assert authenticator_reads(queries) == []
    assert any("mfa_authenticator" in q["sql"] for q in queries.captured_queries)


def test_a_token_owner_without_a_second_factor_is_refused_and_nothing_changes():
    world = World()
    api = token_client(api_key_for(world.rm, kind="lead_feed", bank=world.bank))
    Authenticator.objects.filter(user=world.rm).delete()
    before = list(Lead.objects.values_list("pk", "status", "assigned_to_id"))
    assert api.get(LEADS).status_code == 403
    answer = api.post(f"{LEADS}{world.lead.pk}/claim/")
    assert answer.status_code == 403
    assert "two-factor" in answer.json()["detail"]
    assert list(Lead.objects.values_list("pk", "status", "assigned_to_id")) == before
