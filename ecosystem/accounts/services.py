"""Account writes: staff invitations, their acceptance, memberships, and staff API tokens.

Staff roles exist only through ``invitation_create`` (platform admins) and
``invitation_accept`` (the invitee, with the role and scope fixed by the invitation).
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from ecosystem.accounts.models import Invitation, Membership, StaffToken, User, token_digest
from ecosystem.accounts.roles import (
    ENTERPRISE_ROLES,
    INVITABLE_ROLES,
    ROLE_SCOPE,
    SCOPE_FIELDS,
    STAFF_ROLES,
    Role,
)
from ecosystem.accounts.scope import members_of_enterprise, scope_of
from ecosystem.core.errors import ApplicationError, ConflictError
from ecosystem.core.notices import msg
from ecosystem.core.services import audit_record


def _scope_kwargs(
    *, role: str, enterprise=None, zone=None, program=None, bank=None, branch=None
) -> dict:
    """The scope fields for ``role``, checked against ``ROLE_SCOPE``; raises on a mismatch."""
    if role == Role.BANK_RM and branch is not None:
        if bank is not None and bank != branch.bank:
            raise ApplicationError(
                _("The branch does not belong to that bank."), code="branch_bank_mismatch"
            )
        bank = branch.bank
    given = {
        "enterprise": enterprise,
        "zone": zone,
        "program": program,
        "bank": bank,
        "branch": branch,
    }
    wanted = ROLE_SCOPE[role]
    missing = [name for name in wanted if given.get(name) is None]
    extra = [name for name, value in given.items() if value is not None and name not in wanted]
    if missing or extra:
        raise ApplicationError(
            _("For this role, fill in exactly: %(fields)s.")
            % {
                "fields": ", ".join(str(Membership._meta.get_field(n).verbose_name) for n in wanted)
            },
            code="scope_mismatch",
        )
    return {name: given[name] for name in wanted}


def invitation_create(
    *, invited_by: User, email: str, role: str, zone=None, program=None, bank=None, branch=None
) -> Invitation:
    """A platform admin invites someone to a staff role; the email goes out after commit."""
    if not (invited_by.is_active and invited_by.is_superuser):
        raise ApplicationError(
            _("Only platform administrators can invite staff."),
            code="not_platform_admin",
            status=403,
        )
    if role not in STAFF_ROLES:
        raise ApplicationError(
            _("Enterprise members are invited by their enterprise's owners."),
            code="not_a_staff_role",
        )
    if role not in INVITABLE_ROLES:
        raise ApplicationError(
            _("A fund manager is appointed to a scheme from the scheme, not invited."),
            code="appointed_not_invited",
        )
    scope = _scope_kwargs(role=role, zone=zone, program=program, bank=bank, branch=branch)
    return _invitation_create(invited_by=invited_by, email=email, role=role, scope=scope)


def enterprise_invitation_create(*, invited_by: User, email: str, role: str, enterprise):
    """An owner invites someone to their enterprise (as member or co-owner)."""
    if role not in ENTERPRISE_ROLES:
        raise ApplicationError(_("Choose member or owner."), code="not_an_enterprise_role")
    if not scope_of(invited_by, fresh=True).is_owner_of(enterprise.pk):
        raise ApplicationError(_("Only owners can invite members."), code="not_owner", status=403)
    if members_of_enterprise(enterprise.pk).filter(email__iexact=email).exists():
        raise ConflictError(_("This person is already a member."), code="already_member")
    scope = _scope_kwargs(role=role, enterprise=enterprise)
    return _invitation_create(invited_by=invited_by, email=email, role=role, scope=scope)


def _invitation_create(*, invited_by: User, email: str, role: str, scope: dict) -> Invitation:
    from ecosystem.accounts.tasks import send_invitation_email
    from ecosystem.core.outbox import send_after_commit

    with transaction.atomic():
        invitation = Invitation.objects.create(
            email=User.objects.normalize_email(email).lower(),
            role=role,
            invited_by=invited_by,
            language=invited_by.language or settings.LANGUAGE_CODE,
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
            **scope,
        )
        audit_record(
            actor=invited_by,
            verb="invitation.created",
            target=invitation,
            after={"email": invitation.email, "role": role, **{k: v.pk for k, v in scope.items()}},
        )
        send_after_commit(send_invitation_email, invitation.pk)
    return invitation


def invitation_send_email(*, invitation_id: int) -> Invitation | None:
    """Email a pending invitation's link, once: the row is locked and marked sent in the
    same transaction, so a second run (the outbox delivers at least once) sends nothing.
    The email leads with the invitation's language (the inviter's) and repeats the text
    in the other one, since the invitee has no account and no language yet."""
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import translation

    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("enterprise", "zone", "program", "bank", "branch")
            .filter(pk=invitation_id, status=Invitation.Status.PENDING)
            .first()
        )
        if invitation is None or invitation.emailed_at is not None:
            return invitation
        link = settings.SITE_URL + reverse("invitation_accept", args=[invitation.token])
        languages = [invitation.language] + [
            code for code, _name in settings.LANGUAGES if code != invitation.language
        ]
        subjects, parts = [], []
        for language in languages:
            with translation.override(language):
                context = {"invitation": invitation, "link": link}
                subjects.append(
                    render_to_string("accounts/email/invitation_subject.txt", context).strip()
                )
                parts.append(
                    render_to_string("accounts/email/invitation_message.txt", context).strip()
                )
        send_mail(
            subject=" / ".join(subjects),
            message="\n\n".join(parts) + "\n",
            from_email=None,
            recipient_list=[invitation.email],
        )
        invitation.emailed_at = timezone.now()
        invitation.save(update_fields=["emailed_at"])
    return invitation


def invitation_revoke(*, invitation: Invitation, actor: User) -> Invitation:
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.status != Invitation.Status.PENDING:
            raise ConflictError(_("This invitation is no longer pending."), code="not_pending")
        invitation.status = Invitation.Status.REVOKED
        invitation.save(update_fields=["status"])
        audit_record(actor=actor, verb="invitation.revoked", target=invitation)
    return invitation


def invitation_accept(
    *, token: str, user: User | None = None, full_name: str = "", password: str = ""
) -> tuple[User, Membership]:
    """Accept an invitation: create the account if needed and grant exactly the invited role.

    ``user`` is the signed-in account whose email matches the invitation; without it an
    account is created with ``password`` (its email counts as verified: the link proved it).
    """
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().filter(token=token).first()
        if invitation is None or not invitation.is_open:
            raise ApplicationError(
                _("This invitation link is invalid, used or expired."), code="invitation_closed"
            )
        if user is None:
            if User.objects.filter(email__iexact=invitation.email).exists():
                raise ApplicationError(
                    _("An account with this email exists: sign in first, then open the link."),
                    code="account_exists",
                )
            try:
                validate_password(password, User(email=invitation.email, full_name=full_name))
            except ValidationError as exc:
                raise ApplicationError(
                    " ".join(exc.messages), code="weak_password", extra={"field": "password1"}
                ) from exc
            user = User.objects.create_user(
                email=invitation.email, password=password, full_name=full_name
            )
        elif user.email.lower() != invitation.email.lower():
            raise ApplicationError(
                _("This invitation was sent to another email address."),
                code="email_mismatch",
                status=403,
            )
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        scope = {
            name: getattr(invitation, f"{name}_id") for name in SCOPE_FIELDS if name != "enterprise"
        }
        try:
            with transaction.atomic():
                membership = Membership.objects.create(
                    user=user,
                    role=invitation.role,
                    **{f"{name}_id": value for name, value in scope.items()},
                )
        except IntegrityError as exc:
            raise ConflictError(_("You already hold this role."), code="membership_exists") from exc
        invitation.status = Invitation.Status.ACCEPTED
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["status", "accepted_at", "accepted_by"])
        audit_record(
            actor=user,
            verb="invitation.accepted",
            target=invitation,
            after={"membership": membership.pk, "role": membership.role},
        )
    return user, membership


def invitations_expire(*, now=None) -> int:
    """Mark pending invitations past their expiry as expired; safe to run twice."""
    now = now or timezone.now()
    return Invitation.objects.filter(status=Invitation.Status.PENDING, expires_at__lte=now).update(
        status=Invitation.Status.EXPIRED
    )


def user_set_language(*, user: User, language: str) -> User:
    if language not in dict(settings.LANGUAGES):
        raise ApplicationError(_("Unknown language."), code="unknown_language")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user


#: Failed sign-ins to one account, from any address, that earn its owner a notice, and the
#: window they are counted in. Nothing is locked: the limits are per address (settings).
LOGIN_FAILURES_NOTICE_AFTER = 10
LOGIN_FAILURES_WINDOW_S = 15 * 60


def login_failure_record(*, email: str) -> bool:
    """Count a failed sign-in to ``email``; the failure that reaches the threshold sends the
    account's owner one notice (another only after the window). Returns whether it did."""
    import hashlib

    from django.core.cache import cache

    from ecosystem.core.services import notify

    email = (email or "").strip().lower()
    if not email:
        return False
    key = "login-failures:" + hashlib.sha256(email.encode()).hexdigest()
    cache.add(key, 0, LOGIN_FAILURES_WINDOW_S)
    try:
        failures = cache.incr(key)
    except ValueError:  # expired in between, or the cache is down (it fails open)
        return False
    if failures != LOGIN_FAILURES_NOTICE_AFTER:
        return False
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        return False
    notify(
        user,
        "login_failures",
        title=msg(gettext_noop("Repeated failed sign-ins to your account")),
        body=msg(
            gettext_noop(
                "Someone failed to sign in to your KejinLink account several times in the "
                "last minutes. Your account is not locked. If this was not you, change your "
                "password and make sure a second factor is set up."
            )
        ),
        url=reverse("account_change_password"),
    )
    return True


# --- staff API tokens -----------------------------------------------------------------

#: Every key starts so; a leaked key is easy to recognise (and to search for in code).
TOKEN_KEY_PREFIX = "kjt_"


def token_create(
    *, user: User, name: str, kind: str, bank=None, days: int | None = None
) -> tuple[StaffToken, str]:
    """A new token for ``user`` and its key, which is returned once and never stored.

    Refused (``ApplicationError``) for accounts that may hold no token
    (``permissions.token_refusal``), for an integration without one of the user's banks,
    and for a lifetime beyond ``STAFF_TOKEN_MAX_DAYS``."""
    from ecosystem.accounts.permissions import token_banks, token_refusal

    refusal = token_refusal(user)
    if refusal:
        raise ApplicationError(refusal, code="token_refused", status=403)
    name = (name or "").strip()
    if not name:
        raise ApplicationError(
            _("Give the token a name."), code="token_name", extra={"field": "name"}
        )
    if kind not in StaffToken.Kind.values:
        raise ApplicationError(_("Choose a scope."), code="token_kind", extra={"field": "kind"})
    if kind == StaffToken.Kind.LEAD_FEED:
        if bank is None or bank.pk not in token_banks(user):
            raise ApplicationError(
                _("An integration token serves the lead feed of a bank you work for."),
                code="token_bank",
                extra={"field": "bank"},
            )
    else:
        bank = None
    days = settings.STAFF_TOKEN_DEFAULT_DAYS if days is None else int(days)
    if not 1 <= days <= settings.STAFF_TOKEN_MAX_DAYS:
        raise ApplicationError(
            _("A token lives from 1 to %(max)d days.") % {"max": settings.STAFF_TOKEN_MAX_DAYS},
            code="token_days",
            extra={"field": "days"},
        )
    key = TOKEN_KEY_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        token = StaffToken.objects.create(
            user=user,
            name=name[:100],
            kind=kind,
            bank=bank,
            prefix=key[: len(TOKEN_KEY_PREFIX) + 4],
            digest=token_digest(key),
            created_at=now,
            expires_at=now + timedelta(days=days),
        )
        audit_record(
            actor=user,
            verb="api_token.created",
            target=token,
            after={"kind": kind, "bank": bank.pk if bank else None, "days": days},
        )
    return token, key


def token_revoke(*, token: StaffToken, actor: User) -> StaffToken:
    """End a token at once; revoking a revoked token changes nothing."""
    with transaction.atomic():
        token = StaffToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit_record(actor=actor, verb="api_token.revoked", target=token)
    return token


def token_touch(*, token: StaffToken, now=None) -> bool:
    """Record a use of ``token``, at most once per ``STAFF_TOKEN_TOUCH_SECONDS``: most
    requests write nothing. True when the time was written."""
    now = now or timezone.now()
    resolution = timedelta(seconds=settings.STAFF_TOKEN_TOUCH_SECONDS)
    if token.last_used_at is not None and now - token.last_used_at < resolution:
        return False
    StaffToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
    return True
