"""The periodic recount of list entries' ``registered`` flag: entries whose flag a race
left wrong are put right, counted, and the others left alone
(``registries.registered``; beat ``recount-registered-entries``)."""

from __future__ import annotations

import psycopg
import pytest
from django.db import connection
from django.db.models import Exists, OuterRef

from ecosystem.enterprises.models import Enterprise
from ecosystem.registries import tasks
from ecosystem.registries.models import RegistryEntry
from tests.factories import EnterpriseFactory, make_uscc
from tests.worlds.registry_pages import BATCH, make_program

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the flag's triggers"),
]


def _recount_differs():
    registered = Exists(Enterprise.objects.filter(uscc=OuterRef("uscc")))
    return list(
        RegistryEntry.objects.annotate(recount=registered)
        .exclude(registered=registered)
        .values_list("uscc", flat=True)
    )


def _entry(program, code: int, **fields) -> RegistryEntry:
    return RegistryEntry.objects.create(
        program=program,
        batch=BATCH,
        uscc=make_uscc(code),
        name=f"名单企业{code}",
        certificate_number=f"GR{code}",
        **fields,
    )


def _drift(**flags) -> None:
    """Write flags as a lost race leaves them: without the triggers, which would
    recompute them (this session only, for this transaction)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        for uscc, registered in flags.items():
            cursor.execute(
                "UPDATE registries_registryentry SET registered = %s WHERE uscc = %s",
                [registered, uscc],
            )
        cursor.execute("SET LOCAL session_replication_role = origin")


@pytest.mark.django_db
def test_the_recount_fixes_drifted_flags_both_ways_and_reports_how_many():
    program = make_program()
    registered = [_entry(program, 80_000 + i) for i in range(3)]
    for entry in registered:
        EnterpriseFactory(uscc=entry.uscc)
    unregistered = [_entry(program, 81_000 + i) for i in range(2)]
    _drift(**{registered[0].uscc: False, registered[1].uscc: False, unregistered[0].uscc: True})
    assert sorted(_recount_differs()) == sorted(
        [registered[0].uscc, registered[1].uscc, unregistered[0].uscc]
    )

    assert tasks.recount_registered_entries() == {"set": 2, "cleared": 1}

    assert _recount_differs() == []
    flags = dict(RegistryEntry.objects.values_list("uscc", "registered"))
    assert all(flags[e.uscc] for e in registered)
    assert not any(flags[e.uscc] for e in unregistered)
    assert tasks.recount_registered_entries() == {"set": 0, "cleared": 0}


@pytest.mark.django_db
def test_a_name_only_entry_stays_unregistered():
    program = make_program()
    EnterpriseFactory()
    entry = RegistryEntry.objects.create(
        program=program, batch=BATCH, uscc="", name="只有名称", name_key="只有名称"
    )
    _drift(**{"": True})
    assert tasks.recount_registered_entries() == {"set": 0, "cleared": 1}
    entry.refresh_from_db()
    assert not entry.registered


def _other_connection():
    settings = connection.settings_dict
    return psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"],
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
    )


@pytest.mark.django_db(transaction=True)
def test_the_race_of_an_import_and_a_registration_is_repaired():
    """The race itself, in two transactions: the entry is inserted while the firm
    registers; neither trigger sees the other's row, so the flag stays False."""
    program = make_program()
    code = make_uscc(82_000)
    with _other_connection() as importer:
        importer.execute(
            "INSERT INTO registries_registryentry (program_id, batch, uscc, name, name_key, "
            "certificate_number, year, region, status, updated_at) "
            "VALUES (%s, %s, %s, '竞态企业', '竞态企业', 'GR82000', 2025, '', 'current', now())",
            [program.pk, BATCH, code],
        )  # the import's transaction, not committed yet
        EnterpriseFactory(uscc=code)  # the registration commits meanwhile
    # the import commits on leaving the block
    assert RegistryEntry.objects.get(uscc=code).registered is False
    assert _recount_differs() == [code]

    assert tasks.recount_registered_entries() == {"set": 1, "cleared": 0}
    assert RegistryEntry.objects.get(uscc=code).registered is True


def test_the_beat_schedule_runs_the_recount(settings):
    assert settings.CELERY_BEAT_SCHEDULE["recount-registered-entries"]["task"] == (
        "ecosystem.registries.tasks.recount_registered_entries"
    )
