"""The zone official's identity pages under /zones/ (routed by portal/urls.py)."""

from django.urls import path

from ecosystem.enterprises.views import zone_identity as views

urlpatterns = [
    path("identity/", views.zone_identity_queue, name="zone_identity_queue"),
    path("identity/<int:pk>/", views.zone_identity_review, name="zone_identity_review"),
    path("identity/<int:pk>/decide/", views.zone_identity_decide, name="zone_identity_decide"),
    path("disputes/<int:pk>/", views.zone_dispute_review, name="zone_dispute_review"),
    path("disputes/<int:pk>/decide/", views.zone_dispute_decide, name="zone_dispute_decide"),
    path("name-flags/<int:pk>/clear/", views.zone_name_flag_clear, name="zone_name_flag_clear"),
]
