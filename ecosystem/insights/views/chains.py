"""The chain view: a tree of nodes with, per node, the enterprises on or under it and
how far financing reached them; nodes with enterprises but no money stand out. The chart
is drawn by static/js/chain_view.js from data passed with ``json_script``; the same
figures are in the table below it, which exports to CSV or XLSX."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ecosystem.chains import selectors
from ecosystem.chains.models import Chain, ChainNode
from ecosystem.chains.selectors import enterprises_on_node
from ecosystem.chains.views.common import coverage_required, pick_zones
from ecosystem.core.exports import export_response
from ecosystem.core.gates import EXPORT_FORMATS, export_format
from ecosystem.enterprises.selectors import enterprises_visible_to
from ecosystem.financing.views.inbox_page import requested_page
from ecosystem.insights.chain_figures import (
    chain_coverage,
    chain_node_enterprises,
    chains_coverage,
)
from ecosystem.insights.coverage import NodeCoverage, enterprise_flags

#: Enterprises per page of a node's list.
NODE_PAGE_SIZE = 50
#: A bank's visible enterprises on a node counted past the requested page (then "more than").
NODE_COUNT_CAP = 200


class CountedPaginator(Paginator):
    """A paginator told its count (the coverage counters know it) instead of counting."""

    capped = False

    def __init__(self, object_list, per_page, count: int):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # ``count`` is a cached property


def _visible_page(visible, wanted):
    """A bank's page of ``visible`` enterprises: their ids in name order read once, up to
    ``NODE_COUNT_CAP`` (or the requested page and one more) and one past it (the bank's
    visibility rule is evaluated once, not for a count and again for the page), then the
    page's rows. The paginator's ``capped`` says the count stopped there."""
    number = requested_page(wanted)
    limit = max(NODE_COUNT_CAP, (number + 1) * NODE_PAGE_SIZE) + 1
    ids = list(visible.order_by("name", "pk").values_list("pk", flat=True)[:limit])
    paginator = Paginator(ids[: limit - 1], NODE_PAGE_SIZE)
    paginator.capped, paginator.capped_at = len(ids) == limit, limit - 1
    page = paginator.get_page(wanted)
    rows = visible.model.objects.select_related("zone").in_bulk(page.object_list)
    page.object_list = [rows[pk] for pk in page.object_list]
    return paginator, page


def _scope(request):
    zones = selectors.coverage_zones(user=request.user)
    zone, chosen = pick_zones(request, zones)
    return zone, zones, chosen, selectors.coverage_banks(user=request.user)


def _query(zone) -> str:
    return f"?zone={zone.pk}" if zone is not None else ""


@coverage_required
def chain_list(request):
    zone, zones, chosen, banks = _scope(request)
    figures = chains_coverage(zones=chosen, bank_ids=banks)
    rows = []
    for chain in Chain.objects.all():
        total, gaps = figures.get(chain.pk, (NodeCoverage(None), 0))
        rows.append(
            {
                "chain": chain,
                "total": total,
                "gaps": gaps,
                "url": chain.get_absolute_url() + _query(zone),
            }
        )
    return render(
        request,
        "chains/chain_list.html",
        {"rows": rows, "zone": zone, "zones": zones, "tab": "chains"},
    )


def _tree(chain, nodes, zone) -> dict:
    """The ECharts tree: the chain at the root, each node with its figures and link."""
    query = _query(zone)
    by_path = {}
    root = {"name": chain.name, "children": [], "url": ""}
    for row in nodes:
        node = row.node
        item = {
            "name": node.name,
            "value": row.enterprises,
            "segment": node.segment,
            "segmentLabel": str(node.get_segment_display()),
            "verified": row.verified,
            "matched": row.matched,
            "leads": row.leads,
            "financed": f"{row.financed:,.2f}",
            "gap": row.gap,
            "url": reverse("chains:node_enterprises", args=[chain.code, node.pk]) + query,
            "children": [],
        }
        by_path[node.path] = item
        parent = by_path.get(node.path.rsplit("/", 1)[0])
        (parent["children"] if parent else root["children"]).append(item)
    return root


def coverage_table(nodes) -> tuple[list[str], list[list]]:
    header = [
        _("node"),
        _("segment"),
        _("enterprises"),
        _("verified"),
        _("matched"),
        _("leads"),
        _("financed (yuan)"),
        _("gap"),
    ]
    rows = [
        [
            n.node.name,
            n.node.get_segment_display(),
            n.enterprises,
            n.verified,
            n.matched,
            n.leads,
            n.financed,
            _("enterprises but no financing") if n.gap else "",
        ]
        for n in nodes
    ]
    return header, rows


@coverage_required
def chain_detail(request, code: str):
    chain = get_object_or_404(Chain, code=code)
    zone, zones, chosen, banks = _scope(request)
    nodes, total = chain_coverage(chain=chain, zones=chosen, bank_ids=banks)
    for row in nodes:
        row.url = reverse("chains:node_enterprises", args=[chain.code, row.node.pk]) + _query(zone)
    chart = {
        "tree": _tree(chain, nodes, zone),
        "text": {
            "enterprises": _("enterprises"),
            "verified": _("verified"),
            "matched": _("matched"),
            "leads": _("leads"),
            "financed": _("financed (yuan)"),
            "gap": _("enterprises but no financing"),
        },
    }
    return render(
        request,
        "chains/chain_detail.html",
        {
            "chain": chain,
            "tab": "chains",
            "nodes": nodes,
            "total": total,
            "zone": zone,
            "zones": zones,
            "chart": chart,
            "export_urls": [
                reverse("chains:chain_export", args=[chain.code, fmt]) + _query(zone)
                for fmt in EXPORT_FORMATS
            ],
            "leaders": selectors.leaders_active().filter(chain=chain, enterprise__zone__in=chosen),
        },
    )


@coverage_required
def chain_export(request, code: str, fmt: str):
    fmt = export_format(fmt)
    chain = get_object_or_404(Chain, code=code)
    zone, _zones, chosen, banks = _scope(request)
    nodes, _total = chain_coverage(chain=chain, zones=chosen, bank_ids=banks)
    header, rows = coverage_table(nodes)
    suffix = f"-{zone.code}" if zone is not None else ""
    return export_response(fmt, f"chain-{chain.code}{suffix}", header, rows, sheet_title=code)


@coverage_required
def node_enterprises(request, code: str, node_pk: int):
    """The enterprises on or under a node, as far as the user may see them, a page at a
    time: officials and admins see every one of their zones; a bank sees those that gave
    it consent and a count of the others. Flags are read for the page's enterprises only."""
    node = get_object_or_404(
        ChainNode.objects.select_related("chain"), pk=node_pk, chain__code=code
    )
    zone, zones, chosen, banks = _scope(request)
    # the zone ids as values: an official's zone reads its enterprises in name order
    zone_ids = list(chosen.values_list("pk", flat=True))
    on_node = enterprises_on_node(reach=selectors.node_reach(node=node, zone_ids=zone_ids))
    # every enterprise of the zones on the node (the counters: no bank in that figure)
    total = chain_node_enterprises(node=node, zone_ids=zone_ids)
    if selectors.sees_every_enterprise_of(user=request.user, zone_ids=zone_ids):
        paginator = CountedPaginator(on_node.order_by("name", "pk"), NODE_PAGE_SIZE, total)
        page = paginator.get_page(request.GET.get("page"))
    else:
        # one WHERE: the visibility rule checked on the node's enterprises only (as a
        # ``pk IN`` subquery it evaluated every enterprise the bank may see: 0.5 s)
        visible = on_node & enterprises_visible_to(user=request.user)
        paginator, page = _visible_page(visible, request.GET.get("page"))
    flags = enterprise_flags(enterprise_ids=[e.pk for e in page], bank_ids=banks)
    rows = [{"enterprise": e, "flags": flags[e.pk]} for e in page]
    context = {
        "node": node,
        "chain": node.chain,
        "rows": rows,
        "page": page,
        # how many have not shared their data: known when the count was not capped
        "hidden": 0 if paginator.capped else total - paginator.count,
        "zone": zone,
        "zones": zones,
        "back_url": node.chain.get_absolute_url() + _query(zone),
        "tab": "chains",
    }
    return render(request, "chains/node.html", context)
