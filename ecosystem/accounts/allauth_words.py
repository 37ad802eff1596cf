"""Our own words for a few of django-allauth's texts whose Chinese translation misleads.

The project's catalogue (``LOCALE_PATHS``) is read before allauth's, so a msgid marked
here and translated in ``locale/zh_Hans`` replaces allauth's translation. allauth renders
"Incorrect code." as 错误代码 ("error code") on the two-factor page; a person reads it
as a fault of the system, not a mistyped code. Recovery codes are 恢复码.
"""

from django.utils.translation import gettext_noop

OVERRIDDEN = (
    gettext_noop("Incorrect code."),
    gettext_noop("Recovery codes"),
    gettext_noop("Recovery Codes"),
    gettext_noop("No recovery codes set up."),
    gettext_noop("New Recovery Codes Generated"),
    gettext_noop("A new set of recovery codes has been generated."),
    gettext_noop("I have saved my recovery codes"),
    gettext_noop("You are about to generate a new set of recovery codes for your account."),
)
