"""The chain-coverage world: seven enterprises on the chain world's nodes, in two zones,
with verified claims, matches, leads of the own bank or another, offers and payments as
``PLAN`` says (written directly, past the services: the tests count them independently;
the funnel's counts are then rebuilt, as ``rebuild_summaries`` would).
Used by tests/unit/test_chain_coverage.py and test_ecosystem_funnel_sql.py."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from ecosystem.chains.models import ChainNode, EnterpriseNode
from ecosystem.enterprises import summary as enterprise_summary
from ecosystem.enterprises import verified_programs
from ecosystem.enterprises.models import QualificationClaim
from ecosystem.financing import coverage_recount, ecosystem_summary, funnel
from ecosystem.financing.models import Branch, Disbursement, Lead, Match, Offer
from tests.factories import BankFactory, BranchFactory, EnterpriseFactory, ProgramFactory
from tests.worlds.chains import build_chain_world

#: enterprise label → (zone, node paths, verified, matched, lead bank, offer, disbursed)
PLAN = {
    "a1": ("a", ["ic/design/processors"], True, True, "own", Decimal(800_000), Decimal(600_000)),
    "a2": ("a", ["ic/design/memory", "ai/data"], True, True, "own", Decimal(500_000), None),
    "a3": ("a", ["ic/design"], True, False, None, None, None),
    "a4": ("a", ["ic/manufacturing"], False, False, None, None, None),
    "a5": ("a", ["ic/design/processors"], True, True, "other", Decimal(900_000), Decimal(900_000)),
    "b1": ("b", ["ic/design/memory"], True, True, "own", Decimal(300_000), Decimal(250_000)),
    "b2": ("b", [], False, False, None, None, None),
}


def build_coverage_world(capture_on_commit):
    """The chain world plus ``PLAN``'s enterprises: (world, {label: enterprise})."""
    w = build_chain_world(capture_on_commit)
    other_bank = BankFactory()
    other_branch = BranchFactory(bank=other_bank, zones=[w.zone])
    own_branch = Branch.objects.filter(bank=w.bank).first()
    program = ProgramFactory(code="hte")
    zones = {"a": w.zone, "b": w.other_zone}
    made = {}
    version = w.product_version
    for label, (zone, paths, verified, matched, lead_bank, offer, paid) in PLAN.items():
        e = EnterpriseFactory(zone=zones[zone], name=f"覆盖{label}", founded_on=date(2020, 1, 1))
        made[label] = e
        for path in paths:
            EnterpriseNode.objects.create(enterprise=e, node=ChainNode.objects.get(path=path))
        if verified:
            QualificationClaim.objects.create(
                enterprise=e, program=program, certificate_number="x", year=2025, status="verified"
            )
        if matched:
            Match.objects.create(
                enterprise=e,
                product_version=version,
                product=version.product,
                score=60,
                indicative_limit=Decimal(1_000_000),
                computed_at=timezone.now(),
            )
        if lead_bank:
            bank, branch = (
                (w.bank, own_branch) if lead_bank == "own" else (other_bank, other_branch)
            )
            lead = Lead.objects.create(
                enterprise=e,
                product=version.product,
                product_version=version,
                bank=bank,
                branch=branch,
                source="apply",
                indicative_limit=Decimal(1_000_000),
                status="accepted" if paid is None else "disbursed",
            )
            if offer:
                o = Offer.objects.create(
                    lead=lead,
                    amount=offer,
                    rate=Decimal("3.5"),
                    term_months=12,
                    valid_until=timezone.now() + timedelta(days=10),
                    status="accepted",
                )
                if paid:
                    Disbursement.objects.create(
                        lead=lead, offer=o, amount=paid, disbursed_on=date(2026, 1, 5)
                    )
    funnel.rebuild()  # the rows above were written past the services
    coverage_recount.rebuild()
    enterprise_summary.rebuild()
    verified_programs.rebuild()
    ecosystem_summary.rebuild()  # the ecosystem page's cells, from the two above
    return w, made
