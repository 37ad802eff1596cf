"""The admin's membership and audit-event lists make the same number of SQL queries for
10 rows as for 1,000 (the admin does not join nullable foreign keys by itself: the
national crawl found 204 queries on a page of memberships; issue #19)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ecosystem.accounts.models import Membership, User
from ecosystem.accounts.roles import Role
from ecosystem.core.models import AuditEvent
from tests.factories import BranchFactory, EnterpriseFactory, PlatformAdminFactory
from tests.worlds.leads import client_for

pytestmark = pytest.mark.django_db


def add_memberships(count: int, *, start: int) -> None:
    branch = BranchFactory()
    enterprise = EnterpriseFactory()
    users = User.objects.bulk_create(
        [User(email=f"m{start + i}@example.com") for i in range(count)]
    )
    Membership.objects.bulk_create(
        [
            Membership(user=u, role=Role.BANK_RM, bank=branch.bank, branch=branch)
            if i % 2
            else Membership(user=u, role=Role.ENTERPRISE_OWNER, enterprise=enterprise)
            for i, u in enumerate(users)
        ]
    )


def add_events(actor, count: int) -> None:
    AuditEvent.objects.bulk_create(
        [AuditEvent(actor=actor, verb="bench.test", target_repr=f"#{i}") for i in range(count)]
    )


def queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), "\n".join(q["sql"] for q in captured.captured_queries)


def test_membership_list_queries_do_not_grow_with_rows():
    client = client_for(PlatformAdminFactory())
    url = reverse("admin:accounts_membership_changelist")
    add_memberships(10, start=0)
    client.get(url)
    few, _ = queries(client, url)
    add_memberships(990, start=10)
    many, sql = queries(client, url)
    assert many == few, sql


def test_audit_event_list_queries_do_not_grow_with_rows():
    admin = PlatformAdminFactory()
    client = client_for(admin)
    url = reverse("admin:core_auditevent_changelist")
    add_events(admin, 10)
    client.get(url)
    few, _ = queries(client, url)
    add_events(admin, 990)
    many, sql = queries(client, url)
    assert many == few, sql
