"""The review backlog (``enterprises.waiting``) and the verified firms per program
(``enterprises.verified_programs``) under concurrent decisions, on PostgreSQL (committed
transactions, a connection per thread).

The worst interleaving is forced once: a firm's new claim is submitted and its sync
held after it read what the firm added (``races.race_window("waiting_sync")``) while an
official verifies another claim of the same firm; the second sync must wait for the
first (its lock) and read what the first wrote.

Then officials decide several claims of the same enterprises at the same moment, while the
enterprises submit new ones: each decision recounts its enterprise's claims and moves
the zone rows by the difference from what the enterprise added last. Two syncs of one
enterprise that both read "what it added last" before either wrote would each move the
zone by their own change from the same starting point: the counters would drift. The
per-enterprise lock (``core.bucket_locks``) serialises them; without it this test fails
(checked by removing the lock). No call may fail (no deadlock between the zone rows:
every sync writes them in key order)."""

from __future__ import annotations

import random

import pytest

from ecosystem.core import races
from ecosystem.enterprises import services as es
from ecosystem.enterprises import verified_programs, waiting
from ecosystem.enterprises.models import QualificationClaim
from ecosystem.enterprises.workflow import AWAITING_DECISION, ENTERPRISE, ZONE
from ecosystem.enterprises.workflow import ClaimStatus as S
from tests.factories import (
    EnterpriseFactory,
    EvidenceFactory,
    ProgramFactory,
    QualificationClaimFactory,
    ZoneFactory,
)
from tests.worlds.concurrency import race_in_window, run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _submitted(enterprise, program):
    claim = QualificationClaimFactory(enterprise=enterprise, program=program)
    EvidenceFactory(claim=claim)
    return es.claim_transition(claim=claim, to=S.SUBMITTED, party=ENTERPRISE)


def _decide(pk: int, to: str):
    def call():
        claim = QualificationClaim.objects.get(pk=pk)
        return es.claim_transition(claim=claim, to=to, party=ZONE)

    return call


def _submit(enterprise_id: int, program_id: int):
    def call():
        claim = QualificationClaimFactory(enterprise_id=enterprise_id, program_id=program_id)
        EvidenceFactory(claim=claim)
        return es.claim_transition(claim=claim, to=S.SUBMITTED, party=ENTERPRISE)

    return call


def _assert_exact():
    for name, part in (waiting.drift() | verified_programs.drift()).items():
        assert not part["differing"], (name, part)
    assert waiting.stored() == waiting.recount()
    assert verified_programs.stored() == verified_programs.recount()


def test_concurrent_decisions_of_one_firm_keep_the_counters_exact(require_postgres):
    zones = [ZoneFactory(), ZoneFactory()]
    programs = [ProgramFactory(code=f"race-{n}") for n in range(4)]
    firms = [EnterpriseFactory(zone=zones[n % 2]) for n in range(4)]
    for firm in firms:
        for program in programs[:3]:
            _submitted(firm, program)
    _assert_exact()
    assert sum(waiting.waiting_days().values()) == 12
    rng = random.Random(7)
    for round_ in range(3):
        calls = []
        for firm in firms:
            waiting_ = list(
                QualificationClaim.objects.filter(
                    enterprise=firm, status__in=AWAITING_DECISION
                ).order_by("pk")
            )
            for claim in waiting_[:2]:  # two decisions of one firm at once
                to = S.VERIFIED if claim.status == S.UNDER_REVIEW else S.UNDER_REVIEW
                calls.append(_decide(claim.pk, to))
            calls.append(_submit(firm.pk, programs[(round_ + 3) % 4].pk))
        rng.shuffle(calls)
        results = run_together(*calls)
        failed = [r for r in results if isinstance(r, Exception)]
        assert not failed, failed
        _assert_exact()
    assert QualificationClaim.objects.filter(status=S.VERIFIED).exists()
    assert verified_programs.stored() != ({}, {})


def test_a_decision_waits_for_a_submission_of_the_same_firm(require_postgres, monkeypatch):
    zone, programs = ZoneFactory(), [ProgramFactory(code=f"race-{n}") for n in range(2)]
    firm = EnterpriseFactory(zone=zone)
    reviewed = _submitted(firm, programs[0])
    reviewed = es.claim_transition(claim=reviewed, to=S.UNDER_REVIEW, party=ZONE)
    _assert_exact()
    results, held = race_in_window(
        monkeypatch,
        races,
        "waiting_sync",
        _submit(firm.pk, programs[1].pk),
        _decide(reviewed.pk, S.VERIFIED),
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert held == "lock"  # without the lock: "window", and the counters drift
    assert list(waiting.waiting_days(zone_id=zone.pk).values()) == [1]
    _assert_exact()
