"""Inputs for the lifecycle stage and the TSME self-assessment, read from the record.

Both use the latest financial year the enterprise entered. Candidates to move into the
domain (``selectors.py``) once the pages need the same inputs.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.utils.translation import gettext

from ecosystem.enterprises.assessment import assess_year
from ecosystem.enterprises.models import Enterprise, QualificationClaim
from ecosystem.enterprises.selectors import latest_financial_year
from ecosystem.enterprises.stage import Basis, stage_of
from ecosystem.enterprises.workflow import ClaimStatus
from ecosystem.registries.reference import HIGH_TECH_ENTERPRISE


def lifecycle_of(*, enterprise: Enterprise, on: date) -> dict:
    year = latest_financial_year(enterprise=enterprise)
    result = stage_of(enterprise, basis=Basis.DECLARED, on=on, figures=year)
    return {
        "stage": result.stage.value,
        "stage_label": str(result.stage.label),
        "reasons": [str(reason) for reason in result.reasons],
        "age_years": result.age_years,
        "figures_year": year.year if year else None,
        "on": on,
    }


def has_valid_hte_certificate(*, enterprise: Enterprise, on: date) -> bool:
    """A verified high-tech enterprise claim that has not expired on ``on``."""
    return (
        QualificationClaim.objects.filter(
            enterprise=enterprise,
            program__code=HIGH_TECH_ENTERPRISE,
            status=ClaimStatus.VERIFIED,
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .exists()
    )


def self_assessment_of(*, enterprise: Enterprise, on: date) -> dict:
    year = latest_financial_year(enterprise=enterprise)
    certificate = has_valid_hte_certificate(enterprise=enterprise, on=on)
    note = gettext(
        "Advisory only: the official evaluation is made by the science and technology authorities."
    )
    if year is None:
        return {
            "figures_year": None,
            "has_valid_hte_certificate": certificate,
            "result": None,
            "note": note,
        }
    result = assess_year(year, has_valid_hte_certificate=certificate)
    return {
        "figures_year": year.year,
        "has_valid_hte_certificate": certificate,
        "result": {
            "passed": result.passed,
            "route": result.route,
            "score": result.score,
            "staff_points": result.staff_points,
            "rd_points": result.rd_points,
            "rd_basis": result.rd_basis,
            "results_points": result.results_points,
            "staff_share": result.staff_share,
            "rd_revenue_ratio": result.rd_revenue_ratio,
            "rd_cost_ratio": result.rd_cost_ratio,
            "gates": [
                {
                    "name": gate.name,
                    "label": str(gate.label),
                    "actual": str(gate.actual),
                    "limit": str(gate.limit),
                    "passed": gate.passed,
                }
                for gate in result.gates
            ],
            "gates_passed": result.gates_passed,
            "reasons": [str(reason) for reason in result.reasons],
        },
        "note": note,
    }
