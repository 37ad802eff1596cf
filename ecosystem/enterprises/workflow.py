"""The qualification claim workflow: states and the table of allowed moves.

Each move names the parties that may take it and what it requires. One service,
``claim_transition``, reads this table; nothing else changes a claim's status.
Parties: ``enterprise`` (a member of the claiming enterprise), ``zone`` (an official
of the enterprise's zone), ``registry`` (automatic verification against an official
list) and ``system`` (scheduled jobs such as expiry).
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class ClaimStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    UNDER_REVIEW = "under_review", _("under review")
    NEEDS_INFO = "needs_info", _("more information requested")
    RESUBMITTED = "resubmitted", _("resubmitted")
    VERIFIED = "verified", _("verified")
    REJECTED = "rejected", _("rejected")
    EXPIRED = "expired", _("expired")
    REVOKED = "revoked", _("revoked")


ENTERPRISE = "enterprise"
ZONE = "zone"
REGISTRY = "registry"
SYSTEM = "system"


@dataclass(frozen=True)
class Move:
    parties: frozenset[str]
    requires_reason: bool = False
    requires_evidence: bool = False
    requires_message: bool = False


S = ClaimStatus
_REVIEWERS = frozenset({ZONE})
_DECIDERS = frozenset({ZONE, REGISTRY})

TRANSITIONS: dict[tuple[str, str], Move] = {
    (S.DRAFT, S.SUBMITTED): Move(frozenset({ENTERPRISE}), requires_evidence=True),
    (S.SUBMITTED, S.UNDER_REVIEW): Move(_REVIEWERS),
    (S.SUBMITTED, S.VERIFIED): Move(_DECIDERS),
    (S.SUBMITTED, S.REJECTED): Move(_REVIEWERS, requires_reason=True),
    (S.SUBMITTED, S.NEEDS_INFO): Move(_REVIEWERS, requires_message=True),
    (S.UNDER_REVIEW, S.VERIFIED): Move(_DECIDERS),
    (S.UNDER_REVIEW, S.REJECTED): Move(_REVIEWERS, requires_reason=True),
    (S.UNDER_REVIEW, S.NEEDS_INFO): Move(_REVIEWERS, requires_message=True),
    (S.NEEDS_INFO, S.RESUBMITTED): Move(frozenset({ENTERPRISE}), requires_evidence=True),
    (S.NEEDS_INFO, S.VERIFIED): Move(frozenset({REGISTRY})),
    # A rejection is no dead end: the firm corrects the claim and resubmits it (a new
    # revision; the rejection stays in the history).
    (S.REJECTED, S.RESUBMITTED): Move(frozenset({ENTERPRISE}), requires_evidence=True),
    (S.RESUBMITTED, S.UNDER_REVIEW): Move(_REVIEWERS),
    (S.RESUBMITTED, S.VERIFIED): Move(_DECIDERS),
    (S.RESUBMITTED, S.REJECTED): Move(_REVIEWERS, requires_reason=True),
    (S.RESUBMITTED, S.NEEDS_INFO): Move(_REVIEWERS, requires_message=True),
    (S.VERIFIED, S.EXPIRED): Move(frozenset({SYSTEM})),
    (S.VERIFIED, S.REVOKED): Move(frozenset({REGISTRY, SYSTEM})),
}

#: States in which the enterprise may still edit the claim and its evidence.
EDITABLE = frozenset({S.DRAFT, S.NEEDS_INFO, S.REJECTED})
#: States the enterprise leaves by resubmitting (a new revision for the reviewer).
RESUBMITTABLE = frozenset({S.NEEDS_INFO, S.REJECTED})
#: States waiting for a decision (the zone's queue).
AWAITING_DECISION = frozenset({S.SUBMITTED, S.UNDER_REVIEW, S.RESUBMITTED})


def allowed_targets(source: str, party: str) -> list[str]:
    return [
        to for (frm, to), move in TRANSITIONS.items() if frm == source and party in move.parties
    ]
