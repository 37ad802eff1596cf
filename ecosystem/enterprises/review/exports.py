"""The zone review queue as an export table (``core.exports.ExportTable``): the page
streams a small one; past the row limit an export job builds it again, as its owner, in a
worker (``ecosystem.core.export_jobs``)."""

from __future__ import annotations

from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ecosystem.core.export_jobs.kinds import ExportKind, register
from ecosystem.core.exports import ExportTable
from ecosystem.enterprises.review.forms import QueueFilterForm
from ecosystem.enterprises.review.queue import review_queue
from ecosystem.enterprises.review.selectors import iter_review_queue
from ecosystem.zones.selectors import zones_of_official

QUEUE = "zones.review_queue"

HEADER = (
    gettext_lazy("kind"),
    gettext_lazy("credit code"),
    gettext_lazy("enterprise"),
    gettext_lazy("program or year"),
    gettext_lazy("status"),
    gettext_lazy("waiting since"),
    gettext_lazy("age (working days)"),
    gettext_lazy("target (working days)"),
    gettext_lazy("overdue"),
)


def _params(filters: dict) -> QueryDict:
    params = QueryDict(mutable=True)
    for key, value in (filters or {}).items():
        params[key] = value
    return params


def queue_filters(query: QueryDict) -> dict:
    """The queue page's query string as a job's filters (the page number is none)."""
    return {key: value for key, value in query.items() if key != "page"}


def queue_table(*, user, filters: dict) -> ExportTable:
    """The official's filtered queue, in the page's order and ageing."""
    parsed = QueueFilterForm(_params(filters)).filters()
    queue = review_queue(user=user, **parsed)
    return ExportTable(
        basename=f"review-queue-{timezone.localdate():%Y%m%d}",
        header=HEADER,
        rows=_rows(iter_review_queue(user=user, **parsed)),
        sheet_title=gettext_lazy("review queue"),
        sources=list(queue.sources.values()),
    )


def _rows(items):
    for item in items:
        obj = item.obj
        if item.kind == "claim":
            kind, subject, status = _("claim"), obj.program.name, obj.get_status_display()
        else:
            kind, subject = _("financial year"), obj.year
            status = obj.get_verification_status_display()
        yield [
            kind,
            obj.enterprise.uscc,
            obj.enterprise.name,
            subject,
            status,
            item.waiting_since,
            item.age_working_days,
            item.target_days,
            _("overdue") if item.overdue else "",
        ]


def _back(filters: dict) -> str:
    query = _params(filters).urlencode()
    return reverse("zone_queue") + (f"?{query}" if query else "")


def register_exports() -> None:
    register(
        ExportKind(
            name=QUEUE,
            label=gettext_lazy("Review queue"),
            allowed=lambda user: zones_of_official(user=user).exists(),
            build=queue_table,
            back=_back,
        )
    )
