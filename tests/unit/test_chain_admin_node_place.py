"""A chain node's code and parent are fixed once it exists (``chains.admin.ChainNodeForm``):
its path names it in facts, criteria, matches and counters, and its children's paths derive
from it, so the admin may rename and reorder a node but not move it. New nodes still take a
code and a parent."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ecosystem.chains.admin import ChainNodeForm, ChainNodeInline
from ecosystem.chains.models import ChainNode, Segment
from tests.factories import ChainFactory, ChainNodeFactory, PlatformAdminFactory
from tests.worlds.leads import client_for

pytestmark = pytest.mark.django_db


def _data(node_or_none, **changes):
    data = {
        "code": "eda",
        "parent": "",
        "segment": Segment.UPSTREAM,
        "name_zh": "设计工具",
        "name_en": "Design tools",
        "position": 3,
    }
    if node_or_none is not None:
        data.update(
            code=node_or_none.code,
            parent=node_or_none.parent_id or "",
            segment=node_or_none.segment,
            name_zh=node_or_none.name_zh,
            name_en=node_or_none.name_en or "",
            position=node_or_none.position,
        )
    data.update(changes)
    return data


def test_an_existing_node_keeps_its_place_and_its_childrens_paths():
    chain = ChainFactory(code="tc")
    design = ChainNodeFactory(chain=chain, code="design")
    other = ChainNodeFactory(chain=chain, code="fab")
    child = ChainNodeFactory(chain=chain, code="eda", parent=design)
    assert child.path == "tc/design/eda"

    form = ChainNodeForm(
        instance=design, data=_data(design, code="moved", parent=other.pk, name_en="Design")
    )
    assert form.is_valid(), form.errors
    form.save()
    design.refresh_from_db()
    child.refresh_from_db()
    assert (design.code, design.parent_id, design.path) == ("design", None, "tc/design")
    assert design.name_en == "Design"  # names stay editable
    assert child.path == "tc/design/eda"


def test_a_new_node_takes_a_code_and_a_parent():
    chain = ChainFactory(code="tb")
    top = ChainNodeFactory(chain=chain, code="drugs")
    form = ChainNodeForm(data=_data(None, code="api", parent=top.pk))
    form.instance.chain = chain
    assert form.is_valid(), form.errors
    node = form.save()
    assert node.path == "tb/drugs/api"
    assert ChainNode.objects.get(pk=node.pk).parent_id == top.pk


def test_the_admin_page_shows_an_existing_nodes_place_as_fixed():
    assert ChainNodeInline.form is ChainNodeForm
    chain = ChainFactory()
    ChainNodeFactory(chain=chain, code="design")
    client = client_for(PlatformAdminFactory())
    response = client.get(
        reverse("admin:chains_chain_change", args=[chain.pk]), headers={"accept-language": "en"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="nodes-0-code"' in html
    field = (
        html.split('name="nodes-0-code"')[0].rsplit("<input", 1)[1]
        + html.split('name="nodes-0-code"')[1].split(">", 1)[0]
    )
    assert "disabled" in field
