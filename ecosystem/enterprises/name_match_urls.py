"""The name-match queue, under /registries/ beside the officer's other pages."""

from django.urls import path

from ecosystem.enterprises.views import name_matches

urlpatterns = [
    path("name-matches/", name_matches.name_match_queue, name="registry_name_matches"),
    path(
        "name-matches/<int:pk>/<str:decision>/",
        name_matches.name_match_decide,
        name="registry_name_match_decide",
    ),
]
