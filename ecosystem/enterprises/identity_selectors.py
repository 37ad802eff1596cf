"""Reads of the identity pages: checks, documents, disputes and flags, scoped to the user
(``permissions``: an official sees those of the zones they serve; members their firm's)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from ecosystem.accounts.scope import scope_of
from ecosystem.enterprises.models import (
    Dispute,
    Enterprise,
    IdentityDocument,
    NameFlag,
    QualificationClaim,
)
from ecosystem.enterprises.permissions import review_q
from ecosystem.enterprises.workflow import AWAITING_DECISION, DisputeStatus, IdentityStatus


def identity_enterprises_for_official(*, user) -> QuerySet[Enterprise]:
    """Enterprises of the official's zones (their identity pages)."""
    return Enterprise.objects.filter(review_q(scope_of(user), field="zone_id")).select_related(
        "zone"
    )


def disputes_for_official(*, user) -> QuerySet[Dispute]:
    return Dispute.objects.filter(review_q(scope_of(user))).select_related(
        "enterprise", "enterprise__zone", "filed_by", "decided_by"
    )


def flags_for_official(*, user) -> QuerySet[NameFlag]:
    return NameFlag.objects.filter(review_q(scope_of(user))).select_related(
        "enterprise", "other", "other__zone"
    )


def identity_queue(*, user) -> dict:
    """What waits for the official: identity documents to confirm, disputes to decide,
    names registered under another code, claims the official list disagrees with."""
    firms = identity_enterprises_for_official(user=user)
    return {
        "identities": firms.filter(identity_status=IdentityStatus.SUBMITTED).order_by(
            "updated_at", "pk"
        ),
        "disputes": disputes_for_official(user=user)
        .filter(status=DisputeStatus.FILED)
        .order_by("created_at", "pk"),
        "flags": flags_for_official(user=user)
        .filter(cleared_at__isnull=True)
        .order_by("created_at", "pk"),
        "mismatches": QualificationClaim.objects.filter(
            review_q(scope_of(user)), status__in=AWAITING_DECISION
        )
        .exclude(list_mismatch={})
        .select_related("enterprise", "program")
        .order_by("submitted_at", "pk"),
    }


def identity_documents_visible_to(*, user) -> QuerySet[IdentityDocument]:
    """Members see their firm's identity documents; officials those of their zones' firms
    and disputes; a filer the documents of their own disputes."""
    scope = scope_of(user)
    if not scope.is_authenticated:
        return IdentityDocument.objects.none()
    return IdentityDocument.objects.filter(
        Q(check_for__enterprise_id__in=scope.enterprise_ids)
        | Q(check_for__enterprise__zone_id__in=scope.zone_ids)
        | Q(dispute__enterprise__zone_id__in=scope.zone_ids)
        | Q(dispute__filed_by_id=scope.user_id)
    )


def disputes_filed_by(*, user) -> QuerySet[Dispute]:
    return Dispute.objects.filter(filed_by=user).select_related("enterprise")
