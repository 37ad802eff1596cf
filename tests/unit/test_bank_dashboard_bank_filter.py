"""The bank dashboard over several banks (a platform admin's, someone working for two
banks): a bank filter that narrows to exactly what that bank's own staff see, and
conversion and time to decision by bank when no bank is chosen. Every figure is counted
from the leads the test made."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from ecosystem.accounts.models import Membership
from ecosystem.accounts.roles import Role
from ecosystem.financing.models import Branch, Lead
from tests.factories import (
    BankStaffFactory,
    BranchFactory,
    EnterpriseFactory,
    LeadFactory,
    PlatformAdminFactory,
)
from tests.worlds.leads import client_for, make_version
from tests.worlds.pipeline import Pipeline

pytestmark = pytest.mark.django_db
API = "api-financing-dashboard"
PAGE = "financing_bank_dashboard"


def api(user, **params):
    client = APIClient()
    client.force_authenticate(user)
    return client.get(reverse(API), params, HTTP_ACCEPT_LANGUAGE="en")


def two_banks():
    """The pipeline's bank (five leads) and a second bank with two leads of its own."""
    world = Pipeline()
    branch = BranchFactory(zones=[world.enterprise.zone])
    version = make_version(branch.bank)
    for _ in range(2):
        LeadFactory(enterprise=EnterpriseFactory(), product_version=version, branch=branch)
    world.second_bank, world.second_branch, world.second_version = branch.bank, branch, version
    world.admin = PlatformAdminFactory()
    return world


def figures(body: dict) -> dict:
    """What a bank's own staff read on the dashboard, keyed for comparison."""
    return {
        "funnel": [(r["stage"], r["count"]) for r in body["funnel"]],
        "amounts": body["amounts"],
        "responded": body["response"]["responded"],
        "branches": [(r["key"], r["leads"], r["disbursed"]) for r in body["branches"]],
        "products": [(r["key"], r["leads"]) for r in body["products"]],
        "decision_branches": [(r["key"], r["leads"]) for r in body["decision"]["branches"]],
    }


def test_an_admin_choosing_a_bank_sees_what_its_manager_sees():
    world = two_banks()
    everything = api(world.admin).json()
    assert everything["funnel"][0]["count"] == 7
    for bank, manager, leads in (
        (world.bank, world.manager, 5),
        (world.second_bank, None, 2),
    ):
        chosen = api(world.admin, bank=bank.pk)
        assert chosen.status_code == 200
        assert chosen.json()["funnel"][0]["count"] == leads
        assert [(r["key"], r["leads"]) for r in chosen.json()["banks"]] == [(bank.pk, leads)]
        if manager is not None:
            assert figures(chosen.json()) == figures(api(manager).json())


def test_without_a_bank_the_figures_compare_the_banks():
    world = two_banks()
    body = api(world.admin).json()
    by_bank = {r["key"]: (r["leads"], r["disbursed"]) for r in body["banks"]}
    assert by_bank == {world.bank.pk: (5, 1), world.second_bank.pk: (2, 0)}
    decided = {r["key"]: r["leads"] for r in body["decision"]["banks"]}
    assert decided == {world.bank.pk: 5, world.second_bank.pk: 2}
    # and a manager of one bank reads one row: their bank
    assert [r["key"] for r in api(world.manager).json()["banks"]] == [world.bank.pk]


def test_the_page_offers_the_bank_and_its_tables_only_over_several_banks():
    world = two_banks()
    page = client_for(world.admin).get(reverse(PAGE), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert 'name="bank"' in html and "<select" in html.split('name="bank"')[0][-200:]
    assert str(world.second_bank.name_en or world.second_bank.name_zh) in html
    assert 'data-testid="table-banks"' in html and 'data-testid="table-decision_banks"' in html
    assert "Conversion by bank" in html

    chosen = client_for(world.admin).get(
        reverse(PAGE), {"bank": world.second_bank.pk}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert 'data-testid="table-banks"' not in chosen.content.decode()
    assert chosen.context["headline"]["leads"] == 2

    mine = client_for(world.manager).get(reverse(PAGE), HTTP_ACCEPT_LANGUAGE="en")
    html = mine.content.decode()
    assert 'type="hidden" name="bank"' in html
    assert 'data-testid="table-banks"' not in html
    assert mine.context["headline"]["leads"] == 5


def test_the_bank_table_exports_for_the_admin():
    world = two_banks()
    response = client_for(world.admin).get(
        reverse("financing_bank_dashboard_export", args=["banks", "csv"]),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    text = (
        b"".join(response.streaming_content).decode("utf-8-sig")
        if hasattr(response, "streaming_content")
        else response.content.decode("utf-8-sig")
    )
    lines = text.strip().splitlines()
    assert lines[0].startswith("bank,")
    assert len(lines) == 3


def test_another_bank_is_refused_not_widened_or_ignored():
    world = two_banks()
    refused = api(world.manager, bank=world.second_bank.pk)
    assert refused.status_code == 400
    assert refused.json()["code"] == "invalid_bank"
    page = client_for(world.manager).get(
        reverse(PAGE), {"bank": world.second_bank.pk}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert 'data-testid="filter-errors"' in page.content.decode()
    # the figures stay the manager's own bank's, never the other bank's
    assert page.context["headline"]["leads"] == 5


def test_a_branch_or_product_of_another_bank_than_the_chosen_one_is_an_error():
    world = two_banks()
    for params, field in (
        ({"bank": world.bank.pk, "branch": world.second_branch.pk}, "branch"),
        ({"bank": world.bank.pk, "product": world.second_version.product_id}, "product"),
    ):
        refused = api(world.admin, **params)
        assert refused.status_code == 400, params
        assert refused.json()["code"] == f"invalid_{field}"
        assert "chosen bank" in refused.json()["detail"]
    zh = APIClient()
    zh.force_authenticate(world.admin)
    chinese = zh.get(
        reverse(API),
        {"bank": world.bank.pk, "branch": world.second_branch.pk},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert chinese.json()["detail"] == "该网点不属于所选银行。"
    # the page keeps what was chosen and says why
    page = client_for(world.admin).get(
        reverse(PAGE),
        {"bank": world.bank.pk, "branch": world.second_branch.pk},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    html = page.content.decode()
    assert "This branch is not one of the chosen bank" in html
    assert f'value="{world.bank.pk}" selected' in html


def test_a_relationship_manager_at_two_banks_sees_only_their_branches_of_the_chosen_one():
    world = two_banks()
    rm = BankStaffFactory(branch=world.branch)
    Membership.objects.create(
        user=rm, role=Role.BANK_RM, bank=world.second_bank, branch=world.second_branch
    )
    # another branch of the pipeline's bank, not the RM's: its lead stays out
    elsewhere = BranchFactory(bank=world.bank, zones=[world.enterprise.zone])
    LeadFactory(enterprise=EnterpriseFactory(), product_version=world.version, branch=elsewhere)
    assert Lead.objects.filter(bank=world.bank).count() == 6
    assert api(rm).json()["funnel"][0]["count"] == 7  # 5 + 2: their two branches
    assert api(rm, bank=world.bank.pk).json()["funnel"][0]["count"] == 5
    assert api(rm, bank=world.second_bank.pk).json()["funnel"][0]["count"] == 2
    page = client_for(rm).get(reverse(PAGE), HTTP_ACCEPT_LANGUAGE="en")
    assert 'data-testid="table-banks"' in page.content.decode()


def branch_options(html: str) -> list[str]:
    select = html.split('name="branch"')[1].split("</select>")[0]
    return [part.split('"')[0] for part in select.split('<option value="')[1:] if part[0] != '"']


def test_over_several_banks_the_branch_list_follows_the_chosen_bank():
    """The admin's branch list holds the chosen bank's branches, not every bank's; a
    branch of any of their banks is still accepted without a bank."""
    world = two_banks()
    admin = client_for(world.admin)
    html = admin.get(reverse(PAGE), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert branch_options(html) == []
    assert "Choose a bank to list its branches." in html
    zh = admin.get(reverse(PAGE), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "选择银行后列出其支行。" in zh

    html = admin.get(
        reverse(PAGE), {"bank": world.second_bank.pk}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert branch_options(html) == [str(world.second_branch.pk)]

    alone = admin.get(reverse(PAGE), {"branch": world.branch.pk}, HTTP_ACCEPT_LANGUAGE="en")
    assert branch_options(alone.content.decode()) == [str(world.branch.pk)]
    assert alone.context["headline"]["leads"] == 5  # accepted: the pipeline branch's leads
    assert "selected" in alone.content.decode().split('name="branch"')[1].split("</select>")[0]

    # one bank's staff still see all their branches listed
    mine = client_for(world.manager).get(reverse(PAGE), HTTP_ACCEPT_LANGUAGE="en")
    theirs = Branch.objects.filter(bank=world.bank).order_by("code").values_list("pk", flat=True)
    assert branch_options(mine.content.decode()) == [str(pk) for pk in theirs]
    assert len(theirs) > 1
