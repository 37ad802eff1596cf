"""The policy funds' pages under /funds/."""

from django.urls import path

from ecosystem.funds.views import loans

app_name = "funds"

urlpatterns = [
    path("loans/", loans.loan_list, name="loan_list"),
    path("loans/upload/", loans.loan_upload, name="loan_upload"),
    path("loans/<int:pk>/", loans.loan_detail, name="loan_detail"),
    path("loans/<int:pk>/report/", loans.loan_report, name="loan_report"),
    path("loans/<int:pk>/payment/", loans.loan_event, name="loan_event"),
    path("leads/<int:lead_pk>/loan/", loans.loan_open, name="loan_open"),
]
