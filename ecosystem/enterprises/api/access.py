"""How the signed-in user reaches one enterprise, worked out once per request.

Objects are fetched only through the scoped selectors, so what a user may not see is
the same 404 as what does not exist. Inside that scope, members write; zone officials
of the enterprise's zone, banks holding an active consent and platform admins only
read (a write is a 403, since they already know the enterprise exists). Every read by
a bank is written to the enterprise's access log.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS

from ecosystem.core.api.access import READ_METHODS, scoped_get
from ecosystem.core.errors import ApplicationError
from ecosystem.enterprises import permissions, services
from ecosystem.enterprises.models import Enterprise
from ecosystem.enterprises.selectors import enterprises_visible_to


@dataclass(frozen=True)
class EnterpriseAccess:
    enterprise: Enterprise
    is_member: bool
    is_owner: bool
    is_zone_official: bool
    #: The bank through which the user sees the enterprise (an active consent), if any.
    bank: object | None

    @property
    def sees_claims_in_review(self) -> bool:
        """Banks see verified qualifications only, as the consent text says."""
        return self.bank is None or self.is_member or self.is_zone_official


def enterprise_access(*, user, enterprise: Enterprise) -> EnterpriseAccess:
    return EnterpriseAccess(
        enterprise=enterprise,
        is_member=permissions.is_member(user, enterprise),
        is_owner=permissions.is_owner(user, enterprise),
        is_zone_official=permissions.is_zone_official_for(user, enterprise),
        bank=permissions.bank_viewing(user, enterprise),
    )


def visible_enterprises(*, user):
    """In name order, ``pk`` breaking ties (the index ``enterprise_name_order``): a page is
    read from the index, not sorted out of every enterprise the user sees."""
    return (
        enterprises_visible_to(user=user)
        .select_related("zone", "industry__section")
        .order_by("name", "pk")
    )


def access_for(*, user, enterprise_pk) -> EnterpriseAccess:
    enterprise = scoped_get(visible_enterprises(user=user), pk=enterprise_pk)
    return enterprise_access(user=user, enterprise=enterprise)


def require_member(access: EnterpriseAccess) -> None:
    if not access.is_member:
        raise ApplicationError(
            _("You may view this enterprise but not change it."), code="read_only", status=403
        )


def require_member_to_view(access: EnterpriseAccess) -> None:
    if not access.is_member:
        raise ApplicationError(
            _("Only members of the enterprise can see this."), code="members_only", status=403
        )


def record_bank_view(access: EnterpriseAccess, *, user, section: str) -> None:
    if access.bank is not None:
        services.access_log_record(
            enterprise=access.enterprise, viewer=user, bank=access.bank, section=f"api:{section}"
        )


class EnterpriseNestedMixin:
    """For viewsets under ``/enterprises/<enterprise_pk>/``.

    The enterprise comes from the scoped selector (404 outside scope); writes need a
    member, ``members_only`` views refuse other readers (403); a successful read by a
    bank writes an access log entry for ``access_section``.
    """

    access_section = ""
    members_only = False
    lookup_value_converter = "int"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.access = access_for(user=request.user, enterprise_pk=kwargs["enterprise_pk"])
        if self.members_only:
            require_member_to_view(self.access)
        if request.method not in SAFE_METHODS:
            require_member(self.access)

    def finalize_response(self, request, response, *args, **kwargs):
        access = getattr(self, "access", None)
        if access is not None and request.method in READ_METHODS and response.status_code == 200:
            record_bank_view(access, user=request.user, section=self.access_section)
        return super().finalize_response(request, response, *args, **kwargs)

    @property
    def enterprise(self) -> Enterprise:
        return self.access.enterprise

    def get_object(self):
        value = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        return scoped_get(self.get_queryset(), **{self.lookup_field: value})
