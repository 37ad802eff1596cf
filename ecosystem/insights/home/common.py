"""What every home panel is made of: counters, work items, panels, links and times."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

#: Lines of work shown per panel (the counters link to the rest).
ITEMS = 5


@dataclass
class Counter:
    label: str
    value: int
    url: str = ""
    #: Drawn as needing attention when not zero.
    urgent: bool = False


@dataclass
class WorkItem:
    title: str
    url: str
    detail: str = ""
    urgent: bool = False


@dataclass
class Panel:
    role: str
    title: str
    scope: str
    figures: list[Counter] = field(default_factory=list)
    items: list[WorkItem] = field(default_factory=list)
    #: Heading of the work list; shown with ``empty`` when there is no work.
    items_title: str = ""
    empty: str = ""
    #: (label, url) of the pages the role oversees (a platform admin's way into each party's
    #: pages, which its navigation does not list).
    links: list[tuple[str, str]] = field(default_factory=list)


def _url(name: str, *args, **query) -> str:
    url = reverse(name, args=args)
    query = {k: v for k, v in query.items() if v not in (None, "")}
    return f"{url}?{urlencode(query)}" if query else url


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""
