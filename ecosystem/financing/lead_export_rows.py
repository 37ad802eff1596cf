"""The lead export's rows (``exports.leads_table``): one statement's plain tuples made into
cells once their labels are made, in batches as ``exports._logged`` reads them. The
matches' twin is ``selectors.match_exports``."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice

from django.db import connection
from django.db.models import Case, When
from django.utils import timezone
from django.utils.translation import gettext as _

from ecosystem.accounts.models import User
from ecosystem.core import exports as tables
from ecosystem.core.db import WallClock, without_jit
from ecosystem.core.exports import safe_cell, safe_text
from ecosystem.core.i18n import LabelsById
from ecosystem.financing import selectors
from ecosystem.financing.models import Branch, Lead, Product
from ecosystem.financing.selectors.match_exports import Batch


def lead_rows(leads, *, chunk: int = tables.EXPORT_ROW_LIMIT + 1) -> Iterator[Batch]:
    """The decline reason is its label in the export's language; the decline note is the
    bank's own text, so it belongs to this bank-staff export only (the enterprise's pages,
    the leads API and anything an enterprise can download never carry it). Both are
    fields of the lead itself: no query is added.

    Rows are read as plain tuples of the columns written (``LEAD_COLUMNS``), overdue as
    ``selectors.overdue_q`` says in the statement and the times as the wall clock shows
    them (``WallClock``); every label (choices, product, branch, relationship manager) is
    made once per export, in its language, as ``safe_cell`` makes it. They come in
    batches of ``chunk`` rows (the cursor's) as ``_logged`` reads them: ``(rows,
    (enterprise, bank) ids of the firms they show)``, each row's cells as ``safe_cell``
    makes them, None for ``""`` (``ExportTable.safe``)."""
    overdue_now = Case(When(selectors.overdue_q(timezone.now()), then=True), default=False)
    rows = (
        leads.annotate(
            export_overdue=overdue_now,
            export_due_at=WallClock("due_at"),
            export_created_at=WallClock("created_at"),
        )
        .values_list(*LEAD_COLUMNS)
        .iterator(chunk_size=chunk)
    )
    masked = safe_cell(_("(consent revoked)"))
    labels = _choice_labels()
    purposes, collaterals = labels["need_purpose"], labels["need_collateral"]
    statuses, reasons = labels["status"], labels["decline_reason"]
    products = LabelsById(lambda zh, en: safe_cell(Product(name_zh=zh, name_en=en).name))
    branches = LabelsById(lambda zh, en: safe_cell(Branch(name_zh=zh, name_en=en).name))
    people = LabelsById(lambda name, email: safe_cell(str(User(full_name=name, email=email))))
    people[None] = None  # unassigned
    overdue_mark = {True: safe_cell(True), False: None}
    # The times come naive from ``WallClock`` on PostgreSQL; elsewhere as they are stored.
    wall = (lambda value: value) if connection.vendor == "postgresql" else safe_cell
    with without_jit():  # as the matches export: compiling cost more than reading
        while batch := list(islice(rows, chunk)):
            cells: list[tuple] = []
            row = cells.append
            viewed: set[tuple[int, int]] = set()
            for (
                consented, enterprise_id, bank_id, name, uscc,
                product_id, product_zh, product_en,
                limit, amount, purpose, term, collateral, status, due_at, overdue,
                branch_id, branch_zh, branch_en,
                rm_id, rm_name, rm_email,
                created_at, reason, note,
            ) in batch:  # fmt: skip
                if consented:
                    viewed.add((enterprise_id, bank_id))
                row((
                    safe_text(name) if consented else masked,
                    safe_text(uscc) if consented else None,
                    products.of(product_id, product_zh, product_en),
                    limit,
                    amount,
                    purposes[purpose],
                    term,
                    collaterals[collateral],
                    statuses[status],
                    wall(due_at),
                    overdue_mark[overdue],
                    branches.of(branch_id, branch_zh, branch_en),
                    people.of(rm_id, rm_name, rm_email),
                    wall(created_at),
                    reasons[reason],
                    safe_text(note),
                ))  # fmt: skip
            yield cells, viewed


#: What a lead export row reads of a lead, in the order ``lead_rows`` unpacks it.
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
LABELLED = ("need_purpose", "need_collateral", "status", "decline_reason")


class _Choices(dict):
    """A field's choice labels by value; a value without a label is itself (as
    ``get_<field>_display`` has it), made safe (``safe_text``) once."""

    def __missing__(self, value):
        label = self[value] = safe_text(value)
        return label


def _choice_labels() -> dict[str, _Choices]:
    """Each labelled field's choices as text in the active language, as ``safe_cell`` makes
    it, read once per export: ``get_<field>_display`` translates every choice of the field
    on each call (150,000 ``gettext`` calls for 5,300 leads). Same text: a value without a
    label stays itself."""
    return {
        name: _Choices(
            (value, safe_cell(str(label)))
            for value, label in Lead._meta.get_field(name).flatchoices
        )
        for name in LABELLED
    }
