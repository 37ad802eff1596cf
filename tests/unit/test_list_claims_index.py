"""A list's claims are read from the claims that cite an entry (enterprises 0011,
``claim_list_entry``), not from every claim of the status (PostgreSQL).

The reconciliation page of a national list counted and listed its verified claims by
joining every verified claim (420,000) with the list's entries, or by walking every
enterprise in name order looking for one: 0.3 s and 2 s, with no claim citing the list
(docs/performance.md, "Session 10: medium pages"). Most claims cite no entry; the page
now reads the few that do from a partial index.
"""

import pytest
from django.db import connection

from ecosystem.enterprises.models import QualificationClaim
from ecosystem.enterprises.workflow import ClaimStatus
from ecosystem.insights.reconciliation import list_claims
from ecosystem.registries.models import RegistryEntry
from tests.factories import EnterpriseFactory, QualificationClaimFactory, make_uscc
from tests.worlds.plans import scans
from tests.worlds.registry_pages import BATCH, make_program

pytestmark = pytest.mark.django_db


def test_a_list_s_claims_are_read_from_the_claims_citing_an_entry(require_postgres):
    program = make_program()
    firm = EnterpriseFactory()
    template = QualificationClaimFactory(enterprise=firm, program=program)
    QualificationClaim.objects.bulk_create(
        QualificationClaim(
            enterprise=firm,
            program=program,
            certificate_number=f"GR{i}",
            year=2025,
            status=ClaimStatus.VERIFIED,
            created_by=template.created_by,
        )
        for i in range(3000)
    )
    entries = RegistryEntry.objects.bulk_create(
        RegistryEntry(program=program, batch=BATCH, uscc=make_uscc(90_000 + i), name=f"企业{i}")
        for i in range(200)
    )
    cited = QualificationClaimFactory(
        enterprise=firm, program=program, status=ClaimStatus.VERIFIED, registry_entry=entries[0]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE enterprises_qualificationclaim")
        cursor.execute("ANALYZE registries_registryentry")

    verified = list_claims(program=program, batch=BATCH).filter(status=ClaimStatus.VERIFIED)
    assert list(verified.values_list("pk", flat=True)) == [cited.pk]
    for queryset in (verified, verified.order_by("enterprise__name")[:50]):
        found = scans(queryset)
        assert any(index == "claim_list_entry" for _, index in found), found
        assert ("Seq Scan", "enterprises_qualificationclaim") not in found
