"""What the chain pages share: the gates, the zone filter, exports."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy

from ecosystem.chains import selectors
from ecosystem.core.gates import page_for

#: Zone officials, bank staff and platform admins.
coverage_required = page_for(
    lambda user: selectors.coverage_zones(user=user).exists(),
    gettext_lazy("zone officials, bank staff and platform administrators"),
)
#: Platform admins and zone officials.
ecosystem_required = page_for(
    lambda user: selectors.ecosystem_zones(user=user).exists(),
    gettext_lazy("zone officials and platform administrators"),
)


def pick_zones(request, zones):
    """``?zone=<id>`` narrows ``zones`` to one of them (404 outside them); none: all."""
    wanted = request.GET.get("zone", "")
    if not wanted:
        return None, zones
    if not wanted.isdigit():
        raise Http404
    zone = get_object_or_404(zones, pk=int(wanted))
    return zone, zones.filter(pk=zone.pk)
