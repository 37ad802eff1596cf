"""The qualification claim workflow: states and the table of allowed moves.

Each move names the parties that may take it and what it requires. One service,
``claim_transition``, reads this table; nothing else changes a claim's status.
Parties: ``enterprise`` (a member of the claiming enterprise), ``zone`` (an official
of the enterprise's zone), ``registry`` (automatic verification against an official
list), ``system`` (scheduled jobs such as expiry) and ``dispute`` (a zone official's decision
that the record belongs to another company).

The identity of the person who registered an enterprise has its own table below
(``IdentityStatus``, ``IDENTITY_TRANSITIONS``), and so do disputes over who holds a credit
code (``DisputeStatus``, ``DISPUTE_TRANSITIONS``).
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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
#: A zone official's decision of an identity dispute (``identity.dispute_decide``).
DISPUTE = "dispute"
#: A cooperating bank confirming a registrant's identity from its own account KYC.
BANK = "bank"


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
    (S.VERIFIED, S.REVOKED): Move(frozenset({REGISTRY, SYSTEM, DISPUTE})),
    # A dispute transfers the record: what the wrong holder claimed ends with it.
    (S.DRAFT, S.REVOKED): Move(frozenset({DISPUTE})),
    (S.SUBMITTED, S.REVOKED): Move(frozenset({DISPUTE})),
    (S.UNDER_REVIEW, S.REVOKED): Move(frozenset({DISPUTE})),
    (S.NEEDS_INFO, S.REVOKED): Move(frozenset({DISPUTE})),
    (S.RESUBMITTED, S.REVOKED): Move(frozenset({DISPUTE})),
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


# --- identity of the registrant -----------------------------------------------------------


class IdentityStatus(models.TextChoices):
    """Whether the person who registered the enterprise is confirmed to act for it."""

    UNCONFIRMED = "unconfirmed", _("identity unconfirmed")
    SUBMITTED = "submitted", _("identity documents awaiting confirmation")
    CONFIRMED = "confirmed", _("identity confirmed")
    REFUSED = "refused", _("identity refused")


class IdentitySource(models.TextChoices):
    """Who confirmed the identity."""

    ZONE = "zone", _("the zone official, from the business licence and letter")
    BANK = "bank", _("a cooperating bank, from its corporate-account KYC")
    DISPUTE = "dispute", _("the zone official, deciding a dispute")
    MIGRATED = "migrated", _("registered before identity confirmation existed (migrated)")


class IdentityRefusal(models.TextChoices):
    """Reason codes of a refused identity (shown by their labels)."""

    LICENCE_UNREADABLE = "licence_unreadable", _("business licence missing or unreadable")
    LICENCE_MISMATCH = "licence_mismatch", _("business licence does not match the code or name")
    LETTER_MISSING = "letter_missing", _("letter of authorisation missing")
    SEAL_MISSING = "seal_missing", _("no company seal on the letter of authorisation")
    NOT_AUTHORISED = "not_authorised", _("the letter does not authorise this person")
    OTHER = "other", _("other (see the note)")


IS = IdentityStatus

#: The registrant's identity: who may move it where. ``enterprise`` submits the documents,
#: ``zone`` (an official of the enterprise's zone) decides, ``bank`` confirms from its own
#: KYC, ``dispute`` is the zone's decision of a dispute (the record changes hands).
IDENTITY_TRANSITIONS: dict[tuple[str, str], Move] = {
    (IS.UNCONFIRMED, IS.SUBMITTED): Move(frozenset({ENTERPRISE}), requires_evidence=True),
    (IS.REFUSED, IS.SUBMITTED): Move(frozenset({ENTERPRISE}), requires_evidence=True),
    (IS.SUBMITTED, IS.CONFIRMED): Move(frozenset({ZONE, BANK})),
    (IS.SUBMITTED, IS.REFUSED): Move(frozenset({ZONE}), requires_reason=True),
    (IS.UNCONFIRMED, IS.CONFIRMED): Move(frozenset({BANK, DISPUTE})),
    (IS.REFUSED, IS.CONFIRMED): Move(frozenset({BANK, DISPUTE})),
    (IS.SUBMITTED, IS.UNCONFIRMED): Move(frozenset({DISPUTE})),
    (IS.CONFIRMED, IS.UNCONFIRMED): Move(frozenset({DISPUTE})),
}


class DisputeStatus(models.TextChoices):
    FILED = "filed", _("filed, awaiting the zone")
    UPHELD = "upheld", _("upheld: the record was transferred")
    DISMISSED = "dismissed", _("dismissed: the record stays")
    WITHDRAWN = "withdrawn", pgettext_lazy("request status", "withdrawn")


class DisputeDismissal(models.TextChoices):
    """Reason codes of a dismissed dispute."""

    HOLDER_PROVEN = "holder_proven", _("the current holder proved its identity")
    DOCUMENTS_INSUFFICIENT = "documents_insufficient", _("the documents do not prove the claim")
    OTHER = "other", _("other (see the note)")


DS = DisputeStatus

#: A dispute over who holds a credit code: the zone decides, the filer may withdraw.
DISPUTE_TRANSITIONS: dict[tuple[str, str], Move] = {
    (DS.FILED, DS.UPHELD): Move(frozenset({ZONE})),
    (DS.FILED, DS.DISMISSED): Move(frozenset({ZONE}), requires_reason=True),
    (DS.FILED, DS.WITHDRAWN): Move(frozenset({ENTERPRISE})),
}
