"""The accounts app's codes in people's words (``core.labels``)."""

from django.utils.translation import gettext_lazy as _


def register_labels() -> None:
    from ecosystem.accounts.roles import Role
    from ecosystem.core import labels

    labels.register("role", Role)
    labels.register_audit_verbs(
        {
            "invitation.created": _("invitation: sent"),
            "invitation.accepted": _("invitation: accepted"),
            "invitation.revoked": _("invitation: revoked"),
            "api_token.created": _("API token created"),
            "api_token.revoked": _("API token revoked"),
        }
    )
