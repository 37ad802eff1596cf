"""The inbox's rows, built in Python (``views.inbox_page.row_html``), are byte for byte
what the row template rendered before: the template below is the old loop, rendered
with the page's own rows for varied leads (consented or not, with and without a need,
overdue, claimable, assigned, each clock, both languages)."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import timezone

from ecosystem.enterprises.models import Consent
from ecosystem.financing.models import Lead
from tests.factories import EnterpriseFactory
from tests.worlds.leads import World, client_for

pytestmark = pytest.mark.django_db
S = Lead.Status

#: templates/financing/leads/inbox.html's row loop before the rows moved to Python.
OLD_ROWS = """{% load i18n money %}{% for row in rows %}{% with lead=row.lead %}
    <tr data-testid="lead" data-pk="{{ lead.pk }}"{% if row.overdue %} class="table-danger" data-overdue="yes"{% endif %}>
      <td><a href="{% url 'financing_lead_detail' lead.pk %}">{% if lead.consented %}{{ lead.enterprise.name }}</a><div class="small text-muted"><code>{{ lead.enterprise.uscc }}</code></div>{% else %}{% translate "(consent revoked)" %}</a>{% endif %}</td>
      <td>{{ lead.product.name }}{% include "financing/leads/_need.html" %}</td>
      <td class="text-end">{{ lead.indicative_limit|wan }}</td>
      <td data-testid="lead-status" data-status="{{ lead.status }}">{{ lead.get_status_display }}</td>
      <td>{% if lead.due_at %}{{ lead.due_at|date:"Y-m-d H:i" }}{% endif %}{% if row.overdue %} <span class="badge bg-danger" data-testid="overdue-badge">{% translate "overdue" %}</span>{% endif %}{% include "financing/leads/_clock.html" with clock=row.clock %}</td>
      <td>{% if lead.assigned_to %}{{ lead.assigned_to }}{% else %}<span class="text-muted">{% translate "nobody yet" %}</span>{% endif %}<div class="small text-muted">{{ lead.branch.name }}</div></td>
      <td class="text-end">{% if row.can_claim %}
        <form method="post" action="{% url 'financing_lead_claim' lead.pk %}">{% csrf_token %}
          <input type="hidden" name="next" value="{{ request.get_full_path }}">
          <button class="btn btn-sm btn-primary" type="submit" data-testid="claim-{{ lead.pk }}">{% translate "Claim" %}</button>
        </form>{% endif %}</td>
    </tr>
  {% endwith %}{% endfor %}"""  # noqa: E501
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def varied_leads(world: World) -> None:
    """Leads of every shape a row has, on the world's branch."""
    now = timezone.now()
    shapes = [
        # status, assigned, due in hours, need, consent, contacted, name
        (S.NEW, False, -30, True, True, False, "<b>Ampersand & Co</b>"),
        (S.NEW, False, 5, False, False, False, "无同意企业"),
        (S.ASSIGNED, True, -2, True, True, False, 'O\'Brien "quoted"'),
        (S.CONTACTED, True, 40, True, True, True, "已联系企业"),
        (S.OFFER_MADE, True, None, False, True, True, "报价企业"),
        (S.DECLINED, True, 3, True, False, True, "拒绝企业"),
        (S.DISBURSED, True, -100, False, True, True, "放款企业"),
    ]
    world.rm.full_name = "王 <经理>"
    world.rm.save()
    for i, (status, assigned, due, need, consent, contacted, name) in enumerate(shapes):
        enterprise = EnterpriseFactory(zone=world.enterprise.zone, name=name)
        if consent:
            Consent.objects.create(
                enterprise=enterprise,
                bank=world.bank,
                purpose=Consent.Purpose.FINANCING,
                text_version="v1",
                granted_by=world.member,
                granted_at=now,
            )
        due_at = None if due is None else now + timedelta(hours=due)
        Lead.objects.create(
            enterprise=enterprise,
            product=world.version.product,
            product_version=world.version,
            bank=world.bank,
            branch=world.branch,
            source=Lead.Source.APPLY,
            indicative_limit=Decimal("1234567.89") * (i + 1),
            status=status,
            assigned_to=world.rm if assigned else None,
            due_at=due_at,
            first_contact_due_at=due_at,
            decision_due_at=None if due_at is None else due_at + timedelta(days=3),
            first_contact_at=now - timedelta(hours=1) if contacted else None,
            need_amount=Decimal("2500000.50") if need else None,
            need_term_months=12 + i if need else None,
            need_purpose="working_capital" if need else "",
            need_collateral="none" if need else "",
        )


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("tab", ["team", "unassigned", "mine"])
def test_rows_are_the_old_templates_markup(language, tab):
    world = World()
    varied_leads(world)
    client = client_for(world.rm)
    url = reverse("financing_lead_inbox") + f"?tab={tab}&q="
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    rows = response.context["rows"]
    assert len(rows) >= 2
    html = response.content.decode()
    new = html[html.index("<tbody>") + len("<tbody>") : html.index("</tbody>")]
    old_rows = engines["django"].from_string(OLD_ROWS)
    old = old_rows.render({"rows": rows}, request=response.wsgi_request)
    assert CSRF.sub("", new).strip() == CSRF.sub("", old).strip()
    # Not empty comparisons: each row's pieces are there.
    assert new.count('data-testid="lead"') == len(rows)
    assert ("Asks" in new) == (language == "en")


def test_the_filters_keep_what_was_chosen_and_show_labels():
    """The inbox's status and product selects (rendered in Python, ``QuickSelect``) mark the
    chosen option, show labels not codes, and list only the bank's products."""
    world = World()
    client = client_for(world.rm)
    product = world.version.product
    url = reverse("financing_lead_inbox")
    html = client.get(
        url,
        {"tab": "team", "status": S.OFFER_MADE, "product": product.pk},
        headers={"accept-language": "en"},
    ).content.decode()
    status = re.search(r'<select name="status".*?</select>', html, re.S).group(0)
    assert '<option value="offer_made" selected>offer made</option>' in status
    assert status.count(" selected") == 1
    chosen = re.search(r'<select name="product".*?</select>', html, re.S).group(0)
    assert f'<option value="{product.pk}" selected>' in chosen
    assert chosen.count("<option") == 1 + len(world.bank.products.all())
    zh = client.get(url, {"tab": "team"}, headers={"accept-language": "zh-hans"}).content.decode()
    status = re.search(r'<select name="status".*?</select>', zh, re.S).group(0)
    assert '<option value="offer_made">已提供融资方案</option>' in status
