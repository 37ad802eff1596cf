"""The relationship managers' lead export carries the decline record: the reason's label
in the user's language and the bank's own note (neutralised like every other cell). The
note is bank-internal: the enterprise has no lead export, and the export is not theirs."""

from __future__ import annotations

import csv
import io

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from openpyxl import load_workbook

from ecosystem.financing import services as pipeline
from ecosystem.financing import workflow
from ecosystem.financing.models import Lead
from tests.worlds.leads import World, client_for

pytestmark = pytest.mark.django_db
S = Lead.Status
R = workflow.DeclineReason
NOTE = "内部备注：征信逾期三次"


def _declined(note=NOTE) -> World:
    world = World(status=S.CONTACTED)
    pipeline.lead_transition(
        lead=world.lead, to=S.DECLINED, actor=world.rm, reason_code=R.CREDIT_HISTORY, note=note
    )
    return world


def _get(user, fmt: str, language: str):
    client = client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("financing_lead_export", args=[fmt]), {"tab": "team"})
    assert response.status_code == 200
    return response


def _csv(user, language: str = "zh-hans") -> list[dict[str, str]]:
    """The export as rows keyed by header (BOM stripped)."""
    body = b"".join(_get(user, "csv", language).streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def _xlsx(user, language: str = "zh-hans") -> list[dict[str, object]]:
    data = b"".join(_get(user, "xlsx", language).streaming_content)
    header, *rows = load_workbook(io.BytesIO(data), read_only=True).active.values
    return [dict(zip(header, row, strict=True)) for row in rows]


@pytest.mark.parametrize(
    ("language", "reason_header", "note_header", "label"),
    [
        ("zh-hans", "拒绝原因", "拒绝备注", "存在不良信用记录"),
        ("en", "decline reason", "decline note", "Adverse credit history"),
    ],
)
@pytest.mark.parametrize("reader", [_csv, _xlsx])
def test_export_carries_the_reason_label_in_the_users_language_and_the_note(
    reader, language, reason_header, note_header, label
):
    world = _declined()
    (row,) = reader(world.rm, language)
    assert row[reason_header] == label
    assert row[note_header] == NOTE


@pytest.mark.parametrize("who", ["rm", "manager"])
def test_bank_staff_who_see_the_lead_get_its_note(who):
    world = _declined()
    (row,) = _csv(getattr(world, who))
    assert (row["拒绝原因"], row["拒绝备注"]) == ("存在不良信用记录", NOTE)


def test_a_lead_not_declined_has_blank_decline_cells():
    world = World(status=S.CONTACTED)
    (row,) = _csv(world.rm)
    assert (row["拒绝原因"], row["拒绝备注"]) == ("", "")


def test_a_note_that_looks_like_a_formula_is_neutralised():
    formula = '=HYPERLINK("http://evil.example","x")'
    world = _declined(note=formula)
    (row,) = _csv(world.rm)
    assert row["拒绝备注"] == "'" + formula
    (cell,) = _xlsx(world.rm)
    assert cell["拒绝备注"] == "'" + formula


def test_the_enterprise_gets_no_export_and_never_reads_the_note():
    """There is no enterprise-side lead export: the bank's export is a 404 to the lead's
    own enterprise, whose requests page shows the plain reason but not the note."""
    world = _declined()
    member = client_for(world.member)
    for fmt in ("csv", "xlsx"):
        assert member.get(reverse("financing_lead_export", args=[fmt])).status_code == 404
    page = member.get(world.enterprise_leads_url())
    assert page.status_code == 200
    world.lead.refresh_from_db()
    with translation.override("zh-hans"):
        plain = escape(world.lead.reason_text)
    assert plain and plain in page.content.decode()
    assert NOTE not in page.content.decode()
