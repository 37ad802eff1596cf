"""Lists without credit codes (MIIT publishes 序号 | 省份 | 企业名称): each row is matched to
registered firms by its name. A unique same-name firm is proposed; several same-name firms
or a similar name (company form, a parenthesised place) go to the officer's queue as well.
Only a match the officer confirms gives the row the firm's code and so verifies a claim;
the claim then says "matched by name, confirmed by <officer>".
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecosystem.core.errors import ApplicationError, ConflictError
from ecosystem.core.services import audit_record
from ecosystem.enterprises.models import Enterprise, NameMatch
from ecosystem.registries.models import RegistryEntry
from ecosystem.registries.names import near_key
from ecosystem.registries.permissions import can_manage_program

#: Similar names proposed per row at most (the rest would be noise).
NEAR_LIMIT = 5


def region_fits(region: str, enterprise: Enterprise) -> bool:
    """A province or city the row gives must be the firm's zone's (when the zone says)."""
    if not region:
        return True
    zone = enterprise.zone
    places = [p.rstrip("省市") for p in (zone.province, zone.city) if p]
    return not places or any(p and p in region for p in places)


def name_matches_propose(*, program_id: int) -> int:
    """Propose firms for the current rows of the program's name-only lists that have no
    code yet and no proposal; returns the number of rows given proposals."""
    rows = (
        RegistryEntry.objects.filter(
            program_id=program_id, uscc="", status=RegistryEntry.Status.CURRENT
        )
        .exclude(name_key="")
        .exclude(name_matches__isnull=False)
    )
    proposed = 0
    for entry in rows.iterator(chunk_size=500):
        same = [
            e
            for e in Enterprise.objects.filter(name_key=entry.name_key).select_related("zone")
            if region_fits(entry.region, e)
        ]
        if same:
            kind = NameMatch.Kind.EXACT if len(same) == 1 else NameMatch.Kind.AMBIGUOUS
            candidates = same
        else:
            key = near_key(entry.name)
            candidates = [
                e
                for e in Enterprise.objects.filter(near_key=key).select_related("zone")[:NEAR_LIMIT]
                if key and region_fits(entry.region, e)
            ]
            kind = NameMatch.Kind.NEAR
        if candidates:
            NameMatch.objects.bulk_create(
                [NameMatch(entry=entry, enterprise=e, kind=kind) for e in candidates],
                ignore_conflicts=True,
            )
            proposed += 1
    return proposed


def _decide(match_id: int, actor, status: str) -> NameMatch:
    match = NameMatch.objects.select_related("entry__program").filter(pk=match_id).first()
    if match is None or not can_manage_program(actor, match.entry.program):
        raise ApplicationError(_("Not found."), code="not_found", status=404)
    # Lock the row first, then the match: two officers deciding on one row queue here.
    RegistryEntry.objects.select_for_update().get(pk=match.entry_id)
    match = (
        NameMatch.objects.select_for_update().select_related("entry", "enterprise").get(pk=match_id)
    )
    if match.status != NameMatch.Status.PROPOSED:
        raise ConflictError(
            _("Already decided by %(who)s at %(when)s: %(status)s.")
            % {
                "who": match.decided_by or _("another officer"),
                "when": timezone.localtime(match.decided_at).strftime("%Y-%m-%d %H:%M")
                if match.decided_at
                else "",
                "status": match.get_status_display(),
            },
            code="already_decided",
        )
    match.status, match.decided_by, match.decided_at = status, actor, timezone.now()
    match.save(update_fields=["status", "decided_by", "decided_at"])
    return match


def name_match_confirm(*, match_id: int, actor) -> NameMatch:
    """The row is this firm: it takes the firm's code, the other proposals for the row are
    superseded, and the firm's waiting claim of the program is verified."""
    from ecosystem.enterprises.services.verification import claims_verify_from_registry

    with transaction.atomic():
        match = _decide(match_id, actor, NameMatch.Status.CONFIRMED)
        entry, enterprise = match.entry, match.enterprise
        if entry.uscc:
            raise ConflictError(_("This row is already matched to a firm."), code="matched")
        entry.uscc, entry.matched_by, entry.matched_at = enterprise.uscc, actor, timezone.now()
        try:
            with transaction.atomic():
                entry.save(update_fields=["uscc", "matched_by", "matched_at", "updated_at"])
        except IntegrityError as exc:
            raise ConflictError(
                _("%(firm)s is already matched to another row of this list.")
                % {"firm": enterprise.name},
                code="firm_matched",
            ) from exc
        NameMatch.objects.filter(entry=entry, status=NameMatch.Status.PROPOSED).exclude(
            pk=match.pk
        ).update(status=NameMatch.Status.SUPERSEDED, decided_by=actor, decided_at=timezone.now())
        audit_record(
            actor=actor,
            verb="name_match.confirmed",
            target=match,
            after={"entry": entry.pk, "enterprise": enterprise.pk, "uscc": enterprise.uscc},
        )
        claims_verify_from_registry(
            program_ids=[entry.program_id],
            claim_ids=list(
                enterprise.claims.filter(program_id=entry.program_id).values_list("pk", flat=True)
            ),
        )
    return match


def name_match_reject(*, match_id: int, actor) -> NameMatch:
    """Not this firm: the proposal closes; the row and the firm's claims are untouched."""
    with transaction.atomic():
        match = _decide(match_id, actor, NameMatch.Status.REJECTED)
        audit_record(
            actor=actor,
            verb="name_match.rejected",
            target=match,
            after={"entry": match.entry_id, "enterprise": match.enterprise_id},
        )
    return match
