"""The admin's lists (memberships, audit events, API tokens, enterprises) make the same
number of SQL queries for 10 rows as for a full page (the admin does not join nullable
foreign keys by itself: the national crawl found 204 queries on a page of memberships,
and one more with one integration token than with none; issue #19). Every list that shows
a nullable key joins it (``test_every_nullable_key_a_list_shows_is_joined``)."""

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


def assert_flat(admin, changelist: str, add_few, add_more) -> None:
    """The admin list ``changelist`` makes as many queries after ``add_more()`` as after
    ``add_few()`` (its first request, which warms caches, not counted)."""
    client = client_for(admin)
    url = reverse(f"admin:{changelist}_changelist")
    add_few()
    client.get(url)
    few, _ = queries(client, url)
    add_more()
    many, sql = queries(client, url)
    assert many == few, sql


def test_membership_list_queries_do_not_grow_with_rows():
    assert_flat(
        PlatformAdminFactory(),
        "accounts_membership",
        lambda: add_memberships(10, start=0),
        lambda: add_memberships(990, start=10),
    )


def test_audit_event_list_queries_do_not_grow_with_rows():
    admin = PlatformAdminFactory()
    assert_flat(
        admin,
        "core_auditevent",
        lambda: add_events(admin, 10),
        lambda: add_events(admin, 990),
    )


def add_tokens(count: int, *, start: int) -> None:
    """Integration tokens (each names a bank: a nullable key) and read-only ones (none)."""
    from datetime import timedelta

    from django.utils import timezone

    from ecosystem.accounts.models import StaffToken, token_digest

    branch = BranchFactory()
    users = User.objects.bulk_create(
        [User(email=f"t{start + i}@example.com") for i in range(count)]
    )
    StaffToken.objects.bulk_create(
        [
            StaffToken(
                user=user,
                name=f"token {start + i}",
                kind=StaffToken.Kind.LEAD_FEED if i % 2 else StaffToken.Kind.READ_ONLY,
                bank=branch.bank if i % 2 else None,
                digest=token_digest(f"kjt_test_{start + i}"),
                prefix=f"kjt_{start + i:04d}",
                expires_at=timezone.now() + timedelta(days=30),
            )
            for i, user in enumerate(users)
        ]
    )


def test_staff_token_list_queries_do_not_grow_with_rows():
    """The national crawl found one query more with one integration token than with none:
    the token's bank (a nullable key) was read row by row."""
    assert_flat(
        PlatformAdminFactory(),
        "accounts_stafftoken",
        lambda: add_tokens(10, start=0),
        lambda: add_tokens(190, start=10),
    )


def test_enterprise_list_queries_do_not_grow_with_rows():
    """Each enterprise's industry (a nullable key) was read row by row."""
    from ecosystem.enterprises.models import IndustryDivision

    divisions = list(IndustryDivision.objects.order_by("code"))
    assert len(divisions) >= 40

    def firms_in(chosen) -> None:
        for division in chosen:
            EnterpriseFactory(industry=division)

    assert_flat(
        PlatformAdminFactory(),
        "enterprises_enterprise",
        lambda: firms_in(divisions[:3]),
        lambda: firms_in(divisions[3:40]),
    )


def test_every_nullable_key_a_list_shows_is_joined():
    """A nullable foreign key in an admin list's columns is in its ``list_select_related``
    (the admin's own ``select_related()`` follows non-null keys only): otherwise each row
    reads it with a query of its own."""
    from django.contrib import admin
    from django.db import models

    unjoined = []
    for model, model_admin in admin.site._registry.items():
        joined = model_admin.list_select_related
        for name in model_admin.list_display:
            field = next(
                (f for f in model._meta.get_fields() if isinstance(name, str) and f.name == name),
                None,
            )
            if isinstance(field, models.ForeignKey) and field.null:
                if joined is not True and name not in (joined or ()):
                    unjoined.append(f"{model.__name__}.{name}")
    assert unjoined == []
