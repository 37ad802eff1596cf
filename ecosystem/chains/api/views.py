"""Chains, nodes, coverage figures, leaders, supplier links and an enterprise's nodes.

Chains and nodes are reference data every signed-in user reads. Coverage and node
enterprise lists follow the chain pages' scope (zone officials, bank staff, platform
admins; others get a 404). Links are read by their two enterprises and the officials of
their zones and changed only through the link services.
"""

from __future__ import annotations

from functools import partial

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.viewsets import GenericViewSet

from ecosystem.chains import permissions, selectors, services
from ecosystem.chains.api import serializers as s
from ecosystem.chains.models import Chain, ChainLeader, ChainNode, SupplierLink
from ecosystem.core.api.access import id_filter, not_found, scoped_get
from ecosystem.core.api.errors import READ_ERRORS, WRITE_ERRORS, valid_data
from ecosystem.core.api.pagination import CappedCountPagination, ToldCountPaginator
from ecosystem.core.errors import ApplicationError
from ecosystem.enterprises.selectors import (
    enterprise_registered_as,
    enterprises_visible_to,
)

ZONE = OpenApiParameter("zone", OpenApiTypes.INT, description="Only this zone (by id).")
PAGE = OpenApiParameter("page", OpenApiTypes.INT, description="Page number (50 a page).")
#: Enterprises of a node per API page.
NODE_PAGE_SIZE = 50


def _read_schema(*, many: str, one: str, serializer, list_parameters=None):
    """The schema of a list and retrieve pair: the summaries, and for one object its
    serializer and the read errors."""
    return extend_schema_view(
        list=extend_schema(summary=many, parameters=list_parameters),
        retrieve=extend_schema(summary=one, responses={200: serializer, **READ_ERRORS}),
    )


# List and retrieve through ``get_queryset``, already scoped to the user: an object outside
# it is the same 404 as one that does not exist. A comment, not a docstring, because
# drf-spectacular would publish an inherited docstring as every operation's description.
class _ScopedReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    lookup_value_converter = "int"

    def get_object(self):
        value = self.kwargs[self.lookup_field]
        return scoped_get(self.get_queryset(), **{self.lookup_field: value})


def coverage_scope(request):
    """The zones (one with ``?zone=``) and banks whose figures the caller sees; 404 for
    anyone who sees none."""
    zones = selectors.coverage_zones(user=request.user)
    if not zones.exists():
        raise not_found()
    wanted = request.query_params.get("zone", "")
    zone = None
    if wanted:
        zone = scoped_get(zones, pk=id_filter(wanted, "zone"))
        zones = zones.filter(pk=zone.pk)
    return zone, zones, selectors.coverage_banks(user=request.user)


@_read_schema(
    many="Industrial chains", one="One chain with its nodes", serializer=s.ChainDetailSerializer
)
class ChainViewSet(_ScopedReadViewSet):
    queryset = Chain.objects.all()
    serializer_class = s.ChainSerializer
    lookup_field = "code"
    lookup_value_converter = "slug"

    def get_serializer_class(self):
        return s.ChainDetailSerializer if self.action == "retrieve" else s.ChainSerializer


@_read_schema(
    many="Chain nodes",
    one="One node",
    serializer=s.ChainNodeSerializer,
    list_parameters=[OpenApiParameter("chain", OpenApiTypes.STR, description="A chain code.")],
)
class ChainNodeViewSet(_ScopedReadViewSet):
    queryset = ChainNode.objects.none()
    serializer_class = s.ChainNodeSerializer

    def get_queryset(self):
        nodes = ChainNode.objects.select_related("chain").order_by("path")
        chain = self.request.query_params.get("chain")
        return nodes.filter(chain__code=chain) if chain else nodes

    @extend_schema(
        summary="Enterprises on or under the node that you may see",
        parameters=[ZONE, PAGE],
        responses={200: s.NodeEnterprisesSerializer, **READ_ERRORS},
    )
    @action(detail=True, methods=["get"])
    def enterprises(self, request, pk=None):
        node = self.get_object()
        _zone, zones, _banks = coverage_scope(request)
        zone_ids = list(zones.values_list("pk", flat=True))
        reach = selectors.node_reach(node=node, zone_ids=zone_ids)
        on_node = selectors.enterprises_on_node(reach=reach)
        if selectors.sees_every_enterprise_of(user=request.user, zone_ids=zone_ids):
            visible, counts = on_node, selectors.enterprises_on_node_counts(reach=reach)
        else:
            # the visibility rule in the same WHERE as the node's firms
            seen = enterprises_visible_to(user=request.user)
            visible = on_node & seen
            if selectors.sees_by_bank_consent(user=request.user):
                counts = selectors.enterprises_on_node_counts(reach=reach, visible=seen, probe=True)
            else:
                # A narrow rule (a relationship manager's branch): the visible firms'
                # ids in name order read once, for the count and the page (counted and
                # then listed, the rule was evaluated twice: 80 + 90 ms nationally).
                ids = list(
                    visible.order_by("name", "pk").values_list("pk", flat=True)[
                        : ToldCountPaginator.cap + 1
                    ]
                )
                on_node_count = selectors.enterprises_on_node_counts(reach=reach).on_node
                counts = selectors.NodeCounts(on_node=on_node_count, visible=len(ids))
                if len(ids) <= ToldCountPaginator.cap:
                    visible = ids
        # A page at a time (a node holds tens of thousands of firms nationally: 2 s for
        # the whole list), its count and the hidden ones' from the counting queries, so
        # a capped count costs as many queries as an exact one.
        pagination = CappedCountPagination()
        pagination.page_size = NODE_PAGE_SIZE
        pagination.django_paginator_class = partial(ToldCountPaginator, count=counts.visible)
        if isinstance(visible, list):
            page = pagination.paginate_queryset(visible, request, view=self)
            rows = on_node.model.objects.select_related("zone").in_bulk(page)
            page = [rows[pk] for pk in page]
        else:
            page = pagination.paginate_queryset(visible.order_by("name", "pk"), request, view=self)
        counted = pagination.page.paginator
        payload = {
            "node": node.pk,
            "count": counted.count,
            "count_capped": counted.capped,
            "next": pagination.get_next_link(),
            "previous": pagination.get_previous_link(),
            "enterprises": page,
            # known when the visible count was not capped
            "hidden": None if counted.capped else counts.on_node - counts.visible,
        }
        return Response(s.NodeEnterprisesSerializer(payload).data)


@_read_schema(
    many="Active chain leaders", one="One chain leader", serializer=s.ChainLeaderSerializer
)
class ChainLeaderViewSet(_ScopedReadViewSet):
    queryset = ChainLeader.objects.none()
    serializer_class = s.ChainLeaderSerializer

    def get_queryset(self):
        return selectors.leaders_active().order_by("chain__position", "pk")

    @extend_schema(
        summary="Designate a chain leader (officials of the enterprise's zone)",
        request=s.DesignateSerializer,
        responses={201: s.ChainLeaderSerializer, **WRITE_ERRORS},
    )
    def create(self, request):
        data = valid_data(s.DesignateSerializer(data=request.data))
        enterprise = enterprise_registered_as(uscc=data["uscc"])
        if enterprise is None or not permissions.can_designate(request.user, enterprise):
            raise not_found()
        leader = services.leader_designate(
            chain=data["chain"], enterprise=enterprise, actor=request.user
        )
        return Response(s.ChainLeaderSerializer(leader).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="End a designation; its open links close with it",
        request=None,
        responses={200: s.ChainLeaderSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        leader = scoped_get(selectors.leaders_managed_by(user=request.user), pk=pk)
        leader = services.leader_end(leader=leader, actor=request.user)
        return Response(s.ChainLeaderSerializer(leader).data)


@_read_schema(
    many="Supplier links you may see", one="One supplier link", serializer=s.SupplierLinkSerializer
)
class SupplierLinkViewSet(_ScopedReadViewSet):
    queryset = SupplierLink.objects.none()
    serializer_class = s.SupplierLinkSerializer

    def get_queryset(self):
        return selectors.links_visible_to(user=self.request.user).order_by("-updated_at", "-id")

    @extend_schema(
        summary="Ask a leader to confirm your enterprise, or invite a supplier as a leader",
        request=s.LinkCreateSerializer,
        responses={201: s.SupplierLinkSerializer, **WRITE_ERRORS},
    )
    def create(self, request):
        data = valid_data(s.LinkCreateSerializer(data=request.data))
        leader, note = data["leader"], data["note"]
        supplier = enterprise_registered_as(uscc=data["supplier_uscc"])
        if supplier is not None and permissions.is_member(request.user, supplier):
            link = services.link_request(
                leader=leader, supplier=supplier, actor=request.user, note=note
            )
        elif permissions.is_member(request.user, leader.enterprise):
            if supplier is None:
                raise ApplicationError(
                    _("No enterprise with this credit code is registered."), code="invalid"
                )
            link = services.link_invite(
                leader=leader, supplier=supplier, actor=request.user, note=note
            )
        else:
            raise not_found()
        return Response(s.SupplierLinkSerializer(link).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Confirm, decline, withdraw or end a link",
        request=s.LinkTransitionSerializer,
        responses={200: s.SupplierLinkSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        link = self.get_object()
        data = valid_data(s.LinkTransitionSerializer(data=request.data))
        link = services.link_transition(link=link, to=data["to"], actor=request.user)
        return Response(s.SupplierLinkSerializer(link).data)


class EnterpriseNodesView(APIView):
    """The nodes an enterprise sits on: its members and officials of its zone read and
    set them; a bank holding consent reads them."""

    @extend_schema(
        summary="An enterprise's chain nodes",
        responses={200: s.ChainNodeSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request, enterprise_pk: int):
        enterprise = scoped_get(enterprises_visible_to(user=request.user), pk=enterprise_pk)
        nodes = [p.node for p in selectors.placements_of(enterprise=enterprise)]
        return Response(s.ChainNodeSerializer(nodes, many=True).data)

    @extend_schema(
        summary="Set an enterprise's chain nodes (members; officials of its zone correct)",
        request=s.PlacementSerializer,
        responses={200: s.ChainNodeSerializer(many=True), **WRITE_ERRORS},
    )
    def put(self, request, enterprise_pk: int):
        enterprise = scoped_get(enterprises_visible_to(user=request.user), pk=enterprise_pk)
        if not permissions.can_place(request.user, enterprise):
            raise ApplicationError(
                _("You may view this enterprise but not change it."), code="read_only", status=403
            )
        paths = valid_data(s.PlacementSerializer(data=request.data))["nodes"]
        nodes = list(ChainNode.objects.filter(path__in=paths))
        if len(nodes) != len(set(paths)):
            raise ApplicationError(_("Unknown chain node."), code="invalid")
        placed = services.placements_set(enterprise=enterprise, nodes=nodes, actor=request.user)
        return Response(s.ChainNodeSerializer([p.node for p in placed], many=True).data)
