"""The states of the funds' three workflows (a filing into a risk pool, a compensation
claim, an interest-subsidy application), the tables of allowed moves, and the loan book's
five-category classification.

Parties: ``bank`` (a relationship manager or manager of the loan's bank), ``enterprise``
(a member of the borrowing firm), ``fund_manager`` (a fund manager of the scheme). One
service per workflow (``services.filings.filing_transition``,
``services.claims.claim_transition``, ``services.subsidies.subsidy_transition``) reads its
table; nothing else changes a status.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

BANK = "bank"
ENTERPRISE = "enterprise"
FUND_MANAGER = "fund_manager"


class Classification(models.TextChoices):
    """The five-category loan classification (贷款五级分类)."""

    NORMAL = "normal", _("normal")
    SPECIAL_MENTION = "special_mention", _("special mention")
    SUBSTANDARD = "substandard", _("substandard")
    DOUBTFUL = "doubtful", _("doubtful")
    LOSS = "loss", pgettext_lazy("loan classification", "loss")


#: Substandard or worse is non-performing; so is a loan 90 or more days past due.
NON_PERFORMING = frozenset(
    {Classification.SUBSTANDARD, Classification.DOUBTFUL, Classification.LOSS}
)
NON_PERFORMING_DAYS = 90


def is_non_performing(classification: str, days_past_due: int) -> bool:
    return classification in NON_PERFORMING or days_past_due >= NON_PERFORMING_DAYS


class FilingStatus(models.TextChoices):
    FILED = "filed", pgettext_lazy("filing status", "awaiting confirmation")
    CONFIRMED = "confirmed", pgettext_lazy("filing status", "confirmed")
    REFUSED = "refused", pgettext_lazy("filing status", "refused")
    WITHDRAWN = "withdrawn", pgettext_lazy("filing status", "withdrawn")
    CLOSED = "closed", pgettext_lazy("filing status", "closed")


class ClaimStatus(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("compensation claim", "awaiting review")
    REVIEWED = "reviewed", pgettext_lazy("compensation claim", "reviewed, awaiting approval")
    APPROVED = "approved", pgettext_lazy("compensation claim", "approved")
    PAID = "paid", pgettext_lazy("compensation claim", "paid")
    REFUSED = "refused", pgettext_lazy("compensation claim", "refused")


class SubsidyStatus(models.TextChoices):
    APPLIED = "applied", pgettext_lazy("subsidy", "awaiting the bank's confirmation")
    CONFIRMED = "confirmed", pgettext_lazy("subsidy", "interest confirmed by the bank")
    APPROVED = "approved", pgettext_lazy("subsidy", "approved")
    PAID = "paid", pgettext_lazy("subsidy", "paid")
    REFUSED = "refused", pgettext_lazy("subsidy", "refused")


@dataclass(frozen=True)
class Move:
    """Who may take a move and what it needs.

    ``requires_reason``: a reason in words (a refusal, a withdrawal).
    ``second_person``: not the person who took the previous step (four eyes).
    """

    parties: frozenset[str]
    requires_reason: bool = False
    second_person: bool = False


_BANK = frozenset({BANK})
_FM = frozenset({FUND_MANAGER})
F, C, SS = FilingStatus, ClaimStatus, SubsidyStatus

FILING_TRANSITIONS: dict[tuple[str, str], Move] = {
    (F.FILED, F.CONFIRMED): Move(_FM),
    (F.FILED, F.REFUSED): Move(_FM, requires_reason=True),
    (F.FILED, F.WITHDRAWN): Move(_BANK),
    (F.CONFIRMED, F.CLOSED): Move(_BANK),
}

CLAIM_TRANSITIONS: dict[tuple[str, str], Move] = {
    (C.SUBMITTED, C.REVIEWED): Move(_FM),
    (C.SUBMITTED, C.REFUSED): Move(_FM, requires_reason=True),
    (C.REVIEWED, C.APPROVED): Move(_FM, second_person=True),
    (C.REVIEWED, C.REFUSED): Move(_FM, requires_reason=True, second_person=True),
    (C.APPROVED, C.PAID): Move(_FM),
}

SUBSIDY_TRANSITIONS: dict[tuple[str, str], Move] = {
    (SS.APPLIED, SS.CONFIRMED): Move(_BANK),
    (SS.APPLIED, SS.REFUSED): Move(_BANK, requires_reason=True),
    (SS.CONFIRMED, SS.APPROVED): Move(_FM),
    (SS.CONFIRMED, SS.REFUSED): Move(_FM, requires_reason=True),
    (SS.APPROVED, SS.PAID): Move(_FM),
}

#: Filings whose loans count against a pool's headroom: awaiting confirmation or confirmed.
FILING_HOLDS_HEADROOM = (F.FILED.value, F.CONFIRMED.value)
#: Claims whose amount is committed from the fund.
CLAIM_COMMITTED = (C.APPROVED.value, C.PAID.value)
