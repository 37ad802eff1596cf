"""Registering an enterprise once, joining one already registered, and keeping the profile."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from ecosystem.accounts.models import Membership
from ecosystem.accounts.roles import Role
from ecosystem.accounts.scope import owners_of_enterprise, scope_of
from ecosystem.core import events
from ecosystem.core.errors import ApplicationError, ConflictError
from ecosystem.core.notices import msg
from ecosystem.core.services import audit_record, model_snapshot, notify, validated
from ecosystem.core.uscc import normalize_uscc, validate_uscc
from ecosystem.enterprises.models import Enterprise, JoinRequest, OnboardingDraft
from ecosystem.enterprises.services.common import rematch_later, require_member
from ecosystem.enterprises.services.identity import name_flags_raise
from ecosystem.enterprises.services.zone_move import reviews_follow_zone_move
from ecosystem.enterprises.summary import summary_sync
from ecosystem.enterprises.verified_programs import verified_sync
from ecosystem.enterprises.waiting import waiting_sync

PROFILE_FIELDS = (
    "name",
    "name_en",
    "zone",
    "registered_address",
    "founded_on",
    "industry",
    "website",
    "contact_name",
    "contact_phone",
    "contact_email",
    "description",
)


@dataclass(frozen=True)
class RegistrationResult:
    enterprise: Enterprise
    created: bool
    join_request: JoinRequest | None = None


def _require_verified_email(user) -> None:
    if not EmailAddress.objects.filter(user=user, verified=True).exists():
        raise ApplicationError(
            _("Verify your email address before registering an enterprise."),
            code="email_unverified",
            status=403,
        )


def enterprise_register(
    *, user, uscc: str, join_message: str = "", **profile
) -> RegistrationResult:
    """Register a new enterprise with ``user`` as owner.

    A code already registered is never registered twice: the user gets a pending join
    request instead (which gives no access until an owner approves it). Two simultaneous
    registrations of one new code yield one enterprise and one join request.
    """
    _require_verified_email(user)
    try:
        code = validate_uscc(uscc)
    except Exception as exc:  # ValidationError: one translated message
        raise ApplicationError(
            exc.messages[0], code="invalid_uscc", extra={"errors": {"uscc": exc.messages}}
        ) from exc
    unknown = set(profile) - set(PROFILE_FIELDS)
    if unknown:
        raise ApplicationError(_("Unknown fields."), code="unknown_fields")
    existing = Enterprise.objects.filter(uscc=code).first()
    if existing is None:
        enterprise = validated(Enterprise(uscc=code, **profile))
        try:
            with transaction.atomic():
                enterprise.save()
                Membership.objects.create(
                    user=user, role=Role.ENTERPRISE_OWNER, enterprise=enterprise
                )
                audit_record(
                    actor=user,
                    verb="enterprise.registered",
                    target=enterprise,
                    after={"uscc": code, **model_snapshot(enterprise, PROFILE_FIELDS)},
                )
                rematch_later(enterprise_id=enterprise.pk)
                name_flags_raise(enterprise=enterprise, actor=user)
                OnboardingDraft.objects.filter(user=user).delete()
            return RegistrationResult(enterprise=enterprise, created=True)
        except IntegrityError:
            existing = Enterprise.objects.filter(uscc=code).first()
            if existing is None:
                raise
    return RegistrationResult(
        enterprise=existing,
        created=False,
        join_request=_join_request_file(user=user, enterprise=existing, message=join_message),
    )


def _join_request_file(*, user, enterprise: Enterprise, message: str) -> JoinRequest:
    if scope_of(user, fresh=True).is_member_of(enterprise.pk):
        raise ConflictError(
            _("You are already a member of this enterprise."), code="already_member"
        )
    with transaction.atomic():
        pending = JoinRequest.objects.filter(
            user=user, enterprise=enterprise, status=JoinRequest.Status.PENDING
        ).first()
        if pending:
            return pending
        request = JoinRequest.objects.create(
            user=user, enterprise=enterprise, message=message[:500]
        )
        audit_record(actor=user, verb="join_request.filed", target=request)
        notify(
            owners_of_enterprise(enterprise.pk),
            "join_request",
            title=msg(
                gettext_noop("%(user)s asks to join %(name)s"),
                user=user.email,
                name=enterprise.name,
            ),
            url=enterprise.get_absolute_url() + "members/",
        )
        OnboardingDraft.objects.filter(user=user).delete()
    return request


def enterprise_update(
    *, enterprise: Enterprise, actor, expected_version: int, **changes
) -> Enterprise:
    """Change the profile. A stale ``expected_version`` (someone saved meanwhile) is refused."""
    require_member(actor, enterprise)
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ApplicationError(_("These fields cannot be changed here."), code="readonly_fields")
    with transaction.atomic():
        current = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        if current.version != expected_version:
            raise ConflictError(
                _(
                    "Someone else saved this profile meanwhile. Reload to see their changes; "
                    "your input is kept below."
                ),
                code="stale_version",
            )
        before = model_snapshot(current, PROFILE_FIELDS)
        before_key = current.name_key
        old_zone, old_founded = current.zone, current.founded_on
        for name, value in changes.items():
            setattr(current, name, value)
        validated(current)
        current.version = F("version") + 1
        current.save(update_fields=[*changes, "version", "updated_at"])
        current.refresh_from_db()
        audit_record(
            actor=actor,
            verb="enterprise.updated",
            target=current,
            before=before,
            after=model_snapshot(current, PROFILE_FIELDS),
        )
        # Open reviews follow the firm to its new zone; both zones are told.
        reviews_follow_zone_move(enterprise=current, old_zone=old_zone, actor=actor)
        if old_zone.pk != current.zone_id:
            events.publish(
                events.ENTERPRISE_ZONE_MOVED,
                enterprise_id=current.pk,
                old_zone_id=old_zone.pk,
                new_zone_id=current.zone_id,
            )
        if old_zone.pk != current.zone_id or old_founded != current.founded_on:
            summary_sync(enterprise_ids=[current.pk])  # its stage and zone counts
        if old_zone.pk != current.zone_id:
            waiting_sync(enterprise_ids=[current.pk])  # its claims and years waiting, by zone
            verified_sync(enterprise_ids=[current.pk])  # its verified programs, by zone
        rematch_later(enterprise_id=current.pk)
        if current.name_key != before_key:
            name_flags_raise(enterprise=current, actor=actor)
    return current


def onboarding_draft_save(*, user, step: str, data: dict) -> OnboardingDraft:
    """Keep what was typed so far; the wizard resumes here in any browser."""
    draft, _created = OnboardingDraft.objects.get_or_create(user=user)
    merged = {**draft.data, **{k: v for k, v in data.items() if k != "csrfmiddlewaretoken"}}
    if "uscc" in merged:
        merged["uscc"] = normalize_uscc(merged["uscc"])
    draft.data = merged
    draft.step = step
    draft.save(update_fields=["data", "step", "updated_at"])
    return draft


def onboarding_draft_clear(*, user) -> None:
    OnboardingDraft.objects.filter(user=user).delete()
