"""Tables every dashboard shares (their pages, exports and charts read the same rows):
the funnel and ageing labels, percentages, money along the pipeline, conversion and the
banks' response. Labels are lazy, so each reader gets them in their own language."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FUNNEL_LABELS = {
    "registered": gettext_lazy("registered"),
    "verified": gettext_lazy("verified"),
    "matched": gettext_lazy("matched"),
    "lead": gettext_lazy("lead"),
    "offer": gettext_lazy("offer"),
    "disbursed": gettext_lazy("disbursed"),
}
AGEING_LABELS = {
    "0-2": gettext_lazy("0–2 working days"),
    "3-5": gettext_lazy("3–5 working days"),
    "6-10": gettext_lazy("6–10 working days"),
    ">10": gettext_lazy("more than 10 working days"),
}


def pct(value) -> str:
    return "" if value is None else f"{value}%"


def conversion_table(rows: list[dict], *, title, label) -> dict:
    """A table of ``insights.bank.conversion_by`` rows: leads, offers, accepted,
    disbursed, the amount disbursed and the conversion, per value in column ``label``."""
    return {
        "title": title,
        "header": [
            label,
            _("leads"),
            _("offers"),
            _("accepted"),
            _("disbursed"),
            _("amount disbursed (yuan)"),
            _("lead to disbursement"),
        ],
        "rows": [
            [
                r["label"],
                r["leads"],
                r["offers"],
                r["accepted"],
                r["disbursed"],
                r["disbursed_amount"],
                pct(r["conversion"]),
            ]
            for r in rows
        ],
    }


def amounts_table(money: dict) -> dict:
    """Money along the pipeline (``insights.bank.amounts``) as a table."""
    return {
        "title": _("Amounts along the pipeline"),
        "header": [_("figure"), _("amount (yuan)")],
        "rows": [
            [_("offers made"), money["offered"]],
            [_("offers accepted"), money["accepted"]],
            [_("disbursed"), money["disbursed"]],
        ],
    }


def sla_table(sla, *, title) -> dict:
    """The banks' response figures (``insights.bank.response_figures``) as a table."""

    def hours(value):
        return "" if value is None else f"{value} {_('hours')}"

    return {
        "title": title,
        "header": [_("figure"), _("value")],
        "rows": [
            [_("leads answered"), sla.responded],
            [_("median time to first response"), hours(sla.median_hours)],
            [_("leads due or answered"), sla.due],
            [_("answered within the response time"), sla.on_time],
            [_("SLA compliance"), pct(sla.compliance)],
            [_("open leads overdue now"), sla.overdue_open],
        ],
    }


def decision_table(rows: list[dict], *, title, label) -> dict:
    """Time to first contact and to decision (``insights.decision.decision_by`` rows) in
    working hours, and the share decided within the product's promise."""
    return {
        "title": title,
        "header": [
            label,
            _("leads"),
            _("median working hours to first contact"),
            _("90th percentile working hours to first contact"),
            _("decided"),
            _("median working hours to decision"),
            _("90th percentile working hours to decision"),
            _("decided within target (%)"),
        ],
        "rows": [
            [
                r["label"],
                r["leads"],
                _blank(r["contact_median_hours"]),
                _blank(r["contact_p90_hours"]),
                r["decided"],
                _blank(r["decision_median_hours"]),
                _blank(r["decision_p90_hours"]),
                pct(r["decided_on_time_share"]),
            ]
            for r in rows
        ],
    }


def _blank(value):
    return "" if value is None else value


def decision_tables(decision: dict, *, labels: dict) -> dict[str, dict]:
    """One ``decision_table`` per breakdown of ``insights.decision.decision_figures``
    (``labels``: breakdown name → (title, column label)), plus the overall row."""
    return {name: build() for name, build in decision_table_builders(decision, labels).items()}


def decision_table_builders(decision, labels: dict) -> dict:
    """:func:`decision_tables` as {table name: thunk}, for a ``figures.Lazy`` of tables:
    each reads ``decision[...]`` (a dict, or a ``Lazy`` of the breakdowns) only for its
    own breakdown when built."""

    def overall():
        return decision_table(
            [{**decision["overall"], "label": _("all leads")}],
            title=_("Time to first contact and to decision (working hours)"),
            label=_("scope"),
        )

    def breakdown(name: str, title, label):
        return lambda: decision_table(decision[name], title=title, label=label)

    return {
        "decision": overall,
        **{
            f"decision_{name}": breakdown(name, title, label)
            for name, (title, label) in labels.items()
        },
    }
