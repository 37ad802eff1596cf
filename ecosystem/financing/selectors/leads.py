"""Leads as the user may see them (the leads API and a bank's own systems).

Managers see every lead of their bank, relationship managers the leads of their
branch, enterprise members their enterprise's leads; anything else does not exist.
Rows carry ``consented`` (the enterprise's active consent for the lead's bank: a bank
sees name, credit code and contacts only with it) and ``own`` (the user is a member of
the lead's enterprise); the decline reason is the lead's own ``decline_reason``.
"""

from __future__ import annotations

from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.lookups import IsNull

from ecosystem.accounts.scope import scope_of
from ecosystem.financing import permissions as policy
from ecosystem.financing import workflow
from ecosystem.financing.models import Lead, Offer


def _consented():
    """The lead's enterprise holds an active consent for the lead's bank.

    A scalar subquery (``(SELECT id … LIMIT 1) IS NOT NULL``), not ``EXISTS``: PostgreSQL
    may turn an ``EXISTS`` into a hashed subplan that reads every active consent of every
    bank before the first row (its cost estimate counts every lead the page is sorted
    from, not the page), so each inbox and API page grew with the consent table. A scalar
    subquery is never hashed: it runs for the rows of the page only, one probe each of
    the active consents' unique index (enterprise, bank, purpose). It selects the
    enterprise, a column of that index, not the consent's id: the probe then reads the
    index alone (an index-only scan), where for the id the planner took the enterprise's
    index and each consent's row (a national export of 5,300 leads: 62 -> 44 ms). EXPLAIN
    notes: docs/performance.md, "Consent check"."""
    from ecosystem.enterprises.models import Consent

    return IsNull(
        Subquery(
            Consent.objects.filter(
                enterprise_id=OuterRef("enterprise_id"),
                bank_id=OuterRef("bank_id"),
                revoked_at__isnull=True,
            )
            .order_by()
            .values("enterprise_id")[:1]
        ),
        False,
    )


def lead_offers() -> QuerySet[Offer]:
    """A lead's offers in the order every page and the API list them: newest first."""
    return Offer.objects.order_by("-created_at", "-id")


def leads_visible_to(*, user) -> QuerySet[Lead]:
    """The leads the user may see, annotated; an empty queryset for anyone else."""
    scope = scope_of(user)
    return (
        Lead.objects.filter(policy.leads_q(scope))
        .select_related("enterprise", "product", "product_version", "bank", "branch", "assigned_to")
        .prefetch_related(Prefetch("offers", queryset=lead_offers()))
        .annotate(
            consented=_consented(),
            own=ExpressionWrapper(
                Q(enterprise_id__in=scope.enterprise_ids) if scope.enterprise_ids else Value(False),
                output_field=BooleanField(),
            ),
        )
    )


def bank_leads_of(*, user) -> QuerySet[Lead]:
    """The bank side of ``leads_visible_to``: a relationship manager sees the leads of
    their branches, a manager those of their banks (a platform admin all). Leads the user
    sees only as a member of the enterprise belong to the enterprise's pages."""
    return leads_visible_to(user=user).filter(policy.bank_leads_q(scope_of(user)))


def offers_visible_to(*, user) -> QuerySet[Offer]:
    """Offers on the leads the user may see."""
    return Offer.objects.filter(lead__in=leads_visible_to(user=user).values("pk")).select_related(
        "lead__enterprise", "lead__bank"
    )


def overdue_q(now) -> Q:
    """Open leads past their response time with no answer yet (the inbox's overdue tab,
    the escalation and every dashboard count the same leads)."""
    return Q(status__in=workflow.OPEN, due_at__lt=now, first_contact_at__isnull=True)


def open_leads_of(*, enterprise) -> QuerySet[Lead]:
    return Lead.objects.filter(enterprise=enterprise, status__in=workflow.OPEN)


# ---- the enterprise's own view: explanations and near misses ---------------------------
