"""What every zone page shares: the official-only gate, service errors on forms, exports."""

from __future__ import annotations

from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy

from ecosystem.core.gates import page_for
from ecosystem.enterprises.views.common import form_error  # noqa: F401 (one rule, re-used)
from ecosystem.zones.selectors import zones_of_official

#: Zone officials (and platform admins, who see every zone).
official_required = page_for(
    lambda user: zones_of_official(user=user).exists(), gettext_lazy("zone officials")
)


def safe_next(request, value: str, default: str) -> str:
    """A local URL to go back to after a POST (the queue with its filters), else ``default``."""
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return default
