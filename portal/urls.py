from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny

from ecosystem.chains import urls as chain_pages
from ecosystem.core.api.schema import CachedSchemaView
from ecosystem.core.health import healthz, ready
from ecosystem.insights import urls as insights

admin.site.site_header = settings.ADMIN_SITE_HEADER
# The admin signs in through allauth, so platform admins get the same second factor.
admin.site.login = login_required(admin.site.login)

urlpatterns = [
    path("healthz/", healthz, name="healthz"),
    path("healthz/ready/", ready, name="healthz-ready"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", include("portal.api")),
    path("api/schema/", CachedSchemaView.as_view(permission_classes=[AllowAny]), name="api-schema"),
    path(
        "api/docs/",
        # The split view loads its start-up code as a script file, so script-src stays 'self';
        # Swagger UI styles itself inline, which only this page allows.
        csp_update({"style-src": ["'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(
                url_name="api-schema", permission_classes=[AllowAny]
            )
        ),
        name="api-docs",
    ),
    path("enterprises/", include("ecosystem.enterprises.urls")),
    # The zone official's pages: the review workspace (enterprises) and the dashboard.
    path("zones/", include("ecosystem.enterprises.review.urls")),
    path("zones/", include("ecosystem.enterprises.identity_urls")),
    path("zones/", include(insights.zone_patterns)),
    path("platform/", include(insights.platform_patterns)),
    path("registries/", include("ecosystem.registries.urls")),
    path("registries/", include(insights.registry_patterns)),
    path("registries/", include("ecosystem.enterprises.name_match_urls")),
    path("financing/bank/", include(insights.bank_patterns)),
    path("financing/", include("ecosystem.financing.urls")),
    path("funds/", include("ecosystem.funds.urls")),
    path(
        "chains/",
        include(
            (
                insights.chain_patterns + chain_pages.urlpatterns + insights.chain_code_patterns,
                "chains",
            )
        ),
    ),
    path("", include("ecosystem.accounts.urls")),
    path("", include(insights.home_patterns)),
    path("", include("ecosystem.core.urls")),
]
