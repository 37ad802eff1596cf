"""The entry look-up: any signed-in user finds a credit code on the official lists."""

import pytest
from django.urls import reverse

from ecosystem.registries.models import RegistryEntry
from tests.factories import EnterpriseFactory, UserFactory
from tests.worlds.registry_files import csv_bytes, rows_for
from tests.worlds.registry_pages import (
    BATCH,
    login_redirects,
    make_officer,
    make_program,
    make_run,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def program():
    return make_program()


@pytest.fixture
def run(program, django_capture_on_commit_callbacks):
    return make_run(make_officer(program), program, django_capture_on_commit_callbacks)


def test_lookup_shows_current_and_withdrawn_entries_to_any_signed_in_user(client, program, run):
    rows = rows_for(3)
    run(csv_bytes(rows))
    run(csv_bytes([[*r[:3], "2026年第二批", *r[4:]] for r in rows]), batch="2026年第二批")
    run(csv_bytes(rows[1:]))  # the first batch drops row 0
    client.force_login(UserFactory())
    url = reverse("registry_entry_lookup")
    response = client.get(url, {"uscc": rows[0][1].lower()})
    assert response.status_code == 200
    page = response.content.decode()
    entries = {e.batch: e for e in response.context["entries"]}
    assert set(entries) == {BATCH, "2026年第二批"}
    assert entries[BATCH].status == RegistryEntry.Status.WITHDRAWN
    assert entries["2026年第二批"].status == RegistryEntry.Status.CURRENT
    assert f'data-testid="entry-{entries[BATCH].pk}"' in page

    unknown = client.get(url, {"uscc": EnterpriseFactory.build().uscc})
    assert 'data-testid="lookup-none"' in unknown.content.decode()
    invalid = client.get(url, {"uscc": "123"})
    assert 'data-testid="error-uscc"' in invalid.content.decode()
    assert invalid.context["entries"] is None


def test_lookup_needs_a_login(client):
    assert login_redirects(client.get(reverse("registry_entry_lookup")))
