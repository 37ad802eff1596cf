"""Reads the zone pages and the zone API share, on top of ``ecosystem.zones.selectors``.

Every object is fetched through a queryset scoped to the official's zones, so another
zone's claim or year is the same 404 as one that does not exist.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ecosystem.core.labels import audit_verb_label
from ecosystem.core.models import AuditEvent
from ecosystem.enterprises.models import FinancialYear, QualificationClaim
from ecosystem.enterprises.review.queue import QueueItem, review_queue
from ecosystem.enterprises.stage import Basis, stage_of
from ecosystem.enterprises.workflow import ClaimStatus
from ecosystem.registries.models import RegistryEntry
from ecosystem.registries.selectors import entries_for_uscc
from ecosystem.zones.selectors import rejection_reason_label, zones_of_official

SIMILAR_NAMES_SHOWN = 10
EXPORT_CHUNK = 1000
#: Legal forms and generic words stripped before looking for similar names on the lists.
_NAME_NOISE = re.compile(
    r"(股份有限公司|有限责任公司|有限公司|集团|控股|科技|技术|信息|"
    r"co\.?,?\s*ltd\.?|limited|inc\.?|corp\.?|technology|technologies)",
    re.IGNORECASE,
)
_CITY_PREFIX = re.compile(
    r"^(北京|上海|天津|重庆|广州|深圳|杭州|南京|苏州|武汉|成都|西安|合肥|长沙)(市)?"
)


def zone_claims(*, user) -> QuerySet[QualificationClaim]:
    """Claims of enterprises in the official's zones once submitted, decided ones included."""
    return (
        QualificationClaim.objects.filter(enterprise__zone__in=zones_of_official(user=user))
        .exclude(status=ClaimStatus.DRAFT)
        .select_related(
            "enterprise",
            "enterprise__zone",
            "enterprise__industry__section",
            "program",
            "decided_by",
            "registry_entry",
        )
    )


def zone_years(*, user) -> QuerySet[FinancialYear]:
    return FinancialYear.objects.filter(
        enterprise__zone__in=zones_of_official(user=user)
    ).select_related("enterprise", "enterprise__zone", "verified_by")


def iter_review_queue(
    *, user, program=None, status=None, kind: str = "", q: str = "", min_age=None, today=None
) -> Iterator[QueueItem]:
    """The same items, order and ageing as ``review_queue``: the queue's order as ids in
    one query, then the objects a thousand at a time, so an export never holds the
    queue's objects in memory (``queue_export`` refuses a queue past the export limit)."""
    queue = review_queue(
        user=user, program=program, status=status, kind=kind, q=q, min_age=min_age, today=today
    )
    keys = queue.keys()
    for start in range(0, len(keys), EXPORT_CHUNK):
        yield from queue.items_of(keys[start : start + EXPORT_CHUNK])


def similar_registry_entries(*, enterprise, limit: int = SIMILAR_NAMES_SHOWN):
    """List entries under another credit code whose name shares the enterprise's core name
    (legal form, city and generic words removed): a renamed firm or a mistyped code."""
    core = _CITY_PREFIX.sub("", _NAME_NOISE.sub("", enterprise.name)).strip(" ()（）")
    if len(core) < 2:
        return RegistryEntry.objects.none()
    return (
        RegistryEntry.objects.filter(name__icontains=core)
        .exclude(uscc=enterprise.uscc)
        .select_related("program")
        .order_by("name", "program__code", "-batch")[:limit]
    )


def registry_context(enterprise) -> dict:
    return {
        "same_code": list(entries_for_uscc(uscc=enterprise.uscc)),
        "similar_name": list(similar_registry_entries(enterprise=enterprise)),
    }


def enterprise_summary(enterprise) -> dict:
    """What the reviewer needs beside the claim: stage, recent figures, other claims."""
    years = list(FinancialYear.objects.filter(enterprise=enterprise).order_by("-year")[:3])
    latest = years[0] if years else None
    stage = stage_of(enterprise, basis=Basis.DECLARED, figures=latest)
    other_claims = (
        QualificationClaim.objects.filter(enterprise=enterprise)
        .exclude(status=ClaimStatus.DRAFT)
        .select_related("program")
        .order_by("program__code", "-year")
    )
    return {"stage": stage, "years": years, "other_claims": list(other_claims)}


_VERB_LABELS = {
    "claim.created": _("drafted"),
    "claim.updated": _("edited"),
    "evidence.added": _("evidence added"),
    "evidence.removed": _("evidence removed"),
}


_PARTY_LABELS = {
    "enterprise": _("the enterprise"),
    "zone": _("the zone"),
    "registry": _("the official list"),
    "system": _("the system"),
}


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    actor: object
    party: str
    verb: str
    label: str
    reason: str
    text: str


def claim_history(claim: QualificationClaim) -> list[HistoryEntry]:
    """The claim's audit events, oldest first, in words."""
    events = AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(QualificationClaim),
        target_id=str(claim.pk),
    ).select_related("actor")
    history = []
    for event in events.order_by("created_at", "id"):
        after = event.after or {}
        if event.verb.startswith("claim.") and event.verb[6:] in ClaimStatus.values:
            label = ClaimStatus(event.verb[6:]).label
        else:
            label = _VERB_LABELS.get(event.verb) or audit_verb_label(event.verb)
        code = after.get("reason_code") or ""
        history.append(
            HistoryEntry(
                at=event.created_at,
                actor=event.actor,
                party=str(_PARTY_LABELS.get(after.get("party", ""), "")),
                verb=event.verb,
                label=str(label),
                reason=rejection_reason_label(code) if code else "",
                text=after.get("reason_text") or "",
            )
        )
    return history
