"""What makes the inbox cheap at a bank's scale: a count that stops, lean rows, and each
row's markup built in Python.

- ``CappedPaginator`` counts at most ``INBOX_COUNT_CAP`` leads past the requested page:
  a tab of 300,000 leads costs a count of 1,001 index entries, not 300,000. Past the cap
  the page says "more than 1,000 leads" and "page 3 / 21+"; every page stays reachable
  (asking for page 40 counts up to page 40).
- ``inbox_rows`` loads only the columns the rows show, joined to the four tables they
  name: every further join multiplied PostgreSQL's planning time (7 joins: 8–15 ms of
  planning for a 1 ms query; docs/lead-feed-speed.md).
- ``row_html`` renders one row exactly as the row template did (the template's loop was
  two thirds of the page's time: 50 rows × 40 variables, two includes, a URL and a
  translation each). ``tests/unit/test_inbox_rows_markup.py`` renders the old template
  and this function for varied leads and compares them byte for byte.
"""

from __future__ import annotations

import html
from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ecosystem.core.templatetags.money import wan
from ecosystem.financing.models import Lead

#: Leads counted past the requested page before the count stops.
INBOX_COUNT_CAP = 1000

#: The columns a row shows (``consented`` and ``own`` stay as annotated).
ROW_COLUMNS = (
    *("enterprise_id", "product_id", "bank_id", "branch_id", "assigned_to_id", "status"),
    *("indicative_limit", "need_amount", "need_term_months", "need_purpose"),
    *("need_collateral", "due_at", "first_contact_due_at", "decision_due_at"),
    *("first_contact_at", "decided_at", "created_at"),
    *("enterprise__name", "enterprise__uscc"),
    *("product__name_zh", "product__name_en", "branch__name_zh", "branch__name_en"),
    *("assigned_to__full_name", "assigned_to__email"),
)


def e(value) -> str:
    """``conditional_escape`` without its lazy-string wrapper (called ~15 times a row):
    safe strings as they are, anything else through ``html.escape`` as Django's
    ``escape`` does."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def choice_labels(field_name: str) -> dict[str, str]:
    """A lead field's choice labels, resolved once in the active language."""
    return {v: force_str(label) for v, label in Lead._meta.get_field(field_name).flatchoices}


def inbox_rows(leads: QuerySet[Lead]) -> QuerySet[Lead]:
    """``leads`` (from ``bank_leads_of``) with only what a row shows."""
    return (
        leads.select_related(None)
        .select_related("enterprise", "product", "branch", "assigned_to")
        .only(*ROW_COLUMNS)
        .prefetch_related(None)
    )


#: No inbox has this many pages; a larger number (typed or hostile) asks for the last page
#: without an SQL LIMIT past PostgreSQL's bigint.
MAX_PAGE = 1_000_000


def requested_page(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


class CappedPaginator(Paginator):
    """A paginator whose count stops ``cap`` rows past the requested page.

    ``count`` is exact below the limit; at the limit it is the number of rows known to
    exist (``capped`` is then true and ``capped_at`` the figure to print after "more
    than")."""

    def __init__(self, object_list, per_page, *, number: int, cap: int = INBOX_COUNT_CAP):
        super().__init__(object_list, per_page)
        self.limit = max(cap, number * per_page) + 1

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by().values("pk")[: self.limit].count()

    @property
    def capped(self) -> bool:
        return self.count >= self.limit

    @property
    def capped_at(self) -> int:
        return self.limit - 1


class RowContext:
    """What every row of one page shares: labels in the request's language, URL
    patterns, the CSRF token and the page's own path (resolved once, not per row)."""

    def __init__(self, request):
        self.status_labels = choice_labels("status")
        self.purpose_labels = choice_labels("need_purpose")
        self.collateral_labels = choice_labels("need_collateral")
        self.detail_url = reverse("financing_lead_detail", args=[0]).removesuffix("0/")
        self.claim_url = reverse("financing_lead_claim", args=[0])
        self.claim_prefix, _zero, self.claim_suffix = self.claim_url.rpartition("/0/")
        self.next_path = conditional_escape(request.get_full_path())
        self.csrf = format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
        )
        self.consent_revoked = conditional_escape(_("(consent revoked)"))
        self.overdue = conditional_escape(_("overdue"))
        self.nobody = conditional_escape(_("nobody yet"))
        self.claim = conditional_escape(_("Claim"))
        self.asks = conditional_escape(_("Asks"))
        self.no_need = conditional_escape(_("No financing need named"))

    def claim_action(self, pk: int) -> str:
        return f"{self.claim_prefix}/{pk}/{self.claim_suffix}"


def _need_html(lead: Lead, ctx: RowContext) -> str:
    if lead.need_amount is None:
        return (
            '<div class="small text-muted" data-testid="lead-need" data-amount="">'
            f"{ctx.no_need}</div>"
        )
    months = lead.need_term_months
    term = ngettext("%(n)s month", "%(n)s months", months) % {"n": localize(months)}
    purpose = ctx.purpose_labels.get(lead.need_purpose, lead.need_purpose)
    collateral = ctx.collateral_labels.get(lead.need_collateral, lead.need_collateral)
    return (
        f'<div class="small" data-testid="lead-need" '
        f'data-amount="{e(localize(lead.need_amount))}">'
        f"{ctx.asks} {wan(lead.need_amount)} · {e(purpose)} · "
        f"{e(term)} · {e(collateral)}</div>"
    )


def _clock_html(clock) -> str:
    if clock is None:
        return ""
    css = " text-danger fw-semibold" if clock.overdue else ""
    return (
        f'<div class="small{css}" data-testid="lead-clock" '
        f'data-clock="{e(clock.kind)}" '
        f'data-overdue="{"yes" if clock.overdue else "no"}">'
        f"{e(clock.label)}: {e(clock.text)}</div>"
    )


def row_html(row: dict, ctx: RowContext) -> SafeString:
    """One ``<tr>`` of the inbox, with the whitespace the row template had around it."""
    lead = row["lead"]
    pk = lead.pk
    if lead.consented:
        enterprise = (
            f'{e(lead.enterprise.name)}</a><div class="small text-muted"><code>'
            f"{e(lead.enterprise.uscc)}</code></div>"
        )
    else:
        enterprise = f"{ctx.consent_revoked}</a>"
    due = ""
    if lead.due_at:
        due = e(timezone.localtime(lead.due_at).strftime("%Y-%m-%d %H:%M"))
    if row["overdue"]:
        due += f' <span class="badge bg-danger" data-testid="overdue-badge">{ctx.overdue}</span>'
    assigned = (
        e(str(lead.assigned_to))
        if lead.assigned_to_id
        else f'<span class="text-muted">{ctx.nobody}</span>'
    )
    claim = ""
    if row["can_claim"]:
        claim = (
            f'\n        <form method="post" action="{ctx.claim_action(pk)}">{ctx.csrf}\n'
            f'          <input type="hidden" name="next" value="{ctx.next_path}">\n'
            f'          <button class="btn btn-sm btn-primary" type="submit" '
            f'data-testid="claim-{pk}">{ctx.claim}</button>\n        </form>'
        )
    overdue_attr = ' class="table-danger" data-overdue="yes"' if row["overdue"] else ""
    status = lead.status
    return mark_safe(  # noqa: S308 - every value above is escaped
        f'\n    <tr data-testid="lead" data-pk="{pk}"{overdue_attr}>\n'
        f'      <td><a href="{ctx.detail_url}{pk}/">{enterprise}</td>\n'
        f"      <td>{e(lead.product.name)}{_need_html(lead, ctx)}\n</td>\n"
        f'      <td class="text-end">{wan(lead.indicative_limit)}</td>\n'
        f'      <td data-testid="lead-status" data-status="{e(status)}">'
        f"{e(ctx.status_labels.get(status, status))}</td>\n"
        f"      <td>{due}{_clock_html(row['clock'])}\n</td>\n"
        f'      <td>{assigned}<div class="small text-muted">{e(lead.branch.name)}</div></td>\n'
        f'      <td class="text-end">{claim}</td>\n'
        "    </tr>\n  "
    )
