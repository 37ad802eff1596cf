"""API authentication by a staff member's named token (``Authorization: Token <key>``).

A token is refused (401) when it is unknown, revoked or expired, when its owner is
inactive or now holds a role that may hold no token (``permissions.token_refusal``), and
when an integration token's bank is no longer one its owner works for. An accepted
token's scope is pinned for the request: an integration token sees only its bank's side
(``Scope.narrowed_to_bank``); what each kind may reach is ``permissions.TokenScope``.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from ecosystem.accounts.models import StaffToken
from ecosystem.accounts.permissions import token_refusal
from ecosystem.accounts.scope import pin_scope, scope_of
from ecosystem.accounts.selectors import token_for_key
from ecosystem.accounts.services import token_touch

KEYWORD = "Token"


class StaffTokenAuthentication(BaseAuthentication):
    keyword = KEYWORD

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Invalid token header: send 'Token' and the key, separated by one space.")
            )
        try:
            key = parts[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        return self.authenticate_key(key)

    def authenticate_key(self, key: str):
        token = token_for_key(key=key)
        now = timezone.now()
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This token was revoked."))
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed(
                _("This token expired. Create a new one on your API tokens page.")
            )
        user = token.user
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        scope = scope_of(user, fresh=True)
        refusal = token_refusal(user, scope=scope)
        if refusal:
            raise exceptions.AuthenticationFailed(refusal)
        if token.kind == StaffToken.Kind.LEAD_FEED:
            if token.bank_id not in scope.bank_ids:
                raise exceptions.AuthenticationFailed(
                    _("You no longer work for this token's bank.")
                )
            scope = scope.narrowed_to_bank(token.bank_id)
        pin_scope(user, scope)
        token_touch(token=token, now=now)
        return user, token

    def authenticate_header(self, request):
        return self.keyword


class StaffTokenScheme(OpenApiAuthenticationExtension):
    """The schema's description of the token (``/api/schema/``)."""

    target_class = "ecosystem.accounts.api.authentication.StaffTokenAuthentication"
    name = "staffToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "A staff member's named API token: `Authorization: Token kjt_…`. Created "
                "and revoked on the Tokens page after a fresh second-factor check; shown "
                "once. Read-only tokens may use every safe method (GET, HEAD, OPTIONS) "
                "within the owner's scope and get 403 on any write; integration tokens "
                "reach only /api/v1/financing/leads/ of one bank (403 elsewhere). Expired, "
                "revoked or unknown tokens get 401. Tokens expire (30 days by default, at "
                "most 90). Platform administrators and zone officials get no tokens and "
                "use the API signed in (session cookie and CSRF token). See docs/api.md."
            ),
        }
