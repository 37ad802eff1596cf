"""The zone official's review pages under /zones/ (routed by portal/urls.py)."""

from django.urls import path
from django.views.generic import RedirectView

from ecosystem.enterprises.review.views import preferences, queue, review, years

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="zone_queue"), name="zone_home"),
    path("queue/", queue.queue, name="zone_queue"),
    path("queue/bulk/", queue.queue_bulk, name="zone_queue_bulk"),
    path("queue/export/<str:fmt>/", queue.queue_export, name="zone_queue_export"),
    path("claims/<int:pk>/", review.claim_review, name="zone_claim_review"),
    path("claims/<int:pk>/decide/", review.claim_decide, name="zone_claim_decide"),
    path("years/<int:pk>/", years.year_review, name="zone_year_review"),
    path("settings/", preferences.zone_settings, name="zone_settings"),
]
