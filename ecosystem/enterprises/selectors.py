"""Enterprise reads, always scoped to the user: what a user may not see does not exist."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from ecosystem.accounts.scope import memberships_of_enterprise, scope_of
from ecosystem.core.uscc import normalize_uscc
from ecosystem.enterprises import permissions as policy
from ecosystem.enterprises.models import (
    AccessLogEntry,
    Consent,
    Enterprise,
    Evidence,
    FinancialYear,
    FinancingNeed,
    JoinRequest,
    OnboardingDraft,
    QualificationClaim,
)
from ecosystem.enterprises.workflow import ClaimStatus


def enterprises_visible_to(*, user) -> QuerySet[Enterprise]:
    """Members, officials of the zone, banks holding an active consent, platform admins."""
    return Enterprise.objects.filter(policy.enterprises_q(scope_of(user)))


def enterprises_for_member(*, user) -> QuerySet[Enterprise]:
    """Enterprises the user belongs to (owner or member), which they may edit."""
    return Enterprise.objects.filter(policy.member_enterprises_q(scope_of(user))).select_related(
        "zone", "industry"
    )


def enterprises_owned_by(*, user) -> QuerySet[Enterprise]:
    return Enterprise.objects.filter(policy.owned_enterprises_q(scope_of(user)))


def financial_years_of(*, enterprise: Enterprise) -> QuerySet[FinancialYear]:
    return FinancialYear.objects.filter(enterprise=enterprise).order_by("-year")


def latest_financial_year(*, enterprise: Enterprise, verified_only: bool = False):
    years = financial_years_of(enterprise=enterprise)
    if verified_only:
        years = years.filter(verification_status="verified")
    return years.first()


def claims_visible_to(*, user) -> QuerySet[QualificationClaim]:
    """Members and zone officials see every claim; a bank with consent only verified ones
    (the consent text covers "verified qualifications")."""
    return QualificationClaim.objects.select_related("program", "enterprise").filter(
        policy.claims_q(scope_of(user))
    )


def has_valid_hte_certificate(*, enterprise: Enterprise, on) -> bool:
    """A verified high-tech enterprise claim not expired on ``on`` (TSME direct route)."""
    from ecosystem.registries.reference import HIGH_TECH_ENTERPRISE

    return (
        QualificationClaim.objects.filter(
            enterprise=enterprise,
            program__code=HIGH_TECH_ENTERPRISE,
            status=ClaimStatus.VERIFIED,
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .exists()
    )


def evidence_visible_to(*, user) -> QuerySet[Evidence]:
    return Evidence.objects.filter(claim__in=claims_visible_to(user=user))


def needs_of(*, enterprise: Enterprise) -> QuerySet[FinancingNeed]:
    return FinancingNeed.objects.filter(enterprise=enterprise)


def consents_of(*, enterprise: Enterprise) -> QuerySet[Consent]:
    return Consent.objects.filter(enterprise=enterprise).select_related("bank", "granted_by")


def active_consent_banks(*, enterprise: Enterprise):
    return Consent.objects.filter(enterprise=enterprise, revoked_at__isnull=True).values_list(
        "bank_id", flat=True
    )


def access_log_of(*, enterprise: Enterprise) -> QuerySet[AccessLogEntry]:
    return AccessLogEntry.objects.filter(enterprise=enterprise).select_related("viewer", "bank")


def join_requests_of(*, user) -> QuerySet[JoinRequest]:
    """The user's own requests to join enterprises, newest first."""
    if not getattr(user, "is_authenticated", False):
        return JoinRequest.objects.none()
    return JoinRequest.objects.filter(user=user).select_related("enterprise", "user")


def pending_join_requests(*, enterprise: Enterprise) -> QuerySet[JoinRequest]:
    return JoinRequest.objects.filter(
        enterprise=enterprise, status=JoinRequest.Status.PENDING
    ).select_related("user")


def members_of(*, enterprise: Enterprise):
    return memberships_of_enterprise(enterprise.pk)


def enterprise_registered_as(*, uscc: str) -> Enterprise | None:
    """The enterprise holding ``uscc``: its name is public (business licence), nothing else
    is shown to a newcomer."""
    return Enterprise.objects.filter(uscc=normalize_uscc(uscc)).only("pk", "name", "uscc").first()


def onboarding_draft_of(*, user) -> OnboardingDraft | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return OnboardingDraft.objects.filter(user=user).first()


def consent_banks():
    """The banks an enterprise may give consent to. Banks belong to financing, which sits
    above enterprises in the layering; the consent's own relation names their model."""
    return Consent._meta.get_field("bank").related_model.objects.all()
