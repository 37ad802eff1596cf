"""Qualification claims of one enterprise, their evidence files and submission."""

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from ecosystem.core.api.errors import READ_ERRORS, WRITE_ERRORS, valid_data
from ecosystem.enterprises import selectors, services
from ecosystem.enterprises.api.access import EnterpriseNestedMixin, scoped_get
from ecosystem.enterprises.api.filters import ClaimFilter
from ecosystem.enterprises.api.serializers.claims import (
    ClaimCreateSerializer,
    ClaimSerializer,
    ClaimSubmitSerializer,
    ClaimUpdateSerializer,
    EvidenceSerializer,
    EvidenceUploadSerializer,
)
from ecosystem.enterprises.models import Evidence, QualificationClaim
from ecosystem.enterprises.workflow import ClaimStatus


def claims_for(view):
    """The enterprise's claims as this reader may see them: banks only verified ones."""
    claims = selectors.claims_visible_to(user=view.request.user).filter(enterprise=view.enterprise)
    if not view.access.sees_claims_in_review:
        claims = claims.filter(status=ClaimStatus.VERIFIED)
    return claims.prefetch_related("evidence")


@extend_schema_view(
    list=extend_schema(summary="Qualification claims"),
    retrieve=extend_schema(
        summary="One claim with its evidence", responses={200: ClaimSerializer, **READ_ERRORS}
    ),
)
class ClaimViewSet(
    EnterpriseNestedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet
):
    """Members draft, change and submit claims; zone officials read them all; banks with
    consent read the verified ones."""

    queryset = QualificationClaim.objects.none()
    filterset_class = ClaimFilter
    access_section = "claims"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return claims_for(self)

    def get_serializer_class(self):
        return {
            "create": ClaimCreateSerializer,
            "partial_update": ClaimUpdateSerializer,
            "submit": ClaimSubmitSerializer,
        }.get(self.action, ClaimSerializer)

    @extend_schema(
        summary="Draft a claim",
        request=ClaimCreateSerializer,
        responses={201: ClaimSerializer, **WRITE_ERRORS},
    )
    def create(self, request, enterprise_pk=None):
        data = valid_data(self.get_serializer(data=request.data))
        claim = services.claim_create(enterprise=self.enterprise, actor=request.user, **data)
        return Response(ClaimSerializer(claim).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a draft or a claim asked for more information",
        request=ClaimUpdateSerializer,
        responses={200: ClaimSerializer, **WRITE_ERRORS},
    )
    def partial_update(self, request, enterprise_pk=None, pk=None):
        claim = self.get_object()
        data = dict(valid_data(self.get_serializer(data=request.data)))
        claim = services.claim_update(
            claim=claim, actor=request.user, expected_version=data.pop("version"), **data
        )
        return Response(ClaimSerializer(claim).data)

    @extend_schema(
        summary="Submit for verification (resubmit after a request for information)",
        request=ClaimSubmitSerializer,
        responses={200: ClaimSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, enterprise_pk=None, pk=None):
        claim = self.get_object()
        data = valid_data(self.get_serializer(data=request.data))
        claim = services.claim_submit(claim=claim, actor=request.user, **data)
        return Response(ClaimSerializer(claim).data)


@extend_schema_view(
    list=extend_schema(summary="Evidence files of a claim"),
    retrieve=extend_schema(
        summary="One evidence file's details", responses={200: EvidenceSerializer, **READ_ERRORS}
    ),
)
class EvidenceViewSet(
    EnterpriseNestedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet
):
    """Evidence is stored under random names outside static and served only here, after
    the same scoped lookup as the claim."""

    queryset = Evidence.objects.none()
    serializer_class = EvidenceSerializer
    parser_classes = [MultiPartParser]
    access_section = "evidence"
    http_method_names = ["get", "post", "delete", "head", "options"]

    @property
    def claim(self) -> QualificationClaim:
        if not hasattr(self, "_claim"):
            self._claim = scoped_get(claims_for(self), pk=self.kwargs["claim_pk"])
        return self._claim

    def get_queryset(self):
        return selectors.evidence_visible_to(user=self.request.user).filter(claim=self.claim)

    def get_serializer_class(self):
        if self.action == "create":
            return EvidenceUploadSerializer
        return EvidenceSerializer

    @extend_schema(
        summary="Attach a PDF, JPEG or PNG (at most 10 MB, judged by content)",
        request={"multipart/form-data": EvidenceUploadSerializer},
        responses={201: EvidenceSerializer, **WRITE_ERRORS},
    )
    def create(self, request, enterprise_pk=None, claim_pk=None):
        data = valid_data(self.get_serializer(data=request.data))
        evidence = services.evidence_add(claim=self.claim, actor=request.user, upload=data["file"])
        return Response(EvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Remove an evidence file", responses={204: None, **WRITE_ERRORS})
    def destroy(self, request, enterprise_pk=None, claim_pk=None, pk=None):
        services.evidence_remove(evidence=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Download the file",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY,
                description="The file, with its own content type (PDF, JPEG or PNG).",
            ),
            **READ_ERRORS,
        },
    )
    @action(detail=True, methods=["get"])
    def download(self, request, enterprise_pk=None, claim_pk=None, pk=None):
        evidence = self.get_object()
        return FileResponse(
            evidence.file.open("rb"),
            as_attachment=True,
            filename=evidence.original_name,
            content_type=evidence.content_type,
        )
