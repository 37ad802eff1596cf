"""The lead pipeline: a lead's states, the table of allowed moves and the reasons a
bank may decline.

One service, ``services.lead_transition`` (with the claim, assign, offer and
disbursement services built on it), reads this table; nothing else changes a lead's
status. Parties: ``enterprise`` (a member of the enterprise that asked), ``rm`` (a
relationship manager of the lead's branch), ``manager`` (a manager of the lead's bank)
and ``system`` (scheduled jobs such as expiry).

The states live here rather than in ``models.leads`` (which imports them for the
``Lead.status`` field and the one-open-lead constraint), so the open and closed sets
are derived from the table once, without an import cycle.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class LeadStatus(models.TextChoices):
    NEW = "new", pgettext_lazy("lead status", "new")
    ASSIGNED = "assigned", _("assigned")
    CONTACTED = "contacted", _("contacted")
    OFFER_MADE = "offer_made", _("offer made")
    ACCEPTED = "accepted", _("offer accepted")
    DISBURSED = "disbursed", _("disbursed")
    DECLINED = "declined", _("declined")
    WITHDRAWN = "withdrawn", pgettext_lazy("request status", "withdrawn")
    EXPIRED = "expired", _("expired")


class DeclineReason(models.TextChoices):
    """The standard list of reasons a bank declines a lead (label: for bank staff;
    ``DECLINE_REASON_TEXTS`` below holds the plain words the enterprise reads)."""

    REVENUE_TOO_LOW = "revenue_too_low", _("Revenue below the product's threshold")
    RD_TOO_LOW = "rd_too_low", _("R&D spending below the product's threshold")
    CREDIT_HISTORY = "credit_history", _("Adverse credit history")
    EXISTING_DEBT = "existing_debt", _("Existing debt too high")
    MISSING_DOCUMENTS = "missing_documents", _("Documents missing or not verifiable")
    OUTSIDE_POLICY = "outside_policy", _("Outside the bank's lending policy")
    NO_RESPONSE = "no_response", _("The enterprise could not be reached")


ENTERPRISE = "enterprise"
RM = "rm"
MANAGER = "manager"
SYSTEM = "system"

S = LeadStatus


@dataclass(frozen=True)
class Move:
    """Who may take a move and what it needs.

    ``requires_reason``: a decline reason code from :class:`DeclineReason`.
    ``requires_assignee``: only ``lead_claim`` / ``lead_assign`` take it.
    ``requires_offer``: only the offer services take it.
    ``requires_disbursement``: only ``disbursement_record`` takes it.
    ``requires_direct_offer``: only on a product version that ``allows_direct_offer``
    (the offer then records the first contact too).
    """

    parties: frozenset[str]
    requires_reason: bool = False
    requires_assignee: bool = False
    requires_offer: bool = False
    requires_disbursement: bool = False
    requires_direct_offer: bool = False


_BANK = frozenset({RM, MANAGER})
_ENTERPRISE = frozenset({ENTERPRISE})
_SYSTEM = frozenset({SYSTEM})

TRANSITIONS: dict[tuple[str, str], Move] = {
    (S.NEW, S.ASSIGNED): Move(_BANK, requires_assignee=True),
    (S.ASSIGNED, S.CONTACTED): Move(_BANK),
    (S.CONTACTED, S.OFFER_MADE): Move(_BANK, requires_offer=True),
    # The fast path: an offer straight from a claimed or assigned lead, where the
    # product version allows it.
    (S.ASSIGNED, S.OFFER_MADE): Move(_BANK, requires_offer=True, requires_direct_offer=True),
    (S.OFFER_MADE, S.ACCEPTED): Move(_ENTERPRISE, requires_offer=True),
    # The enterprise turned the offer down, or it expired: the bank may make another one.
    (S.OFFER_MADE, S.CONTACTED): Move(_ENTERPRISE | _SYSTEM, requires_offer=True),
    (S.ACCEPTED, S.DISBURSED): Move(_BANK, requires_disbursement=True),
    **{
        (source, S.DECLINED): Move(_BANK, requires_reason=True)
        for source in (S.NEW, S.ASSIGNED, S.CONTACTED, S.OFFER_MADE, S.ACCEPTED)
    },
    **{
        (source, S.WITHDRAWN): Move(_ENTERPRISE)
        for source in (S.NEW, S.ASSIGNED, S.CONTACTED, S.OFFER_MADE, S.ACCEPTED)
    },
    **{
        (source, S.EXPIRED): Move(_SYSTEM)
        for source in (S.NEW, S.ASSIGNED, S.CONTACTED, S.OFFER_MADE)
    },
}

#: Open states (the lead is still being worked; one per enterprise and product) are
#: those a move leaves; closed states are the rest. Plain strings in declaration order,
#: so the database constraint and its migration read the same tuple.
_SOURCES = frozenset(source for source, _target in TRANSITIONS)
OPEN: tuple[str, ...] = tuple(status.value for status in LeadStatus if status in _SOURCES)
CLOSED: tuple[str, ...] = tuple(status.value for status in LeadStatus if status not in OPEN)


#: What the enterprise reads: plain words, no bank jargon.
DECLINE_REASON_TEXTS = {
    DeclineReason.REVENUE_TOO_LOW: _(
        "Your revenue is below what this product requires. You may qualify as your "
        "business grows, or for a product with a lower threshold."
    ),
    DeclineReason.RD_TOO_LOW: _(
        "Your research and development spending is below what this product requires."
    ),
    DeclineReason.CREDIT_HISTORY: _(
        "The bank found problems in your company's credit record. You can ask the bank "
        "which records it relied on."
    ),
    DeclineReason.EXISTING_DEBT: _(
        "Your company already owes too much for the bank to lend more at this time."
    ),
    DeclineReason.MISSING_DOCUMENTS: _(
        "The bank could not obtain or check the documents it needs. You may apply again "
        "once they are complete."
    ),
    DeclineReason.OUTSIDE_POLICY: _(
        "Your request falls outside the bank's current lending rules for this product."
    ),
    DeclineReason.NO_RESPONSE: _(
        "The bank tried to contact you and got no answer. You may apply again at any time."
    ),
}


def reason_text(code: str) -> str:
    """The plain-language text of a decline reason for the enterprise ('' if unknown)."""
    text = DECLINE_REASON_TEXTS.get(code)
    return str(text) if text is not None else ""


def allowed_targets(source: str, party: str) -> list[str]:
    return [
        to for (frm, to), move in TRANSITIONS.items() if frm == source and party in move.parties
    ]
