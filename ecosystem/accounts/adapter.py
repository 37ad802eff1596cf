"""allauth adapter: sign-up creates a plain account, never a role or a scope."""

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
