"""The ``registered`` flag of list entries put right where it drifted from a recount.

On PostgreSQL triggers keep the flag (migration 0011), but not across two transactions
that do not see each other: a firm registering while an import inserts its entry leaves
the entry's flag False (the entry's trigger did not see the firm, the firm's trigger did
not see the entry), and a firm deleted while its entry is inserted leaves it True, until
either row is written again. A periodic recount (beat: ``recount-registered-entries``)
repairs such entries and reports how many it fixed.

The enterprises' table is read by name, as the triggers do: the registries app sits
below the enterprises app and does not import it.
"""

from __future__ import annotations

import logging

from django.apps import apps
from django.db import connection, transaction

from ecosystem.registries.models import RegistryEntry

logger = logging.getLogger(__name__)


def entries_registered_recount() -> dict[str, int]:
    """Set ``registered`` to what a recount says on every entry where it differs; returns
    ``{"set": n, "cleared": m}``, the entries flagged registered and unflagged. Nothing
    to do on other databases (the flag is not kept there, nor read)."""
    fixed = {"set": 0, "cleared": 0}
    if connection.vendor != "postgresql":
        return fixed
    entries = RegistryEntry._meta.db_table
    enterprises = apps.get_model("enterprises", "Enterprise")._meta.db_table
    # Two statements, each a semi- or anti-join the planner may hash: the flag is wrong
    # on a handful of the list's entries, if any, and a recount probes all of them.
    with transaction.atomic(), connection.cursor() as cursor:
        registered = f"EXISTS (SELECT 1 FROM {enterprises} e WHERE e.uscc = r.uscc)"  # noqa: S608
        cursor.execute(
            f"UPDATE {entries} r SET registered = true "  # noqa: S608 - our table names
            f"WHERE NOT r.registered AND r.uscc > '' AND {registered}"
        )
        fixed["set"] = cursor.rowcount
        cursor.execute(
            f"UPDATE {entries} r SET registered = false "  # noqa: S608 - our table names
            f"WHERE r.registered AND NOT (r.uscc > '' AND {registered})"
        )
        fixed["cleared"] = cursor.rowcount
    if fixed["set"] or fixed["cleared"]:
        logger.warning(
            "registry entries' registered flag drifted and was fixed: %(set)d set, "
            "%(cleared)d cleared",
            fixed,
        )
    return fixed
