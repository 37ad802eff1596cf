"""Lists without credit codes: rows matched to registered firms by name, and only a match a
registry officer confirms verifies a claim."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ecosystem.core.errors import ApplicationError, ConflictError
from ecosystem.core.models import AuditEvent
from ecosystem.enterprises.models import NameMatch
from ecosystem.enterprises.services.name_matching import name_match_confirm, name_match_reject
from ecosystem.enterprises.workflow import ClaimStatus
from ecosystem.registries import services
from ecosystem.registries.models import RegistryEntry
from tests.factories import (
    ProgramFactory,
    RegistryOfficerFactory,
    ZoneFactory,
    ZoneOfficialFactory,
    make_uscc,
)
from tests.worlds.list_claims import program_with_term, submitted_claim

pytestmark = pytest.mark.django_db
BATCH = "第五批"
LIST = [
    "第五批专精特新“小巨人”企业名单",
    "序号,省份,企业名称",
    "1,北京市,北京甲科技有限公司",
    "2,上海市,上海乙科技有限公司",
    "3,江苏省,丙（苏州）科技有限公司",
    "4,北京市,丁科技有限公司",
    "5,北京市,戊 测试 有限公司",
]


@pytest.fixture
def program():
    return program_with_term("little-giant")


@pytest.fixture
def officer(program):
    return RegistryOfficerFactory(program=program, full_name="王审核")


@pytest.fixture
def world(program):
    beijing = ZoneFactory(city="北京", province="北京市")
    shanghai = ZoneFactory(city="上海", province="上海市")
    suzhou = ZoneFactory(city="苏州", province="江苏省")
    firms = {
        "甲": submitted_claim(make_uscc(90_001), program, name="北京甲科技有限公司", zone=beijing),
        "乙1": submitted_claim(
            make_uscc(90_002), program, name="上海乙科技有限公司", zone=shanghai
        ),
        "乙2": submitted_claim(
            make_uscc(90_003), program, name="上海乙科技有限公司", zone=shanghai
        ),
        # Same name in another province: the list's 省份 rules it out.
        "乙3": submitted_claim(make_uscc(90_004), program, name="上海乙科技有限公司", zone=beijing),
        # Registered as a 股份 company without the place: a near match.
        "丙": submitted_claim(make_uscc(90_005), program, name="丙科技股份有限公司", zone=suzhou),
        "戊": submitted_claim(make_uscc(90_006), program, name="戊测试有限公司", zone=beijing),
    }
    return firms


@pytest.fixture
def imported(world, officer, program, django_capture_on_commit_callbacks):
    job = services.list_import_upload(
        actor=officer,
        program=program,
        batch=BATCH,
        upload=SimpleUploadedFile("名单.csv", ("\n".join(LIST) + "\n").encode("utf-8")),
    )
    assert (job.analysis["name_only"], job.analysis["claims"]["name_matches"]) == (True, 3)
    with django_capture_on_commit_callbacks(execute=True):
        services.list_import_confirm(list_import=job, actor=officer)
    job.refresh_from_db()
    return job


def matches_of(name):
    return NameMatch.objects.filter(entry__name=name).order_by("enterprise__uscc")


def test_exact_matches_are_proposed_ambiguous_and_near_ones_queued(world, imported):
    assert imported.name_matches == 4
    assert [(m.enterprise.name, m.kind) for m in matches_of("北京甲科技有限公司")] == [
        ("北京甲科技有限公司", NameMatch.Kind.EXACT)
    ]
    assert [(m.enterprise.uscc, m.kind) for m in matches_of("上海乙科技有限公司")] == [
        (make_uscc(90_002), NameMatch.Kind.AMBIGUOUS),
        (make_uscc(90_003), NameMatch.Kind.AMBIGUOUS),
    ]
    assert [(m.enterprise.name, m.kind) for m in matches_of("丙（苏州）科技有限公司")] == [
        ("丙科技股份有限公司", NameMatch.Kind.NEAR)
    ]
    assert [m.kind for m in matches_of("戊 测试 有限公司")] == [NameMatch.Kind.EXACT]  # spaces
    assert not matches_of("丁科技有限公司").exists()  # not registered: stays an entry
    assert RegistryEntry.objects.get(name="丁科技有限公司").uscc == ""
    # Nothing is verified before an officer confirms.
    for _member, claim in world.values():
        claim.refresh_from_db()
        assert claim.status == ClaimStatus.SUBMITTED


def test_a_confirmed_match_verifies_the_claim_and_says_so(world, imported, officer):
    match = matches_of("北京甲科技有限公司").get()
    name_match_confirm(match_id=match.pk, actor=officer)
    _member, claim = world["甲"]
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.VERIFIED
    assert "Matched by name, confirmed by" in claim.reason_text or "按名称" in claim.reason_text
    assert "王审核" in claim.reason_text
    entry = RegistryEntry.objects.get(name="北京甲科技有限公司")
    assert (entry.uscc, entry.matched_by) == (make_uscc(90_001), officer)
    assert claim.registry_entry == entry
    assert AuditEvent.objects.filter(verb="name_match.confirmed", actor=officer).exists()


def test_confirming_one_of_several_supersedes_the_others(world, imported, officer):
    first, second = matches_of("上海乙科技有限公司")
    name_match_confirm(match_id=second.pk, actor=officer)
    first.refresh_from_db()
    assert first.status == NameMatch.Status.SUPERSEDED
    for key, status in (("乙1", ClaimStatus.SUBMITTED), ("乙2", ClaimStatus.VERIFIED)):
        world[key][1].refresh_from_db()
        assert world[key][1].status == status
    with pytest.raises(ConflictError):
        name_match_confirm(match_id=first.pk, actor=officer)


def test_a_rejection_leaves_the_row_and_the_claim_untouched(world, imported, officer):
    match = matches_of("丙（苏州）科技有限公司").get()
    name_match_reject(match_id=match.pk, actor=officer)
    match.refresh_from_db()
    assert match.status == NameMatch.Status.REJECTED and match.decided_by == officer
    assert RegistryEntry.objects.get(name="丙（苏州）科技有限公司").uscc == ""
    world["丙"][1].refresh_from_db()
    assert world["丙"][1].status == ClaimStatus.SUBMITTED
    with pytest.raises(ConflictError, match="Already decided|已由"):
        name_match_confirm(match_id=match.pk, actor=officer)  # a decided match stays decided


def test_only_an_officer_of_the_program_decides(world, imported, program):
    match = matches_of("北京甲科技有限公司").get()
    other = RegistryOfficerFactory(program=ProgramFactory(code="hte"))
    official = ZoneOfficialFactory()
    for actor in (other, official, world["甲"][0]):
        with pytest.raises(ApplicationError) as excinfo:
            name_match_confirm(match_id=match.pk, actor=actor)
        assert excinfo.value.status == 404
    match.refresh_from_db()
    assert match.status == NameMatch.Status.PROPOSED


def test_the_queue_page_and_its_buttons(client, world, imported, officer, program):
    match = matches_of("北京甲科技有限公司").get()
    other = RegistryOfficerFactory(program=ProgramFactory(code="hte"))
    client.force_login(other)
    assert client.get(reverse("registry_name_matches")).status_code == 200
    assert "北京甲科技有限公司" not in client.get(reverse("registry_name_matches")).content.decode()
    decide = reverse("registry_name_match_decide", args=[match.pk, "confirm"])
    assert client.post(decide).status_code == 404
    client.force_login(world["甲"][0])
    assert client.get(reverse("registry_name_matches")).status_code == 404

    client.force_login(officer)
    page = client.get(reverse("registry_name_matches")).content.decode()
    assert "北京甲科技有限公司" in page and str(NameMatch.Kind.EXACT.label) in page
    assert "exact" not in page.replace("exact-", "")  # the kind in words, never its code
    response = client.post(decide, follow=True)
    assert response.redirect_chain[-1][0] == reverse("registry_name_matches")
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    match.refresh_from_db()
    assert match.status == NameMatch.Status.CONFIRMED
    again = client.post(decide, follow=True)
    assert [m.level_tag for m in again.context["messages"]] == ["error"]


def test_reimporting_the_list_keeps_a_confirmed_match(
    world, imported, officer, program, django_capture_on_commit_callbacks
):
    name_match_confirm(match_id=matches_of("北京甲科技有限公司").get().pk, actor=officer)
    again = services.list_import_upload(
        actor=officer,
        program=program,
        batch=BATCH,
        upload=SimpleUploadedFile(
            "名单2.csv", ("\n".join([*LIST, "6,北京市,己公司"]) + "\n").encode()
        ),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.list_import_confirm(list_import=again, actor=officer)
    entry = RegistryEntry.objects.get(name="北京甲科技有限公司")
    assert entry.uscc == make_uscc(90_001) and entry.status == RegistryEntry.Status.CURRENT
    assert RegistryEntry.objects.filter(batch=BATCH).count() == 6
    world["甲"][1].refresh_from_db()
    assert world["甲"][1].status == ClaimStatus.VERIFIED


def test_unmatched_rows_feed_the_outreach_list(world, imported, officer, program):
    from ecosystem.insights.reconciliation import reconciliation

    name_match_confirm(match_id=matches_of("北京甲科技有限公司").get().pk, actor=officer)
    figures = reconciliation(program=program, batch=BATCH, user=officer)
    outreach = {e.name for e in figures["outreach"]}
    assert "丁科技有限公司" in outreach  # on the list, not registered: someone should call
    assert "北京甲科技有限公司" not in outreach  # confirmed: it is a registered firm
    assert figures["registered"] == 1
