from django.urls import include, path
from django.views.generic import RedirectView

from ecosystem.financing import views

enterprise = [
    path("matches/", views.enterprise_matches, name="financing_enterprise_matches"),
    path("matches/<int:match_pk>/apply/", views.match_apply, name="financing_match_apply"),
    path("invitations/", views.invitation_list, name="financing_invitations"),
    path(
        "invitations/<int:invitation_pk>/accept/",
        views.invitation_accept,
        name="financing_invitation_accept",
    ),
    path(
        "invitations/<int:invitation_pk>/decline/",
        views.invitation_decline,
        name="financing_invitation_decline",
    ),
]

bank = [
    path("", RedirectView.as_view(pattern_name="financing_products"), name="financing_bank_home"),
    path("products/", views.product_list, name="financing_products"),
    path("products/new/", views.product_create, name="financing_product_create"),
    path("products/<int:product_pk>/", views.product_edit, name="financing_product_edit"),
    path("matches/", views.bank_matches, name="financing_bank_matches"),
    path(
        "matches/export/<str:fmt>/",
        views.bank_matches_export,
        name="financing_bank_matches_export",
    ),
    path("campaigns/", views.campaign_list, name="financing_campaigns"),
    path("campaigns/new/", views.campaign_create, name="financing_campaign_create"),
    path("campaigns/<int:campaign_pk>/", views.campaign_detail, name="financing_campaign_detail"),
    path("campaigns/<int:campaign_pk>/send/", views.campaign_send, name="financing_campaign_send"),
]

urlpatterns = [
    path("enterprises/<int:pk>/", include(enterprise)),
    path("bank/", include(bank)),
]
