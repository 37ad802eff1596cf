"""Which leads a dashboard's summary figures are over (``SummaryScope``), and what a scope
keeps for the one request it lives for; the figures themselves are ``insights.summary``'s."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q

from ecosystem.financing.models import (
    ChainLeadDuration,
    ChainLeadSummary,
    Lead,
    LeadDuration,
    LeadSummary,
)
from ecosystem.insights.histograms import rollup_banks


@dataclass(frozen=True)
class SummaryScope:
    """Which leads: ``q`` over ``bank_id`` / ``branch_id`` (``permissions.bank_leads_q``),
    narrowed to one product, branch or zone."""

    q: Q = field(default_factory=Q)
    product_id: int | None = None
    branch_id: int | None = None
    zone_id: int | None = None
    #: Read the scope's duration histogram and its leads due ahead once for every
    #: breakdown and group them in Python (``histograms.grouped_histograms``,
    #: ``ahead.leads_due_ahead``), instead of a grouped query per breakdown: for a scope
    #: whose rows are few (one zone's: about two thousand histogram rows nationally).
    read_once: bool = False
    #: For a scope read once, on PostgreSQL: these breakdowns (not "chain") and the
    #: totals read from one statement when the first of them is read
    #: (``grouped.read_together``), instead of a grouped query each.
    together: tuple[str, ...] = ()
    #: The scope's summary rows grouped per dimension, read once (:func:`group_sums`): the
    #: conversion and time-to-decision tables of a dashboard group the same rows; with
    #: ``read_once``, the rows read once too. A scope lives for one request;
    #: ``dataclasses.replace`` starts a new one empty.
    _groups: dict = field(default_factory=dict, init=False, compare=False, repr=False)

    def _narrow(self, zone_lookup: str) -> dict:
        out = {}
        if self.product_id is not None:
            out["product_id"] = self.product_id
        if self.branch_id is not None:
            out["branch_id"] = self.branch_id
        if self.zone_id is not None:
            out[zone_lookup] = self.zone_id
        return out

    def summary(self, *, chains: bool = False):
        model = ChainLeadSummary if chains else LeadSummary
        return model.objects.filter(self.q, **self._narrow("zone_id")).order_by()

    def durations(self, *, chains: bool = False):
        model = ChainLeadDuration if chains else LeadDuration
        return model.objects.filter(self.q, **self._narrow("zone_id")).order_by()

    def leads(self):
        return Lead.objects.filter(self.q, **self._narrow("zone_id")).order_by()

    def rollup_banks(self) -> tuple[int, ...] | None:
        """The banks to read from ``LeadDurationRollup`` (``histograms.rollup_banks``), or
        None when the scope is narrowed by anything the rollup does not keep."""
        narrowed = (self.product_id, self.branch_id, self.zone_id) != (None, None, None)
        if narrowed or connection.vendor != "postgresql":
            return None
        return rollup_banks(self.q)
