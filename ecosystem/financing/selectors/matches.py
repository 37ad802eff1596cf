"""Financing reads, scoped to the user: what a user may not see does not exist.

Banks see matched enterprises through :func:`match_rows`, which leaves out name, credit
code, contact and figures unless the enterprise gave that bank consent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.lookups import IsNull
from django.utils import timezone

from ecosystem.accounts.scope import scope_of
from ecosystem.enterprises import stage as stages
from ecosystem.enterprises.lifecycle import LifecycleStage
from ecosystem.financing import permissions as policy
from ecosystem.financing.eligibility.evaluator import Evaluation, evaluate
from ecosystem.financing.eligibility.facts import facts_for
from ecosystem.financing.eligibility.matcher import current_versions
from ecosystem.financing.models import (
    Lead,
    Match,
    Product,
    ProductVersion,
)
from ecosystem.financing.selectors.leads import open_leads_of


def _consented():
    """The match's enterprise holds an active consent for the product's bank: a scalar
    subquery probed for the page's rows only, never a hashed scan of every consent, read
    from the active consents' unique index alone (see ``selectors.leads._consented``)."""
    from ecosystem.enterprises.models import Consent

    return IsNull(
        Subquery(
            Consent.objects.filter(
                enterprise_id=OuterRef("enterprise_id"),
                bank_id=OuterRef("product__bank_id"),
                revoked_at__isnull=True,
            )
            .order_by()
            .values("enterprise_id")[:1]
        ),
        False,
    )


def match_base() -> QuerySet[Match]:
    return Match.objects.select_related(
        "product__bank", "product_version", "enterprise__zone", "enterprise__industry__section"
    ).annotate(consented=_consented())


def matches_of_enterprise(*, enterprise) -> QuerySet[Match]:
    """The enterprise's own matches with active products, best first."""
    return match_base().filter(enterprise=enterprise, product__is_active=True)


def matches_for_bank(*, user, product: Product | None = None) -> QuerySet[Match]:
    """The bank side of the user's matches (``policy.bank_matches_q``: a manager's banks
    whole, a relationship manager's branches' part of theirs), annotated with
    ``consented``, in the bank's matches page's order."""
    matches = match_base().filter(policy.bank_matches_q(scope_of(user)))
    if product is not None:
        matches = matches.filter(product=product)
    return matches.order_by("product__code", "-indicative_limit", "pk")


def matches_visible_to(*, user) -> QuerySet[Match]:
    """API scope: the matches of the user's enterprises and the bank side of theirs
    (``policy.matches_q``: a manager's banks whole, a relationship manager's branches'
    part), the latest computed first."""
    return match_base().filter(policy.matches_q(scope_of(user))).order_by("-computed_at", "pk")


# ---- rows as a bank sees them ----------------------------------------------------------


@dataclass(frozen=True)
class EnterpriseDetail:
    """What a bank holding consent may see of a matched enterprise."""

    pk: int
    name: str
    uscc: str
    contact_name: str
    contact_phone: str
    contact_email: str
    figures_year: int | None = None
    revenue: Decimal | None = None
    rd_expense: Decimal | None = None
    employees: int | None = None


@dataclass(frozen=True)
class MatchRow:
    """One match as a bank sees it: ``enterprise`` is None without consent (masked)."""

    match_id: int
    product_id: int
    product_name: str
    version: int
    stage: str
    stage_label: str
    zone: str
    industry_section: str
    indicative_limit: Decimal
    score: int
    computed_at: object
    enterprise: EnterpriseDetail | None = None

    @property
    def masked(self) -> bool:
        return self.enterprise is None


def stage_from(enterprise, year, *, on: date) -> LifecycleStage:
    """Lifecycle stage from verified data only (``year``: its latest verified year)."""
    return stages.stage_of(enterprise, basis=stages.Basis.VERIFIED, on=on, figures=year).stage


def enterprise_details(enterprises, years=None) -> dict[int, EnterpriseDetail]:
    enterprises = list(enterprises)
    if years is None:
        years = stages.latest_years((e.pk for e in enterprises), basis=stages.Basis.VERIFIED)
    details = {}
    for e in enterprises:
        y = years.get(e.pk)
        details[e.pk] = EnterpriseDetail(
            pk=e.pk,
            name=e.name,
            uscc=e.uscc,
            contact_name=e.contact_name,
            contact_phone=e.contact_phone,
            contact_email=e.contact_email,
            figures_year=y.year if y else None,
            revenue=y.revenue if y else None,
            rd_expense=y.rd_expense if y else None,
            employees=y.employees if y else None,
        )
    return details


def match_rows(
    matches: Iterable[Match],
    *,
    on: date | None = None,
    masked: bool = False,
) -> list[MatchRow]:
    """Matches (annotated with ``consented``) as rows a bank may see; ``masked`` leaves out
    the enterprise even where consent exists (campaigns reach firms that asked nothing).
    A page's rows: an export reads its rows with ``match_exports.match_export_rows``."""
    matches = list(matches)
    on = on or timezone.localdate()
    years = stages.latest_years({m.enterprise_id for m in matches}, basis=stages.Basis.VERIFIED)
    shown = [] if masked else [m.enterprise for m in matches if getattr(m, "consented", False)]
    details = enterprise_details(shown, years)
    rows = []
    for m in matches:
        stage = stage_from(m.enterprise, years.get(m.enterprise_id), on=on)
        industry = m.enterprise.industry
        rows.append(
            MatchRow(
                match_id=m.pk,
                product_id=m.product_id,
                product_name=m.product.name,
                version=m.product_version.number,
                stage=stage.value,
                stage_label=str(stage.label),
                zone=m.enterprise.zone.name,
                industry_section=str(industry.section) if industry else "",
                indicative_limit=m.indicative_limit,
                score=m.score,
                computed_at=m.computed_at,
                # consent is per bank: the same firm on another bank's match stays masked
                enterprise=details.get(m.enterprise_id)
                if not masked and getattr(m, "consented", False)
                else None,
            )
        )
    return rows


# ---- campaigns -------------------------------------------------------------------------


@dataclass
class ExplainedProduct:
    """A product as the enterprise sees it: its evaluation, and the match and lead if any."""

    product: Product
    version: ProductVersion
    evaluation: Evaluation
    match: Match | None = None
    lead: Lead | None = None
    near_miss: bool = False
    failed_keys: list[str] = field(default_factory=list)
    #: The application form the match page shows (set by the view).
    apply_form: object = None
    #: Why no lead may be made from this match yet (set by the view), else "".
    refusal: str = ""

    @property
    def awaiting_rematch(self) -> bool:
        """Eligible now, but the match is still being computed."""
        return self.match is None and self.evaluation.eligible


@dataclass
class EnterpriseMatches:
    matched: list[ExplainedProduct]
    near_misses: list[ExplainedProduct]


def explained_matches(*, enterprise, on: date | None = None) -> EnterpriseMatches:
    """Each matched product with its explanation, and the current products the enterprise
    misses by at most two criteria, with advice."""
    from ecosystem.financing.eligibility.evaluator import ADVICE_MAX_FAILURES

    on = on or timezone.localdate()
    facts = facts_for(enterprise, on=on)
    leads = {lead.product_id: lead for lead in open_leads_of(enterprise=enterprise)}
    matched, near = [], []
    seen: set[int] = set()
    for match in matches_of_enterprise(enterprise=enterprise):
        seen.add(match.product_id)
        matched.append(
            ExplainedProduct(
                product=match.product,
                version=match.product_version,
                evaluation=evaluate(facts, match.product_version, on=on),
                match=match,
                lead=leads.get(match.product_id),
            )
        )
    for version in current_versions().select_related("product__bank"):
        if version.product_id in seen:
            continue
        evaluation = evaluate(facts, version, on=on)
        item = ExplainedProduct(
            product=version.product,
            version=version,
            evaluation=evaluation,
            lead=leads.get(version.product_id),
            failed_keys=[c.key for c in evaluation.failed],
        )
        if evaluation.eligible:
            matched.append(item)
        elif len(evaluation.failed) <= ADVICE_MAX_FAILURES:
            item.near_miss = True
            near.append(item)
    return EnterpriseMatches(matched=matched, near_misses=near)
