"""The dry run of an official list says what the import will do to claims, and the import
then does exactly that (``enterprises.services.verification.registry_entries_preview``
against ``registry_entries_changed``): a waiting claim the list proves is verified, a
verified claim whose entry the list drops is revoked unless another batch still proves
it, and one whose entry the list marks expired expires."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ecosystem.enterprises.workflow import ClaimStatus
from ecosystem.registries import services
from tests.worlds.list_claims import listed_firm_claim
from tests.worlds.registry_files import csv_bytes, rows_for

pytestmark = pytest.mark.django_db
FIRST, SECOND = "2026年第一批", "2026年第二批"


def test_the_dry_run_counts_what_the_import_then_does(
    django_capture_on_commit_callbacks,
):
    from tests.factories import ProgramFactory, RegistryOfficerFactory

    program = ProgramFactory(code="tsme")
    officer = RegistryOfficerFactory(program=program)

    def upload(rows, batch):
        return services.list_import_upload(
            actor=officer,
            program=program,
            batch=batch,
            upload=SimpleUploadedFile("list.csv", csv_bytes(rows)),
        )

    def run(rows, batch):
        job = upload(rows, batch)
        with django_capture_on_commit_callbacks(execute=True):
            services.list_import_confirm(list_import=job, actor=officer)
        job.refresh_from_db()
        return job

    def preview_and_run(rows, batch) -> tuple[tuple, tuple]:
        job = upload(rows, batch)
        claims = job.analysis["claims"]
        predicted = (claims["verified"], claims["revoked"], claims["expired"])
        with django_capture_on_commit_callbacks(execute=True):
            services.list_import_confirm(list_import=job, actor=officer)
        job.refresh_from_db()
        return predicted, (job.claims_verified, job.claims_revoked, job.claims_expired)

    def statuses(claims) -> list:
        for claim in claims:
            claim.refresh_from_db()
        return [claim.status for claim in claims]

    rows = rows_for(6)
    run([[*rows[2][:3], SECOND, *rows[2][4:]]], SECOND)  # firm 2 on the second batch too
    run(rows, FIRST)
    with django_capture_on_commit_callbacks(execute=True):  # verified as submitted
        claims = [listed_firm_claim(rows[i][1], program)[1] for i in (0, 1, 2, 3)]
    waiting = listed_firm_claim(rows_for(1, start=10)[0][1], program)[1]  # on no list yet
    assert statuses(claims) == [ClaimStatus.VERIFIED] * 4
    assert statuses([waiting]) == [ClaimStatus.SUBMITTED]
    # firm 2's claim cites the second batch, the others the first
    assert [c.registry_entry.batch for c in claims] == [FIRST, FIRST, SECOND, FIRST]

    # The first batch again: firm 0 dropped (revoked), firm 1 expired, firms 2 and 3 still
    # listed, the waiting firm listed (verified).
    expired = [*rows[1][:5], "2020-12-31", *rows[1][6:]]
    newcomer = [7, *rows_for(1, start=10)[0][1:]]
    predicted, done = preview_and_run([rows[2], rows[3], expired, newcomer], FIRST)
    assert predicted == done == (1, 1, 1)
    assert statuses(claims) == [
        ClaimStatus.REVOKED,
        ClaimStatus.EXPIRED,
        ClaimStatus.VERIFIED,
        ClaimStatus.VERIFIED,
    ]
    assert statuses([waiting]) == [ClaimStatus.VERIFIED]

    # The second batch without firm 2: the first batch still proves it, nothing revoked.
    other = [[1, *rows_for(1, start=20, batch=SECOND)[0][1:]]]
    predicted, done = preview_and_run(other, SECOND)
    assert predicted == done == (0, 0, 0)
    assert statuses(claims)[2] == ClaimStatus.VERIFIED
