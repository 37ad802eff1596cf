from django.urls import path

from ecosystem.zones.views import platform

urlpatterns = [
    path("dashboard/", platform.dashboard, name="platform_dashboard"),
    path(
        "dashboard/export/<slug:table>/<str:fmt>/",
        platform.dashboard_export,
        name="platform_dashboard_export",
    ),
]
