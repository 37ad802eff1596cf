from django.urls import path

from ecosystem.chains import views

app_name = "chains"

urlpatterns = [
    path("", views.chain_list, name="chain_list"),
    path("ecosystem/", views.ecosystem, name="ecosystem"),
    path(
        "ecosystem/export/<slug:table>/<str:fmt>/",
        views.ecosystem_export,
        name="ecosystem_export",
    ),
    path("leaders/", views.leader_list, name="leader_list"),
    path("leaders/<int:leader_pk>/end/", views.leader_end, name="leader_end"),
    path("enterprises/<int:pk>/nodes/", views.enterprise_nodes, name="enterprise_nodes"),
    path("enterprises/<int:pk>/links/", views.enterprise_links, name="enterprise_links"),
    path("enterprises/<int:pk>/links/request/", views.link_request, name="link_request"),
    path("enterprises/<int:pk>/links/invite/", views.link_invite, name="link_invite"),
    path("links/<int:link_pk>/move/", views.link_move, name="link_move"),
    path("<slug:code>/", views.chain_detail, name="chain_detail"),
    path("<slug:code>/export/<str:fmt>/", views.chain_export, name="chain_export"),
    path("<slug:code>/nodes/<int:node_pk>/", views.node_enterprises, name="node_enterprises"),
]
