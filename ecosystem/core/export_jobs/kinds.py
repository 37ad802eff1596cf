"""The registry of export kinds: each app's exports, described once.

A kind is a name (``"financing.matches"``), a label the job pages show, the rule that says
whether a user may run it at all (the same gate as the list page), and ``build(user=,
filters=)``, which returns the :class:`~ecosystem.core.exports.ExportTable` of the user's
scope through the app's scoped selectors. Builders raise :class:`ScopeLost` when a filter
names something the user may no longer see. The apps register their kinds in
``AppConfig.ready``, so web processes and workers know the same ones.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ecosystem.core.exports import ExportTable


class ScopeLost(Exception):
    """The user may no longer read what the export was asked for: it holds nothing."""


@dataclass(frozen=True)
class ExportKind:
    name: str
    label: object
    allowed: Callable[[object], bool]
    build: Callable[..., ExportTable]
    #: The URL of the list the export comes from, for its filters (a link back).
    back: Callable[[dict], str] | None = None


_KINDS: dict[str, ExportKind] = {}


def register(kind: ExportKind) -> ExportKind:
    """Add ``kind``; registering the same name again replaces it (app reloads in tests)."""
    _KINDS[kind.name] = kind
    return kind


def get(name: str) -> ExportKind | None:
    return _KINDS.get(name)


def label_of(name: str) -> str:
    """The kind's label in the active language ("export" for a kind no app registers)."""
    from django.utils.translation import gettext

    kind = _KINDS.get(name)
    return str(kind.label) if kind else gettext("export")
