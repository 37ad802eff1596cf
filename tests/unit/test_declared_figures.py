"""Matches from declared figures (issue #15): an enterprise whose yearly figures no zone
has verified yet is matched on them, indicatively, and every criterion says where its
fact comes from; a product version that requires verified figures refuses a lead with a
clear reason; the enterprise can ask its zone to verify from the match page; the bank
sees the same provenance on the lead page, in its own voice."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from ecosystem.core.errors import ApplicationError
from ecosystem.core.models import AuditEvent, Notification
from ecosystem.enterprises.models import FinancialYear
from ecosystem.enterprises.services import financial_year_set_verification
from ecosystem.financing import services
from ecosystem.financing.eligibility.evaluator import Basis, evaluate
from ecosystem.financing.eligibility.facts import facts_for
from ecosystem.financing.eligibility.matcher import rematch
from ecosystem.financing.models import Lead, Match, ProductVersion
from ecosystem.registries.models import Program
from tests.factories import (
    CampaignInvitationFactory,
    EnterpriseFactory,
    EnterpriseMemberFactory,
    ZoneOfficialFactory,
)
from tests.worlds.financing import build_world, client_for, state, verified_claim, verified_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = build_world()
    w.declared = EnterpriseFactory(
        name="新申报科技有限公司",
        zone=w.matched.zone,
        founded_on=date(2016, 5, 1),
        contact_name="",
        contact_phone="",
        contact_email="",
    )
    verified_year(w.declared, revenue="8000000.00", rd="400000.00", year=2024, status="unverified")
    w.declared_year = verified_year(
        w.declared, revenue="10000000.00", rd="1000000.00", status="unverified"
    )
    verified_claim(w.declared, Program.objects.get(code="hte"))
    w.users["member_declared"] = EnterpriseMemberFactory(enterprise=w.declared)
    w.users["official"] = ZoneOfficialFactory(zone=w.matched.zone)
    rematch(enterprise_ids=[w.declared.pk])
    return w


def _match(w) -> Match:
    return w.match_of(w.declared)


def test_only_declared_figures_give_an_indicative_match_with_provenance(world):
    match = _match(world)
    assert match.figures_declared
    assert not world.match_of(world.matched).figures_declared
    evaluation = evaluate(
        facts_for(world.declared, on=date(2026, 11, 27)), world.version, on=date(2026, 11, 27)
    )
    assert evaluation.eligible and evaluation.figures_declared
    assert evaluation.figures_source.year == 2025 and evaluation.figures_source.declared
    basis = {c.key: c.basis for c in evaluation.criteria}
    assert basis["rd_intensity"] == Basis.DECLARED_FIGURES
    assert basis["limit"] == Basis.DECLARED_FIGURES
    assert basis["programs_any"] == Basis.QUALIFICATIONS
    with translation.override("en"):
        body = (
            client_for(world.users["member_declared"])
            .get(f"/financing/enterprises/{world.declared.pk}/matches/", HTTP_ACCEPT_LANGUAGE="en")
            .content.decode()
        )
    assert 'data-testid="indicative-notice"' in body
    assert "Indicative, figures not yet verified" in body
    assert 'data-key="rd_intensity" data-passed="yes" data-basis="declared_figures"' in body
    assert 'data-key="programs_any" data-passed="yes" data-basis="qualifications"' in body
    assert 'data-testid="ask-verification"' in body


def test_verified_figures_name_who_verified_them(world):
    financial_year_set_verification(
        financial_year=world.declared_year, actor=world.users["official"], status="verified"
    )
    rematch(enterprise_ids=[world.declared.pk])
    assert not _match(world).figures_declared
    facts = facts_for(world.declared, on=date(2026, 11, 27))
    assert not facts.figures_declared
    assert facts.figures_source.verified_by == str(world.users["official"])


def test_a_version_requiring_verified_figures_refuses_the_lead_with_a_reason(world):
    ProductVersion.objects.filter(pk=world.version.pk).update(requires_verified_figures=True)
    before = state()
    with translation.override("en"), pytest.raises(ApplicationError) as refused:
        services.match_apply(
            enterprise=world.declared, actor=world.users["member_declared"], match=_match(world)
        )
    assert refused.value.code == "figures_unverified"
    assert "only on yearly figures verified by your zone" in str(refused.value.message)
    assert state() == before
    client = client_for(world.users["member_declared"])
    page = client.get(f"/financing/enterprises/{world.declared.pk}/matches/").content.decode()
    assert 'data-testid="apply-refused-talent"' in page
    assert 'data-testid="apply-talent"' not in page
    url = f"/financing/enterprises/{world.declared.pk}/matches/{_match(world).pk}/apply/"
    assert client.post(url).status_code == 302
    assert state() == before
    # Verified: the same version takes the request.
    financial_year_set_verification(
        financial_year=world.declared_year, actor=world.users["official"], status="verified"
    )
    rematch(enterprise_ids=[world.declared.pk])
    lead = services.match_apply(
        enterprise=world.declared, actor=world.users["member_declared"], match=_match(world)
    )
    assert lead.status == Lead.Status.NEW


def test_a_campaign_invitation_on_declared_figures_is_refused_like_an_application(world):
    """Accepting a campaign's invitation makes a lead too: the same rule holds."""
    ProductVersion.objects.filter(pk=world.version.pk).update(requires_verified_figures=True)
    invitation = CampaignInvitationFactory(
        campaign__product_version=world.version, enterprise=world.declared
    )
    before = state()
    with pytest.raises(ApplicationError) as refused:
        services.invitation_accept(invitation=invitation, actor=world.users["member_declared"])
    assert refused.value.code == "figures_unverified"
    assert state() == before
    invitation.refresh_from_db()
    assert invitation.status == invitation.Status.SENT
    ProductVersion.objects.filter(pk=world.version.pk).update(requires_verified_figures=False)
    lead = services.invitation_accept(invitation=invitation, actor=world.users["member_declared"])
    assert lead.enterprise_id == world.declared.pk


def test_asking_the_zone_to_verify_notifies_its_officials_once_a_day(world):
    client = client_for(world.users["member_declared"])
    url = f"/financing/enterprises/{world.declared.pk}/matches/ask-verification/"
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    notes = Notification.objects.filter(kind="figures_verification_asked")
    officials = {world.users["official"], world.users["zone_official"]}
    assert sorted(n.recipient_id for n in notes) == sorted(u.pk for u in officials)
    assert f"/years/{world.declared_year.pk}/" in notes[0].url
    assert AuditEvent.objects.filter(verb="financial_year.verification_asked").count() == 1
    page = client.get(f"/financing/enterprises/{world.declared.pk}/matches/").content.decode()
    assert 'data-testid="verification-asked"' in page


def test_nothing_to_verify_is_refused_and_changes_nothing(world):
    FinancialYear.objects.filter(enterprise=world.matched).update(verification_status="verified")
    before = AuditEvent.objects.count()
    with pytest.raises(ApplicationError) as refused:
        services.figures_verification_ask(enterprise=world.matched, actor=world.users["member"])
    assert refused.value.code == "nothing_to_verify"
    assert AuditEvent.objects.count() == before
    assert not Notification.objects.filter(kind="figures_verification_asked").exists()


def _declared_lead(world) -> Lead:
    return services.match_apply(
        enterprise=world.declared, actor=world.users["member_declared"], match=_match(world)
    )


def test_the_lead_page_shows_provenance_growth_stage_and_missing_contacts(world):
    lead = _declared_lead(world)
    client = client_for(world.users["rm"])
    with translation.override("en"):
        body = client.get(
            f"/financing/leads/{lead.pk}/", HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
    assert 'data-key="rd_intensity" data-passed="yes" data-basis="declared_figures"' in body
    assert 'data-testid="declared-badge"' in body
    assert 'data-testid="revenue-growth">+25.0%' in body  # 8,000,000 → 10,000,000
    assert 'data-testid="enterprise-stage" data-stage="' in body
    assert 'data-testid="contact-phone">not provided' in body
    assert "· ·" not in body
    assert "The enterprise&#x27;s data" in body or "The enterprise's data" in body
    assert "Your data" not in body and "Yours" not in body


def test_the_bank_side_never_speaks_in_the_firm_s_voice_in_chinese(world):
    lead = _declared_lead(world)
    body = client_for(world.users["rm"]).get(f"/financing/leads/{lead.pk}/").content.decode()
    with translation.override("zh-hans"):
        firm_voice = _("Your data")
        assert _("The enterprise's data") in body
    assert "贵企业" not in body
    assert firm_voice not in body
