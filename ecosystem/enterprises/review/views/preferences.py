"""The official's own settings: the daily digest of new items, on or off."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ecosystem.enterprises.review.forms import DigestSettingsForm
from ecosystem.enterprises.review.services import user_set_digest
from ecosystem.enterprises.review.views.common import official_required


@official_required
def zone_settings(request):
    form = DigestSettingsForm(
        request.POST if request.method == "POST" else None,
        initial={"digest_enabled": request.user.digest_enabled},
    )
    if request.method == "POST" and form.is_valid():
        enabled = form.cleaned_data["digest_enabled"]
        user_set_digest(user=request.user, enabled=enabled)
        messages.success(
            request,
            _("The daily digest is on.") if enabled else _("The daily digest is off."),
        )
        return redirect("zone_settings")
    return render(request, "zones/settings.html", {"form": form, "tab": "settings"})
