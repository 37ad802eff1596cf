"""The bank dashboard's figures for the bank's own reports: GET /api/v1/financing/dashboard/.

The figures of the page (``insights.bank``) over the caller's leads (a
relationship manager's branches, a manager's bank), with the page's filters as query
parameters; an invalid filter is a 400 naming the field, not a silently wider answer."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from ecosystem.core.errors import ApplicationError
from ecosystem.financing.api.common import READ_ERRORS, not_found
from ecosystem.financing.models import Lead
from ecosystem.financing.views.common import is_bank_staff
from ecosystem.insights.api.serializers import (
    AmountsSerializer,
    ConversionSerializer,
    FunnelRowSerializer,
    ResponseFiguresSerializer,
    TimeToDecisionSerializer,
)
from ecosystem.insights.views.bank import figures_for
from ecosystem.insights.views.bank_filter import filtered

#: Branches a response lists (``branch_page_size``): a platform admin's dashboard covers
#: 1,500 branches nationally; the other lists hold a row per bank, product, zone or chain.
BRANCH_PAGE_SIZE = 100
MAX_BRANCH_PAGE_SIZE = 500


class BranchPagesSerializer(serializers.Serializer):
    page = serializers.IntegerField(help_text="This page of the branches (from 1).")
    page_size = serializers.IntegerField()
    count = serializers.IntegerField(help_text="Branches with a lead in the figures.")
    pages = serializers.IntegerField()


class BankDashboardSerializer(serializers.Serializer):
    funnel = FunnelRowSerializer(many=True)
    amounts = AmountsSerializer()
    response = ResponseFiguresSerializer()
    banks = ConversionSerializer(
        many=True, help_text="Per bank the figures cover (one row for one bank's staff)."
    )
    products = ConversionSerializer(many=True)
    zones = ConversionSerializer(many=True)
    branches = ConversionSerializer(
        many=True,
        help_text="One page of the branches (``branch_page``), by name; "
        "``decision.branches`` holds the same branches.",
    )
    branch_pages = BranchPagesSerializer()
    chains = ConversionSerializer(many=True)
    decision = TimeToDecisionSerializer(help_text="Time to first contact and to decision.")


FILTERS = [
    OpenApiParameter("created_from", OpenApiTypes.DATE, description="Leads created on or after."),
    OpenApiParameter("created_to", OpenApiTypes.DATE, description="Leads created on or before."),
    OpenApiParameter(
        "bank",
        OpenApiTypes.INT,
        description="One of my banks (for someone who works for several, or a platform admin).",
    ),
    OpenApiParameter("product", OpenApiTypes.INT, description="One of the bank's products."),
    OpenApiParameter("branch", OpenApiTypes.INT, description="One of the bank's branches."),
    OpenApiParameter(
        "branch_page", OpenApiTypes.INT, description="Which page of the branches (from 1)."
    ),
    OpenApiParameter(
        "branch_page_size",
        OpenApiTypes.INT,
        description=f"Branches a page lists ({BRANCH_PAGE_SIZE} by default, "
        f"at most {MAX_BRANCH_PAGE_SIZE}).",
    ),
]


def _positive(params, name: str, default: int) -> int:
    value = params.get(name) or ""
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise ApplicationError(
            _("%(name)s must be a whole number from 1.") % {"name": name}, code=f"invalid_{name}"
        )
    return int(value)


def branch_pages(params, count: int) -> dict:
    """The page of the branches asked for: {page, page_size, count, pages, start, stop}."""
    size = min(_positive(params, "branch_page_size", BRANCH_PAGE_SIZE), MAX_BRANCH_PAGE_SIZE)
    page = _positive(params, "branch_page", 1)
    pages = max(1, -(-count // size))
    if page > pages:
        raise ApplicationError(
            ngettext(
                "There is only %(pages)d page of branches.",
                "There are only %(pages)d pages of branches.",
                pages,
            )
            % {"pages": pages},
            code="invalid_branch_page",
        )
    start = (page - 1) * size
    return {
        "page": page,
        "page_size": size,
        "count": count,
        "pages": pages,
        "start": start,
        "stop": start + size,
    }


@extend_schema(
    summary="Bank dashboard figures over my leads (filters as on the page)",
    parameters=FILTERS,
    responses={200: BankDashboardSerializer, **READ_ERRORS},
)
class BankDashboardView(GenericAPIView):
    serializer_class = BankDashboardSerializer
    queryset = Lead.objects.none()
    filter_backends: list = []

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not is_bank_staff(request.user):
            raise not_found()

    def get(self, request):
        form, leads, scope = filtered(request)
        if form.is_bound and not form.is_valid():
            field, messages = next(iter(form.errors.items()))
            raise ApplicationError(
                messages[0], code="invalid_filter" if field == "__all__" else f"invalid_{field}"
            )
        of = figures_for(leads, scope, now=timezone.now())
        figures = {"funnel": of.funnel(), "amounts": of.amounts(), "response": of.response()}
        for name, dimension in (
            ("banks", "bank"),
            ("products", "product"),
            ("zones", "zone"),
            ("chains", "chain"),
        ):
            figures[name] = of.conversion(dimension)

        pages = figures["branch_pages"] = branch_pages(request.query_params, of.groups("branch"))
        figures["branches"] = of.conversion("branch", slice(pages["start"], pages["stop"]))
        figures["decision"] = {
            "overall": of.decision_overall(),
            **{
                name: of.decision(dimension)
                for name, dimension in (
                    ("banks", "bank"),
                    ("products", "product"),
                    ("zones", "zone"),
                    ("chains", "chain"),
                )
            },
            "branches": of.decision("branch", keys=[row["key"] for row in figures["branches"]]),
        }
        return Response(BankDashboardSerializer(figures).data)
