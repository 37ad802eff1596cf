"""The ecosystem page's counters recounted from the facts and compared
(``manage.py rebuild_summaries --check``; the nightly drift check): the reference the
per-enterprise upkeep in ``financing.ecosystem_summary`` is held to. The members come from
the recounts of the tables they read (``enterprises.summary.recount``: stage, the day it
ends, verified; ``funnel.recount``: matches, leads, offers, disbursements and their
yuan), not from those tables."""

from __future__ import annotations

from datetime import date

from ecosystem.core.drift import table_drift
from ecosystem.enterprises import summary as enterprise_summary
from ecosystem.enterprises.models import Enterprise
from ecosystem.financing import funnel
from ecosystem.financing.ecosystem_summary import STARTUP, ZERO, Member, add, contribution, stored


def recount(*, on: date | None = None) -> tuple[dict, dict]:
    """Both tables as the facts make them on ``on`` (today): ({enterprise id: Member},
    {(zone id, stage): eight figures}), cells counting nothing left out."""
    rows, _zones = enterprise_summary.recount(on=on)
    financing, _zones = funnel.recount()
    members, cells = {}, {}
    zones = Enterprise.objects.order_by().values_list("pk", "zone_id")
    for pk, zone_id in zones.iterator(chunk_size=50_000):
        row = rows.get(pk)
        _zone, matched, leads, offers, disbursed, offered, paid = financing.get(
            pk, (zone_id, False, 0, 0, 0, ZERO, ZERO)
        )
        member = Member(
            zone_id,
            row.stage if row is not None and row.stage else STARTUP,
            row.stage_until if row is not None else None,
            bool(row is not None and row.verified),
            bool(matched),
            leads > 0,
            offers > 0,
            disbursed > 0,
            offered,
            paid,
        )
        members[pk] = member
        add(cells, contribution(member), 1)
    return members, {key: tuple(v) for key, v in cells.items() if any(v)}


def drift(*, on: date | None = None) -> dict:
    """How the stored tables differ from a recount (as ``summary_recount.summaries_drift``):
    keys ``ecosystem_members``, ``ecosystem_cells``."""
    return table_drift(("ecosystem_members", "ecosystem_cells"), recount(on=on), stored())
