"""Pre-approval campaigns (bank managers) and their invitations (enterprise members)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from ecosystem.core.errors import ConflictError
from ecosystem.financing import selectors, services
from ecosystem.financing.api.common import READ_ERRORS, WRITE_ERRORS, scoped_get, valid_data
from ecosystem.financing.api.serializers import (
    FinancingCampaignCreateSerializer,
    FinancingCampaignPreviewSerializer,
    FinancingCampaignSerializer,
    FinancingInvitationSerializer,
    FinancingLeadSerializer,
)
from ecosystem.financing.models import Campaign, CampaignInvitation

PREVIEW_ROWS = 500
MASKED_FIELDS = ("stage", "stage_label", "zone", "industry_section", "indicative_limit")


@extend_schema_view(
    list=extend_schema(summary="Campaigns of the banks you manage"),
    retrieve=extend_schema(
        summary="One campaign", responses={200: FinancingCampaignSerializer, **READ_ERRORS}
    ),
)
class FinancingCampaignViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """Create a draft for a product's current version, preview the enterprises it would
    invite (masked) with the total indicative exposure, then send."""

    queryset = Campaign.objects.none()
    serializer_class = FinancingCampaignSerializer
    lookup_value_converter = "int"

    def get_queryset(self):
        return selectors.campaigns_visible_to(user=self.request.user)

    def get_object(self):
        return scoped_get(self.get_queryset(), pk=self.kwargs["pk"])

    @extend_schema(
        summary="Start a campaign for a product (draft)",
        request=FinancingCampaignCreateSerializer,
        responses={201: FinancingCampaignSerializer, **WRITE_ERRORS},
    )
    def create(self, request):
        products = selectors.products_managed_by(user=request.user)
        data = valid_data(FinancingCampaignCreateSerializer(data=request.data, products=products))
        campaign = services.campaign_create(product=data["product"], actor=request.user)
        return Response(FinancingCampaignSerializer(campaign).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Masked preview of a draft: who would be invited, and the total exposure",
        responses={200: FinancingCampaignPreviewSerializer, **READ_ERRORS},
    )
    @action(detail=True, methods=["get"])
    def preview(self, request, pk=None):
        campaign = self.get_object()
        if campaign.status != Campaign.Status.DRAFT:
            raise ConflictError(_("This campaign was already sent."), code="already_sent")
        preview = services.campaign_preview(
            product_version=campaign.product_version, actor=request.user, limit=PREVIEW_ROWS
        )
        data = {
            "count": preview.count,
            "total_exposure": preview.total_exposure,
            "rows": [{k: getattr(row, k) for k in MASKED_FIELDS} for row in preview.rows],
        }
        return Response(FinancingCampaignPreviewSerializer(data).data)

    @extend_schema(
        summary="Send the invitations",
        request=None,
        responses={200: FinancingCampaignSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        campaign = services.campaign_send(campaign=self.get_object(), actor=request.user)
        return Response(FinancingCampaignSerializer(campaign).data)


@extend_schema_view(
    list=extend_schema(summary="Invitations to your enterprises"),
    retrieve=extend_schema(
        summary="One invitation", responses={200: FinancingInvitationSerializer, **READ_ERRORS}
    ),
)
class FinancingInvitationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """A bank's pre-approval with the indicative limit. Accepting gives the bank consent
    for financing and creates a lead; declining shares nothing."""

    queryset = CampaignInvitation.objects.none()
    serializer_class = FinancingInvitationSerializer
    lookup_value_converter = "int"

    def get_queryset(self):
        return selectors.invitations_visible_to(user=self.request.user)

    def get_object(self):
        return scoped_get(self.get_queryset(), pk=self.kwargs["pk"])

    @extend_schema(
        summary="Accept: consent to the bank and a lead",
        request=None,
        responses={201: FinancingLeadSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        lead = services.invitation_accept(invitation=self.get_object(), actor=request.user)
        return Response(FinancingLeadSerializer(lead).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Decline",
        request=None,
        responses={200: FinancingInvitationSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        invitation = services.invitation_decline(invitation=self.get_object(), actor=request.user)
        return Response(FinancingInvitationSerializer(invitation).data)
