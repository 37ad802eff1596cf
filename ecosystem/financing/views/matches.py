"""Bank pages: the matches of the bank's products, masked without consent, and exports."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ecosystem.core.exports import export_refused, export_response, over_export_limit
from ecosystem.core.gates import EXPORT_FORMATS, export_format
from ecosystem.financing import selectors
from ecosystem.financing.forms import MatchFilterForm
from ecosystem.financing.views.common import bank_context, bank_staff_required, log_unmasked

PER_PAGE = 50
HEADER = (
    gettext_lazy("product"),
    gettext_lazy("version"),
    gettext_lazy("lifecycle stage"),
    gettext_lazy("zone"),
    gettext_lazy("industry section"),
    gettext_lazy("indicative limit (yuan)"),
    gettext_lazy("score"),
    gettext_lazy("consent"),
    gettext_lazy("enterprise"),
    gettext_lazy("unified social credit code"),
    gettext_lazy("contact person"),
    gettext_lazy("contact phone"),
    gettext_lazy("contact email"),
    gettext_lazy("figures year"),
    gettext_lazy("revenue (yuan)"),
    gettext_lazy("R&D expense (yuan)"),
    gettext_lazy("employees"),
)


def _filtered(request):
    form = MatchFilterForm(
        request.GET or None, products=selectors.products_visible_to(user=request.user)
    )
    product = form.cleaned_data.get("product") if form.is_valid() else None
    return form, product, selectors.matches_for_bank(user=request.user, product=product)


@bank_staff_required
def bank_matches(request):
    form, product, _matches = _filtered(request)
    # The same matches in the same order, read a page at a time (selectors.bank_matches).
    matches = selectors.bank_match_list(user=request.user, product=product)
    page = Paginator(matches, PER_PAGE).get_page(request.GET.get("page"))
    log_unmasked(request, page.object_list, section="matches")
    query = f"?product={product.pk}" if product else ""
    return render(
        request,
        "financing/bank_matches.html",
        bank_context(
            request,
            "matches",
            form=form,
            page=page,
            rows=selectors.match_rows(page.object_list),
            total=f"{matches.total_exposure:,.2f}",
            export_urls=[
                reverse("financing_bank_matches_export", args=[fmt]) + query
                for fmt in EXPORT_FORMATS
            ],
            query=query,
        ),
    )


def _export_rows(request, matches, language):
    """Rows stream after the view has returned: keep the request's language for them."""
    with translation.override(language):
        yield from _rows(request, matches)


def _rows(request, matches):
    on = timezone.localdate()
    for batch in selectors.match_batches(matches):
        log_unmasked(request, batch, section="matches-export")
        for row in selectors.match_rows(batch, on=on):
            e = row.enterprise
            detail = (
                [
                    e.name,
                    e.uscc,
                    e.contact_name,
                    e.contact_phone,
                    e.contact_email,
                    e.figures_year,
                    e.revenue,
                    e.rd_expense,
                    e.employees,
                ]
                if e is not None
                else [""] * 9
            )
            yield [
                row.product_name,
                row.version,
                row.stage_label,
                row.zone,
                row.industry_section,
                row.indicative_limit,
                row.score,
                _("yes") if e is not None else _("no (masked)"),
                *detail,
            ]


@bank_staff_required
def bank_matches_export(request, fmt: str):
    fmt = export_format(fmt)
    _form, product, matches = _filtered(request)
    if over_export_limit([matches]):  # every match of every bank: 1.5 million nationally
        query = f"?product={product.pk}" if product else ""
        return export_refused(request, reverse("financing_bank_matches") + query)
    basename = f"matches-{product.code if product else 'all'}-{timezone.localdate():%Y%m%d}"
    return export_response(
        fmt,
        basename,
        [str(h) for h in HEADER],
        _export_rows(request, matches, translation.get_language()),
        sheet_title=str(_("matches")),
    )
