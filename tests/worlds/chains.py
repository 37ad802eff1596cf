"""A small chain world shared by the chain tests: two zones, a leader with a supplier and
a bystander, a bank with a supply-chain product for confirmed suppliers of a leader."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ecosystem.chains import services as cs
from ecosystem.chains.models import Chain, ChainNode
from ecosystem.financing import services as fs
from tests.factories import (
    BankManagerFactory,
    BankStaffFactory,
    BranchFactory,
    EnterpriseFactory,
    EnterpriseMemberFactory,
    PlatformAdminFactory,
    ZoneFactory,
    ZoneOfficialFactory,
)

SUPPLY_TERMS = {
    "amount_min": Decimal(500_000),
    "amount_max": Decimal(5_000_000),
    "term_min_months": 3,
    "term_max_months": 12,
    "rate_min": Decimal("3.0"),
    "rate_max": Decimal("4.0"),
    "requires_confirmed_supplier": True,
    "limit_basis": "fixed",
    "limit_factor": Decimal(2_000_000),
}


@dataclass
class ChainWorld:
    chain: Chain
    zone: object
    other_zone: object
    leader_enterprise: object
    supplier: object
    bystander: object
    elsewhere: object
    leader: object
    bank: object
    product_version: object
    users: dict = field(default_factory=dict)

    def node(self, path: str) -> ChainNode:
        return ChainNode.objects.get(path=path)


def build_chain_world(capture) -> ChainWorld:
    """``capture`` is pytest-django's ``django_capture_on_commit_callbacks`` (or a
    context manager factory that runs after-commit work)."""
    zone = ZoneFactory(code="cw-a", name_zh="甲园区", name_en="Zone A")
    other_zone = ZoneFactory(code="cw-b", name_zh="乙园区", name_en="Zone B")
    chain = Chain.objects.get(code="ic")
    leader_enterprise = EnterpriseFactory(zone=zone, name="龙头芯片有限公司")
    supplier = EnterpriseFactory(zone=zone, name="配套材料有限公司")
    bystander = EnterpriseFactory(zone=zone, name="旁观科技有限公司")
    elsewhere = EnterpriseFactory(zone=other_zone, name="外区科技有限公司")
    users = {
        "leader": EnterpriseMemberFactory(enterprise=leader_enterprise),
        "supplier": EnterpriseMemberFactory(enterprise=supplier),
        "bystander": EnterpriseMemberFactory(enterprise=bystander),
        "elsewhere": EnterpriseMemberFactory(enterprise=elsewhere),
        "official": ZoneOfficialFactory(zone=zone),
        "other_official": ZoneOfficialFactory(zone=other_zone),
        "admin": PlatformAdminFactory(),
    }
    manager = BankManagerFactory()
    bank = manager.memberships.get().bank
    branch = BranchFactory(bank=bank, zones=[zone])
    users["manager"] = manager
    users["rm"] = BankStaffFactory(branch=branch)
    users["other_bank"] = BankManagerFactory()
    with capture(execute=True):
        leader = cs.leader_designate(
            chain=chain, enterprise=leader_enterprise, actor=users["official"]
        )
        version = fs.product_save(
            bank=bank,
            actor=manager,
            code="supply",
            name_zh="链主供应链贷",
            name_en="Supply-chain loan",
            kind="supply_chain",
            **SUPPLY_TERMS,
        )
    return ChainWorld(
        chain=chain,
        zone=zone,
        other_zone=other_zone,
        leader_enterprise=leader_enterprise,
        supplier=supplier,
        bystander=bystander,
        elsewhere=elsewhere,
        leader=leader,
        bank=bank,
        product_version=version,
        users=users,
    )
