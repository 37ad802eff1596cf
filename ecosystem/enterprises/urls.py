from django.urls import include, path

from ecosystem.enterprises import views
from ecosystem.enterprises.views import identity

register = [
    path("", views.onboarding_start, name="onboarding_start"),
    path("check-code/", views.onboarding_uscc_check, name="onboarding_uscc_check"),
    path("join/", views.onboarding_join, name="onboarding_join"),
    path("dispute/", identity.onboarding_dispute, name="onboarding_dispute"),
    path("<slug:step>/", views.onboarding_step, name="onboarding_step"),
    path("<slug:step>/autosave/", views.onboarding_autosave, name="onboarding_autosave"),
]

claim = [
    path("", views.claim_detail, name="claim_detail"),
    path("edit/", views.claim_edit, name="claim_edit"),
    path("submit/", views.claim_submit, name="claim_submit"),
    path("evidence/add/", views.evidence_upload, name="evidence_upload"),
    path("evidence/<int:evidence_pk>/", views.evidence_download, name="evidence_download"),
    path("evidence/<int:evidence_pk>/remove/", views.evidence_remove, name="evidence_remove"),
]

enterprise = [
    path("", views.enterprise_detail, name="enterprise_detail"),
    path("edit/", views.enterprise_edit, name="enterprise_edit"),
    path("self-assessment/", views.self_assessment, name="self_assessment"),
    path("figures/", views.financial_year_list, name="financial_year_list"),
    path("figures/add/", views.financial_year_add, name="financial_year_add"),
    path("figures/<int:year>/edit/", views.financial_year_edit, name="financial_year_edit"),
    path("needs/", views.financing_need_list, name="financing_need_list"),
    path("needs/add/", views.financing_need_add, name="financing_need_add"),
    path("needs/<int:need_pk>/close/", views.financing_need_close, name="financing_need_close"),
    path("claims/", views.claim_list, name="claim_list"),
    path("claims/new/", views.claim_create, name="claim_create"),
    path("claims/<int:claim_pk>/", include(claim)),
    path("members/", views.member_list, name="member_list"),
    path("members/invite/", views.member_invite, name="member_invite"),
    path("members/transfer/", views.ownership_transfer, name="ownership_transfer"),
    path("members/leave/", views.member_leave, name="member_leave"),
    path("members/<int:membership_pk>/remove/", views.member_remove, name="member_remove"),
    path(
        "members/requests/<int:request_pk>/",
        views.join_request_decide,
        name="join_request_decide",
    ),
    path("consent/", views.consent_list, name="consent_list"),
    path("consent/grant/", views.consent_grant, name="consent_grant"),
    path("consent/<int:consent_pk>/revoke/", views.consent_revoke, name="consent_revoke"),
    path("access-log/", views.access_log, name="access_log"),
    path("identity/", identity.enterprise_identity, name="enterprise_identity"),
    path(
        "identity/bank-confirm/",
        identity.identity_bank_confirm_view,
        name="identity_bank_confirm",
    ),
]

urlpatterns = [
    path("", views.my_enterprises, name="my_enterprises"),
    path(
        "join-requests/<int:request_pk>/cancel/",
        views.join_request_cancel,
        name="join_request_cancel",
    ),
    path("register/", include(register)),
    path(
        "identity-documents/<int:document_pk>/",
        identity.identity_document,
        name="identity_document",
    ),
    path("<int:pk>/", include(enterprise)),
]
