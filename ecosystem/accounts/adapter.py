"""allauth adapter: sign-up creates a plain account, never a role or a scope; failed
sign-ins are limited per address, so nobody can lock another person's account out."""

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils.translation import get_language


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.email = user.email.lower()
        language = get_language() or settings.LANGUAGE_CODE
        user.language = language if language in dict(settings.LANGUAGES) else "zh-hans"
        user.is_staff = False
        user.is_superuser = False
        if commit:
            user.save()
        return user

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Enrolling the first second factor follows sign-in at once: no second password
        prompt then. Changing or removing an existing factor still asks again."""
        from allauth.core import context

        request = context.request
        user = getattr(request, "user", None)
        if app == "allauth.mfa" and user is not None and user.is_authenticated:
            from ecosystem.accounts.selectors import has_second_factor

            if not has_second_factor(user=user):
                return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """The per-key limit of ``login_failed`` counts failures per account *and* client
        address. allauth's own key is the account alone, so anyone who knows a staff
        member's email could lock them out from anywhere by failing five times; here the
        failures only block the address they come from (brute force from many addresses
        is met by the per-address limit, strong passwords and the staff second factor, and
        the owner is told: ``login_failure_record``)."""
        key = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{key}:{self.get_client_ip(request) or '-'}"

    def authentication_failed(self, request, **credentials) -> None:
        from ecosystem.accounts.services import login_failure_record

        super().authentication_failed(request, **credentials)
        login_failure_record(email=credentials.get("email", ""))
