"""The planner knows which lead columns move together (financing 0015, PostgreSQL).

An RM's leads sit in the RM's branch. Estimated as independent filters, "assigned to the
RM and in the RM's branch" came out 170 times too small at national size, and the
inbox's "mine" tab read every lead of the RM and sorted them instead of reading the first
50 from its ordered index (docs/performance.md, session 9). The extended statistics make
the estimate follow the data; without them this test's estimate is about 40 % of it.
"""

import json

import pytest
from django.db import connection

from ecosystem.financing.models import Lead
from tests.factories import BranchFactory, LeadFactory, UserFactory

pytestmark = pytest.mark.django_db


def _estimate(sql: str, params) -> float:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        (plan,) = cursor.fetchone()
    plan = plan if isinstance(plan, list) else json.loads(plan)
    return plan[0]["Plan"]["Plan Rows"]


def test_an_rm_s_leads_in_the_rm_s_branch_are_estimated_as_they_are(require_postgres):
    first = LeadFactory()
    other_branch = BranchFactory(bank=first.bank)
    rm, colleague, elsewhere = UserFactory(), UserFactory(), UserFactory()

    def leads(count, branch, user):
        return [
            Lead(
                enterprise_id=first.enterprise_id,
                zone_id=first.zone_id,
                product_id=first.product_id,
                product_version_id=first.product_version_id,
                bank_id=first.bank_id,
                branch=branch,
                assigned_to=user,
                status=Lead.Status.DECLINED,
                source=first.source,
                indicative_limit=first.indicative_limit,
            )
            for _ in range(count)
        ]

    Lead.objects.bulk_create(
        leads(600, first.branch, rm)
        + leads(200, first.branch, colleague)
        + leads(1200, other_branch, elsewhere)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE financing_lead")

    estimate = _estimate(
        "SELECT id FROM financing_lead WHERE assigned_to_id = %s AND branch_id = %s",
        [rm.pk, first.branch_id],
    )
    assert estimate >= 480  # 600 are there; independent filters would say ~240
