"""The dashboards' figures read from the summary tables against the same figures counted
lead by lead (``insights.bank``, ``insights.decision``): shared by the summaries'
recount tests."""

from __future__ import annotations

from dataclasses import replace

from ecosystem.insights import bank as by_leads
from ecosystem.insights import decision as decision_by_leads
from ecosystem.insights import summary as by_summary
from ecosystem.insights.summary import SummaryScope


def assert_same_figures(scope: SummaryScope, leads, now) -> None:
    """The scope's figures equal the lead-by-lead ones, read as the bank and platform
    dashboards read them (a grouped query per breakdown) and as the zone dashboard does
    (``read_once``: the histogram rows and the leads due ahead read once, grouped in
    Python) and as the platform dashboard does (``together``: the breakdowns and totals
    from one statement)."""
    together = replace(scope, read_once=True, together=("zone", "bank", "product", "branch"))
    for each in (scope, replace(scope, read_once=True), together):
        _assert_same_figures(each, leads, now)


def _assert_same_figures(scope: SummaryScope, leads, now) -> None:
    assert by_summary.lead_funnel(scope) == by_leads.lead_funnel(leads=leads)
    assert by_summary.amounts(scope) == by_leads.amounts(leads=leads)
    assert by_summary.response_figures(scope, now=now) == by_leads.response_figures(
        leads=leads, now=now
    )
    assert by_summary.decision_overall(scope, now=now) == decision_by_leads.decision_overall(
        leads=leads, now=now
    )
    for dimension in ("product", "zone", "branch", "bank", "chain"):
        assert by_summary.conversion_by(scope, dimension=dimension) == by_leads.conversion_by(
            leads=leads, dimension=dimension
        )
        assert by_summary.decision_by(
            scope, dimension=dimension, now=now
        ) == decision_by_leads.decision_by(leads=leads, dimension=dimension, now=now)
