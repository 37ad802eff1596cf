"""The claim review page's "entries with a similar name" are found from a trigram index
of the entries' names (registries 0013, ``registry_entry_name_trgm``), not by reading
every entry (PostgreSQL).

``similar_registry_entries`` asks for the entries whose name contains the enterprise's
core name, which no B-tree index serves: at national size (600,000 entries) a parallel
sequential scan, 260–420 ms of the claim page (docs/performance.md, "Session 10")."""

import pytest
from django.db import connection

from ecosystem.enterprises.review.selectors import similar_registry_entries
from ecosystem.registries.models import RegistryEntry
from tests.factories import EnterpriseFactory, make_uscc
from tests.worlds.plans import scans
from tests.worlds.registry_pages import BATCH, make_program

pytestmark = pytest.mark.django_db


def test_similar_names_are_read_from_the_trigram_index(require_postgres):
    program = make_program()
    RegistryEntry.objects.bulk_create(
        RegistryEntry(
            program=program,
            batch=BATCH,
            uscc=make_uscc(70_000 + i),
            name=f"深圳某某{i}科技有限公司",
        )
        for i in range(20_000)
    )
    renamed = RegistryEntry.objects.create(
        program=program, batch=BATCH, uscc=make_uscc(99_999), name="深圳市星河微电子股份有限公司"
    )
    firm = EnterpriseFactory(name="星河微电子有限公司")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registries_registryentry")
        # A test table is small enough for a scan to look as cheap as the index; what is
        # checked is that the index serves the query's own expression (UPPER(name) LIKE),
        # as it does unasked at national size (0.6 ms instead of 420).
        cursor.execute("SET LOCAL enable_seqscan = off")

    similar = similar_registry_entries(enterprise=firm)
    assert [entry.pk for entry in similar] == [renamed.pk]
    found = scans(similar)
    assert any(index == "registry_entry_name_trgm" for _, index in found), found
    assert not any(
        node == "Seq Scan" and relation == "registries_registryentry" for node, relation in found
    ), found
