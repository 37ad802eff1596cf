"""Hostile query strings never reach the database as a 500: a NUL character is a 400 on every
URL, and an integer too large for any column is a 400 or a 404 on every page and API
endpoint, for every role. Runs on SQLite and, with ``DATABASE_URL``, on PostgreSQL."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.worlds.permission_matrix import MATRIX
from tests.worlds.permission_matrix.world import World

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
#: Every name a page or API filter reads from the query string.
FILTERS = (
    "zone", "enterprise", "product", "chain", "program", "industry", "section", "status",
    "q", "page", "uscc", "kind", "batch", "tab", "year", "bank", "branch", "node", "level",
)  # fmt: skip
ROLES = ("member", "official", "registry", "manager", "rm", "admin")


def _client(user) -> Client:
    client = Client(headers={"accept-language": "en"}, raise_request_exception=False)
    client.force_login(user)
    return client


def _get_urls(world) -> list[tuple[str, str]]:
    return [
        (name, world.url(name, entry))
        for name, entry in sorted(MATRIX.items())
        if entry.method == "GET" and name not in ("healthz-ready",)
    ]


@pytest.fixture(scope="module")
def world(module_db):
    """Built once for the module; each test reads it in a savepoint rolled back after it."""
    return World(module_db.capture)


def test_a_huge_integer_in_any_filter_is_a_400_or_404_never_a_500(world):
    query = dict.fromkeys(FILTERS, HUGE)
    failures = []
    for role in ROLES:
        client = _client(world.users[role])
        for name, url in _get_urls(world):
            status = client.get(url, query).status_code
            if status >= 500:
                failures.append(f"{name} {url} as {role}: {status}")
    assert failures == []


def test_a_nul_character_in_the_query_string_is_a_400_everywhere(world):
    client = _client(world.users["admin"])
    failures = []
    for name, url in _get_urls(world):
        for query in ({"q": "a\x00b"}, {"zone": "\x00"}, {"status\x00": "x"}):
            response = client.get(url, query)
            if response.status_code != 400:
                failures.append(f"{name} {url} {query!r}: {response.status_code}")
    assert failures == []


def test_a_nul_character_in_an_api_filter_answers_in_the_api_error_shape(world):
    client = _client(world.users["official"])
    response = client.get("/api/v1/enterprises/", {"q": "x\x00"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


@pytest.mark.parametrize(
    ("role", "path", "name"),
    [
        ("official", "/api/v1/zones/dashboard/", "zone"),
        ("official", "/api/v1/chains/ic/coverage/", "zone"),
        ("member", "/api/v1/financing/matches/", "enterprise"),
        ("manager", "/api/v1/financing/matches/", "product"),
    ],
)
def test_an_id_filter_too_large_for_any_column_is_a_400(world, role, path, name):
    response = _client(world.users[role]).get(path, {name: HUGE})
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid"
    assert name in response.json()["errors"]
