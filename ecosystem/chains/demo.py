"""Demo chain data: the demo enterprises on chain nodes, two chain leaders (the Beijing
chip designer leads integrated circuits in Zhongguancun, the Guangzhou materials firm
leads new materials) with confirmed suppliers and one request still waiting.

Deterministic and idempotent: placements are made once per enterprise, leaders and
links are looked up before they are created.
"""

import random

from django.utils import timezone

from ecosystem.chains.models import Chain, ChainLeader, ChainNode, EnterpriseNode, SupplierLink
from ecosystem.core import events
from ecosystem.enterprises.demo import ENTERPRISES, demo_uscc
from ecosystem.enterprises.models import Enterprise

#: The article's three enterprises and their nodes.
STORY_NODES = ["ic/design/processors", "ai/algorithms/foundation-models", "new-materials/frontier"]
#: Name keywords of generated enterprises → the chain they most likely belong to.
KEYWORDS = [
    ("半导体", "ic"),
    ("芯", "ic"),
    ("智能", "ai"),
    ("软件", "ai"),
    ("信息技术", "ai"),
    ("机器人", "ai"),
    ("新材料", "new-materials"),
    ("材", "new-materials"),
    ("生物医药", "biomedicine"),
    ("医", "biomedicine"),
]
#: (story index of the leader, chain, confirmed suppliers, waiting requests)
LEADERS = [(0, "ic", 3, 1), (2, "new-materials", 2, 0)]


def _place(enterprise, path: str) -> None:
    """Add a node to the enterprise's placements, telling the apps above as the
    placement service does (the chains' lead figures follow)."""
    before = sorted(
        EnterpriseNode.objects.filter(enterprise=enterprise).values_list("node_id", flat=True)
    )
    _placement, created = EnterpriseNode.objects.get_or_create(
        enterprise=enterprise, node=ChainNode.objects.get(path=path)
    )
    if created:
        events.publish(
            events.ENTERPRISE_PLACED,
            enterprise_id=enterprise.pk,
            old_node_ids=before,
            new_node_ids=sorted([*before, _placement.node_id]),
        )


def _suppliers_for(leader: Enterprise, chain: Chain, count: int) -> list[Enterprise]:
    """Enterprises of the leader's zone on the chain, with verified figures (so supply-chain
    finance can size a limit), in a stable order."""
    return list(
        Enterprise.objects.filter(
            zone=leader.zone,
            chain_nodes__node__chain=chain,
            financial_years__verification_status="verified",
        )
        .exclude(pk=leader.pk)
        .distinct()
        .order_by("uscc")[:count]
    )


def seed(out) -> None:
    stories = [Enterprise.objects.get(uscc=demo_uscc(prefix)) for prefix, *_ in ENTERPRISES]
    for enterprise, path in zip(stories, STORY_NODES, strict=True):
        _place(enterprise, path)

    rng = random.Random(8)  # noqa: S311 - demo data, not security
    leaves = {
        chain.code: [n.path for n in chain.nodes.filter(children__isnull=True).order_by("path")]
        for chain in Chain.objects.all()
    }
    story_pks = {e.pk for e in stories}
    for enterprise in Enterprise.objects.exclude(pk__in=story_pks).order_by("uscc"):
        if EnterpriseNode.objects.filter(enterprise=enterprise).exists():
            continue
        code = next((c for word, c in KEYWORDS if word in enterprise.name), None)
        code = code or rng.choice(sorted(leaves))
        _place(enterprise, rng.choice(leaves[code]))

    for story_index, chain_code, confirmed, waiting in LEADERS:
        enterprise, chain = stories[story_index], Chain.objects.get(code=chain_code)
        leader = ChainLeader.objects.filter(
            chain=chain, enterprise=enterprise, ended_at__isnull=True
        ).first() or ChainLeader.objects.create(chain=chain, enterprise=enterprise)
        suppliers = _suppliers_for(enterprise, chain, confirmed + waiting)
        for n, supplier in enumerate(suppliers):
            status = (
                SupplierLink.Status.CONFIRMED if n < confirmed else SupplierLink.Status.REQUESTED
            )
            SupplierLink.objects.get_or_create(
                leader=leader,
                supplier=supplier,
                status__in=SupplierLink.OPEN_STATUSES,
                defaults={
                    "status": status,
                    "confirmed_at": timezone.now() if status == "confirmed" else None,
                },
            )
    out.write(
        f"chains: {Chain.objects.count()}, enterprises on nodes: "
        f"{EnterpriseNode.objects.values('enterprise').distinct().count()}, leaders: "
        f"{ChainLeader.objects.filter(ended_at__isnull=True).count()}, confirmed suppliers: "
        f"{SupplierLink.objects.filter(status='confirmed').count()}"
    )
