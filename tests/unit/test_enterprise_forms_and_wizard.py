"""Enterprise pages: refused input is explained and kept (uploads, figures, stale
versions), money formatting, the self-assessment route, members, and the registration
wizard."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ecosystem.accounts.models import Membership
from ecosystem.accounts.roles import Role
from ecosystem.enterprises import services
from ecosystem.enterprises.models import (
    Enterprise,
    Evidence,
    FinancialYear,
    JoinRequest,
    OnboardingDraft,
    QualificationClaim,
)
from ecosystem.enterprises.workflow import ClaimStatus
from tests.factories import (
    PASSWORD,
    EnterpriseFactory,
    EnterpriseMemberFactory,
    ProgramFactory,
    UserFactory,
    ZoneFactory,
    make_uscc,
)
from tests.worlds.enterprise_pages import (
    EXECUTABLE,
    FIGURE_POST,
    LAST_YEAR,
    World,
    build_world,
    client_for,
    english,
    fast_passwords,
    pdf,
    state,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    fast_passwords(settings)


@pytest.fixture
def world() -> World:
    return build_world()


# --- refusals keep what was typed ---------------------------------------------------


def test_executable_renamed_pdf_is_refused_and_typed_fields_are_kept(world):
    program = ProgramFactory(code="hte")
    response = english(world.owner).post(
        reverse("claim_create", args=[world.enterprise.pk]),
        {
            "program": program.pk,
            "certificate_number": "GR202311000123",
            "year": LAST_YEAR,
            "valid_until": "2027-12-31",
            "evidence": SimpleUploadedFile("certificate.pdf", EXECUTABLE, "application/pdf"),
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "certificate.pdf is not a document but a Windows executable" in html
    assert 'data-testid="error-evidence"' in html
    assert 'value="GR202311000123"' in html
    assert 'value="2027-12-31"' in html
    assert f'<option value="{program.pk}" selected>' in html
    assert not QualificationClaim.objects.filter(program=program).exists()
    assert Evidence.objects.count() == 1


def test_figures_breaking_the_rules_are_refused_on_their_fields_with_input_kept(world):
    url = reverse("financial_year_add", args=[world.enterprise.pk])
    future = timezone.localdate().year + 1
    response = english(world.owner).post(
        url,
        {**FIGURE_POST, "year": future, "rd_expense": "20,000,000", "rd_staff": "81"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f"{future} is in the future." in html
    assert "R&amp;D expense cannot exceed total costs." in html
    assert "S&amp;T staff cannot exceed employees." in html
    assert 'value="20,000,000"' in html and 'value="81"' in html
    negative = english(world.owner).post(url, {**FIGURE_POST, "year": 2019, "revenue": "-5"})
    assert "An amount cannot be negative." in negative.content.decode()
    assert 'value="-5"' in negative.content.decode()
    assert list(FinancialYear.objects.values_list("year", flat=True)) == [LAST_YEAR]


def test_stale_version_on_profile_edit_is_refused_with_input_kept(world):
    url = reverse("enterprise_edit", args=[world.enterprise.pk])
    loaded = world.enterprise.version
    services.enterprise_update(
        enterprise=world.enterprise,
        actor=world.users["owner"],
        expected_version=loaded,
        name="同事保存的名字",
    )
    response = english(world.owner).post(
        url, {"name": "我的新名字", "zone": world.enterprise.zone_id, "version": loaded}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this profile meanwhile" in html
    assert 'value="我的新名字"' in html
    assert 'data-testid="conflict"' in html and "同事保存的名字" in html
    world.enterprise.refresh_from_db()
    assert world.enterprise.name == "同事保存的名字"
    assert f'name="version" value="{world.enterprise.version}"' in html


def test_stale_year_edit_is_refused_with_input_kept(world):
    url = reverse("financial_year_edit", args=[world.enterprise.pk, LAST_YEAR])
    loaded = world.year.version
    services.financial_year_save(
        enterprise=world.enterprise, actor=world.owner, year=LAST_YEAR, employees=85
    )
    html = (
        english(world.owner)
        .post(url, {**FIGURE_POST, "employees": "99", "version": loaded})
        .content.decode()
    )
    assert f"Someone else saved {LAST_YEAR} meanwhile" in html and 'value="99"' in html
    assert FinancialYear.objects.get().employees == 85


def test_submitted_claim_refuses_more_evidence_and_says_why(world):
    services.claim_submit(claim=world.claim, actor=world.owner)
    url = reverse("evidence_upload", args=[world.enterprise.pk, world.claim.pk])
    response = english(world.owner).post(url, {"files": pdf("late.pdf")})
    assert "can no longer be changed" in response.content.decode()
    assert world.claim.evidence.count() == 1


def test_money_is_shown_by_the_money_rule_in_both_languages(world):
    """Short (万元 / CNY million) with thousands separators, the exact yuan on hover."""
    detail = reverse("enterprise_detail", args=[world.enterprise.pk])
    figures = reverse("financial_year_list", args=[world.enterprise.pk])
    for client, assets, need, revenue, unit in (
        (client_for(world.owner), "800.00万元", "500.00万元", "1,000.00万元", "元"),
        (english(world.owner), "CNY 8.00 million", "CNY 5.00 million", "CNY 10.00 million", "yuan"),
    ):
        html = client.get(detail).content.decode()
        assert f'title="8,000,000.00 {unit}">{assets}<' in html  # total assets, latest figures
        assert f'title="5,000,000.00 {unit}">{need}<' in html  # the open financing need
        assert 'data-stage="growth"' in html
        page = client.get(figures).content.decode()
        assert f'title="10,000,000.00 {unit}">{revenue}<' in page


def test_self_assessment_takes_the_direct_route_with_a_verified_hte_certificate(world):
    url = reverse("self_assessment", args=[world.enterprise.pk])
    before = client_for(world.owner).get(url).content.decode()
    assert 'data-passed="true" data-route="score"' in before
    assert 'data-testid="assessment-score">100 ' in before
    QualificationClaim.objects.create(
        enterprise=world.enterprise,
        program=ProgramFactory(code="hte"),
        certificate_number="GR2024",
        year=LAST_YEAR,
        valid_until=date(LAST_YEAR + 3, 1, 1),
        status=ClaimStatus.VERIFIED,
    )
    html = client_for(world.owner).get(url).content.decode()
    assert 'data-passed="true" data-route="direct"' in html
    assert "Advisory only" in english(world.owner).get(url).content.decode()


def test_last_owner_cannot_leave(world):
    world.co_owner_membership.delete()
    response = english(world.owner).post(
        reverse("member_leave", args=[world.enterprise.pk]), follow=True
    )
    assert "The last owner cannot leave" in response.content.decode()
    assert Membership.objects.filter(user=world.owner, is_active=True).exists()


# --- Registration wizard -------------------------------------------------------------


def test_wizard_progress_survives_a_new_session():
    zone = ZoneFactory()
    user = UserFactory()
    code = make_uscc(424242)
    first = Client()
    first.force_login(user)
    assert first.post(reverse("onboarding_step", args=["code"]), {"uscc": code.lower()})[
        "Location"
    ] == reverse("onboarding_step", args=["company"])
    company = {"name": "续填科技有限公司", "zone": zone.pk, "founded_on": "2020-05-01"}
    first.post(reverse("onboarding_step", args=["company"]), company)

    second = Client()  # another browser: nothing shared but the account
    assert second.login(email=user.email, password=PASSWORD)
    response = second.get(reverse("onboarding_start"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("onboarding_step", args=["contact"])
    back = second.get(reverse("onboarding_step", args=["company"])).content.decode()
    assert 'value="续填科技有限公司"' in back and 'value="2020-05-01"' in back
    assert (
        f'value="{code}"' in second.get(reverse("onboarding_step", args=["code"])).content.decode()
    )

    second.post(reverse("onboarding_step", args=["contact"]), {"contact_name": "王经理"})
    review = second.get(reverse("onboarding_step", args=["review"])).content.decode()
    assert "续填科技有限公司" in review and "王经理" in review
    done = second.post(reverse("onboarding_step", args=["review"]), {"action": "confirm"})
    enterprise = Enterprise.objects.get(uscc=code)
    assert done["Location"] == enterprise.get_absolute_url()
    assert enterprise.memberships.get().user == user
    assert not OnboardingDraft.objects.filter(user=user).exists()


def test_autosave_keeps_what_is_typed_without_moving_the_wizard():
    user = UserFactory()
    client = client_for(user)
    client.post(reverse("onboarding_step", args=["code"]), {"uscc": make_uscc(99)})
    autosave = lambda step, data: client.post(reverse("onboarding_autosave", args=[step]), data)  # noqa: E731
    assert autosave("company", {"name": "半填科技"}).status_code == 204
    assert autosave("code", {"uscc": make_uscc(99)}).status_code == 204  # a late one
    assert autosave("contact", {"contact_name": "跳步"}).status_code == 204  # not reached
    draft = OnboardingDraft.objects.get(user=user)
    assert draft.step == "company"
    assert draft.data["name"] == "半填科技" and "contact_name" not in draft.data
    page = client.get(reverse("onboarding_start"), follow=True).content.decode()
    assert 'value="半填科技"' in page


def test_plain_member_cannot_manage_members(world):
    member = UserFactory()
    Membership.objects.create(user=member, role=Role.ENTERPRISE_MEMBER, enterprise=world.enterprise)
    before = state()
    response = english(member).post(
        reverse("member_remove", args=[world.enterprise.pk, world.co_owner_membership.pk]),
        follow=True,
    )
    assert "Only owners of the enterprise can do this." in response.content.decode()
    assert state() == before
    members = english(member).get(reverse("member_list", args=[world.enterprise.pk]))
    assert 'data-testid="invite-form"' not in members.content.decode()


def test_wizard_cannot_skip_ahead_and_htmx_gets_the_next_step_in_place():
    user = UserFactory()
    client = client_for(user)
    skipped = client.get(reverse("onboarding_step", args=["review"]))
    assert skipped["Location"] == reverse("onboarding_step", args=["code"])
    response = client.post(
        reverse("onboarding_step", args=["code"]), {"uscc": make_uscc(77)}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert response["HX-Push-Url"] == reverse("onboarding_step", args=["company"])
    assert response.content.decode().lstrip().startswith('<div id="wizard"')


def test_wizard_rejects_a_wrong_check_character_and_keeps_the_code():
    client = english(UserFactory())
    wrong = make_uscc(5)[:17] + ("0" if make_uscc(5)[17] != "0" else "1")
    response = client.post(reverse("onboarding_step", args=["code"]), {"uscc": wrong})
    html = response.content.decode()
    assert "The check character of this credit code is wrong" in html
    assert f'value="{wrong}"' in html
    check = client.get(reverse("onboarding_uscc_check"), {"uscc": wrong}).content.decode()
    assert 'data-state="invalid"' in check


def test_registering_an_existing_code_files_a_join_request_and_gives_no_access():
    enterprise = EnterpriseFactory(name="已注册科技有限公司")
    owner = EnterpriseMemberFactory(enterprise=enterprise)
    newcomer = UserFactory()
    client = client_for(newcomer)
    check = client.get(reverse("onboarding_uscc_check"), {"uscc": enterprise.uscc})
    assert 'data-state="registered"' in check.content.decode()
    step = client.post(reverse("onboarding_step", args=["code"]), {"uscc": enterprise.uscc})
    assert 'data-testid="already-registered"' in step.content.decode()
    assert "已注册科技有限公司" in step.content.decode()

    client.post(reverse("onboarding_join"), {"uscc": enterprise.uscc, "message": "我是CTO"})
    request = JoinRequest.objects.get(user=newcomer)
    assert (request.enterprise, request.status, request.message) == (
        enterprise,
        JoinRequest.Status.PENDING,
        "我是CTO",
    )
    assert Enterprise.objects.count() == 1
    assert client.get(enterprise.get_absolute_url()).status_code == 404
    mine = client.get(reverse("my_enterprises")).content.decode()
    assert 'data-testid="my-join-requests"' in mine and "已注册科技有限公司" in mine

    members_page = client_for(owner).get(reverse("member_list", args=[enterprise.pk]))
    assert newcomer.email in members_page.content.decode()
    client.post(reverse("join_request_cancel", args=[request.pk]))
    request.refresh_from_db()
    assert request.status == JoinRequest.Status.CANCELLED
