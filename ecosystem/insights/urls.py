"""The reporting pages, routed by portal/urls.py under the prefix of the role they serve
(URL names are global, as they were before the dashboards moved here)."""

from django.urls import path

from ecosystem.insights.views import bank, platform, zone

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
