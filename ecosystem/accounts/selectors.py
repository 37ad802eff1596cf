"""Account reads. Memberships are read only in ``accounts.scope``; this module answers
questions about the account itself."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.db.models import Exists, OuterRef

from ecosystem.accounts.scope import scope_of


def is_staff_user(*, user) -> bool:
    """Staff: platform admins and anyone holding a zone, registry or bank role."""
    return scope_of(user).is_staff


#: On a user object: whether it had a TOTP authenticator when it was read with it (an API
#: token's owner is read with this, so a token request makes no query of its own for it).
SECOND_FACTOR_READ = "_kj_has_totp"


def has_second_factor(*, user) -> bool:
    known = getattr(user, SECOND_FACTOR_READ, None)
    if known is not None:
        return known
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def tokens_of(*, user):
    """The user's own API tokens (used, expired and revoked ones too), newest first."""
    from ecosystem.accounts.models import StaffToken

    if not getattr(user, "is_authenticated", False):
        return StaffToken.objects.none()
    return StaffToken.objects.filter(user=user).select_related("bank")


def token_for_key(*, key: str):
    """The token a presented key belongs to (whatever its state), or None."""
    from ecosystem.accounts.models import StaffToken, token_digest

    token = (
        StaffToken.objects.filter(digest=token_digest(key))
        .select_related("user", "bank")
        .annotate(
            owner_has_totp=Exists(
                Authenticator.objects.filter(user=OuterRef("user"), type=Authenticator.Type.TOTP)
            )
        )
        .first()
    )
    if token is not None:
        # The request's second-factor check reads it from here (one query less a call).
        setattr(token.user, SECOND_FACTOR_READ, token.owner_has_totp)
    return token
