"""The policy funds' pages under /funds/."""

from django.urls import path

from ecosystem.funds.views import dashboard, declarations, loans, pools, schemes

app_name = "funds"

urlpatterns = [
    path("loans/", loans.loan_list, name="loan_list"),
    path("loans/upload/", loans.loan_upload, name="loan_upload"),
    path("loans/<int:pk>/", loans.loan_detail, name="loan_detail"),
    path("loans/<int:pk>/report/", loans.loan_report, name="loan_report"),
    path("loans/<int:pk>/payment/", loans.loan_event, name="loan_event"),
    path("loans/<int:loan_pk>/file/", pools.filing_create, name="filing_create"),
    path("loans/<int:loan_pk>/subsidy/", pools.subsidy_create, name="subsidy_create"),
    path("leads/<int:lead_pk>/loan/", loans.loan_open, name="loan_open"),
    path("sharing/<int:enterprise_pk>/", loans.loan_sharing, name="loan_sharing"),
    path("schemes/", schemes.scheme_list, name="scheme_list"),
    path("schemes/new/", schemes.scheme_create, name="scheme_create"),
    path("schemes/<int:pk>/", schemes.scheme_detail, name="scheme_detail"),
    path("schemes/<int:pk>/join/", schemes.scheme_join, name="scheme_join"),
    path("schemes/<int:pk>/terms/", schemes.scheme_version_create, name="scheme_version_create"),
    path("schemes/<int:pk>/managers/", schemes.scheme_managers, name="scheme_managers"),
    path(
        "schemes/<int:pk>/managers/appoint/",
        schemes.scheme_manager_appoint,
        name="scheme_manager_appoint",
    ),
    path(
        "schemes/<int:pk>/managers/<int:membership_pk>/end/",
        schemes.scheme_manager_end,
        name="scheme_manager_end",
    ),
    path("products/<int:product_pk>/scheme/", declarations.product_scheme, name="product_scheme"),
    path("work/", pools.work_list, name="work_list"),
    path("dashboard/", dashboard.fund_dashboard, name="fund_dashboard"),
    path(
        "dashboard/export/<slug:table>/<str:fmt>/",
        dashboard.fund_dashboard_export,
        name="fund_dashboard_export",
    ),
    path("filings/<int:pk>/", pools.filing_detail, name="filing_detail"),
    path("filings/<int:pk>/move/", pools.filing_move, name="filing_move"),
    path("filings/<int:filing_pk>/claim/", pools.claim_create, name="claim_create"),
    path("claims/<int:pk>/", pools.claim_detail, name="claim_detail"),
    path("claims/<int:pk>/move/", pools.claim_move, name="claim_move"),
    path("claims/<int:pk>/recovery/", pools.recovery_create, name="recovery_create"),
    path("subsidies/<int:pk>/", pools.subsidy_detail, name="subsidy_detail"),
    path("subsidies/<int:pk>/move/", pools.subsidy_move, name="subsidy_move"),
]
