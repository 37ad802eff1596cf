"""What the chain pages share: the gates, the zone filter, exports."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404

from ecosystem.chains import selectors

EXPORT_FORMATS = ("csv", "xlsx")


def coverage_required(view):
    """Zone officials, bank staff and platform admins; to anyone else the page does not
    exist."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not selectors.coverage_zones(user=request.user).exists():
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def ecosystem_required(view):
    """Platform admins and zone officials."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not selectors.ecosystem_zones(user=request.user).exists():
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def pick_zones(request, zones):
    """``?zone=<id>`` narrows ``zones`` to one of them (404 outside them); none: all."""
    wanted = request.GET.get("zone", "")
    if not wanted:
        return None, zones
    if not wanted.isdigit():
        raise Http404
    zone = get_object_or_404(zones, pk=int(wanted))
    return zone, zones.filter(pk=zone.pk)


def export_format(fmt: str) -> str:
    if fmt not in EXPORT_FORMATS:
        raise Http404
    return fmt
