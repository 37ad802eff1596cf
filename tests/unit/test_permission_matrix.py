"""Every URL pattern has a permission-matrix entry (``tests/worlds/permission_matrix/``),
and every entry holds: each URL is requested as each role and answers the expected status;
an unsafe request (a valid one) makes its change for each permitted role and changes
nothing for any other.

Each request runs inside a transaction that is rolled back, so the world stays the same
from one request to the next and a permitted POST cannot disturb the rest of the matrix.
The world is built once for the module (``module_db``) and each test reads it in a
savepoint rolled back after the test.

``PERMISSION_MATRIX_PROBE=1`` prints the observed table in the matrix's format, as a start
for the entry of a new URL (read it before pasting: it records what is, not what should be).
"""

from __future__ import annotations

import pytest

from tests.worlds.permission_matrix import ADMIN_GROUP, MATRIX, SIGNED_IN
from tests.worlds.permission_matrix.runner import (
    AREAS,
    UNSAFE,
    admin_urls,
    all_patterns,
    check,
    client_for,
    groups,
    is_admin,
)
from tests.worlds.permission_matrix.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(module_db):
    return World(module_db.capture)


def test_every_url_pattern_has_a_matrix_entry():
    missing = sorted(
        {
            f"{name or '(unnamed)'} {route}"
            for name, route in all_patterns()
            if not is_admin(name, route) and name not in MATRIX
        }
    )
    assert missing == [], "add these to tests/worlds/permission_matrix/"


def test_every_matrix_entry_names_a_url_pattern():
    names = {name for name, _ in all_patterns()}
    assert sorted(set(MATRIX) - names) == []


def test_the_admin_is_covered_as_a_group():
    admin = [(name, route) for name, route in all_patterns() if is_admin(name, route)]
    assert admin and ADMIN_GROUP.statuses


def test_no_entry_answers_404_to_every_signed_in_role():
    """Such an entry would point at nothing and could not catch a missing scope check."""
    blind = sorted(
        name
        for name, entry in MATRIX.items()
        if all(entry.expected(role) == 404 for role in SIGNED_IN)
    )
    assert blind == []


def test_every_unsafe_entry_has_a_valid_request_and_a_role_that_changes_something():
    unsafe = {name for name, entry in MATRIX.items() if entry.unsafe}
    assert sorted(unsafe ^ set(UNSAFE)) == []
    assert sorted(name for name in unsafe if not MATRIX[name].changes) == []


@pytest.mark.parametrize("area", [*AREAS, "other"])
def test_each_role_gets_what_the_matrix_says(area, world):
    problems = check(world, groups().get(area, []))
    assert problems == []


def test_the_admin_opens_to_platform_admins_only(world):
    problems = []
    for role, user in world.users.items():
        client = client_for(user)
        for url in admin_urls():
            status = client.get(url).status_code
            if status != ADMIN_GROUP.expected(role):
                problems.append(f"{url} as {role}: {status}, not {ADMIN_GROUP.expected(role)}")
    assert problems == []


def test_the_fingerprint_sees_a_new_row_and_a_changed_state_and_nothing_else():
    """A denied request is caught by ``fingerprint``: it must change when a row is added or a
    state field changes, and stay the same when nothing did."""
    from ecosystem.registries.models import Program
    from tests.factories import UserFactory
    from tests.worlds.permission_matrix.runner import fingerprint

    user = UserFactory()
    before = fingerprint()
    assert fingerprint() == before
    UserFactory()
    added = fingerprint()
    assert added != before
    type(user).objects.filter(pk=user.pk).update(is_active=not user.is_active)
    assert fingerprint() != added
    type(user).objects.filter(pk=user.pk).update(is_active=user.is_active)
    assert fingerprint() == added
    program = Program.objects.order_by("pk").first()
    Program.objects.filter(pk=program.pk).update(name_en=program.name_en + "x")  # no state field
    assert fingerprint() == added


def test_write_counts_see_a_row_written_in_a_savepoint_but_not_a_session_update():
    """``write_counts`` lets the matrix skip the fingerprints of a request that wrote nothing:
    it must change with any insert, update or delete, also inside a savepoint."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection, transaction

    from tests.factories import UserFactory
    from tests.worlds.permission_matrix.runner import write_counts

    if connection.vendor != "postgresql":
        assert write_counts() is None
        return
    session = SessionStore()
    session["a"] = 1
    session.create()
    user = UserFactory()
    before = write_counts()
    assert write_counts() == before
    session["a"] = 2
    session.save()
    assert write_counts() == before
    with transaction.atomic():
        UserFactory()
        inserted = write_counts()
        assert inserted != before
        type(user).objects.filter(pk=user.pk).update(is_active=not user.is_active)
        updated = write_counts()
        assert updated != inserted
        type(user).objects.filter(pk=user.pk).delete()
        assert write_counts() != updated
    session.delete()
    assert write_counts() != before
