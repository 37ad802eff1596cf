"""Automatic verification from the official lists: claims proven by current registry
entries are verified, claims proven only by withdrawn entries revoked. Registry entries are
read through ``registries.selectors``; a list import reaches this module through the
``registry.entries_changed`` event (``core.events``), since registries sits below
enterprises."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ecosystem.enterprises.models import QualificationClaim
from ecosystem.enterprises.services.claims import claim_transition
from ecosystem.enterprises.workflow import REGISTRY, ClaimStatus
from ecosystem.registries.selectors import current_entries


def claims_verify_from_registry(*, program_ids=None, claim_ids=None) -> int:
    """Verify every waiting claim whose program and credit code match a current entry."""

    waiting = QualificationClaim.objects.filter(
        status__in=[
            ClaimStatus.SUBMITTED,
            ClaimStatus.UNDER_REVIEW,
            ClaimStatus.RESUBMITTED,
            ClaimStatus.NEEDS_INFO,
        ]
    ).select_related("enterprise")
    if program_ids is not None:
        waiting = waiting.filter(program_id__in=program_ids)
    if claim_ids is not None:
        waiting = waiting.filter(pk__in=claim_ids)
    entries = current_entries()
    waiting = waiting.filter(enterprise__uscc__in=entries.values("uscc")).order_by("pk")
    count = 0
    for claim in waiting:
        entry = (
            entries.filter(program_id=claim.program_id, uscc=claim.enterprise.uscc)
            .order_by("-valid_until", "-batch")
            .first()
        )
        if entry is None:
            continue
        claim_transition(
            claim=claim,
            to=ClaimStatus.VERIFIED,
            party=REGISTRY,
            registry_entry=entry,
            reason_text=_("Verified by the official list %(program)s, batch %(batch)s.")
            % {"program": entry.program.name, "batch": entry.batch},
        )
        count += 1
    return count


def claims_revoke_for_withdrawn(*, entry_ids: list[int]) -> int:
    """Claims proven only by withdrawn entries are revoked (the enterprise is notified);
    a claim another current entry still proves just cites that entry instead."""
    if not entry_ids:
        return 0

    count = 0
    claims = QualificationClaim.objects.filter(
        registry_entry_id__in=entry_ids, status=ClaimStatus.VERIFIED
    ).select_related("enterprise", "registry_entry")
    for claim in claims:
        other = (
            current_entries()
            .filter(program_id=claim.program_id, uscc=claim.enterprise.uscc)
            .first()
        )
        if other is not None:
            QualificationClaim.objects.filter(pk=claim.pk).update(registry_entry=other)
            continue
        claim_transition(
            claim=claim,
            to=ClaimStatus.REVOKED,
            party=REGISTRY,
            registry_entry=None,
            reason_text=_("The enterprise is no longer on the official list (batch %(batch)s).")
            % {"batch": claim.registry_entry.batch},
        )
        count += 1
    return count


def registry_entries_changed(*, program_id: int, withdrawn_ids: list[int]) -> dict[str, int]:
    """Subscriber of ``registry.entries_changed``: revoke what withdrawn entries proved,
    then verify what the list now proves."""
    revoked = claims_revoke_for_withdrawn(entry_ids=withdrawn_ids)
    verified = claims_verify_from_registry(program_ids=[program_id])
    return {"revoked": revoked, "verified": verified}
