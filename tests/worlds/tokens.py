"""Staff API tokens in tests: a signed-in client whose second factor was just entered, the
current TOTP code of a factory-made staff member, and an API client holding a key."""

from __future__ import annotations

import time

from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client
from rest_framework.test import APIClient


def totp_code(user, *, at: float | None = None) -> str:
    """The code the user's authenticator app shows now (or at ``at``)."""
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = get_adapter().decrypt(authenticator.data["secret"])
    return format_hotp_value(hotp_value(secret, int(at or time.time()) // 30))


def second_factor_entered(client: Client, user, *, seconds_ago: float = 0) -> Client:
    """Record in the client's session that ``user`` entered a TOTP code ``seconds_ago``, as
    allauth does at sign-in or reauthentication (the flow itself is tested through
    allauth's page in ``tests/unit/test_api_tokens.py``)."""
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "mfa", "type": "totp", "at": time.time() - seconds_ago, "reauthenticated": True}
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()
    return client


def staff_client(user, *, fresh: bool = True) -> Client:
    """A signed-in (English) client; ``fresh``: its second factor was just entered."""
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return second_factor_entered(client, user) if fresh else client


def token_client(key: str) -> APIClient:
    return APIClient(headers={"authorization": f"Token {key}", "accept-language": "en"})
