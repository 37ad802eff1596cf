"""Chain pages: enterprises' nodes and supplier links, and the zone's chain leaders (the
chain views with coverage and the ecosystem page are reports, in ``insights``)."""

from ecosystem.chains.views.enterprise import (
    enterprise_links,
    enterprise_nodes,
    link_invite,
    link_move,
    link_request,
)
from ecosystem.chains.views.leaders import leader_end, leader_list

__all__ = [
    "enterprise_links",
    "enterprise_nodes",
    "leader_end",
    "leader_list",
    "link_invite",
    "link_move",
    "link_request",
]
