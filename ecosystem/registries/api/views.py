from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet, ReadOnlyModelViewSet

from ecosystem.core.uscc import normalize_uscc
from ecosystem.registries import selectors, services
from ecosystem.registries.api.serializers import (
    ImportRowErrorSerializer,
    ListImportAdjustSerializer,
    ListImportSerializer,
    ListImportUploadSerializer,
    ProgramSerializer,
    RegistryEntrySerializer,
)
from ecosystem.registries.models import Program, RegistryEntry


@extend_schema_view(
    list=extend_schema(summary="Qualification programs"),
    retrieve=extend_schema(summary="One program, by its code"),
)
class ProgramViewSet(ReadOnlyModelViewSet):
    """Programs enterprises claim membership of (reference data, read-only)."""

    queryset = Program.objects.order_by("code")
    serializer_class = ProgramSerializer
    lookup_field = "code"
    lookup_value_converter = "slug"
    filterset_fields = ("level",)


class RegistryEntryViewSet(ReadOnlyModelViewSet):
    """Look a credit code up in the official lists (public documents; any signed-in user).
    One entry by id: registry officers (their programs), zone officials, platform admins,
    and an enterprise's members for their own firm's code; anyone else gets a 404."""

    serializer_class = RegistryEntrySerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("uscc", str, required=True, description="18-character credit code")
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return RegistryEntry.objects.none()
        code = normalize_uscc(self.request.query_params.get("uscc", ""))
        if self.action == "list":
            if not code:
                raise ValidationError({"uscc": [_("Give the credit code to look up.")]})
            return selectors.entries_for_uscc(uscc=code)
        return selectors.entries_visible_to(user=self.request.user)


@extend_schema_view(
    list=extend_schema(summary="List imports of the officer's programs"),
    retrieve=extend_schema(summary="Status and progress of one import"),
)
class ListImportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """Registry officers upload official lists, confirm them, follow progress, read errors."""

    serializer_class = ListImportSerializer
    parser_classes = [MultiPartParser, JSONParser]

    def get_queryset(self):
        return selectors.imports_visible_to(user=self.request.user)

    @extend_schema(
        request=ListImportUploadSerializer,
        responses={201: ListImportSerializer},
        summary="Upload a list (Excel .xlsx/.xls, CSV or a PDF table); it waits for confirmation",
    )
    def create(self, request):
        form = ListImportUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        program = get_object_or_404(
            selectors.programs_managed_by(user=request.user), code=form.validated_data["program"]
        )
        job = services.list_import_upload(
            actor=request.user,
            program=program,
            batch=form.validated_data["batch"],
            upload=form.validated_data["file"],
        )
        return Response(ListImportSerializer(job).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ListImportSerializer, summary="Start the import")
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        job = services.list_import_confirm(list_import=self.get_object(), actor=request.user)
        job.refresh_from_db()
        return Response(ListImportSerializer(job).data)

    @extend_schema(
        request=ListImportAdjustSerializer,
        responses=ListImportSerializer,
        summary="Map unknown columns and choose sheets before confirming (the preview reruns)",
    )
    @action(detail=True, methods=["post"])
    def adjust(self, request, pk=None):
        form = ListImportAdjustSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        job = self.get_object()
        job = services.list_import_adjust(
            list_import=job,
            actor=request.user,
            mappings=form.validated_data.get("mappings"),
            sheets=form.validated_data.get("sheets", job.chosen_sheets),
        )
        return Response(ListImportSerializer(job).data)

    @extend_schema(request=None, responses=ListImportSerializer, summary="Cancel the import")
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        job = services.list_import_cancel(list_import=self.get_object(), actor=request.user)
        return Response(ListImportSerializer(job).data)

    @extend_schema(
        responses=ImportRowErrorSerializer(many=True),
        summary="Rows refused (kind=refused, the default) or skipped as not data (kind=skipped)",
        parameters=[
            OpenApiParameter("kind", str, enum=["refused", "skipped"], required=False),
        ],
    )
    @action(detail=True, methods=["get"])
    def errors(self, request, pk=None):
        kind = "skipped" if request.query_params.get("kind") == "skipped" else "refused"
        page = self.paginate_queryset(
            selectors.import_errors(list_import=self.get_object(), kind=kind)
        )
        return self.get_paginated_response(ImportRowErrorSerializer(page, many=True).data)
