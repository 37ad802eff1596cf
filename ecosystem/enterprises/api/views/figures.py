"""Yearly figures and financing needs of one enterprise."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from ecosystem.core.api.errors import READ_ERRORS, WRITE_ERRORS, valid_data
from ecosystem.core.errors import ConflictError
from ecosystem.enterprises import selectors, services
from ecosystem.enterprises.api.access import EnterpriseNestedMixin
from ecosystem.enterprises.api.serializers.figures import (
    FinancialYearCreateSerializer,
    FinancialYearSerializer,
    FinancialYearUpdateSerializer,
    FinancingNeedSerializer,
)
from ecosystem.enterprises.models import FinancialYear, FinancingNeed


@extend_schema_view(
    list=extend_schema(summary="Yearly figures, latest first"),
    retrieve=extend_schema(
        summary="Figures of one year", responses={200: FinancialYearSerializer, **READ_ERRORS}
    ),
)
class FinancialYearViewSet(
    EnterpriseNestedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet
):
    """Amounts are yuan as decimal strings. Changing a verified year sends it back to
    unverified."""

    queryset = FinancialYear.objects.none()
    serializer_class = FinancialYearSerializer
    lookup_field = "year"
    access_section = "financial-years"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.financial_years_of(enterprise=self.enterprise).select_related(
            "verified_by"
        )

    def get_serializer_class(self):
        return {
            "create": FinancialYearCreateSerializer,
            "partial_update": FinancialYearUpdateSerializer,
        }.get(self.action, FinancialYearSerializer)

    @extend_schema(
        summary="Enter a new year",
        request=FinancialYearCreateSerializer,
        responses={201: FinancialYearSerializer, **WRITE_ERRORS},
    )
    def create(self, request, enterprise_pk=None):
        data = dict(valid_data(self.get_serializer(data=request.data)))
        year = data.pop("year")
        if self.get_queryset().filter(year=year).exists():
            raise ConflictError(
                _("Figures for %(year)d already exist.") % {"year": year}, code="year_exists"
            )
        saved = services.financial_year_save(
            enterprise=self.enterprise, actor=request.user, year=year, **data
        )
        return Response(FinancialYearSerializer(saved).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change figures of a year",
        request=FinancialYearUpdateSerializer,
        responses={200: FinancialYearSerializer, **WRITE_ERRORS},
    )
    def partial_update(self, request, enterprise_pk=None, year=None):
        current = self.get_object()
        data = dict(valid_data(self.get_serializer(data=request.data)))
        saved = services.financial_year_save(
            enterprise=self.enterprise,
            actor=request.user,
            year=current.year,
            expected_version=data.pop("version"),
            **data,
        )
        return Response(FinancialYearSerializer(saved).data)


@extend_schema_view(
    list=extend_schema(summary="Financing needs, newest first"),
    retrieve=extend_schema(
        summary="One financing need", responses={200: FinancingNeedSerializer, **READ_ERRORS}
    ),
)
class FinancingNeedViewSet(
    EnterpriseNestedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet
):
    """Amount (yuan, at least 10,000), term and purpose of financing the enterprise seeks."""

    queryset = FinancingNeed.objects.none()
    serializer_class = FinancingNeedSerializer
    access_section = "financing-needs"
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return selectors.needs_of(enterprise=self.enterprise)

    @extend_schema(
        summary="Record a financing need",
        responses={201: FinancingNeedSerializer, **WRITE_ERRORS},
    )
    def create(self, request, enterprise_pk=None):
        data = valid_data(self.get_serializer(data=request.data))
        need = services.financing_need_create(
            enterprise=self.enterprise, actor=request.user, **data
        )
        return Response(FinancingNeedSerializer(need).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Close a financing need",
        request=None,
        responses={200: FinancingNeedSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def close(self, request, enterprise_pk=None, pk=None):
        need = services.financing_need_close(need=self.get_object(), actor=request.user)
        return Response(FinancingNeedSerializer(need).data)
