from django.urls import path

from ecosystem.chains import views

#: Routed by portal/urls.py in the "chains" namespace together with the chain reports of
#: ``insights`` (these fixed prefixes come before the chain codes there).
urlpatterns = [
    path("leaders/", views.leader_list, name="leader_list"),
    path("leaders/<int:leader_pk>/end/", views.leader_end, name="leader_end"),
    path("enterprises/<int:pk>/nodes/", views.enterprise_nodes, name="enterprise_nodes"),
    path("enterprises/<int:pk>/links/", views.enterprise_links, name="enterprise_links"),
    path("enterprises/<int:pk>/links/request/", views.link_request, name="link_request"),
    path("enterprises/<int:pk>/links/invite/", views.link_invite, name="link_invite"),
    path("links/<int:link_pk>/move/", views.link_move, name="link_move"),
]
