"""Members of an enterprise, join requests (the user's own, and an enterprise's pending
ones for its owners) and ownership transfer."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from ecosystem.accounts.models import Membership
from ecosystem.core.api.errors import WRITE_ERRORS, valid_data
from ecosystem.core.errors import ApplicationError
from ecosystem.enterprises import selectors, services
from ecosystem.enterprises.api.access import EnterpriseNestedMixin, scoped_get
from ecosystem.enterprises.api.serializers.members import (
    JoinRequestSerializer,
    MemberSerializer,
    OwnershipTransferSerializer,
)
from ecosystem.enterprises.models import JoinRequest


@extend_schema_view(list=extend_schema(summary="Members of the enterprise"))
class MemberViewSet(EnterpriseNestedMixin, mixins.ListModelMixin, GenericViewSet):
    """Members see each other; owners remove members and hand over ownership."""

    queryset = Membership.objects.none()
    serializer_class = MemberSerializer
    members_only = True
    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.members_of(enterprise=self.enterprise)

    def get_serializer_class(self):
        if self.action == "transfer_ownership":
            return OwnershipTransferSerializer
        return MemberSerializer

    @extend_schema(summary="Remove a member (owners)", responses={204: None, **WRITE_ERRORS})
    def destroy(self, request, enterprise_pk=None, pk=None):
        services.member_remove(
            enterprise=self.enterprise, actor=request.user, membership=self.get_object()
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Make this member an owner (owners); you step down unless keep_owner",
        request=OwnershipTransferSerializer,
        responses={200: MemberSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="transfer-ownership")
    def transfer_ownership(self, request, enterprise_pk=None, pk=None):
        data = valid_data(self.get_serializer(data=request.data))
        target = services.ownership_transfer(
            enterprise=self.enterprise,
            actor=request.user,
            to=self.get_object(),
            keep_owner=data["keep_owner"],
        )
        return Response(MemberSerializer(target).data)


@extend_schema_view(list=extend_schema(summary="Pending requests to join (owners)"))
class EnterpriseJoinRequestViewSet(EnterpriseNestedMixin, mixins.ListModelMixin, GenericViewSet):
    """Requests to join this enterprise that wait for an owner's decision (owners only)."""

    queryset = JoinRequest.objects.none()
    serializer_class = JoinRequestSerializer
    members_only = True

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not self.access.is_owner:
            raise ApplicationError(
                _("Only owners of the enterprise can do this."), code="not_owner", status=403
            )

    def get_queryset(self):
        return selectors.pending_join_requests(enterprise=self.enterprise).select_related(
            "enterprise"
        )

    def _decide(self, request, *, approve: bool):
        decided = services.join_request_decide(
            join_request=self.get_object(), actor=request.user, approve=approve
        )
        return Response(JoinRequestSerializer(decided).data)

    @extend_schema(
        summary="Approve: the requester becomes a member",
        request=None,
        responses={200: JoinRequestSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, enterprise_pk=None, pk=None):
        return self._decide(request, approve=True)

    @extend_schema(
        summary="Decline the request",
        request=None,
        responses={200: JoinRequestSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, enterprise_pk=None, pk=None):
        return self._decide(request, approve=False)


@extend_schema_view(list=extend_schema(summary="Your own requests to join enterprises"))
class MyJoinRequestViewSet(mixins.ListModelMixin, GenericViewSet):
    """The signed-in user's requests to join enterprises; a pending one gives no access."""

    queryset = JoinRequest.objects.none()
    serializer_class = JoinRequestSerializer
    lookup_value_converter = "int"

    def get_queryset(self):
        return JoinRequest.objects.filter(user=self.request.user).select_related(
            "enterprise", "user"
        )

    @extend_schema(
        summary="Withdraw a pending request",
        request=None,
        responses={200: JoinRequestSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        join_request = scoped_get(self.get_queryset(), pk=pk)
        cancelled = services.join_request_cancel(join_request=join_request, actor=request.user)
        return Response(JoinRequestSerializer(cancelled).data)
