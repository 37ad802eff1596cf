"""The product editor takes the chain criteria: chain nodes, confirmed supplier of a
chain leader, optionally of named leaders; refused terms change nothing."""

import pytest

from ecosystem.chains.models import Chain, ChainLeader
from tests.factories import EnterpriseFactory
from tests.worlds.financing import build_world, client_for, product_post, state

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def test_editor_saves_chain_criteria_as_a_new_version(world):
    leader = ChainLeader.objects.create(
        chain=Chain.objects.get(code="ic"), enterprise=EnterpriseFactory()
    )
    page = client_for(world.users["manager"]).get(f"/financing/bank/products/{world.product.pk}/")
    body = page.content.decode()
    assert 'name="chain_nodes"' in body and 'value="ic/design"' in body
    assert f'value="{leader.enterprise.uscc}"' in body
    response = client_for(world.users["manager"]).post(
        f"/financing/bank/products/{world.product.pk}/",
        product_post(
            chain_nodes=["ic/design", "ai"],
            requires_confirmed_supplier="on",
            supplier_of_leaders=[leader.enterprise.uscc],
        ),
    )
    assert response.status_code == 302
    version = world.product.current_version
    assert version.number == 2
    assert sorted(version.chain_nodes) == ["ai", "ic/design"]
    assert version.requires_confirmed_supplier
    assert version.supplier_of_leaders == [leader.enterprise.uscc]


def test_naming_leaders_without_the_supplier_criterion_is_refused(world):
    leader = ChainLeader.objects.create(
        chain=Chain.objects.get(code="ic"), enterprise=EnterpriseFactory()
    )
    before = state()
    response = client_for(world.users["manager"]).post(
        f"/financing/bank/products/{world.product.pk}/",
        product_post(supplier_of_leaders=[leader.enterprise.uscc]),
    )
    assert response.status_code == 200
    assert 'data-testid="error-supplier_of_leaders"' in response.content.decode()
    assert state() == before


def test_an_unknown_chain_node_is_refused(world):
    before = state()
    response = client_for(world.users["manager"]).post(
        f"/financing/bank/products/{world.product.pk}/", product_post(chain_nodes=["ic/nope"])
    )
    assert 'data-testid="error-chain_nodes"' in response.content.decode()
    assert state() == before
