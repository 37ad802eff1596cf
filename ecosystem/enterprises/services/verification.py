"""Automatic verification from the official lists: claims proven by current registry
entries are verified, claims proven only by withdrawn entries revoked. Registry entries are
read through ``registries.selectors``; a list import reaches this module through the
``registry.entries_changed`` event (``core.events``), since registries sits below
enterprises."""

from __future__ import annotations

import re
import unicodedata

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from ecosystem.enterprises.models import QualificationClaim
from ecosystem.enterprises.services.claims import claim_transition
from ecosystem.enterprises.workflow import REGISTRY, SYSTEM, ClaimStatus, IdentityStatus
from ecosystem.registries.models import RegistryEntry
from ecosystem.registries.names import near_key
from ecosystem.registries.selectors import current_entries

WAITING = [
    ClaimStatus.SUBMITTED,
    ClaimStatus.UNDER_REVIEW,
    ClaimStatus.RESUBMITTED,
    ClaimStatus.NEEDS_INFO,
]


def provenance(entry: RegistryEntry) -> str:
    """Why a claim is verified, in words: the list and batch, and for a list without
    credit codes who confirmed the match by name."""
    text = _("Verified by the official list %(program)s, batch %(batch)s.") % {
        "program": entry.program.name,
        "batch": entry.batch,
    }
    if entry.matched_by_id:
        text += " " + _("Matched by name, confirmed by %(officer)s.") % {
            "officer": str(entry.matched_by)
        }
    return text


def claims_verify_from_registry(*, program_ids=None, claim_ids=None, enterprise_ids=None) -> int:
    """Verify every waiting claim whose program and credit code match a current entry,
    when the entry agrees with the claim on more than the code: the firm's normalised name
    (``registries.names.near_key``) and, where the list has one, the certificate number.
    A disagreement goes to the zone official's queue with both sides
    (``QualificationClaim.list_mismatch``) instead of verifying. Firms whose registrant's
    identity is unconfirmed are skipped: their claims wait (``services.identity``)."""

    waiting = QualificationClaim.objects.filter(
        status__in=WAITING, enterprise__identity_status=IdentityStatus.CONFIRMED
    ).select_related("enterprise")
    if program_ids is not None:
        waiting = waiting.filter(program_id__in=program_ids)
    if claim_ids is not None:
        waiting = waiting.filter(pk__in=claim_ids)
    if enterprise_ids is not None:
        waiting = waiting.filter(enterprise_id__in=enterprise_ids)
    entries = current_entries()
    waiting = waiting.filter(enterprise__uscc__in=entries.values("uscc")).order_by("pk")
    count = 0
    for claim in waiting:
        candidates = list(
            entries.filter(program_id=claim.program_id, uscc=claim.enterprise.uscc)
            .select_related("program", "matched_by")
            .order_by("-valid_until", "-batch")
        )
        if not candidates:
            continue
        entry = next((e for e in candidates if not list_disagreement(claim, e)), None)
        if entry is None:
            _record_mismatch(claim, candidates[0])
            continue
        claim_transition(
            claim=claim,
            to=ClaimStatus.VERIFIED,
            party=REGISTRY,
            registry_entry=entry,
            reason_text=provenance(entry),
        )
        count += 1
    return count


def _certificate_key(number: str) -> str:
    return re.sub(r"[\s\-_/.·]", "", unicodedata.normalize("NFKC", number or "")).upper()


def list_disagreement(claim: QualificationClaim, entry: RegistryEntry) -> dict:
    """What the list entry says differently from the claim: empty when they agree."""
    firm = claim.enterprise
    found = {}
    if near_key(entry.name) != firm.near_key:
        found["name"] = {"firm": firm.name, "list": entry.name}
    if entry.certificate_number and _certificate_key(entry.certificate_number) != _certificate_key(
        claim.certificate_number
    ):
        found["certificate_number"] = {
            "firm": claim.certificate_number,
            "list": entry.certificate_number,
        }
    return found


def _record_mismatch(claim: QualificationClaim, entry: RegistryEntry) -> None:
    """Keep both sides on the claim (it stays in the zone's queue) and tell the zone once."""
    from django.urls import reverse

    from ecosystem.accounts.scope import officials_of_zone
    from ecosystem.core.services import audit_record, notify

    found = {
        **list_disagreement(claim, entry),
        "entry": entry.pk,
        "batch": entry.batch,
        "program": entry.program.name,
    }
    if claim.list_mismatch == found:
        return
    QualificationClaim.objects.filter(pk=claim.pk).update(list_mismatch=found)
    audit_record(actor=None, verb="claim.list_mismatch", target=claim, after=found)
    notify(
        officials_of_zone(claim.enterprise.zone_id),
        "claim_list_mismatch",
        title=lambda: (
            _("%(name)s: the official list disagrees with the claim")
            % {"name": claim.enterprise.name}
        ),
        url=reverse("zone_identity_queue"),
    )


def claims_expire_from_registry(*, program_ids=None, today=None) -> int:
    """Verified claims whose list entry has expired: cite another current entry of the
    program when one proves them, else expire them (the firm is told why)."""
    today = today or timezone.localdate()
    claims = QualificationClaim.objects.filter(
        status=ClaimStatus.VERIFIED, registry_entry__valid_until__lt=today
    ).select_related("enterprise", "registry_entry")
    if program_ids is not None:
        claims = claims.filter(program_id__in=program_ids)
    count = 0
    for claim in claims:
        if _cite_another_entry(claim, today=today):
            continue
        claim_transition(
            claim=claim,
            to=ClaimStatus.EXPIRED,
            party=SYSTEM,
            reason_text=_(
                "The listing on the official list expired on %(date)s (batch %(batch)s); "
                "claim again with the new certificate."
            )
            % {
                "date": claim.registry_entry.valid_until.isoformat(),
                "batch": claim.registry_entry.batch,
            },
        )
        count += 1
    return count


def _cite_another_entry(claim: QualificationClaim, *, today=None) -> bool:
    """When another current entry of the program still proves the claim, cite it (the
    claim stays verified) and say so."""
    other = (
        current_entries(today=today)
        .filter(program_id=claim.program_id, uscc=claim.enterprise.uscc)
        .order_by("-valid_until")
        .first()
    )
    if other is None:
        return False
    QualificationClaim.objects.filter(pk=claim.pk).update(registry_entry=other)
    return True


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
        if _cite_another_entry(claim):
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
    from ecosystem.enterprises.services.name_matching import name_matches_propose

    revoked = claims_revoke_for_withdrawn(entry_ids=withdrawn_ids)
    expired = claims_expire_from_registry(program_ids=[program_id])
    verified = claims_verify_from_registry(program_ids=[program_id])
    proposed = name_matches_propose(program_id=program_id)
    return {"revoked": revoked, "verified": verified, "expired": expired, "name_matches": proposed}


def registry_entries_preview(
    *, program_id: int, batch: str, current_codes, expired_codes, name_keys
) -> dict[str, int]:
    """Subscriber of ``registry.entries_preview``: what the list would do to claims.

    Whether another batch's current entry proves a claim is asked of each claim in the
    statement that reads it (``Exists``): the program's waiting claims were read, their
    22,759 codes sent back as a list to find the entries of other batches, and each
    verified claim the list touches probed by a query of its own. A three-row list
    nationally: 0.66-1.3 s before (docs/performance.md, session 18)."""
    from ecosystem.enterprises.models import Enterprise

    current, expired = set(current_codes), set(expired_codes)
    claims = QualificationClaim.objects.filter(program_id=program_id).order_by()
    other_batch = Exists(
        current_entries()
        .filter(program_id=program_id, uscc=OuterRef("enterprise__uscc"))
        .exclude(batch=batch)
    )
    waiting = (
        claims.filter(status__in=WAITING, enterprise__identity_status=IdentityStatus.CONFIRMED)
        .annotate(elsewhere=other_batch)
        .values_list("enterprise__uscc", "elsewhere")
    )
    outcome = {
        "verified": sum(1 for code, elsewhere in waiting if elsewhere or code in current),
        "expired": 0,
        "revoked": 0,
        "name_matches": 0,
    }
    verified_here = claims.filter(status=ClaimStatus.VERIFIED).annotate(elsewhere=other_batch)
    # (the program named twice: a claim cites its own program's entry, and the index on
    # the entries' program and batch answers)
    touched = verified_here.filter(
        registry_entry__program_id=program_id, registry_entry__batch=batch
    ).values_list("pk", "enterprise__uscc", "elsewhere")
    if expired:  # (a union: one index each, where the OR of both read every claim)
        touched = touched.union(
            verified_here.filter(enterprise__uscc__in=list(expired)).values_list(
                "pk", "enterprise__uscc", "elsewhere"
            )
        )
    for _pk, code, elsewhere in touched:
        if code in current or elsewhere:
            continue
        outcome["expired" if code in expired else "revoked"] += 1
    if name_keys:
        from ecosystem.enterprises.services.name_matching import region_fits

        regions = dict(name_keys)
        firms = Enterprise.objects.filter(name_key__in=list(regions)).select_related("zone")
        outcome["name_matches"] = len(
            {f.name_key for f in firms if region_fits(regions[f.name_key], f)}
        )
    return outcome
