"""Enterprises: list what the user may see, register, read, update, leave, and the
read-only lifecycle stage and TSME self-assessment."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from ecosystem.core.api.errors import READ_ERRORS, WRITE_ERRORS, valid_data
from ecosystem.core.api.pagination import COUNT_CAP
from ecosystem.enterprises import services
from ecosystem.enterprises.api.access import (
    enterprise_access,
    record_bank_view,
    require_member,
    scoped_get,
    visible_enterprises,
)
from ecosystem.enterprises.api.filters import EnterpriseFilter
from ecosystem.enterprises.api.insight import lifecycle_of, self_assessment_of
from ecosystem.enterprises.api.serializers.enterprise import (
    EnterpriseRegisterSerializer,
    EnterpriseSerializer,
    EnterpriseSummarySerializer,
    EnterpriseUpdateSerializer,
)
from ecosystem.enterprises.api.serializers.insight import (
    LifecycleSerializer,
    SelfAssessmentSerializer,
)
from ecosystem.enterprises.api.serializers.members import JoinRequestSerializer
from ecosystem.enterprises.branch_firms import branch_firm_list
from ecosystem.enterprises.models import Enterprise


@extend_schema_view(
    list=extend_schema(summary="Enterprises the user may see"),
    retrieve=extend_schema(
        summary="One enterprise's profile", responses={200: EnterpriseSerializer, **READ_ERRORS}
    ),
)
class EnterpriseViewSet(mixins.ListModelMixin, GenericViewSet):
    """Members see and keep their enterprises; zone officials see those of their zone;
    banks see those that gave them consent (each view is logged for the enterprise)."""

    queryset = Enterprise.objects.none()
    filterset_class = EnterpriseFilter
    lookup_value_converter = "int"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return visible_enterprises(user=self.request.user)

    def list(self, request, *args, **kwargs):
        """An RM's list, unfiltered or searched only (``q``), is read by parts
        (``enterprises.branch_firms``), the same rows in the same order; every other list
        is the filtered queryset."""
        filters = self.filterset_class.get_filters()
        if not any(request.query_params.get(name) for name in filters if name != "q"):
            search = request.query_params.get("q", "").strip()
            rows = branch_firm_list(user=request.user, cap=COUNT_CAP, search=search)
            if rows is not None:
                page = self.paginate_queryset(rows)
                return self.get_paginated_response(self.get_serializer(page, many=True).data)
        return super().list(request, *args, **kwargs)

    def get_serializer_class(self):
        return {
            "list": EnterpriseSummarySerializer,
            "create": EnterpriseRegisterSerializer,
            "partial_update": EnterpriseUpdateSerializer,
            "lifecycle": LifecycleSerializer,
            "self_assessment": SelfAssessmentSerializer,
        }.get(self.action, EnterpriseSerializer)

    def _access(self):
        enterprise = scoped_get(self.get_queryset(), pk=self.kwargs["pk"])
        return enterprise_access(user=self.request.user, enterprise=enterprise)

    def retrieve(self, request, pk=None):
        access = self._access()
        record_bank_view(access, user=request.user, section="enterprise")
        return Response(EnterpriseSerializer(access.enterprise).data)

    @extend_schema(
        summary="Register an enterprise, or ask to join it if the code is taken",
        request=EnterpriseRegisterSerializer,
        responses={
            201: OpenApiResponse(EnterpriseSerializer, description="Registered; you are owner."),
            202: OpenApiResponse(
                JoinRequestSerializer,
                description="Already registered: a join request awaits an owner's decision.",
            ),
            **WRITE_ERRORS,
        },
    )
    def create(self, request):
        data = dict(valid_data(self.get_serializer(data=request.data)))
        result = services.enterprise_register(
            user=request.user,
            uscc=data.pop("uscc"),
            join_message=data.pop("join_message", ""),
            **data,
        )
        if result.created:
            return Response(EnterpriseSerializer(result.enterprise).data, status=201)
        return Response(
            JoinRequestSerializer(result.join_request).data, status=status.HTTP_202_ACCEPTED
        )

    @extend_schema(
        summary="Change the profile (members)",
        request=EnterpriseUpdateSerializer,
        responses={200: EnterpriseSerializer, **WRITE_ERRORS},
    )
    def partial_update(self, request, pk=None):
        access = self._access()
        require_member(access)
        data = dict(valid_data(self.get_serializer(data=request.data)))
        enterprise = services.enterprise_update(
            enterprise=access.enterprise,
            actor=request.user,
            expected_version=data.pop("version"),
            **data,
        )
        return Response(EnterpriseSerializer(enterprise).data)

    @extend_schema(
        summary="Lifecycle stage with the reasons for it",
        responses={200: LifecycleSerializer, **READ_ERRORS},
    )
    @action(detail=True, methods=["get"])
    def lifecycle(self, request, pk=None):
        access = self._access()
        data = lifecycle_of(enterprise=access.enterprise, on=timezone.localdate())
        record_bank_view(access, user=request.user, section="lifecycle")
        return Response(LifecycleSerializer(data).data)

    @extend_schema(
        summary="Technology-based SME self-assessment (advisory)",
        responses={200: SelfAssessmentSerializer, **READ_ERRORS},
    )
    @action(detail=True, methods=["get"], url_path="self-assessment")
    def self_assessment(self, request, pk=None):
        access = self._access()
        data = self_assessment_of(enterprise=access.enterprise, on=timezone.localdate())
        record_bank_view(access, user=request.user, section="self-assessment")
        return Response(SelfAssessmentSerializer(data).data)

    @extend_schema(
        summary="Leave the enterprise (the last owner cannot)",
        request=None,
        responses={204: None, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def leave(self, request, pk=None):
        access = self._access()
        require_member(access)
        services.member_leave(enterprise=access.enterprise, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
