"""On PostgreSQL, two officers deciding on the same name-only row at the same moment: one
decision wins, the other is told, and the row gets exactly one firm."""

import pytest

from ecosystem.core.errors import ConflictError
from ecosystem.enterprises.models import NameMatch
from ecosystem.enterprises.services.name_matching import name_match_confirm, name_matches_propose
from ecosystem.enterprises.workflow import ClaimStatus
from ecosystem.registries.models import RegistryEntry
from tests.factories import ProgramFactory, RegistryOfficerFactory, make_uscc
from tests.worlds.concurrency import run_together
from tests.worlds.list_claims import submitted_claim


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_officers_confirming_one_row_make_one_match(require_postgres):
    program = ProgramFactory(code="little-giant")
    first, second = RegistryOfficerFactory(program=program), RegistryOfficerFactory(program=program)
    (_m1, claim_1), (_m2, claim_2) = (
        submitted_claim(make_uscc(91_001 + i), program, name="同名科技有限公司") for i in range(2)
    )
    for round_ in range(4):  # a few rounds give the race its chance
        NameMatch.objects.all().delete()
        RegistryEntry.objects.all().delete()
        entry = RegistryEntry.objects.create(
            program=program,
            batch=f"第{round_}批",
            name="同名科技有限公司",
            name_key="同名科技有限公司",
        )
        assert name_matches_propose(program_id=program.pk) == 1
        a, b = NameMatch.objects.filter(entry=entry).order_by("enterprise__uscc")
        # Each officer confirms a different firm for the same row, at the same moment.
        results = run_together(
            lambda: name_match_confirm(match_id=a.pk, actor=first),
            lambda: name_match_confirm(match_id=b.pk, actor=second),
        )
        conflicts = [r for r in results if isinstance(r, ConflictError)]
        assert len(conflicts) == 1, results
        assert [r for r in results if isinstance(r, NameMatch)], results
        entry.refresh_from_db()
        statuses = sorted(NameMatch.objects.filter(entry=entry).values_list("status", flat=True))
        assert statuses == [NameMatch.Status.CONFIRMED, NameMatch.Status.SUPERSEDED]
        winner = NameMatch.objects.get(entry=entry, status=NameMatch.Status.CONFIRMED)
        assert entry.uscc == winner.enterprise.uscc
    claim_1.refresh_from_db()
    claim_2.refresh_from_db()
    assert ClaimStatus.VERIFIED in (claim_1.status, claim_2.status)
