from django.urls import include, path
from django.views.generic import RedirectView

from ecosystem.financing import views

enterprise = [
    path("matches/", views.enterprise_matches, name="financing_enterprise_matches"),
    path("matches/<int:match_pk>/apply/", views.match_apply, name="financing_match_apply"),
    path(
        "matches/ask-verification/",
        views.figures_verification_ask,
        name="financing_figures_verification_ask",
    ),
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
    path("leads/", views.enterprise_leads, name="financing_enterprise_leads"),
    path(
        "leads/offers/<int:offer_pk>/",
        views.enterprise_offer_confirm,
        name="financing_enterprise_offer_confirm",
    ),
    path(
        "leads/offers/<int:offer_pk>/accept/",
        views.enterprise_offer_accept,
        name="financing_enterprise_offer_accept",
    ),
    path(
        "leads/offers/<int:offer_pk>/decline/",
        views.enterprise_offer_decline,
        name="financing_enterprise_offer_decline",
    ),
]

leads = [
    path("", views.lead_inbox, name="financing_lead_inbox"),
    path("export/<str:fmt>/", views.lead_export, name="financing_lead_export"),
    path("<int:lead_pk>/", views.lead_detail, name="financing_lead_detail"),
    path("<int:lead_pk>/claim/", views.lead_claim, name="financing_lead_claim"),
    path("<int:lead_pk>/assign/", views.lead_assign, name="financing_lead_assign"),
    path("<int:lead_pk>/move/", views.lead_move, name="financing_lead_move"),
    path("<int:lead_pk>/note/", views.lead_note, name="financing_lead_note"),
    path("<int:lead_pk>/offer/", views.lead_offer, name="financing_lead_offer"),
    path("<int:lead_pk>/disburse/", views.lead_disburse, name="financing_lead_disburse"),
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
    path("leads/", include(leads)),
]
