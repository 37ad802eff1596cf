"""The reporting pages, routed by portal/urls.py under the prefix of the role they serve
(URL names are global, as they were before the dashboards moved here)."""

from django.urls import path

from ecosystem.insights.views import bank, chains, ecosystem, home, platform, reconciliation, zone

#: At the root: the landing page and the role home page.
home_patterns = [
    path("", home.home, name="home"),
]

#: Under /zones/: the zone official's dashboard.
zone_patterns = [
    path("dashboard/", zone.dashboard, name="zone_dashboard"),
    path(
        "dashboard/export/<slug:table>/<str:fmt>/",
        zone.dashboard_export,
        name="zone_dashboard_export",
    ),
]

#: Under /platform/: the platform admin's dashboard.
platform_patterns = [
    path("dashboard/", platform.dashboard, name="platform_dashboard"),
    path(
        "dashboard/export/<slug:table>/<str:fmt>/",
        platform.dashboard_export,
        name="platform_dashboard_export",
    ),
]

#: Under /financing/bank/: the bank's dashboard.
bank_patterns = [
    path("dashboard/", bank.bank_dashboard, name="financing_bank_dashboard"),
    path(
        "dashboard/export/<str:table>/<str:fmt>/",
        bank.bank_dashboard_export,
        name="financing_bank_dashboard_export",
    ),
]

#: Under /registries/: an official list reconciled against the registered enterprises.
registry_patterns = [
    path("lists/", reconciliation.list_index, name="registry_lists"),
    path(
        "lists/<int:program_pk>/",
        reconciliation.reconciliation,
        name="registry_reconciliation",
    ),
    path(
        "lists/<int:program_pk>/export/<slug:table>/<str:fmt>/",
        reconciliation.reconciliation_export,
        name="registry_reconciliation_export",
    ),
]

#: Under /chains/ (namespace "chains"): the chain views with coverage and the ecosystem
#: page. The chain codes come last, after the fixed prefixes of ``chains.urls``.
chain_patterns = [
    path("", chains.chain_list, name="chain_list"),
    path("ecosystem/", ecosystem.ecosystem, name="ecosystem"),
    path(
        "ecosystem/export/<slug:table>/<str:fmt>/",
        ecosystem.ecosystem_export,
        name="ecosystem_export",
    ),
]
chain_code_patterns = [
    path("<slug:code>/", chains.chain_detail, name="chain_detail"),
    path("<slug:code>/export/<str:fmt>/", chains.chain_export, name="chain_export"),
    path("<slug:code>/nodes/<int:node_pk>/", chains.node_enterprises, name="node_enterprises"),
]
