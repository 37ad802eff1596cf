"""Industrial chains: a chain, its nodes, enterprises placed on nodes, the chain leaders a
zone designates and their supplier links."""

import factory
from django.utils import timezone

from ecosystem.chains.models import (
    Chain,
    ChainLeader,
    ChainNode,
    EnterpriseNode,
    Segment,
    SupplierLink,
)
from tests.factories.people import EnterpriseFactory


class ChainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Chain

    code = factory.Sequence(lambda n: f"chain-{n}")
    name_zh = factory.Sequence(lambda n: f"测试产业链{n}")
    name_en = factory.Sequence(lambda n: f"Test chain {n}")


class ChainNodeFactory(factory.django.DjangoModelFactory):
    """A top node of a chain unless ``parent`` is given (its path follows on save)."""

    class Meta:
        model = ChainNode

    chain = factory.SubFactory(ChainFactory)
    code = factory.Sequence(lambda n: f"node-{n}")
    name_zh = factory.Sequence(lambda n: f"测试环节{n}")
    segment = Segment.MIDSTREAM


class EnterpriseNodeFactory(factory.django.DjangoModelFactory):
    """A placement, counted in the chain view's counters as ``placements_set`` does."""

    class Meta:
        model = EnterpriseNode

    enterprise = factory.SubFactory(EnterpriseFactory)
    node = factory.SubFactory(ChainNodeFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from ecosystem.financing.coverage_summary import coverage_sync

        placement = super()._create(model_class, *args, **kwargs)
        coverage_sync(enterprise_ids=[placement.enterprise_id])
        return placement


class ChainLeaderFactory(factory.django.DjangoModelFactory):
    """An enterprise leading a chain, still designated."""

    class Meta:
        model = ChainLeader

    chain = factory.SubFactory(ChainFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)


class SupplierLinkFactory(factory.django.DjangoModelFactory):
    """A supplier of a leader, asked by the supplier; ``confirmed=True`` for one that
    counts."""

    class Meta:
        model = SupplierLink

    leader = factory.SubFactory(ChainLeaderFactory)
    supplier = factory.SubFactory(EnterpriseFactory)
    status = SupplierLink.Status.REQUESTED

    class Params:
        confirmed = factory.Trait(
            status=SupplierLink.Status.CONFIRMED,
            confirmed_at=factory.LazyFunction(timezone.now),
        )
