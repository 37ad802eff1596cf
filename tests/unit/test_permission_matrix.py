"""Every URL pattern has a permission-matrix entry (``tests/permission_matrix.py``), and
every entry holds: each URL is requested as each role and answers the expected status; an
unsafe request that a role may not make changes nothing.

Each request runs inside a transaction that is rolled back, so the world stays the same
from one request to the next and a permitted POST cannot disturb the rest of the matrix.

``PERMISSION_MATRIX_PROBE=1`` prints the observed table in the matrix's format, as a start
for the entry of a new URL (read it before pasting: it records what is, not what should be).
"""

from __future__ import annotations

import os

import pytest
from django.contrib.admin import site as admin_site
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.permission_matrix import ADMIN_GROUP, MATRIX, ROLES

pytestmark = pytest.mark.django_db

PROBE = os.environ.get("PERMISSION_MATRIX_PROBE") == "1"


# --- every pattern, with its name -------------------------------------------------------


def all_patterns(patterns=None, prefix="", namespace=None):
    """(name or None, route) of every URL pattern, API router and allauth included."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from all_patterns(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield name, prefix + str(pattern.pattern)


def is_admin(name: str | None, route: str) -> bool:
    return route.startswith("admin/") or bool(name and name.startswith("admin:"))


def test_every_url_pattern_has_a_matrix_entry():
    missing = sorted(
        {
            f"{name or '(unnamed)'} {route}"
            for name, route in all_patterns()
            if not is_admin(name, route) and name not in MATRIX
        }
    )
    assert missing == [], "add these to tests/permission_matrix.py"


def test_every_matrix_entry_names_a_url_pattern():
    names = {name for name, _ in all_patterns()}
    assert sorted(set(MATRIX) - names) == []


def test_the_admin_is_covered_as_a_group():
    admin = [(name, route) for name, route in all_patterns() if is_admin(name, route)]
    assert admin and ADMIN_GROUP.statuses


from tests.worlds.permission import World, check, client_for, request  # noqa: E402


def admin_urls() -> list[str]:
    urls = [reverse("admin:index")]
    for model in admin_site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
    return urls


AREAS = ("api", "enterprises", "financing", "zones", "registries", "chains", "accounts")


def groups() -> dict[str, list[str]]:
    """Entry names by the first segment of their route (one world per area)."""
    routes = {name: route for name, route in all_patterns() if name in MATRIX}
    by_area: dict[str, list[str]] = {}
    for name in MATRIX:
        first = routes.get(name, "").split("/")[0]
        by_area.setdefault(first if first in AREAS else "other", []).append(name)
    return by_area


@pytest.mark.parametrize("area", [*AREAS, "other"])
def test_each_role_gets_what_the_matrix_says(area):
    world = World()
    problems = check(world, groups().get(area, []))
    assert problems == []


def test_the_admin_opens_to_platform_admins_only():
    world = World()
    problems = []
    for role, user in world.users.items():
        client = client_for(user)
        for url in admin_urls():
            status, _ = request(client, "GET", url)
            if status != ADMIN_GROUP.expected(role):
                problems.append(f"{url} as {role}: {status}, not {ADMIN_GROUP.expected(role)}")
    assert problems == []


def test_no_entry_refuses_every_signed_in_role():
    """An entry that answers 404 to every role proves nothing about scope: its URL points
    at nothing. Every object an entry needs exists in the world."""
    signed_in = [role for role in ROLES if role != "anonymous"]
    blind = sorted(
        name
        for name, entry in MATRIX.items()
        if all(entry.expected(role) == 404 for role in signed_in)
    )
    # allauth's recovery-code pages answer 404 until a second factor is set up, whoever asks.
    assert blind == ["mfa_download_recovery_codes", "mfa_view_recovery_codes"]
