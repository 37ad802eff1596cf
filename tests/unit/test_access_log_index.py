"""A firm's access log (the members' page and API, newest first) is read from the index
``access_log_firm_order`` (enterprises 0018), not by walking every firm's entries by time
until the firm's few turn up (8.9 s in the national crawl of session 14)."""

import pytest
from django.db import connection
from django.utils import timezone

from ecosystem.enterprises.models import AccessLogEntry
from ecosystem.enterprises.selectors import access_log_of
from tests.factories import BankFactory, EnterpriseFactory, UserFactory
from tests.worlds.plans import scans

pytestmark = pytest.mark.django_db


def test_a_firm_s_log_page_is_read_from_its_index(require_postgres):
    busy, quiet = EnterpriseFactory(), EnterpriseFactory()
    viewer, bank = UserFactory(), BankFactory()
    now = timezone.now()
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(enterprise=busy, viewer=viewer, bank=bank, section="enterprise")
        for _ in range(20_000)
    )
    for _ in range(3):
        AccessLogEntry.objects.create(enterprise=quiet, viewer=viewer, bank=bank, section="claims")
    AccessLogEntry.objects.filter(enterprise=quiet).update(viewed_at=now)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE enterprises_accesslogentry")
    page = access_log_of(enterprise=quiet)[:50]
    assert [entry.enterprise_id for entry in page] == [quiet.pk] * 3
    plan = scans(page)
    assert ("Index Scan", "access_log_firm_order") in plan, plan
    assert not any(index and "viewed_at" in index for _, index in plan), plan
