"""Leads and offers for a bank's own systems (token authentication) and enterprises.

The list is a feed ordered by (updated_at, id): a bank's core system passes the
``next_cursor`` of its last poll as ``?changed_since=`` and receives every lead
changed since, without gaps, even when several leads share a timestamp. Every
pipeline service saves ``updated_at``; rows changed in the last
``LEADS_FEED_SETTLE_SECONDS`` (default 2) wait for the next poll, so a change whose
transaction commits a moment after its timestamp is not skipped.

Writes go through ``services.leads``; errors are ``{code, detail}`` with 400, 403,
404 or 409.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from ecosystem.core.errors import ApplicationError
from ecosystem.enterprises.services import access_log_record_many
from ecosystem.financing import services
from ecosystem.financing.api.common import READ_ERRORS, WRITE_ERRORS, scoped_get, valid_data
from ecosystem.financing.api.lead_feed_rows import feed_page, feed_values
from ecosystem.financing.api.lead_serializers import (
    DisbursementRecordSerializer,
    DisbursementSerializer,
    LeadApiSerializer,
    LeadAssignSerializer,
    LeadFeedSerializer,
    LeadOfferSerializer,
    LeadTransitionSerializer,
    OfferMakeSerializer,
)
from ecosystem.financing.models import Lead, Offer
from ecosystem.financing.selectors import leads_visible_to, offers_visible_to

PAGE_SIZE = 50
MAX_PAGE_SIZE = 100
ACCESS_SECTION = "api:leads"

FEED_PARAMETERS = [
    OpenApiParameter(
        "changed_since",
        OpenApiTypes.STR,
        description="Opaque cursor: the next_cursor of the previous poll (omit to start).",
    ),
    OpenApiParameter(
        "page_size", OpenApiTypes.INT, description=f"At most {MAX_PAGE_SIZE} (default {PAGE_SIZE})."
    ),
    OpenApiParameter("status", OpenApiTypes.STR, description="Only leads in this status."),
]


def _bad_cursor() -> ApplicationError:
    return ApplicationError(_("The changed_since cursor is not valid."), code="bad_cursor")


def encode_cursor(updated_at: datetime, pk: int) -> str:
    raw = json.dumps([updated_at.isoformat(), pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        stamp, pk = json.loads(raw)
        when = datetime.fromisoformat(stamp)
        if timezone.is_naive(when) or not isinstance(pk, int) or isinstance(pk, bool):
            raise ValueError
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise _bad_cursor() from None
    return when, pk


def _page_size(value: str | None) -> int:
    if not value:
        return PAGE_SIZE
    if not value.isdigit() or int(value) < 1:
        raise ApplicationError(_("page_size must be a positive number."), code="bad_page_size")
    return min(int(value), MAX_PAGE_SIZE)


def _log_bank_views(leads, *, user) -> None:
    """A bank seeing a consenting enterprise's details is written to its access log."""
    access_log_record_many(
        viewer=user,
        seen=[
            (lead.enterprise_id, lead.bank_id)
            for lead in leads
            if getattr(lead, "consented", False) and not getattr(lead, "own", False)
        ],
        section=ACCESS_SECTION,
    )


class _FeedSchema(AutoSchema):
    """The list answers one feed object (results, cursor), not an array of leads."""

    def _is_list_view(self, serializer=None) -> bool:
        if getattr(self.view, "action", None) == "list":
            return False
        return super()._is_list_view(serializer)

    def get_operation_id(self) -> str:
        operation_id = super().get_operation_id()
        if getattr(self.view, "action", None) == "list":
            return operation_id.removesuffix("_retrieve") + "_list"
        return operation_id


@extend_schema_view(
    list=extend_schema(
        summary="Leads you may see, as a feed of changes",
        parameters=FEED_PARAMETERS,
        responses={200: LeadFeedSerializer, 400: WRITE_ERRORS[400]},
    ),
    retrieve=extend_schema(summary="One lead", responses={200: LeadApiSerializer, **READ_ERRORS}),
)
class FinancingLeadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """Bank managers see their bank's leads, relationship managers their branch's, enterprise
    members their enterprise's. Enterprise name, credit code and contacts are shown to a
    bank only under the enterprise's active consent for it."""

    queryset = Lead.objects.none()
    serializer_class = LeadApiSerializer
    pagination_class = None
    schema = _FeedSchema()
    lookup_value_converter = "int"

    def get_queryset(self):
        return leads_visible_to(user=self.request.user)

    def get_object(self):
        return scoped_get(self.get_queryset(), pk=self.kwargs["pk"])

    def _lead_response(self, lead: Lead, *, code=status.HTTP_200_OK) -> Response:
        fresh = scoped_get(self.get_queryset(), pk=lead.pk)
        return Response(LeadApiSerializer(fresh).data, status=code)

    def list(self, request):
        params = request.query_params
        size = _page_size(params.get("page_size"))
        leads = self.get_queryset()
        if params.get("status"):
            leads = leads.filter(status=params["status"])
        settle = getattr(settings, "LEADS_FEED_SETTLE_SECONDS", 2)
        if settle:
            leads = leads.filter(updated_at__lte=timezone.now() - timedelta(seconds=settle))
        cursor = params.get("changed_since") or ""
        if cursor:
            when, pk = decode_cursor(cursor)
            leads = leads.filter(Q(updated_at__gt=when) | Q(updated_at=when, pk__gt=pk))
        rows = list(feed_values(leads).order_by("updated_at", "pk")[: size + 1])
        has_more = len(rows) > size
        rows = rows[:size]
        if rows:
            cursor = encode_cursor(rows[-1]["updated_at"], rows[-1]["id"])
        access_log_record_many(
            viewer=request.user,
            seen=[
                (row["enterprise_id"], row["bank_id"])
                for row in rows
                if row["consented"] and not row["own"]
            ],
            section=ACCESS_SECTION,
        )
        data = {"results": feed_page(rows), "next_cursor": cursor, "has_more": has_more}
        return Response(data)

    def retrieve(self, request, pk=None):
        lead = self.get_object()
        _log_bank_views([lead], user=request.user)
        return Response(LeadApiSerializer(lead).data)

    @extend_schema(
        summary="Claim an unassigned lead (relationship managers of its branch)",
        request=None,
        responses={200: LeadApiSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def claim(self, request, pk=None):
        lead = services.lead_claim(lead=self.get_object(), actor=request.user)
        return self._lead_response(lead)

    @extend_schema(
        summary="Assign the lead to a relationship manager of its branch (managers)",
        request=LeadAssignSerializer,
        responses={200: LeadApiSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        lead = self.get_object()
        data = valid_data(LeadAssignSerializer(data=request.data))
        assignee = get_user_model().objects.filter(pk=data["assignee"], is_active=True).first()
        if assignee is None:
            raise ApplicationError(
                _("Choose a relationship manager of the branch serving this lead."),
                code="bad_assignee",
            )
        lead = services.lead_assign(lead=lead, actor=request.user, assignee=assignee)
        return self._lead_response(lead)

    @extend_schema(
        summary="Move the lead: contact, decline (reason code required), withdraw",
        request=LeadTransitionSerializer,
        responses={200: LeadApiSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        lead = self.get_object()
        data = valid_data(LeadTransitionSerializer(data=request.data))
        lead = services.lead_transition(
            lead=lead,
            to=data["to"],
            actor=request.user,
            reason_code=data["reason_code"],
            note=data["note"],
        )
        return self._lead_response(lead)

    @extend_schema(
        summary="Make an offer (bank staff working the lead)",
        request=OfferMakeSerializer,
        responses={201: LeadOfferSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def offers(self, request, pk=None):
        lead = self.get_object()
        data = valid_data(OfferMakeSerializer(data=request.data))
        offer = services.offer_make(lead=lead, actor=request.user, **data)
        return Response(LeadOfferSerializer(offer).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Record the disbursement of the accepted offer",
        request=DisbursementRecordSerializer,
        responses={201: DisbursementSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def disbursement(self, request, pk=None):
        lead = self.get_object()
        data = valid_data(DisbursementRecordSerializer(data=request.data))
        disbursement = services.disbursement_record(lead=lead, actor=request.user, **data)
        return Response(DisbursementSerializer(disbursement).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Offers on the leads you may see"),
    retrieve=extend_schema(
        summary="One offer", responses={200: LeadOfferSerializer, **READ_ERRORS}
    ),
)
class FinancingOfferViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """Offers; the enterprise's members accept or decline them."""

    queryset = Offer.objects.none()
    serializer_class = LeadOfferSerializer
    lookup_value_converter = "int"

    def get_queryset(self):
        return offers_visible_to(user=self.request.user).order_by("-created_at", "-id")

    def get_object(self):
        return scoped_get(self.get_queryset(), pk=self.kwargs["pk"])

    @extend_schema(
        summary="Accept the offer (enterprise members; an expired offer is refused)",
        request=None,
        responses={200: LeadOfferSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        offer = services.offer_accept(offer=self.get_object(), actor=request.user)
        return Response(LeadOfferSerializer(offer).data)

    @extend_schema(
        summary="Decline the offer (enterprise members)",
        request=None,
        responses={200: LeadOfferSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        offer = services.offer_decline(offer=self.get_object(), actor=request.user)
        return Response(LeadOfferSerializer(offer).data)
