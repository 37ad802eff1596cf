"""The ecosystem page's counters (``financing.ecosystem_summary``: cells per zone and
stored stage; the chain table from ``coverage_summary``'s counters) stay equal to a
recount, and the page's figures to the reference (``tests.worlds.ecosystem``), through
every path that moves them, in one seeded random walk over the real services: an
enterprise registered, its zone and founding date changed, claims verified, expired and
revoked, financial years saved (stage changes), the date moving past ``stage_until``
(read before the nightly move, corrected at read time, and after it), placements
changed, rematches, leads created, offers made, accepted, declined and expired,
disbursements (the chain-coverage walk's steps, ``test_chain_coverage_counters``)."""

from __future__ import annotations

import csv
import io
import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from ecosystem.core.errors import ApplicationError
from ecosystem.enterprises import services as es
from ecosystem.enterprises import workflow
from ecosystem.enterprises.models import Enterprise, QualificationClaim
from ecosystem.enterprises.tasks import refresh_enterprise_stages
from ecosystem.enterprises.workflow import ClaimStatus
from ecosystem.financing import ecosystem_recount, ecosystem_summary
from ecosystem.financing.models import Disbursement, EcosystemMember, Lead, Offer
from ecosystem.financing.summary_recount import summaries_drift
from ecosystem.insights.coverage import ecosystem_funnel
from ecosystem.insights.views.ecosystem import funnel_tables
from ecosystem.zones.models import Zone
from tests.factories import PlatformAdminFactory, UserFactory
from tests.factories.people import make_uscc
from tests.worlds.chain_walk import ChainWalk
from tests.worlds.ecosystem import plain, reference_funnel
from tests.worlds.enterprise_walk import EMPLOYEES, REVENUES, founded
from tests.worlds.lead_walk import Clock
from tests.worlds.leads import client_for

pytestmark = pytest.mark.django_db


class EcosystemWalk(ChainWalk):
    """The chain-coverage walk plus registrations, figures, founding dates, revoked
    claims and days passing."""

    def __init__(self, clock):
        super().__init__()
        self.clock = clock
        self.registered = 0

    @property
    def today(self):
        return timezone.localdate()  # the clock's day in Beijing

    def any_enterprise(self, rng: random.Random) -> Enterprise:
        return Enterprise.objects.get(pk=rng.choice(sorted(self.members)))

    def register(self, rng: random.Random) -> None:
        user = UserFactory()
        self.registered += 1
        result = es.enterprise_register(
            user=user,
            uscc=make_uscc(800_000 + self.registered),
            name=f"生态企业{self.registered}",
            zone=rng.choice(self.zones),
            founded_on=founded(rng, self.today),
        )
        self.members[result.enterprise.pk] = user

    def figures(self, rng: random.Random) -> None:
        enterprise = self.any_enterprise(rng)
        revenue = rng.choice(REVENUES)
        es.financial_year_save(
            enterprise=enterprise,
            actor=self.members[enterprise.pk],
            year=self.today.year - rng.randint(1, 3),
            revenue=revenue,
            total_costs=revenue,
            total_assets=revenue,
            rd_expense=Decimal("0"),
            net_profit=Decimal("0"),
            employees=rng.choice(EMPLOYEES),
            rd_staff=0,
        )

    def founding(self, rng: random.Random) -> None:
        enterprise = self.any_enterprise(rng)
        es.enterprise_update(
            enterprise=enterprise,
            actor=self.members[enterprise.pk],
            expected_version=enterprise.version,
            founded_on=founded(rng, self.today),
        )

    def revoke(self, rng: random.Random) -> None:
        claims = list(QualificationClaim.objects.filter(status=ClaimStatus.VERIFIED))
        if claims:
            es.claim_transition(
                claim=rng.choice(claims), to=ClaimStatus.REVOKED, party=workflow.SYSTEM
            )

    def step_any(self, rng: random.Random) -> None:
        action = rng.random()
        if action < 0.06:
            self.register(rng)
        elif action < 0.16:
            self.figures(rng)
        elif action < 0.22:
            self.founding(rng)
        elif action < 0.26:
            self.revoke(rng)
        elif action < 0.30:
            self.clock.now += timedelta(days=rng.choice((30, 90, 200, 400)))
        elif action < 0.45:
            self.place(rng)
        elif action < 0.52:
            self.verify(rng)
        elif action < 0.56:
            self.expire(rng)
        elif action < 0.60:
            self.rematch(rng, rng.choice(self.leads))
        elif action < 0.68:
            self.finance(rng, self.clock.now, disburse=rng.random() < 0.6)
        else:
            self.step(rng, rng.choice(self.leads), self.clock.now)

    def ageing(self, rng: random.Random) -> None:
        """A start-up of growth size that turns three in five days; ten days pass (its
        member is past ``stage_until`` until the nightly move)."""
        enterprise = self.any_enterprise(rng)
        today = self.today
        es.enterprise_update(
            enterprise=enterprise,
            actor=self.members[enterprise.pk],
            expected_version=enterprise.version,
            founded_on=today.replace(year=today.year - 3, day=1) + timedelta(days=40),
        )
        es.financial_year_save(
            enterprise=enterprise,
            actor=self.members[enterprise.pk],
            year=today.year - 1,
            revenue=Decimal("20000000"),
            total_costs=Decimal("1"),
            total_assets=Decimal("1"),
            rd_expense=Decimal("0"),
            net_profit=Decimal("0"),
            employees=100,
            rd_staff=0,
        )
        self.clock.now += timedelta(days=45)

    def milestone(self, rng: random.Random, n: int) -> None:
        """Moves the random steps reach too rarely, on fixed steps: a registration, an
        offer declined, an offer expired (its lead back to "contacted", or withdrawn
        before), a claim revoked, a firm ageing into growth."""
        from ecosystem.financing import services

        kind = n // 10 % 5
        if kind == 0:
            self.register(rng)
            return
        if kind == 3:
            self.verify(rng)
            self.revoke(rng)
            return
        if kind == 4:
            self.ageing(rng)
            return
        self.finance(rng, self.clock.now, disburse=False)
        lead = self.leads[-1]
        member = self.members[lead.enterprise_id]
        offer = Offer.objects.filter(lead=lead, status="made").first()
        if kind == 1:
            services.offer_decline(offer=offer, actor=member)
            return
        if n % 20 == 5:  # the lead withdrawn first: the offer expires, the lead stays
            services.lead_transition(lead=lead, to=Lead.Status.WITHDRAWN, actor=member)
        self.clock.now += timedelta(days=11)
        services.offers_expire(now=self.clock.now)


def assert_figures_equal_the_reference(walk: EcosystemWalk) -> None:
    today = walk.today
    for zones in (
        Zone.objects.all(),  # a platform admin's scope: the cells without a zone filter
        Zone.objects.filter(pk__in=[z.pk for z in walk.zones]),
        *(Zone.objects.filter(pk=z.pk) for z in walk.zones),  # a zone official's
    ):
        got = plain(ecosystem_funnel(zones=zones, today=today))
        assert got == plain(reference_funnel(zones=zones, today=today))


@pytest.mark.parametrize("seed", [6, 7])
def test_counters_and_page_equal_a_recount_through_every_path(monkeypatch, seed):
    rng = random.Random(seed)
    clock = Clock(monkeypatch)
    walk = EcosystemWalk(clock)
    for _ in range(10):
        walk.open(rng)
    stale_seen = 0
    for n in range(200):
        try:
            walk.milestone(rng, n) if n % 10 == 5 else walk.step_any(rng)
        except ApplicationError:
            pass  # a refused move changes nothing; the checks below say so too
        clock.advance(rng)
        if n % 10 == 5:
            assert_figures_equal_the_reference(walk)
        if n % 25 == 24:
            walk.rematch(rng, rng.choice(walk.leads))  # matches come and go: "matched" flips
            stale_seen += EcosystemMember.objects.filter(stage_until__lte=walk.today).count()
            assert_figures_equal_the_reference(walk)  # stale members corrected at read time
            refresh_enterprise_stages.delay().get()  # the nightly move
            assert ecosystem_summary.stored() == ecosystem_recount.recount(on=walk.today)
            assert_figures_equal_the_reference(walk)
    # The walk went through what it is meant to.
    assert walk.registered and stale_seen
    assert EcosystemMember.objects.exclude(stage="startup").exists()
    assert QualificationClaim.objects.filter(status=ClaimStatus.REVOKED).exists()
    statuses = set(Offer.objects.values_list("status", flat=True))
    assert {"made", "accepted", "declined", "expired"} <= statuses
    assert Disbursement.objects.exists()
    drift = summaries_drift()
    assert not {name: part for name, part in drift.items() if part["differing"]}
    # The page and an export show the reference's figures.
    client = client_for(PlatformAdminFactory())
    response = client.get(reverse("chains:ecosystem"))
    want = funnel_tables(reference_funnel(zones=Zone.objects.all(), today=walk.today))
    tables = response.context["tables"]
    assert {k: t["rows"] for k, t in tables.items()} == {k: t["rows"] for k, t in want.items()}
    export = client.get(reverse("chains:ecosystem_export", args=["stages", "csv"]))
    content = b"".join(export.streaming_content) if export.streaming else export.content
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))[1:]
    assert rows == [[str(v) for v in row] for row in want["stages"]["rows"]]


def test_drift_is_reported_and_rebuild_summaries_repairs_it(monkeypatch):
    """Offers and enterprises written past the services are drift in the ecosystem
    counters (and the enterprise funnel's yuan); ``rebuild_summaries --check`` fails on
    it, ``--ecosystem`` repairs it, as the full rebuild does."""
    from django.core.management import CommandError, call_command

    rng = random.Random(11)
    walk = EcosystemWalk(Clock(monkeypatch))
    for _ in range(4):
        walk.finance(rng, walk.clock.now, disburse=False)
    call_command("rebuild_summaries", "--check", stdout=io.StringIO())
    Enterprise.objects.create(uscc=make_uscc(900_001), name="批量企业", zone=walk.zones[0])
    made = Offer.objects.filter(status="made")
    offered = set(made.values_list("lead__enterprise_id", flat=True))
    made.update(status="declined")  # past the services
    drift = ecosystem_recount.drift()
    # the new enterprise, and those whose offers were declined
    assert drift["ecosystem_members"]["differing"] == 1 + len(offered) > 1
    assert drift["ecosystem_cells"]["differing"] >= 1
    with pytest.raises(CommandError):
        call_command("rebuild_summaries", "--check", stdout=io.StringIO())
    call_command("rebuild_summaries", "--ecosystem", stdout=io.StringIO())
    call_command("rebuild_summaries", "--check", stdout=io.StringIO())
    Offer.objects.filter(status="declined").update(status="made")
    call_command("rebuild_summaries", "--keep-facts", stdout=io.StringIO())
    call_command("rebuild_summaries", "--check", stdout=io.StringIO())
    assert_figures_equal_the_reference(walk)
