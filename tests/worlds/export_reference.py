"""The bank exports as they were written before their rows became batches of cells made
safe once (``ExportTable.safe``, docs/performance.md, session 17): the old code path, kept
here as the reference the new one is held to, byte for byte.

Copied from ``ecosystem/financing/selectors/match_exports.py``,
``ecosystem/financing/exports.py`` and ``ecosystem/core/exports.py`` at c108eac, changed
only where they wrote: the access log is not written (``_cells`` drops the pairs
``_logged`` logged), and the files are made by the old writers (``csv_pieces`` with
``safe_row`` on every row, one ``writerow`` a row; XLSX as ``xlsx_response`` writes it).
The queryset scopes (``filtered_matches``, ``inbox_leads``) are the app's own: they did
not change.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date

from django.db.models import Case, F, FilteredRelation, OuterRef, Q, Subquery, When
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ecosystem.accounts.models import User
from ecosystem.core.db import WallClock, without_jit
from ecosystem.core.exports import _Echo, _xml_text, safe_row
from ecosystem.core.i18n import LabelsById
from ecosystem.enterprises.lifecycle import LifecycleStage
from ecosystem.enterprises.stage import StageCase
from ecosystem.financing import selectors
from ecosystem.financing.exports import (
    LEAD_HEADER,
    MATCH_HEADER,
    _params,
    filtered_matches,
    inbox_leads,
)
from ecosystem.financing.lead_export_rows import LABELLED
from ecosystem.financing.models import Branch, Lead, Product

# ---- matches (selectors/match_exports.py at c108eac) ----------------------------------


def _latest_verified_year() -> FilteredRelation:
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


_EXPORT_COLUMNS = (
    "product_id",
    "product_version__number",
    "export_stage",
    "enterprise__zone_id",
    "enterprise__industry__section_id",
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
_MASKED = (None,) * 9


def match_export_rows(matches, *, on: date, products=None, chunk: int = 2000):
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
    names, zones, sections = _export_labels(products)
    stage_labels = {stage.value: str(stage.label) for stage in LifecycleStage}
    with without_jit():
        for (
            product_id, version, stage, zone_id, section_id, limit, score,
            consented, enterprise_id, bank_id, *enterprise,
        ) in rows:  # fmt: skip
            yield (
                [
                    names[product_id],
                    version,
                    stage_labels[stage],
                    zones[zone_id],
                    sections[section_id],
                    limit,
                    score,
                    consented,
                    *(enterprise if consented else _MASKED),
                ],
                (enterprise_id, bank_id) if consented else None,
            )


def _export_labels(products):
    from ecosystem.enterprises.models import IndustrySection
    from ecosystem.zones.models import Zone

    named = Product.objects.all() if products is None else Product.objects.filter(pk__in=products)
    names = {
        pk: Product(name_zh=zh, name_en=en).name
        for pk, zh, en in named.order_by().values_list("pk", "name_zh", "name_en")
    }
    zones = {
        pk: Zone(name_zh=zh, name_en=en).name
        for pk, zh, en in Zone.objects.order_by().values_list("pk", "name_zh", "name_en")
    }
    sections = {
        pk: str(IndustrySection(code=code, name_zh=zh, name_en=en))
        for pk, code, zh, en in IndustrySection.objects.order_by().values_list(
            "pk", "code", "name_zh", "name_en"
        )
    }
    sections[None] = ""
    return names, zones, sections


# ---- the tables (financing/exports.py at c108eac, without the access log) -------------


def _cells(rows: Iterable[tuple]) -> Iterator[list]:
    """``_logged`` without its log: the cells of each ``(cells, viewed)`` pair."""
    for cells, _viewed in rows:
        yield cells


def _match_rows(user, matches, *, filtered: bool):
    products = None
    if not filtered:
        products = list(selectors.bank_products_of(user=user).values_list("pk", flat=True))
    consent = {True: _("yes"), False: _("no (masked)")}
    rows = match_export_rows(matches, on=timezone.localdate(), products=products, chunk=10_001)
    for row in _cells(rows):
        row[7] = consent[row[7]]
        yield row


def match_rows(*, user, filters: dict) -> list[list]:
    _form, product, matches = filtered_matches(user=user, filters=filters)
    return list(_match_rows(user, matches, filtered=product is not None))


def _lead_rows(leads):
    overdue_now = Case(When(selectors.overdue_q(timezone.now()), then=True), default=False)
    rows = leads.annotate(
        export_overdue=overdue_now,
        export_due_at=WallClock("due_at"),
        export_created_at=WallClock("created_at"),
    ).values_list(*LEAD_COLUMNS)
    masked = _("(consent revoked)")
    labels = _choice_labels()
    purposes, collaterals = labels["need_purpose"], labels["need_collateral"]
    statuses, reasons = labels["status"], labels["decline_reason"]
    products = LabelsById(lambda zh, en: Product(name_zh=zh, name_en=en).name)
    branches = LabelsById(lambda zh, en: Branch(name_zh=zh, name_en=en).name)
    people = LabelsById(lambda name, email: str(User(full_name=name, email=email)))
    people[None] = ""
    with without_jit():
        for (
            consented, enterprise_id, bank_id, name, uscc,
            product_id, product_zh, product_en,
            limit, amount, purpose, term, collateral, status, due_at, overdue,
            branch_id, branch_zh, branch_en,
            rm_id, rm_name, rm_email,
            created_at, reason, note,
        ) in rows.iterator(chunk_size=10_001):  # fmt: skip
            yield (
                [
                    name if consented else masked,
                    uscc if consented else "",
                    products.of(product_id, product_zh, product_en),
                    limit,
                    amount,
                    purposes.get(purpose, purpose),
                    term,
                    collaterals.get(collateral, collateral),
                    statuses.get(status, status),
                    due_at,
                    overdue,
                    branches.of(branch_id, branch_zh, branch_en),
                    people.of(rm_id, rm_name, rm_email),
                    created_at,
                    reasons.get(reason, reason),
                    note,
                ],
                (enterprise_id, bank_id) if consented else None,
            )


LEAD_COLUMNS = (
    "consented",
    "enterprise_id",
    "bank_id",
    "enterprise__name",
    "enterprise__uscc",
    "product_id",
    "product__name_zh",
    "product__name_en",
    "indicative_limit",
    "need_amount",
    "need_purpose",
    "need_term_months",
    "need_collateral",
    "status",
    "export_due_at",
    "export_overdue",
    "branch_id",
    "branch__name_zh",
    "branch__name_en",
    "assigned_to_id",
    "assigned_to__full_name",
    "assigned_to__email",
    "export_created_at",
    "decline_reason",
    "decline_note",
)


def _choice_labels() -> dict[str, dict]:
    return {
        name: {value: str(label) for value, label in Lead._meta.get_field(name).flatchoices}
        for name in LABELLED
    }


def lead_rows(*, user, filters: dict) -> list[list]:
    _tab, _form, leads = inbox_leads(user=user, params=_params(filters))
    return list(_cells(_lead_rows(leads)))


# ---- the files (core/exports.py at c108eac) -------------------------------------------

CSV_PIECE = 32 * 1024


def csv_pieces(header: Sequence[str], rows: Iterable[Sequence]) -> Iterator[str]:
    out = io.StringIO()
    writer = csv.writer(out)
    yield "\ufeff" + csv.writer(_Echo()).writerow(safe_row(header))
    for row in rows:
        writer.writerow(safe_row(row))
        if out.tell() >= CSV_PIECE:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    if out.tell():
        yield out.getvalue()


def xlsx_sheet(header: Sequence[str], rows: Iterable[Sequence], *, title: str) -> bytes:
    """The workbook ``xlsx_response`` wrote (write-only openpyxl, the same cells)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([_xml_text(str(h)) for h in header])
    for row in rows:
        sheet.append(safe_row([_xml_text(v) for v in row]))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


TABLES = {
    "matches": (MATCH_HEADER, match_rows, "matches"),
    "leads": (LEAD_HEADER, lead_rows, "leads"),
}


def reference_file(kind: str, fmt: str, *, user, filters: dict, language: str) -> bytes:
    """The file the old code path wrote for ``user``'s export of ``kind`` ("matches",
    "leads") with ``filters``, in ``language``, as ``fmt`` ("csv", "xlsx")."""
    header, rows_of, title = TABLES[kind]
    with translation.override(language):
        labels = [str(h) for h in header]
        rows = rows_of(user=user, filters=filters)
        if fmt == "xlsx":
            return xlsx_sheet(labels, rows, title=_(title))
        return "".join(csv_pieces(labels, rows)).encode("utf-8")
