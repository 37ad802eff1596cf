from django.urls import path
from django.views.generic import RedirectView

from ecosystem.zones import views

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="zone_queue"), name="zone_home"),
    path("queue/", views.queue, name="zone_queue"),
    path("queue/bulk/", views.queue_bulk, name="zone_queue_bulk"),
    path("queue/export/<str:fmt>/", views.queue_export, name="zone_queue_export"),
    path("claims/<int:pk>/", views.claim_review, name="zone_claim_review"),
    path("claims/<int:pk>/decide/", views.claim_decide, name="zone_claim_decide"),
    path("years/<int:pk>/", views.year_review, name="zone_year_review"),
    path("dashboard/", views.dashboard, name="zone_dashboard"),
    path(
        "dashboard/export/<slug:table>/<str:fmt>/",
        views.dashboard_export,
        name="zone_dashboard_export",
    ),
    path("settings/", views.zone_settings, name="zone_settings"),
]
