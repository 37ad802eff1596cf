"""Is an enterprise eligible for a product version, why, for how much, and what would help.

A pure function of ``EnterpriseFacts`` and a product version (any object with the
version's attributes). ``matcher.py`` compiles the same rules into one database query;
a property test keeps the two in agreement.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_FLOOR, Decimal

from django.utils.translation import gettext as _

from ecosystem.enterprises import stage as stages
from ecosystem.enterprises.lifecycle import LifecycleStage, age_in_years
from ecosystem.financing.eligibility.facts import LIMIT_ROUNDING, EnterpriseFacts, Figures, score_of

ADVICE_MAX_FAILURES = 2


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str
    required: str
    actual: str
    passed: bool
    pending_verification: bool = False


@dataclass(frozen=True)
class Evaluation:
    eligible: bool
    criteria: list[Criterion]
    score: int
    limit: Decimal | None
    calculation: str
    advice: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[Criterion]:
        return [c for c in self.criteria if not c.passed]

    @property
    def would_match_once_verified(self) -> bool:
        return not self.eligible and all(c.passed or c.pending_verification for c in self.criteria)


def _yuan(amount: Decimal | None) -> str:
    return "—" if amount is None else f"¥{amount:,.2f}"


def stage_of(figures: Figures | None, founded_on, on: date) -> LifecycleStage:
    """The stage the matcher uses: ``enterprises.stage`` on the verified basis (``figures``
    are the facts' verified year, or the pending one for advice)."""
    return stages.stage_of(
        _Founded(founded_on), basis=stages.Basis.VERIFIED, on=on, figures=figures
    ).stage


class _Founded:
    """What ``stage_of`` reads of an enterprise when the caller has only its facts."""

    pk = None

    def __init__(self, founded_on):
        self.founded_on = founded_on


def rd_intensity(figures: Figures | None) -> Decimal | None:
    if figures is None or not figures.revenue:
        return None
    return figures.rd_expense / figures.revenue


def intensity_at_least(figures: Figures | None, minimum) -> bool:
    """R&D expense / revenue >= minimum, compared without division (as the query does)."""
    if figures is None or not figures.revenue or figures.revenue <= 0:
        return False
    return figures.rd_expense >= Decimal(minimum) * figures.revenue


def indicative_limit(version, figures: Figures | None, programs: int) -> tuple[Decimal | None, str]:
    """The limit with its calculation, rounded down to ¥10,000; None without the data."""
    basis, factor = version.limit_basis, Decimal(version.limit_factor)
    if basis == "fixed":
        base, text = factor, _("fixed %(amount)s") % {"amount": _yuan(factor)}
    elif figures is None:
        return None, _("needs verified yearly figures")
    elif basis == "rd_multiple":
        base = figures.rd_expense * factor
        text = _("R&D expense %(rd)s × %(factor)s") % {
            "rd": _yuan(figures.rd_expense),
            "factor": factor.normalize(),
        }
    else:
        base = figures.revenue * factor
        text = _("revenue %(revenue)s × %(factor)s") % {
            "revenue": _yuan(figures.revenue),
            "factor": factor.normalize(),
        }
    uplift = Decimal(version.uplift_per_qualification or 0) * programs
    amount = base + uplift
    if uplift:
        text += _(" + %(n)d verified qualifications × %(each)s") % {
            "n": programs,
            "each": _yuan(Decimal(version.uplift_per_qualification)),
        }
    if version.limit_floor is not None and amount < version.limit_floor:
        amount = Decimal(version.limit_floor)
        text += _(", raised to the floor %(floor)s") % {"floor": _yuan(amount)}
    cap = Decimal(version.amount_max)
    if version.limit_cap is not None:
        cap = min(cap, Decimal(version.limit_cap))
    if amount > cap:
        amount = cap
        text += _(", capped at %(cap)s") % {"cap": _yuan(cap)}
    rounded = (amount / LIMIT_ROUNDING).to_integral_value(rounding=ROUND_FLOOR) * LIMIT_ROUNDING
    return rounded.quantize(Decimal("0.01")), text + _(" = %(limit)s (rounded down to ¥10,000)") % {
        "limit": _yuan(rounded)
    }


def on_chain_nodes(paths, wanted) -> set[str]:
    """The enterprise's node paths that lie on or under one of the ``wanted`` paths."""
    return {p for p in paths for w in wanted if p == w or p.startswith(w + "/")}


def _chain_criteria(version, facts: EnterpriseFacts, check) -> None:
    """Chain node and confirmed supplier: placement and links are never "under review"."""
    from ecosystem.chains.selectors import node_labels

    # Read with defaults: callers may pass any object with a version's older attributes.
    chain_nodes = getattr(version, "chain_nodes", None) or []
    if chain_nodes:
        have = on_chain_nodes(facts.chain_paths, chain_nodes)
        check(
            "chain_node",
            _("industrial chain node"),
            node_labels(chain_nodes),
            node_labels(sorted(facts.chain_paths)) or "—",
            bool(have),
        )
    if getattr(version, "requires_confirmed_supplier", False):
        wanted = set(getattr(version, "supplier_of_leaders", None) or [])
        have = facts.leaders & wanted if wanted else facts.leaders
        check(
            "supplier",
            _("confirmed supplier of a chain leader"),
            ", ".join(sorted(wanted)) if wanted else _("any chain leader"),
            ", ".join(sorted(have)) or "—",
            bool(have),
        )


def evaluate(facts: EnterpriseFacts, version, *, on: date) -> Evaluation:
    v, p = facts.verified, facts.pending
    criteria: list[Criterion] = []

    def check(key, label, required, actual, passed, pending_passes=False):
        criteria.append(
            Criterion(
                key,
                label,
                required,
                actual,
                passed,
                pending_verification=not passed and pending_passes,
            )
        )

    age = (
        age_in_years(facts.founded_on, on) if facts.founded_on and facts.founded_on <= on else None
    )
    if version.stages:
        stage = stage_of(v, facts.founded_on, on)
        pending_stage = stage_of(p, facts.founded_on, on) if p else None
        check(
            "stage",
            _("lifecycle stage"),
            ", ".join(str(LifecycleStage(s).label) for s in version.stages),
            str(stage.label),
            stage in version.stages,
            pending_stage in version.stages,
        )
    if version.programs_all:
        missing = set(version.programs_all) - facts.verified_programs
        check(
            "programs_all",
            _("qualifications (all of)"),
            ", ".join(version.programs_all),
            ", ".join(sorted(facts.verified_programs)) or "—",
            not missing,
            missing <= facts.pending_programs,
        )
    if version.programs_any:
        have = set(version.programs_any) & facts.verified_programs
        check(
            "programs_any",
            _("qualifications (any of)"),
            ", ".join(version.programs_any),
            ", ".join(sorted(have)) or "—",
            bool(have),
            bool(set(version.programs_any) & facts.pending_programs),
        )
    if version.min_rd_intensity is not None:
        value = rd_intensity(v)
        check(
            "rd_intensity",
            _("R&D intensity"),
            f"≥ {version.min_rd_intensity:.2%}",
            "—" if value is None else f"{value:.2%}",
            intensity_at_least(v, version.min_rd_intensity),
            intensity_at_least(p, version.min_rd_intensity),
        )
    for key, label, attr, minimum, maximum in (
        ("rd_expense", _("R&D expense"), "rd_expense", version.min_rd_expense, None),
        ("revenue", _("revenue"), "revenue", version.min_revenue, version.max_revenue),
    ):
        if minimum is None and maximum is None:
            continue
        value = getattr(v, attr) if v else None
        pending = getattr(p, attr) if p else None

        def inside(x, lo=minimum, hi=maximum):
            return x is not None and (lo is None or x >= lo) and (hi is None or x <= hi)

        required = " – ".join(
            filter(
                None,
                [
                    f"≥ {_yuan(minimum)}" if minimum is not None else "",
                    f"≤ {_yuan(maximum)}" if maximum is not None else "",
                ],
            )
        )
        check(key, label, required, _yuan(value), inside(value), inside(pending))
    if version.max_employees is not None:
        value = v.employees if v else None
        pending = p.employees if p else None
        check(
            "employees",
            _("employees"),
            f"≤ {version.max_employees}",
            "—" if value is None else str(value),
            value is not None and value <= version.max_employees,
            pending is not None and pending <= version.max_employees,
        )
    if version.min_age_years is not None or version.max_age_years is not None:
        lo, hi = version.min_age_years, version.max_age_years
        required = " – ".join(
            filter(None, [f"≥ {lo}" if lo is not None else "", f"≤ {hi}" if hi is not None else ""])
        )
        check(
            "age",
            _("age (years)"),
            required,
            "—" if age is None else str(age),
            age is not None and (lo is None or age >= lo) and (hi is None or age <= hi),
        )
    if version.min_class_i_ip is not None:
        value = v.class_i_ip if v else None
        pending = p.class_i_ip if p else None
        check(
            "class_i_ip",
            _("class-I intellectual property"),
            f"≥ {version.min_class_i_ip}",
            "—" if value is None else str(value),
            value is not None and value >= version.min_class_i_ip,
            pending is not None and pending >= version.min_class_i_ip,
        )
    if version.zone_codes:
        check(
            "zone",
            _("zone"),
            ", ".join(version.zone_codes),
            facts.zone_code,
            facts.zone_code in version.zone_codes,
        )
    if version.industry_sections:
        check(
            "industry",
            _("industry section"),
            ", ".join(version.industry_sections),
            facts.industry_section or "—",
            facts.industry_section in version.industry_sections,
        )
    _chain_criteria(version, facts, check)
    programs = len(facts.verified_programs)
    limit, calculation = indicative_limit(version, v, programs)
    # Figures under review replace the verified ones; without any, the verified figures
    # stand, and qualifications under review may still lift the limit over the minimum.
    pending_limit, _calc = indicative_limit(
        version, p or v, programs + len(facts.pending_programs - facts.verified_programs)
    )
    check(
        "limit",
        _("indicative limit within the product's range"),
        f"≥ {_yuan(Decimal(version.amount_min))}",
        _yuan(limit),
        limit is not None and limit >= version.amount_min,
        pending_limit is not None and pending_limit >= version.amount_min,
    )
    eligible = all(c.passed for c in criteria)
    failed = [c for c in criteria if not c.passed]
    advice = []
    if 0 < len(failed) <= ADVICE_MAX_FAILURES:
        for c in failed:
            if c.pending_verification:
                advice.append(
                    _("%(label)s: would pass once your data under review is verified.")
                    % {"label": c.label}
                )
            else:
                advice.append(
                    _("%(label)s: needs %(required)s (now %(actual)s).")
                    % {"label": c.label, "required": c.required, "actual": c.actual}
                )
    return Evaluation(
        eligible=eligible,
        criteria=criteria,
        score=score_of(verified_programs=programs, class_i_ip=v.class_i_ip if v else None),
        limit=limit if eligible else limit,
        calculation=calculation,
        advice=advice,
    )
