"""The API root: each app contributes its routes under /api/v1/."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

router = DefaultRouter()

urlpatterns = [
    path("", include("ecosystem.accounts.api.urls")),
    path("", include("ecosystem.enterprises.api.urls")),
    path("", include("ecosystem.registries.api.urls")),
    path("", include("ecosystem.enterprises.review.api.urls")),
    path("", include("ecosystem.insights.api.urls")),
    path("", include("ecosystem.financing.api.urls")),
    path("", include("ecosystem.chains.api.urls")),
    path("", include("ecosystem.funds.api.urls")),
    path("", include(router.urls)),
]
