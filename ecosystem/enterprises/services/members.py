"""Membership of an enterprise: join requests, removal, leaving, ownership transfer.

An enterprise always keeps at least one owner.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from ecosystem.accounts.models import Membership
from ecosystem.accounts.roles import Role
from ecosystem.accounts.scope import lock_enterprise_memberships, membership_in_enterprise
from ecosystem.core.errors import ApplicationError, ConflictError
from ecosystem.core.notices import msg
from ecosystem.core.services import audit_record, notify
from ecosystem.enterprises.models import Enterprise, JoinRequest
from ecosystem.enterprises.services.common import require_owner


def _owner_count(memberships) -> int:
    return sum(1 for m in memberships if m.role == Role.ENTERPRISE_OWNER)


def join_request_decide(*, join_request: JoinRequest, actor, approve: bool) -> JoinRequest:
    require_owner(actor, join_request.enterprise)
    with transaction.atomic():
        request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
        if request.status != JoinRequest.Status.PENDING:
            raise ConflictError(_("This request was already decided."), code="already_decided")
        request.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.DECLINED
        request.decided_by = actor
        request.decided_at = timezone.now()
        request.save(update_fields=["status", "decided_by", "decided_at"])
        if approve:
            Membership.objects.update_or_create(
                user=request.user,
                enterprise=request.enterprise,
                defaults={"role": Role.ENTERPRISE_MEMBER, "is_active": True},
            )
        audit_record(actor=actor, verb=f"join_request.{request.status}", target=request)
        notify(
            request.user,
            "join_request_decided",
            title=msg(
                gettext_noop("You joined %(name)s")
                if approve
                else gettext_noop("Your request to join %(name)s was declined"),
                name=request.enterprise.name,
            ),
            url=request.enterprise.get_absolute_url() if approve else reverse("my_enterprises"),
        )
    return request


def join_request_cancel(*, join_request: JoinRequest, actor) -> JoinRequest:
    with transaction.atomic():
        request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
        if request.user_id != actor.pk:
            raise ApplicationError(_("Not found."), code="not_found", status=404)
        if request.status != JoinRequest.Status.PENDING:
            raise ConflictError(_("This request was already decided."), code="already_decided")
        request.status = JoinRequest.Status.CANCELLED
        request.save(update_fields=["status"])
        audit_record(actor=actor, verb="join_request.cancelled", target=request)
    return request


def member_remove(*, enterprise: Enterprise, actor, membership: Membership) -> Membership:
    require_owner(actor, enterprise)
    if membership.enterprise_id != enterprise.pk:
        raise ApplicationError(_("Not found."), code="not_found", status=404)
    return _deactivate(
        enterprise=enterprise, actor=actor, membership=membership, verb="member.removed"
    )


def member_leave(*, enterprise: Enterprise, user) -> Membership:
    membership = membership_in_enterprise(user=user, enterprise_id=enterprise.pk)
    if membership is None:
        raise ApplicationError(_("Not found."), code="not_found", status=404)
    return _deactivate(enterprise=enterprise, actor=user, membership=membership, verb="member.left")


def _deactivate(*, enterprise, actor, membership, verb) -> Membership:
    with transaction.atomic():
        memberships = lock_enterprise_memberships(enterprise.pk)
        target = next((m for m in memberships if m.pk == membership.pk), None)
        if target is None:
            raise ApplicationError(_("Not found."), code="not_found", status=404)
        if target.role == Role.ENTERPRISE_OWNER and _owner_count(memberships) <= 1:
            raise ConflictError(
                _("The last owner cannot leave. Transfer ownership to another member first."),
                code="last_owner",
            )
        target.is_active = False
        target.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            verb=verb,
            target=enterprise,
            before={"user": target.user_id, "role": target.role},
        )
    return target


def ownership_transfer(
    *, enterprise: Enterprise, actor, to: Membership, keep_owner: bool = False
) -> Membership:
    """Make ``to`` an owner; the actor steps down to member unless ``keep_owner``."""
    require_owner(actor, enterprise)
    with transaction.atomic():
        memberships = lock_enterprise_memberships(enterprise.pk)
        target = next((m for m in memberships if m.pk == to.pk), None)
        mine = next((m for m in memberships if m.user_id == actor.pk), None)
        if target is None or mine is None:
            raise ApplicationError(_("Not found."), code="not_found", status=404)
        if target.pk == mine.pk:
            raise ApplicationError(_("You are already an owner."), code="same_member")
        target.role = Role.ENTERPRISE_OWNER
        target.save(update_fields=["role"])
        if not keep_owner:
            mine.role = Role.ENTERPRISE_MEMBER
            mine.save(update_fields=["role"])
        audit_record(
            actor=actor,
            verb="ownership.transferred",
            target=enterprise,
            after={"to": target.user_id, "kept": keep_owner},
        )
        notify(
            target.user,
            "ownership",
            title=msg(gettext_noop("You are now an owner of %(name)s"), name=enterprise.name),
            url=enterprise.get_absolute_url(),
        )
    return target
