"""Consent for banks (grant, revoke) and the access log, for members only."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from ecosystem.core.api.errors import READ_ERRORS, WRITE_ERRORS, valid_data
from ecosystem.enterprises import selectors, services
from ecosystem.enterprises.api.access import EnterpriseNestedMixin
from ecosystem.enterprises.api.serializers.consent import (
    AccessLogEntrySerializer,
    ConsentSerializer,
)
from ecosystem.enterprises.models import AccessLogEntry, Consent


@extend_schema_view(
    list=extend_schema(summary="Consents given to banks, current and past"),
    retrieve=extend_schema(
        summary="One consent", responses={200: ConsentSerializer, **READ_ERRORS}
    ),
)
class ConsentViewSet(
    EnterpriseNestedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet
):
    """Granting is per bank and purpose under the current consent text; revoking hides
    the enterprise from that bank at once."""

    queryset = Consent.objects.none()
    serializer_class = ConsentSerializer
    members_only = True
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return selectors.consents_of(enterprise=self.enterprise).select_related("revoked_by")

    @extend_schema(
        summary="Grant a bank consent (idempotent: an active consent is returned as is)",
        responses={200: ConsentSerializer, 201: ConsentSerializer, **WRITE_ERRORS},
    )
    def create(self, request, enterprise_pk=None):
        data = valid_data(self.get_serializer(data=request.data))
        before = set(self.get_queryset().values_list("pk", flat=True))
        consent = services.consent_grant(
            enterprise=self.enterprise,
            actor=request.user,
            bank=data["bank"],
            purpose=data["purpose"],
        )
        created = consent.pk not in before
        return Response(
            ConsentSerializer(consent).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(
        summary="Revoke a consent", request=None, responses={200: ConsentSerializer, **WRITE_ERRORS}
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request, enterprise_pk=None, pk=None):
        consent = services.consent_revoke(consent=self.get_object(), actor=request.user)
        return Response(ConsentSerializer(consent).data)


@extend_schema_view(
    list=extend_schema(summary="Which bank user viewed the enterprise's data, and when"),
)
class AccessLogViewSet(EnterpriseNestedMixin, mixins.ListModelMixin, GenericViewSet):
    """Every view of the enterprise's data by a bank user, newest first (members only)."""

    queryset = AccessLogEntry.objects.none()
    serializer_class = AccessLogEntrySerializer
    members_only = True

    def get_queryset(self):
        return selectors.access_log_of(enterprise=self.enterprise)
