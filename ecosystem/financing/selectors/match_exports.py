"""A bank's match export as plain rows (``match_export_rows``): the matches of
``selectors.matches`` read in one statement, the columns the export writes only, masked
without consent as :func:`~ecosystem.financing.selectors.matches.match_rows` masks them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from itertools import islice

from django.db.models import F, FilteredRelation, OuterRef, Q, QuerySet, Subquery

from ecosystem.core.db import without_jit
from ecosystem.core.exports import safe_cell, safe_text
from ecosystem.enterprises.lifecycle import LifecycleStage
from ecosystem.enterprises.stage import StageCase
from ecosystem.financing.models import Match, Product


def _latest_verified_year() -> FilteredRelation:
    """The enterprise's latest verified year, joined to its match (no such year: the
    columns are NULL): the row of ``financial_year_unique`` the scalar subquery finds."""
    from ecosystem.enterprises.models import FinancialYear

    latest = (
        FinancialYear.objects.filter(
            enterprise_id=OuterRef("enterprise_id"), verification_status="verified"
        )
        .order_by("-year")
        .values("year")[:1]
    )
    return FilteredRelation(
        "enterprise__financial_years",
        condition=Q(
            enterprise__financial_years__verification_status="verified",
            enterprise__financial_years__year=Subquery(latest),
        ),
    )


#: What an export row reads of a match (``match_export_rows``), in this order: the
#: labels' ids (named once per export: product, version, zone, industry division), the
#: figures, the consent, the ids the access log names, and the enterprise's columns a
#: bank sees with consent only.
_EXPORT_COLUMNS = (
    "product_id",
    "product_version_id",
    "export_stage",
    "enterprise__zone_id",
    "enterprise__industry_id",
    "indicative_limit",
    "score",
    "consented",
    "enterprise_id",
    "product__bank_id",
    "enterprise__name",
    "enterprise__uscc",
    "enterprise__contact_name",
    "enterprise__contact_phone",
    "enterprise__contact_email",
    "verified_year__year",
    "verified_year__revenue",
    "verified_year__rd_expense",
    "verified_year__employees",
)
#: A batch of export rows and the ``(enterprise, bank)`` ids of the firms its rows show.
Batch = tuple[list[tuple], set[tuple[int, int]]]


def match_export_rows(
    matches: QuerySet[Match],
    *,
    on: date,
    consent: Mapping[bool, str],
    products: list[int] | None = None,
    chunk: int = 2000,
) -> Iterator[Batch]:
    """``matches`` (annotated with ``consented``) as a bank's export writes them, in their
    order, in batches of ``chunk`` rows (the cursor's): for each batch the rows, each a
    tuple ``(product, version, stage label, zone, industry section, indicative limit,
    score, consent in words (``consent[consented]``), name, credit code, contact person,
    contact phone, contact email, figures year, revenue, R&D expense, employees)``, the
    nine columns of the enterprise None without consent (masked), as in
    :func:`match_rows`; and the ``(enterprise, bank)`` ids the access log names for its
    rows with consent. The cells are as ``core.exports.safe_cell`` makes them, None for
    ``""`` (``ExportTable.safe``): labels made safe once, the enterprise's text checked
    in the row.

    One query (a server-side cursor) whatever the number of rows, reading only the
    columns written: the latest verified year is joined (an index probe per row), the
    lifecycle stage is ``stage_sql``'s CASE over it (the rule ``stage_of`` applies,
    ``tests/unit/test_stage.py``). Products, versions, zones and industry divisions are
    read as ids; their names (a version's number, a division's section) are read
    beforehand, once per export, in the active language, by the models' own ``name``
    and ``__str__``: the products of ``products`` (every product without it) and their
    versions, every zone and every division with its section, four small tables
    (nationally 60, 60, 50 and 97 rows). Read in each row instead, the seven name
    columns cost more to fetch than the rest of the row (a bank's 7,268 rows: 25-40 ms),
    and joining the version and the division to each row cost 10 ms more (72 -> 58 ms
    for the statement, session 19).

    ``products``, the ids of the products ``matches`` is limited to (its scope, read
    beforehand), are named in the statement: the planner then estimates each product's
    matches from its statistics rather than the average product's, and reads a bank's
    few thousand by the index ``match_product_limit_cover`` instead of scanning every
    match (nationally 0.8 s against 0.27 s for a bank's 7,270)."""
    if products is not None:
        matches = matches.filter(product_id__in=products)
    rows = (
        matches.annotate(
            verified_year=_latest_verified_year(),
            export_stage=StageCase(
                F("enterprise__founded_on"),
                F("verified_year__revenue"),
                F("verified_year__employees"),
                on=on,
            ),
        )
        .values_list(*_EXPORT_COLUMNS)
        .iterator(chunk_size=chunk)
    )
    names, versions, zones, sections = _export_labels(products)
    stages = {stage.value: safe_cell(str(stage.label)) for stage in LifecycleStage}
    yes, no = safe_cell(consent[True]), safe_cell(consent[False])
    with without_jit():  # the estimate passes jit_above_cost at any size
        while batch := list(islice(rows, chunk)):
            cells: list[tuple] = []
            row = cells.append
            viewed: set[tuple[int, int]] = set()
            for (
                product_id, version_id, stage, zone_id, division_id, limit, score,
                consented, enterprise_id, bank_id,
                name, uscc, contact, phone, email, year, revenue, rd_expense, employees,
            ) in batch:  # fmt: skip
                if consented:
                    viewed.add((enterprise_id, bank_id))
                    row((
                        names[product_id], versions[version_id], stages[stage], zones[zone_id],
                        sections[division_id], limit, score, yes,
                        safe_text(name), safe_text(uscc), safe_text(contact),
                        safe_text(phone), safe_text(email),
                        year, revenue, rd_expense, employees,
                    ))  # fmt: skip
                else:
                    row((
                        names[product_id], versions[version_id], stages[stage], zones[zone_id],
                        sections[division_id], limit, score, no,
                        None, None, None, None, None, None, None, None, None,
                    ))  # fmt: skip
            yield cells, viewed


class _ReadOnMiss(dict):
    """{id: label}, read once per export; an id made after that is read when a row first
    names it (``read(pk)``), not a ``KeyError``. A product edited while the export runs
    (its rematch writes matches of the new version, which the rows' cursor, opened
    later, may read); a zone created and a firm moved into it; an industry division
    added, and a firm filed under it."""

    def __init__(self, rows, read):
        super().__init__(rows)
        self.read = read

    def __missing__(self, pk):
        label = self[pk] = self.read(pk)
        return label


def _export_labels(products: list[int] | None) -> tuple[dict, dict, dict, dict]:
    """The names ``match_export_rows`` writes for product, version, zone and industry
    division ids, in the active language and as ``safe_cell`` makes them: those of
    ``products`` (every product when None) and the numbers of their versions, every zone,
    every division's section (and ``""`` for an enterprise without an industry)."""
    from ecosystem.enterprises.models import IndustryDivision, IndustrySection
    from ecosystem.financing.models import ProductVersion
    from ecosystem.zones.models import Zone

    named = Product.objects.all() if products is None else Product.objects.filter(pk__in=products)
    names = {
        pk: safe_cell(Product(name_zh=zh, name_en=en).name)
        for pk, zh, en in named.order_by().values_list("pk", "name_zh", "name_en")
    }
    numbered = ProductVersion.objects.all()
    if products is not None:
        numbered = numbered.filter(product_id__in=products)
    versions = _ReadOnMiss(
        numbered.order_by().values_list("pk", "number"),
        lambda pk: ProductVersion.objects.values_list("number", flat=True).get(pk=pk),
    )

    def zone_name(pk, zh, en) -> str:
        return safe_cell(Zone(name_zh=zh, name_en=en).name)

    def section_name(pk, code, zh, en) -> str:
        return safe_cell(str(IndustrySection(code=code, name_zh=zh, name_en=en)))

    zone_columns = ("pk", "name_zh", "name_en")
    zones = _ReadOnMiss(
        ((row[0], zone_name(*row)) for row in Zone.objects.order_by().values_list(*zone_columns)),
        lambda pk: zone_name(*Zone.objects.values_list(*zone_columns).get(pk=pk)),
    )
    divisions = IndustryDivision.objects.order_by().values_list(
        "pk", "section__code", "section__name_zh", "section__name_en"
    )
    sections = _ReadOnMiss(
        ((row[0], section_name(*row)) for row in divisions),
        lambda pk: section_name(*divisions.get(pk=pk)),
    )
    sections[None] = ""
    return names, versions, zones, sections
