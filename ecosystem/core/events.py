"""Domain events: how a lower app tells the apps above it that something happened,
without importing them (the layering in ``docs/architecture.md``).

An app publishes an event with ids; apps above it subscribe in their
``AppConfig.ready()``. Subscribers run at once, inside the publisher's transaction, so what
they change commits or rolls back with the change itself, and their results come back to
the publisher (a list import reports the claims its entries verified). Work to do after
commit is enqueued by the subscriber through the outbox (``core.outbox``), never by a bare
``on_commit``, so it survives a broker outage.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

#: An enterprise's matchable data changed (profile, figures, claims, chain placement):
#: ``enterprise_id``. Financing rematches it.
ENTERPRISE_CHANGED = "enterprise.changed"
#: An enterprise moved to another zone: ``enterprise_id``, ``old_zone_id``, ``new_zone_id``.
#: Financing moves its leads' figures to the new zone in the summary tables.
ENTERPRISE_ZONE_MOVED = "enterprise.zone_moved"
#: An enterprise's chain placements changed: ``enterprise_id``, ``old_node_ids``,
#: ``new_node_ids``. Financing moves its leads' figures between the chains' summaries.
ENTERPRISE_PLACED = "enterprise.placed"
#: Enterprises' stored stage or verified flag changed (``enterprises.summary.summary_sync``:
#: the services' changes and the nightly stage move): ``enterprise_ids``. Financing moves
#: them between the ecosystem page's cells (``financing.ecosystem_summary``).
ENTERPRISE_SUMMARY_CHANGED = "enterprise.summary_changed"
#: An official list changed: ``program_id`` and the ``withdrawn_ids`` of entries dropped.
#: Enterprises verify the claims the list now proves and revoke those it no longer does;
#: each subscriber returns a dict of counts.
REGISTRY_ENTRIES_CHANGED = "registry.entries_changed"
#: A list is previewed before import: ``program_id``, ``batch``, the ``current_codes`` and
#: ``expired_codes`` it would load and, for a name-only list, its ``name_keys`` (pairs of
#: the normalised name and the row's region). Each
#: subscriber returns counts of what would happen ("verified", "expired", "revoked",
#: "name_matches"); nothing is written.
REGISTRY_ENTRIES_PREVIEW = "registry.entries_preview"

_subscribers: dict[str, list[Callable[..., Any]]] = defaultdict(list)


def subscribe(event: str, handler: Callable[..., Any]) -> None:
    """Register ``handler(**payload)`` for ``event`` (once, however often ``ready`` runs)."""
    if handler not in _subscribers[event]:
        _subscribers[event].append(handler)


def publish(event: str, **payload) -> list[Any]:
    """Call every subscriber of ``event`` now, in the caller's transaction; their results."""
    return [handler(**payload) for handler in list(_subscribers[event])]
