"""The lists page reads every (program, batch) with entries by a skip scan of the
reconciliation index (``registries.selectors.batch_list_visible_to``): the same pairs,
in the same order, as the ``DISTINCT`` over every entry it replaces (300 ms nationally),
for an officer (their program only), a zone official and an admin (every list)."""

import pytest
from django.urls import reverse

from ecosystem.registries.models import RegistryEntry
from ecosystem.registries.selectors import batch_list_visible_to, batches_visible_to
from tests.factories import (
    PlatformAdminFactory,
    ProgramFactory,
    RegistryOfficerFactory,
    ZoneOfficialFactory,
    make_uscc,
)
from tests.worlds.leads import client_for

pytestmark = pytest.mark.django_db


def test_the_pairs_equal_the_distinct_reference_for_every_role():
    programs = [ProgramFactory(code=code) for code in ("tsme", "hte", "zjtx")]
    batches = ["2024年第二批", "2025年第一批", "2025年第一批", "2026 batch 1", "2024年第二批"]
    n = 0
    for program in programs[:2]:
        for batch in batches:
            for _ in range(3):
                n += 1
                RegistryEntry.objects.create(
                    program=program, batch=batch, uscc=make_uscc(50_000 + n), name=f"企业{n}"
                )
    users = [
        RegistryOfficerFactory(program=programs[1]),
        ZoneOfficialFactory(),
        PlatformAdminFactory(),
    ]
    for user in users:
        reference = list(batches_visible_to(user=user))
        assert reference  # every role reads some lists
        assert batch_list_visible_to(user=user) == reference
    assert len(batch_list_visible_to(user=users[2])) == 6  # 3 batches × 2 programs with entries
    response = client_for(users[0]).get(reverse("registry_lists"))
    assert response.status_code == 200
    assert "2026 batch 1" in response.content.decode()
