"""A firm of the counters' walks moved to another zone through the service (its member
edits the profile), as the walks over the zone counters do (``enterprises.waiting``,
``enterprises.verified_programs``)."""

from __future__ import annotations

import random

from ecosystem.enterprises import services as es
from ecosystem.enterprises.models import Enterprise


def move_one_of(rng: random.Random, items, *, zones, members) -> bool:
    """One firm of ``items`` (a queryset of objects with an enterprise: the firms that
    hold what the walk counts) moved by its member (``members``: {firm id: user}) to
    another of ``zones`` with ``enterprise_update``; False when ``items`` is empty."""
    firms = sorted(set(items.values_list("enterprise_id", flat=True)))
    if not firms:
        return False
    enterprise = Enterprise.objects.get(pk=rng.choice(firms))
    zone = rng.choice([z for z in zones if z.pk != enterprise.zone_id])
    es.enterprise_update(
        enterprise=enterprise,
        actor=members[enterprise.pk],
        expected_version=enterprise.version,
        zone=zone,
    )
    return True
