"""Redis stops while an enterprise submits a qualification claim: the request succeeds, and
once Redis is back and a worker runs, everything the submission set off happens, once.

The test runs a ``redis-server`` of its own on a free port (never the shared one), points
this process's broker and a worker subprocess at it, stops it for the submission and
starts it again. The submission's tasks wait in the outbox (``ecosystem.core.outbox``);
the beat sweeper's run is sent to the worker as beat would send it.
"""

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ecosystem.core.models import AuditEvent, Notification, OutboxTask
from ecosystem.core.tasks import sweep_outbox
from ecosystem.enterprises import services as es
from ecosystem.enterprises.models import FinancialYear, QualificationClaim
from ecosystem.enterprises.workflow import ClaimStatus
from ecosystem.financing.models import Match, Product, ProductVersion, RematchMarker
from ecosystem.registries.models import RegistryEntry
from tests.conftest import need_service
from tests.factories import (
    BankFactory,
    EnterpriseFactory,
    EnterpriseMemberFactory,
    ProgramFactory,
    ZoneFactory,
)
from tests.integration.processes import RedisServer, Worker, backends, broker_at, wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def own_redis(require_postgres, tmp_path):
    problem = RedisServer.available()
    need_service("redis-server", problem is None, problem or "")
    server = RedisServer(tmp_path).start()
    yield server
    server.stop()


def world():
    """An enterprise with verified figures and a draft high-tech claim that the official
    list proves, and a product for high-tech enterprises."""
    zone = ZoneFactory()
    hte = ProgramFactory(code=f"hte-{uuid.uuid4().hex[:6]}")
    enterprise = EnterpriseFactory(zone=zone, founded_on=date(2012, 4, 1))
    member = EnterpriseMemberFactory(enterprise=enterprise)
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
    RegistryEntry.objects.create(
        program=hte,
        batch="2025年第一批",
        uscc=enterprise.uscc,
        name=enterprise.name,
        year=2025,
        valid_until=timezone.localdate() + timedelta(days=365),
        status=RegistryEntry.Status.CURRENT,
    )
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
        programs_all=[hte.code],
        limit_basis="revenue_share",
        limit_factor=Decimal("0.2000"),
    )
    claim = es.claim_create(
        enterprise=enterprise,
        actor=member,
        program=hte,
        certificate_number="GR202511000001",
        year=2025,
    )
    es.evidence_add(claim=claim, actor=member, upload=SimpleUploadedFile("c.pdf", PDF))
    return member, claim, product


def test_redis_down_while_an_enterprise_submits_then_the_work_is_done_once_it_is_back(
    own_redis, tmp_path
):
    member, claim, product = world()
    queue = f"test-outage-{uuid.uuid4().hex[:8]}"
    client = Client(headers={"accept-language": "en"})
    client.force_login(member)
    submit = reverse("claim_submit", args=[claim.enterprise_id, claim.pk])

    with broker_at(own_redis.url, queue):
        own_redis.stop()
        response = client.post(submit, {"message": ""})

        # The request succeeded; the claim is submitted; its verification waits in the outbox.
        assert response.status_code == 302, response.content.decode()[:2000]
        assert response["Location"] == claim.get_absolute_url()
        claim.refresh_from_db()
        assert claim.status == ClaimStatus.SUBMITTED
        waiting = list(OutboxTask.objects.values_list("task", "args", "attempts"))
        # Every after-commit task waits in the outbox: the verification and the rematch.
        assert sorted(waiting) == [
            ("ecosystem.financing.tasks.rematch_enterprise", [claim.enterprise_id], 1),
            ("ecosystem.registries.tasks.verify_claim", [claim.pk], 1),
        ]
        assert not Match.objects.exists()

        # Redis is back and a worker runs; a minute later beat sends the outbox sweep.
        own_redis.start()
        worker = Worker(queue, tmp_path, redis_url=own_redis.url).start()
        try:
            OutboxTask.objects.update(created_at=timezone.now() - timedelta(minutes=2))
            sweep_outbox.apply_async()
            wait_for(
                lambda: QualificationClaim.objects.get(pk=claim.pk).status == ClaimStatus.VERIFIED,
                "the claim to be verified from the official list",
                [worker],
            )
            wait_for(
                lambda: (
                    Match.objects.filter(enterprise=claim.enterprise).exists()
                    and not RematchMarker.objects.exists()
                ),
                "the enterprise to be rematched",
                [worker],
            )
            wait_for(
                lambda: (
                    Notification.objects.filter(recipient=member, emailed_at__isnull=False).exists()
                    and not OutboxTask.objects.exists()
                ),
                "the notification email to be sent and the outbox to empty",
                [worker],
            )
        finally:
            worker.kill()
            wait_for(lambda: not backends(worker.app_name), "the worker's session to end")

    # Everything happened exactly once.
    assert Notification.objects.filter(recipient=member, kind="claim_status").count() == 1
    assert AuditEvent.objects.filter(target_id=str(claim.pk), verb="claim.verified").count() == 1
    match = Match.objects.get(enterprise=claim.enterprise)
    assert (match.product, match.indicative_limit) == (product, Decimal("24690000.00"))
    assert mail.outbox == []  # the email went out from the worker, not from this process
