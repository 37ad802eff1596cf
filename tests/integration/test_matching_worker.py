"""Matching with real services: PostgreSQL, Redis and a Celery worker consuming from it.

A zone official verifying a claim is the only call the test makes; the match appears
because the change enqueued the enterprise's rematch after commit. With the broker
unreachable during the change, the change still commits with its "needs rematch"
marker; once the broker is back, the sweeper makes the match and clears the marker.
Waits poll the database against a deadline; nothing here measures speed.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from datetime import date
from decimal import Decimal

import pytest

from ecosystem.enterprises.models import FinancialYear, QualificationClaim
from ecosystem.enterprises.services import claim_transition
from ecosystem.enterprises.workflow import ClaimStatus
from ecosystem.financing import services
from ecosystem.financing.models import Match, Product, ProductVersion, RematchMarker
from ecosystem.financing.tasks import rematch_enterprise
from portal.celery import app
from tests.factories import (
    BankFactory,
    EnterpriseFactory,
    ProgramFactory,
    ZoneFactory,
    ZoneOfficialFactory,
)

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

DEADLINE_S = 30
CLOSED_PORT_BROKER = "redis://127.0.0.1:1/0"


def wait_for(condition, *, what: str):
    deadline = time.monotonic() + DEADLINE_S
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    pytest.fail(f"{what} did not happen within {DEADLINE_S} s")


def world():
    """A product needing a verified high-tech certificate, and an enterprise whose
    certificate claim awaits the zone's decision. The product is written directly (not
    through ``product_save``), so no product rematch task can make the match."""
    zone = ZoneFactory()
    hte = ProgramFactory(code="hte")
    product = Product.objects.create(
        bank=BankFactory(), code="fast", name_zh="科技快贷", kind="fast_loan"
    )
    ProductVersion.objects.create(
        product=product,
        number=1,
        amount_min=Decimal("1000000.00"),
        amount_max=Decimal("30000000.00"),
        term_min_months=6,
        term_max_months=24,
        rate_min=Decimal("2.9000"),
        rate_max=Decimal("3.8000"),
        programs_all=["hte"],
        limit_basis="revenue_share",
        limit_factor=Decimal("0.2000"),
    )
    enterprise = EnterpriseFactory(zone=zone, founded_on=date(2012, 4, 1))
    FinancialYear.objects.create(
        enterprise=enterprise,
        year=2025,
        revenue=Decimal("123456789.00"),
        total_costs=Decimal("100000000.00"),
        total_assets=Decimal("1.00"),
        rd_expense=Decimal("9000000.00"),
        net_profit=Decimal("0.00"),
        employees=320,
        rd_staff=60,
        verification_status="verified",
    )
    claim = QualificationClaim.objects.create(
        enterprise=enterprise,
        program=hte,
        certificate_number="GR202511000001",
        year=2025,
        status=ClaimStatus.SUBMITTED,
    )
    return enterprise, product, claim, ZoneOfficialFactory(zone=zone)


def test_verifying_a_claim_produces_the_match_through_the_worker(require_postgres, celery_worker):
    enterprise, product, claim, official = world()
    assert not Match.objects.exists()

    claim_transition(claim=claim, to=ClaimStatus.VERIFIED, actor=official)

    wait_for(lambda: Match.objects.filter(enterprise=enterprise).exists(), what="the match")
    match = Match.objects.get(enterprise=enterprise)
    # 123,456,789 × 0.2 = 24,691,357.80 → 24,690,000
    assert (match.product, match.indicative_limit) == (product, Decimal("24690000.00"))
    wait_for(
        lambda: not RematchMarker.objects.filter(enterprise=enterprise).exists(),
        what="clearing the marker",
    )


@contextmanager
def broker_unreachable():
    """Point the app's broker at a closed port with fresh producer connections, as if
    Redis were stopped; restore the working connections afterwards."""
    saved_url, saved_pool = app.conf.broker_url, app.amqp._producer_pool
    saved_app_pool = app._pool
    app.conf.broker_url = CLOSED_PORT_BROKER
    app.amqp._producer_pool = None
    app._pool = None
    try:
        yield
    finally:
        app.conf.broker_url = saved_url
        app.amqp._producer_pool = saved_pool
        app._pool = saved_app_pool


def test_broker_down_during_the_change_loses_nothing(require_postgres, celery_worker, caplog):
    enterprise, product, claim, official = world()

    with broker_unreachable():
        with pytest.raises(Exception):  # the outage is real: kombu gives up
            rematch_enterprise.apply_async((enterprise.pk,), retry=False)
        claim_transition(claim=claim, to=ClaimStatus.VERIFIED, actor=official)

    # The send after commit failed and said so; the change committed with its marker.
    assert "deferred to the outbox sweeper" in caplog.text
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.VERIFIED
    assert RematchMarker.objects.filter(enterprise=enterprise).exists()
    assert not Match.objects.exists()

    # The broker is back: the worker answers again, and the sweeper catches up.
    assert app.send_task("celery.ping").get(timeout=DEADLINE_S) == "pong"
    assert not Match.objects.exists()
    assert services.markers_sweep(older_than_seconds=0) == 1

    match = Match.objects.get(enterprise=enterprise)
    assert (match.product, match.indicative_limit) == (product, Decimal("24690000.00"))
    assert not RematchMarker.objects.exists()
