"""Who may do what with accounts."""

from ecosystem.accounts.selectors import has_second_factor, is_staff_user


def needs_second_factor(user) -> bool:
    """Staff without an enrolled TOTP authenticator must enrol before any staff page."""
    return is_staff_user(user=user) and not has_second_factor(user=user)


def can_invite_staff(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)
