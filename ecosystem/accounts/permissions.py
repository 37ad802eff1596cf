"""Who may do what with accounts."""

from ecosystem.accounts.selectors import has_second_factor, is_staff_user


def needs_second_factor(user) -> bool:
    """Staff without an enrolled TOTP authenticator must enrol before any staff page."""
    return is_staff_user(user=user) and not has_second_factor(user=user)


def can_invite_staff(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def token_refusal(user, *, scope=None):
    """Why ``user`` may not hold an API token, or None if they may.

    Long-lived tokens are for bank staff and registry officers. A platform admin's or a
    zone official's powers are too wide (or too official) to leave in a file on a server:
    they use the API signed in, with their second factor. ``scope``: the user's scope when
    the caller has just read it (token authentication reads it once per request)."""
    from django.utils.translation import gettext as _

    from ecosystem.accounts.roles import Role
    from ecosystem.accounts.scope import scope_of

    scope = scope_of(user) if scope is None else scope
    if not scope.is_authenticated:
        return _("Sign in first.")
    if scope.is_platform_admin or scope.is_admin_site_user:
        return _(
            "Platform administrator accounts get no long-lived API tokens: their powers are "
            "too wide. Use the API while signed in, with your second factor."
        )
    if scope.has_role(Role.ZONE_OFFICIAL):
        return _(
            "Zone official accounts get no long-lived API tokens: their decisions are official "
            "acts. Use the API while signed in, with your second factor."
        )
    if not scope.has_role(Role.BANK_RM, Role.BANK_MANAGER, Role.REGISTRY_OFFICER):
        return _("API tokens are for bank staff and registry officers.")
    return None


def token_banks(user) -> frozenset[int]:
    """The banks whose lead feed ``user`` may give an integration token: those they work for."""
    from ecosystem.accounts.scope import scope_of

    return scope_of(user).bank_ids


def can_hold_api_token(user) -> bool:
    return token_refusal(user) is None
