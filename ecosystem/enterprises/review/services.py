"""Zone writes: bulk decisions on claims and the officials' daily digest."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ecosystem.accounts.scope import officials, scope_of
from ecosystem.core.errors import ApplicationError
from ecosystem.core.notices import msg
from ecosystem.core.services import notify
from ecosystem.enterprises.permissions import review_q
from ecosystem.enterprises.review.queue import claims_awaiting_review
from ecosystem.enterprises.services import claim_transition
from ecosystem.enterprises.workflow import ClaimStatus
from ecosystem.zones.selectors import active_rejection_reasons

BULK_DECISIONS = (ClaimStatus.VERIFIED, ClaimStatus.REJECTED)
BULK_LIMIT = 200


@dataclass
class BulkResult:
    done: list = field(default_factory=list)
    refused: list[tuple[object, str]] = field(default_factory=list)


def claims_bulk_decide(
    *, claim_ids: list[int], actor, to: str, reason_code: str = "", reason_text: str = ""
) -> BulkResult:
    """Approve or reject several claims with one standard reason; each one on its own, so a
    claim someone else decided meanwhile is reported and the others still go through."""
    if to not in BULK_DECISIONS:
        raise ApplicationError(_("Bulk decisions approve or reject."), code="bad_decision")
    if len(claim_ids) > BULK_LIMIT:
        raise ApplicationError(
            _("At most %(n)d claims at once.") % {"n": BULK_LIMIT}, code="too_many"
        )
    if to == ClaimStatus.REJECTED and not reason_code:
        raise ApplicationError(_("Choose a reason code."), code="reason_required")
    if (
        to == ClaimStatus.REJECTED
        and not active_rejection_reasons().filter(code=reason_code).exists()
    ):
        raise ApplicationError(_("Unknown reason code."), code="bad_reason")
    result = BulkResult()
    # Only claims in the official's own queue: anything else is silently not found.
    queue = {c.pk: c for c in claims_awaiting_review(user=actor).filter(pk__in=claim_ids)}
    from ecosystem.enterprises.models import QualificationClaim

    for pk in claim_ids:
        # A claim of the official's zones that is no longer awaiting a decision is refused
        # with its reason by the transition; others' claims are not found.
        claim = queue.get(pk) or (
            QualificationClaim.objects.filter(review_q(scope_of(actor, fresh=True)), pk=pk).first()
        )
        if claim is None:
            result.refused.append((pk, _("Not found.")))
            continue
        try:
            result.done.append(
                claim_transition(
                    claim=claim,
                    to=to,
                    actor=actor,
                    reason_code=reason_code,
                    reason_text=reason_text,
                )
            )
        except ApplicationError as exc:
            result.refused.append((claim, str(exc.message)))
    return result


def user_set_digest(*, user, enabled: bool):
    if user.digest_enabled != enabled:
        user.digest_enabled = enabled
        user.save(update_fields=["digest_enabled"])
    return user


def official_digests_send(*, now=None) -> int:
    """Notify each zone official (digest switched on) of items new in the last day."""
    from ecosystem.enterprises.models import FinancialYear, QualificationClaim
    from ecosystem.enterprises.workflow import AWAITING_DECISION

    now = now or timezone.now()
    since = now - timedelta(days=1)
    sent = 0
    for official in officials().filter(digest_enabled=True):
        zones = scope_of(official, fresh=True).zone_ids
        claims = (
            QualificationClaim.objects.filter(
                enterprise__zone_id__in=zones, status__in=AWAITING_DECISION
            )
            .filter(Q(submitted_at__gte=since))
            .count()
        )
        years = FinancialYear.objects.filter(
            enterprise__zone_id__in=zones, verification_status="unverified", updated_at__gte=since
        ).count()
        if not claims and not years:
            continue
        notify(
            official,
            "digest",
            title=msg(gettext_noop("New items to review: %(n)s"), n=claims + years),
            body=msg(
                gettext_noop(
                    "Claims: %(claims)s. Financial years: %(years)s. You can switch this "
                    "daily email off in your settings."
                ),
                claims=claims,
                years=years,
            ),
            url=reverse("zone_queue"),
        )
        sent += 1
    return sent
