"""Every matching criterion, declared once with both of its sides.

A product version's eligibility is a list of criteria. Each ``Rule`` below names the
version fields it reads, whether it applies to a version, its Python evaluation over an
enterprise's facts (``evaluator.evaluate`` calls it, and it explains itself: required,
actual, passed, and whether data under review would pass it) and its SQL over the
matcher's facts table (``matcher.version_select`` adds its clauses). The evaluator and
the matcher iterate ``RULES``, so a criterion cannot exist on one side only
(``tests/unit/test_criteria.py``), and the property test holds the two sides equal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from ecosystem.enterprises.lifecycle import LifecycleStage, age_in_years
from ecosystem.enterprises.stage import age_cutoff, stage_sql

#: A decimal parameter. SQLite would otherwise compare numbers with the text Django binds.
N = "CAST(%s AS NUMERIC)"

#: ``check(key, label, required, actual, passed, pending_passes=False)``
Check = Callable[..., None]
#: A list of ``(clause, params)`` to AND into the version's WHERE.
Clauses = list[tuple[str, list]]


def yuan(amount: Decimal | None) -> str:
    return "—" if amount is None else f"¥{amount:,.2f}"


def like(code: str) -> str:
    """A LIKE pattern finding ``code`` in a comma-framed list (``,a,b,``)."""
    escaped = code.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%,{escaped},%"


def _any_like(column: str, patterns: list[str]) -> tuple[str, list]:
    return "(" + " OR ".join([f"{column} LIKE %s ESCAPE '\\'"] * len(patterns)) + ")", patterns


def _in(column: str, values) -> tuple[str, list]:
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)


def rd_intensity(figures) -> Decimal | None:
    if figures is None or not figures.revenue:
        return None
    return figures.rd_expense / figures.revenue


def intensity_at_least(figures, minimum) -> bool:
    """R&D expense / revenue >= minimum, compared without division (as the query does)."""
    if figures is None or not figures.revenue or figures.revenue <= 0:
        return False
    return figures.rd_expense >= Decimal(minimum) * figures.revenue


def on_chain_nodes(paths, wanted) -> set[str]:
    """The enterprise's node paths that lie on or under one of the ``wanted`` paths."""
    return {p for p in paths for w in wanted if p == w or p.startswith(w + "/")}


@dataclass(frozen=True)
class Rule:
    key: str
    fields: tuple[str, ...]
    applies: Callable[[object], bool]
    evaluate: Callable[[object, object, date, Check], None]
    sql: Callable[[object, date], Clauses]


# --- the rules ----------------------------------------------------------------------


def _stage_py(version, facts, on, check):
    from ecosystem.financing.eligibility.evaluator import stage_of

    stage = stage_of(facts.verified, facts.founded_on, on)
    pending = stage_of(facts.pending, facts.founded_on, on) if facts.pending else None
    check(
        "stage",
        _("lifecycle stage"),
        ", ".join(str(LifecycleStage(s).label) for s in version.stages),
        str(stage.label),
        stage in version.stages,
        pending in version.stages,
    )


def _stage_sql(version, on):
    stage, params = stage_sql(on=on)
    clause, values = _in(stage, version.stages)
    return [(clause, [*params, *values])]


def _programs_all_py(version, facts, on, check):
    from ecosystem.registries.selectors import program_names

    missing = set(version.programs_all) - facts.verified_programs
    check(
        "programs_all",
        _("qualifications (all of)"),
        program_names(version.programs_all, facts.programs or None),
        program_names(sorted(facts.verified_programs), facts.programs or None) or "—",
        not missing,
        missing <= facts.pending_programs,
    )


def _programs_any_py(version, facts, on, check):
    from ecosystem.registries.selectors import program_names

    have = set(version.programs_any) & facts.verified_programs
    check(
        "programs_any",
        _("qualifications (any of)"),
        program_names(version.programs_any, facts.programs or None),
        program_names(sorted(have), facts.programs or None) or "—",
        bool(have),
        bool(set(version.programs_any) & facts.pending_programs),
    )


def _intensity_py(version, facts, on, check):
    value = rd_intensity(facts.verified)
    check(
        "rd_intensity",
        _("R&D intensity"),
        f"≥ {version.min_rd_intensity:.2%}",
        "—" if value is None else f"{value:.2%}",
        intensity_at_least(facts.verified, version.min_rd_intensity),
        intensity_at_least(facts.pending, version.min_rd_intensity),
    )


def _between_py(key, label, attr, lo_field, hi_field):
    def evaluate(version, facts, on, check):
        lo = getattr(version, lo_field) if lo_field else None
        hi = getattr(version, hi_field) if hi_field else None
        v, p = facts.verified, facts.pending
        value = getattr(v, attr) if v else None
        pending = getattr(p, attr) if p else None

        def inside(x):
            return x is not None and (lo is None or x >= lo) and (hi is None or x <= hi)

        required = " – ".join(
            filter(
                None,
                [
                    f"≥ {yuan(lo)}" if lo is not None else "",
                    f"≤ {yuan(hi)}" if hi is not None else "",
                ],
            )
        )
        check(key, label(), required, yuan(value), inside(value), inside(pending))

    return evaluate


def _count_py(key, label, attr, field, at_least: bool):
    def evaluate(version, facts, on, check):
        bound = getattr(version, field)
        v, p = facts.verified, facts.pending
        value = getattr(v, attr) if v else None
        pending = getattr(p, attr) if p else None

        def ok(x):
            return x is not None and (x >= bound if at_least else x <= bound)

        sign = "≥" if at_least else "≤"
        shown = "—" if value is None else str(value)
        check(key, label(), f"{sign} {bound}", shown, ok(value), ok(pending))

    return evaluate


def _age_py(version, facts, on, check):
    lo, hi = version.min_age_years, version.max_age_years
    founded = facts.founded_on
    age = age_in_years(founded, on) if founded and founded <= on else None
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


def _age_sql(version, on):
    clauses = [("founded_on IS NOT NULL AND founded_on <= %s", [on])]
    if version.min_age_years is not None:
        clauses.append(("founded_on <= %s", [age_cutoff(version.min_age_years, on)]))
    if version.max_age_years is not None:
        clauses.append(("founded_on > %s", [age_cutoff(version.max_age_years + 1, on)]))
    return clauses


def _zone_py(version, facts, on, check):
    from ecosystem.zones.selectors import zone_names

    check(
        "zone",
        _("zone"),
        zone_names(version.zone_codes),
        zone_names([facts.zone_code]) if facts.zone_code else "—",
        facts.zone_code in version.zone_codes,
    )


def _industry_py(version, facts, on, check):
    check(
        "industry",
        _("industry section"),
        ", ".join(version.industry_sections),
        facts.industry_section or "—",
        facts.industry_section in version.industry_sections,
    )


def _chain_node_py(version, facts, on, check):
    from ecosystem.chains.selectors import node_labels

    have = on_chain_nodes(facts.chain_paths, version.chain_nodes)
    check(
        "chain_node",
        _("industrial chain node"),
        node_labels(version.chain_nodes),
        node_labels(sorted(facts.chain_paths)) or "—",
        bool(have),
    )


def _chain_node_sql(version, on):
    # On the node itself (",ic/design,") or anywhere under it (",ic/design/").
    patterns = [p for path in version.chain_nodes for p in (like(path), like(path)[:-2] + "/%")]
    return [_any_like("chain_paths", patterns)]


def _supplier_py(version, facts, on, check):
    wanted = set(getattr(version, "supplier_of_leaders", None) or [])
    have = facts.leaders & wanted if wanted else facts.leaders
    check(
        "supplier",
        _("confirmed supplier of a chain leader"),
        ", ".join(sorted(wanted)) if wanted else _("any chain leader"),
        ", ".join(sorted(have)) or "—",
        bool(have),
    )


def _supplier_sql(version, on):
    if version.supplier_of_leaders:
        return [_any_like("leader_codes", [like(c) for c in version.supplier_of_leaders])]
    return [("leader_codes <> ',,'", [])]


def _set(field):
    return lambda version: bool(getattr(version, field, None))


def _given(*fields):
    return lambda version: any(getattr(version, f, None) is not None for f in fields)


RULES: tuple[Rule, ...] = (
    Rule("stage", ("stages",), _set("stages"), _stage_py, _stage_sql),
    Rule(
        "programs_all",
        ("programs_all",),
        _set("programs_all"),
        _programs_all_py,
        lambda v, on: [("v_codes LIKE %s ESCAPE '\\'", [like(c)]) for c in v.programs_all],
    ),
    Rule(
        "programs_any",
        ("programs_any",),
        _set("programs_any"),
        _programs_any_py,
        lambda v, on: [_any_like("v_codes", [like(c) for c in v.programs_any])],
    ),
    Rule(
        "rd_intensity",
        ("min_rd_intensity",),
        _given("min_rd_intensity"),
        _intensity_py,
        lambda v, on: [
            (f"v_revenue > 0 AND v_rd >= v_revenue * {N}", [Decimal(v.min_rd_intensity)])
        ],
    ),
    Rule(
        "rd_expense",
        ("min_rd_expense",),
        _given("min_rd_expense"),
        _between_py("rd_expense", lambda: _("R&D expense"), "rd_expense", "min_rd_expense", None),
        lambda v, on: [(f"v_rd >= {N}", [Decimal(v.min_rd_expense)])],
    ),
    Rule(
        "revenue",
        ("min_revenue", "max_revenue"),
        _given("min_revenue", "max_revenue"),
        _between_py("revenue", lambda: _("revenue"), "revenue", "min_revenue", "max_revenue"),
        lambda v, on: [
            *(
                [(f"v_revenue >= {N}", [Decimal(v.min_revenue)])]
                if v.min_revenue is not None
                else []
            ),
            *(
                [(f"v_revenue <= {N}", [Decimal(v.max_revenue)])]
                if v.max_revenue is not None
                else []
            ),
        ],
    ),
    Rule(
        "employees",
        ("max_employees",),
        _given("max_employees"),
        _count_py("employees", lambda: _("employees"), "employees", "max_employees", False),
        lambda v, on: [("v_employees <= %s", [v.max_employees])],
    ),
    Rule(
        "age",
        ("min_age_years", "max_age_years"),
        _given("min_age_years", "max_age_years"),
        _age_py,
        _age_sql,
    ),
    Rule(
        "class_i_ip",
        ("min_class_i_ip",),
        _given("min_class_i_ip"),
        _count_py(
            "class_i_ip",
            lambda: _("class-I intellectual property"),
            "class_i_ip",
            "min_class_i_ip",
            True,
        ),
        lambda v, on: [("v_class_i >= %s", [v.min_class_i_ip])],
    ),
    Rule(
        "zone",
        ("zone_codes",),
        _set("zone_codes"),
        _zone_py,
        lambda v, on: [_in("zone_code", v.zone_codes)],
    ),
    Rule(
        "industry",
        ("industry_sections",),
        _set("industry_sections"),
        _industry_py,
        lambda v, on: [_in("section_code", v.industry_sections)],
    ),
    Rule("chain_node", ("chain_nodes",), _set("chain_nodes"), _chain_node_py, _chain_node_sql),
    Rule(
        "supplier",
        ("requires_confirmed_supplier", "supplier_of_leaders"),
        _set("requires_confirmed_supplier"),
        _supplier_py,
        _supplier_sql,
    ),
)


#: Criteria decided by the yearly figures (declared or verified); the limit is one too
#: unless it is a fixed amount.
FIGURE_KEYS = frozenset(
    {"stage", "rd_intensity", "rd_expense", "revenue", "employees", "class_i_ip", "limit"}
)
#: Criteria decided by qualifications, which count only once verified.
QUALIFICATION_KEYS = frozenset({"programs_all", "programs_any"})


def uses_figures(version) -> bool:
    """Whether the version's eligibility or limit reads the yearly figures: only then is a
    match on declared figures indicative."""
    if version.limit_basis != "fixed":
        return True
    return any(rule.key in FIGURE_KEYS and rule.applies(version) for rule in RULES)
