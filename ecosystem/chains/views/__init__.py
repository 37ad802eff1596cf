"""Chain pages: the chain view with coverage, the platform ecosystem page, enterprises'
nodes and supplier links, and the zone's chain leaders."""

from ecosystem.chains.views.coverage import (
    chain_detail,
    chain_export,
    chain_list,
    node_enterprises,
)
from ecosystem.chains.views.ecosystem import ecosystem, ecosystem_export
from ecosystem.chains.views.enterprise import (
    enterprise_links,
    enterprise_nodes,
    link_invite,
    link_move,
    link_request,
)
from ecosystem.chains.views.leaders import leader_end, leader_list

__all__ = [
    "chain_detail",
    "chain_export",
    "chain_list",
    "ecosystem",
    "ecosystem_export",
    "enterprise_links",
    "enterprise_nodes",
    "leader_end",
    "leader_list",
    "link_invite",
    "link_move",
    "link_request",
    "node_enterprises",
]
