"""One enterprise's rematch: its facts read once, every current version decided in Python,
its matches written in one statement.

A range rematch (``matcher.rematch`` over thousands of enterprises) puts the facts in a
temporary table and runs one upsert per version; that table and the 60 round trips were
the whole cost of one enterprise's rematch (54 ms at 60 versions on the national world).
Joining the versions' queries into one statement does not help: PostgreSQL plans 60
branches of compiled criteria in more time than the 60 statements took.

So here the facts come from the matcher's own facts query (``matcher.facts_select``, one
row per enterprise), each version is compiled once into Python checks
(``compile_version``, kept per process: versions are frozen), and the matches found are
written in one ``INSERT … ON CONFLICT`` (the stale ones are deleted by ``rematch`` as
before). The checks are the SQL clauses of ``criteria.RULES`` read in Python
(``CHECKS``, one per rule, checked at import); the matching agreement tests hold them
equal to the evaluator, and ``tests/unit/test_match_one_firm.py`` to the range rematch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal

from django.db import connection
from django.db.models import TextField
from django.db.models.functions import Cast

from ecosystem.core import prepared
from ecosystem.financing.eligibility.criteria import RULES, uses_figures
from ecosystem.financing.eligibility.facts import LIMIT_ROUNDING, least_limit, score_of

#: The columns of ``matcher.facts_select``, in order.
COLUMNS = (
    "enterprise_id",
    "founded_on",
    "zone_code",
    "section_code",
    "v_revenue",
    "v_rd",
    "v_employees",
    "v_class_i",
    "v_declared",
    "v_programs",
    "v_codes",
    "chain_paths",
    "leader_codes",
)


class Row:
    """One enterprise's facts, as the facts table holds them (SQLite's numbers made
    decimals, its dates dates), with the lists split and the stage derived once."""

    def __init__(self, values, on: date):
        from ecosystem.financing.eligibility.evaluator import stage_of
        from ecosystem.financing.eligibility.facts import Figures

        f = dict(zip(COLUMNS, values, strict=True))
        self.enterprise_id = f["enterprise_id"]
        founded = f["founded_on"]
        self.founded_on = date.fromisoformat(founded) if isinstance(founded, str) else founded
        self.zone_code, self.section_code = f["zone_code"], f["section_code"]
        self.revenue, self.rd = _decimal(f["v_revenue"]), _decimal(f["v_rd"])
        self.employees, self.class_i = f["v_employees"], f["v_class_i"]
        self.declared, self.programs = bool(f["v_declared"]), int(f["v_programs"])
        self.codes = _split(f["v_codes"])
        self.paths = _split(f["chain_paths"])
        self.leaders = _split(f["leader_codes"])
        figures = (
            None
            if self.revenue is None or self.employees is None
            else Figures(0, self.revenue, self.rd, self.employees, self.class_i)
        )
        self.stage = stage_of(figures, self.founded_on, on)
        self.score = score_of(verified_programs=self.programs, class_i_ip=self.class_i)


def _decimal(value):
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value))  # SQLite's numbers


def _split(framed: str) -> frozenset[str]:
    return frozenset(s for s in framed.split(",") if s)


def _at_least(value, bound) -> bool:
    return value is not None and value >= bound


def _at_most(value, bound) -> bool:
    return value is not None and value <= bound


def _stage(v, on):
    stages = frozenset(v.stages)
    return lambda r: r.stage in stages


def _programs_all(v, on):
    wanted = frozenset(v.programs_all)
    return lambda r: wanted <= r.codes


def _programs_any(v, on):
    wanted = frozenset(v.programs_any)
    return lambda r: not wanted.isdisjoint(r.codes)


def _rd_intensity(v, on):
    share = Decimal(v.min_rd_intensity)
    return lambda r: r.revenue is not None and r.revenue > 0 and _at_least(r.rd, r.revenue * share)


def _rd_expense(v, on):
    bound = Decimal(v.min_rd_expense)
    return lambda r: _at_least(r.rd, bound)


def _revenue(v, on):
    lo = None if v.min_revenue is None else Decimal(v.min_revenue)
    hi = None if v.max_revenue is None else Decimal(v.max_revenue)
    return lambda r: (
        (lo is None or _at_least(r.revenue, lo)) and (hi is None or _at_most(r.revenue, hi))
    )


def _employees(v, on):
    return lambda r: _at_most(r.employees, v.max_employees)


def _age(v, on):
    from ecosystem.enterprises.stage import age_cutoff

    oldest = None if v.min_age_years is None else age_cutoff(v.min_age_years, on)
    youngest = None if v.max_age_years is None else age_cutoff(v.max_age_years + 1, on)
    return lambda r: (
        r.founded_on is not None
        and r.founded_on <= on
        and (oldest is None or r.founded_on <= oldest)
        and (youngest is None or r.founded_on > youngest)
    )


def _class_i_ip(v, on):
    return lambda r: _at_least(r.class_i, v.min_class_i_ip)


def _zone(v, on):
    zones = frozenset(v.zone_codes)
    return lambda r: r.zone_code in zones


def _industry(v, on):
    sections = frozenset(v.industry_sections)
    return lambda r: r.section_code in sections


def _chain_node(v, on):
    wanted = tuple(v.chain_nodes)
    return lambda r: any(p == w or p.startswith(w + "/") for p in r.paths for w in wanted)


def _supplier(v, on):
    wanted = frozenset(v.supplier_of_leaders or ())
    if wanted:
        return lambda r: not wanted.isdisjoint(r.leaders)
    return lambda r: bool(r.leaders)


#: Each rule's SQL clauses (``criteria.RULES``) as a check of a ``Row``.
CHECKS: dict[str, Callable] = {
    "stage": _stage,
    "programs_all": _programs_all,
    "programs_any": _programs_any,
    "rd_intensity": _rd_intensity,
    "rd_expense": _rd_expense,
    "revenue": _revenue,
    "employees": _employees,
    "age": _age,
    "class_i_ip": _class_i_ip,
    "zone": _zone,
    "industry": _industry,
    "chain_node": _chain_node,
    "supplier": _supplier,
}
if set(CHECKS) != {rule.key for rule in RULES}:  # pragma: no cover - a rule without a check
    raise ImportError("firm.CHECKS must have one check per criteria.RULES rule")


@dataclass(frozen=True)
class Compiled:
    version_id: int
    product_id: int
    checks: tuple[Callable, ...]
    basis: str
    factor: Decimal
    uplift: Decimal
    floor: Decimal | None
    cap: Decimal
    #: ``facts.least_limit``: the smallest limit that makes a match.
    least: Decimal
    declared: bool

    def limit(self, r: Row) -> Decimal | None:
        """The indicative limit as ``matcher.version_select`` computes it; None without
        the figures it needs."""
        if self.basis == "fixed":
            base = self.factor
        elif self.basis == "rd_multiple":
            if r.rd is None:
                return None
            base = r.rd * self.factor
        else:
            if r.revenue is None:
                return None
            base = r.revenue * self.factor
        amount = base + r.programs * self.uplift
        if self.floor is not None and amount < self.floor:
            amount = self.floor
        amount = min(amount, self.cap)
        rounded = (amount / LIMIT_ROUNDING).to_integral_value(rounding=ROUND_FLOOR)
        return (rounded * LIMIT_ROUNDING).quantize(Decimal("0.01"))

    def match(self, r: Row) -> tuple[Decimal, int, bool] | None:
        """(limit, score, on declared figures) when ``r`` matches, else None."""
        if not all(check(r) for check in self.checks):
            return None
        limit = self.limit(r)
        if limit is None or limit < self.least:
            return None
        return limit, r.score, self.declared and r.declared


#: Compiled versions by (id, creation time, day). A version is frozen (editing a product
#: makes a new version; no service or admin page edits one in place), so its id and
#: creation time name its criteria; the day is in the key for the age cut-offs. The
#: creation time is read as text (``version_keys``): as a ``datetime`` each of the 60 cost
#: Django's timezone-aware loader, about a millisecond of every firm's rematch.
_compiled: dict[tuple, Compiled] = {}
CACHE_SIZE = 2000
#: The SQL of ``version_keys`` for every active product, by database alias: the queryset
#: is built and compiled once per process, not on every firm's rematch (~1.5 ms).
_keys_sql: dict[str, tuple[str, list]] = {}


def compile_version(version, *, on: date) -> Compiled:
    cap = Decimal(version.amount_max)
    if version.limit_cap is not None:
        cap = min(cap, Decimal(version.limit_cap))
    return Compiled(
        version_id=version.pk,
        product_id=version.product_id,
        checks=tuple(CHECKS[r.key](version, on) for r in RULES if r.applies(version)),
        basis=version.limit_basis,
        factor=Decimal(version.limit_factor),
        uplift=Decimal(version.uplift_per_qualification or 0),
        floor=None if version.limit_floor is None else Decimal(version.limit_floor),
        cap=cap,
        least=least_limit(version),
        declared=uses_figures(version),
    )


def _with_stamp(queryset):
    """``queryset`` (product versions) with ``stamp``: the creation time as text."""
    return queryset.annotate(stamp=Cast("created_at", output_field=TextField()))


def version_keys(product_ids=None) -> tuple[str, list]:
    """The SQL and parameters of the current versions' (id, creation time as text) in id
    order (``matcher.current_versions``, of ``product_ids`` only when given)."""
    from ecosystem.financing.eligibility.matcher import current_versions

    if product_ids is not None:
        versions = current_versions().filter(product_id__in=list(product_ids))
        sql, params = _with_stamp(versions).values_list("pk", "stamp").query.sql_with_params()
        return sql, list(params)
    if connection.alias not in _keys_sql:
        sql, params = (
            _with_stamp(current_versions()).values_list("pk", "stamp").query.sql_with_params()
        )
        _keys_sql[connection.alias] = (sql, list(params))
    sql, params = _keys_sql[connection.alias]
    return sql, list(params)


def compiled_versions(keys, *, on: date) -> list[Compiled]:
    """The versions of ``keys`` ((id, creation time as text) rows, ``version_keys``)
    compiled; only those not seen before by this process are read whole."""
    from ecosystem.financing.models import ProductVersion

    keys = [(pk, stamp, on) for pk, stamp in keys]
    missing = [key[0] for key in keys if key not in _compiled]
    if missing:
        if len(_compiled) + len(missing) > CACHE_SIZE:
            _compiled.clear()
        for version in _with_stamp(ProductVersion.objects.filter(pk__in=missing)):
            _compiled[(version.pk, version.stamp, on)] = compile_version(version, on=on)
    return [_compiled[key] for key in keys]


def matches_of(
    cursor, *, enterprise_ids, on: date, product_ids=None, before=()
) -> tuple[list, list]:
    """(enterprise id, version id, product id, limit, score, on declared figures) of every
    match of ``enterprise_ids`` with the current versions (of ``product_ids`` only when
    given), and the rows of each of ``before``: statements ``(sql, params)`` run first, in
    the same round trip as the facts for one enterprise on PostgreSQL (the rematch
    marker's read)."""
    from ecosystem.financing.eligibility.matcher import facts_select

    sql, params = facts_select(on=on, enterprise_ids=enterprise_ids)
    keys_sql, keys_params = version_keys(product_ids)
    if len(enterprise_ids) == 1 and connection.vendor == "postgresql":
        # One enterprise (every incremental match): the versions' ids and the facts in one
        # round trip, each statement planned once per connection (the facts planned in
        # 4-6 ms for 0.3 ms of execution). docs/feed-floors.md.
        slots = [2 if isinstance(value, date) else 1 for value in params]
        *earlier, keys, facts = prepared.fetch_together(
            cursor,
            [
                *((s, p, list(range(1, len(p) + 1)), p) for s, p in before),
                (keys_sql, keys_params, list(range(1, len(keys_params) + 1)), keys_params),
                (sql, params, slots, [int(enterprise_ids[0]), on]),
            ],
        )
    else:
        earlier = []
        for before_sql, before_params in before:
            cursor.execute(before_sql, before_params)
            earlier.append(cursor.fetchall())
        cursor.execute(keys_sql, keys_params)
        keys = cursor.fetchall()
        cursor.execute(sql, params)
        facts = cursor.fetchall()
    compiled = compiled_versions(keys, on=on)
    found = []
    for values in facts:
        row = Row(values, on)
        for c in compiled:
            hit = c.match(row)
            if hit is not None:
                found.append((row.enterprise_id, c.version_id, c.product_id, *hit))
    return found, earlier
