"""Enterprise pages: a permission matrix over every enterprise, claim and evidence page,
and the page behaviours the issue asks for (refused uploads keep the form, the wizard
resumes in a new session, an existing credit code files a join request, a stale profile
edit is refused with the input kept)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ecosystem.accounts.roles import Role
from ecosystem.enterprises import services
from ecosystem.enterprises.models import (
    AccessLogEntry,
    QualificationClaim,
)
from tests.factories import (
    BankFactory,
    EnterpriseMemberFactory,
    ProgramFactory,
)
from tests.worlds.enterprise_pages import (
    FIGURE_POST,
    LAST_YEAR,
    World,
    build_world,
    client_for,
    fast_passwords,
    pdf,
    state,
)
from tests.worlds.files import PDF_DOCUMENT as PDF
from tests.worlds.files import PDF_HTML_POLYGLOT
from tests.worlds.fresh import fresh

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    fast_passwords(settings)


@pytest.fixture(scope="module")
def _built(module_db) -> World:
    """The world, built once for the module (each test runs in a savepoint rolled back
    after it: 230 tests spent two minutes building it again in the suite)."""
    return build_world()


@pytest.fixture
def world(_built) -> World:
    """The module's world as each test's own objects, read again from the database: what
    one test changed on an object in memory does not reach the next."""
    return fresh(_built)


# (name, url name, url args, kind). Kinds: "read" pages are open to members, officials of
# the zone and banks holding consent; "own" pages to members only.
E = lambda w: [w.enterprise.pk]  # noqa: E731
C = lambda w: [w.enterprise.pk, w.claim.pk]  # noqa: E731
NO_DATA = lambda w: {}  # noqa: E731
GET_PAGES = [
    ("detail", "enterprise_detail", E, "read"),
    ("self_assessment", "self_assessment", E, "read"),
    ("figures", "financial_year_list", E, "read"),
    ("needs", "financing_need_list", E, "read"),
    ("claims", "claim_list", E, "read"),
    ("claim", "claim_detail", C, "read"),
    ("evidence", "evidence_download", lambda w: [*C(w), w.evidence.pk], "read"),
    ("edit", "enterprise_edit", E, "own"),
    ("year_add", "financial_year_add", E, "own"),
    ("year_edit", "financial_year_edit", lambda w: [w.enterprise.pk, LAST_YEAR], "own"),
    ("need_add", "financing_need_add", E, "own"),
    ("claim_new", "claim_create", E, "own"),
    ("members", "member_list", E, "own"),
    ("consent", "consent_list", E, "own"),
    ("access_log", "access_log", E, "own"),
]
# (name, url name, url args, form data): each one changes something when an owner posts it.
POSTS = [
    ("edit", "enterprise_edit", E, lambda w: {
        "name": "改名科技", "zone": w.enterprise.zone_id, "version": w.enterprise.version}),
    ("year_add", "financial_year_add", E, lambda w: {**FIGURE_POST, "year": LAST_YEAR - 1}),
    ("year_edit", "financial_year_edit", lambda w: [w.enterprise.pk, LAST_YEAR], lambda w: {
        **FIGURE_POST, "employees": "90", "version": w.year.version}),
    ("need_add", "financing_need_add", E, lambda w: {
        "amount": "1,000,000", "term_months": "12", "purpose": "rd"}),
    ("need_close", "financing_need_close", lambda w: [w.enterprise.pk, w.need.pk], NO_DATA),
    ("claim_new", "claim_create", E, lambda w: {
        "program": ProgramFactory(code="hte").pk, "certificate_number": "GR2023110001",
        "year": LAST_YEAR, "evidence": pdf()}),
    ("claim_edit", "claim_edit", C, lambda w: {
        "program": w.claim.program_id, "certificate_number": "CHANGED-1", "year": LAST_YEAR,
        "version": w.claim.version}),
    ("claim_submit", "claim_submit", C, NO_DATA),
    ("evidence_add", "evidence_upload", C, lambda w: {"files": pdf("more.pdf")}),
    ("evidence_remove", "evidence_remove", lambda w: [*C(w), w.evidence.pk], NO_DATA),
    ("invite", "member_invite", E, lambda w: {
        "email": "new.colleague@example.com", "role": Role.ENTERPRISE_MEMBER}),
    ("member_remove", "member_remove", lambda w: [w.enterprise.pk, w.co_owner_membership.pk],
     NO_DATA),
    ("transfer", "ownership_transfer", E, lambda w: {"membership": w.co_owner_membership.pk}),
    ("leave", "member_leave", E, NO_DATA),
    ("join_decide", "join_request_decide", lambda w: [w.enterprise.pk, w.join_request.pk],
     lambda w: {"decision": "approve"}),
    ("consent_grant", "consent_grant", E, lambda w: {
        "bank": BankFactory().pk, "purpose": "financing", "agree": "on"}),
    ("consent_revoke", "consent_revoke", lambda w: [w.enterprise.pk, w.consent.pk], NO_DATA),
]  # fmt: skip
DENIED = ["other_member", "other_zone_official", "bank_without_consent"]


def fetch(client, url):
    response = client.get(url)
    if response.streaming:  # consuming it closes the file (the test client's wrapper)
        b"".join(response.streaming_content)
    return response


@pytest.mark.parametrize("name,url_name,args,kind", GET_PAGES, ids=[p[0] for p in GET_PAGES])
@pytest.mark.parametrize("role", ["anonymous", *DENIED, "zone_official", "bank_with_consent"])
def test_get_page_permission_matrix(world, role, name, url_name, args, kind):
    url = reverse(url_name, args=args(world))
    logged = AccessLogEntry.objects.count()
    response = fetch(client_for(world.users[role]), url)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    elif role in DENIED or kind == "own":
        assert response.status_code == 404
    elif role == "bank_with_consent" and name in ("claim", "evidence"):
        assert response.status_code == 404  # a bank sees verified claims only (the draft isn't)
    else:
        assert response.status_code == 200
    bank_saw_it = role == "bank_with_consent" and response.status_code == 200
    assert AccessLogEntry.objects.count() == logged + (1 if bank_saw_it else 0)


@pytest.mark.parametrize("name", ["claim", "evidence"])
def test_bank_with_consent_sees_a_verified_claim_and_its_evidence(world, name):

    QualificationClaim.objects.filter(pk=world.claim.pk).update(status="verified")
    args = dict((p[0], p[2]) for p in GET_PAGES)[name](world)
    url_name = dict((p[0], p[1]) for p in GET_PAGES)[name]
    logged = AccessLogEntry.objects.count()
    response = fetch(client_for(world.users["bank_with_consent"]), reverse(url_name, args=args))
    assert response.status_code == 200
    assert AccessLogEntry.objects.count() == logged + 1


@pytest.mark.parametrize("name,url_name,args,kind", GET_PAGES, ids=[p[0] for p in GET_PAGES])
def test_member_opens_every_page(world, name, url_name, args, kind):
    logged = AccessLogEntry.objects.count()
    assert fetch(client_for(world.owner), reverse(url_name, args=args(world))).status_code == 200
    assert AccessLogEntry.objects.count() == logged


@pytest.mark.parametrize("name,url_name,args,data", POSTS, ids=[p[0] for p in POSTS])
@pytest.mark.parametrize("role", ["anonymous", *DENIED, "zone_official", "bank_with_consent"])
def test_denied_post_changes_nothing(world, role, name, url_name, args, data):
    url = reverse(url_name, args=args(world))
    payload = data(world)
    before = state()
    response = client_for(world.users[role]).post(url, payload)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == 404
    assert state() == before


@pytest.mark.parametrize("name,url_name,args,data", POSTS, ids=[p[0] for p in POSTS])
def test_owner_post_takes_effect(world, name, url_name, args, data):
    """The counterpart of the denied posts: the same request from an owner changes data."""
    url = reverse(url_name, args=args(world))
    payload = data(world)
    before = state()
    response = client_for(world.owner).post(url, payload)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert state() != before


def test_bank_view_is_logged_and_revoking_consent_hides_the_enterprise_at_once(world):
    bank_client = client_for(world.banker)
    detail = reverse("enterprise_detail", args=[world.enterprise.pk])
    assert bank_client.get(detail).status_code == 200
    entry = AccessLogEntry.objects.get()
    assert (entry.viewer, entry.bank_id, entry.section) == (
        world.banker,
        world.consent.bank_id,
        "profile",
    )
    log_page = client_for(world.owner).get(reverse("access_log", args=[world.enterprise.pk]))
    assert world.banker.email in log_page.content.decode()

    revoke = reverse("consent_revoke", args=[world.enterprise.pk, world.consent.pk])
    assert client_for(world.owner).post(revoke).status_code == 302
    assert bank_client.get(detail).status_code == 404
    assert AccessLogEntry.objects.count() == 1


def test_evidence_is_served_inline_with_nosniff(world):
    url = reverse(
        "evidence_download", args=[world.enterprise.pk, world.claim.pk, world.evidence.pk]
    )
    response = client_for(world.users["zone_official"]).get(url)
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_pdf_html_polyglot_is_served_as_a_download_never_inline(world):
    polyglot = services.evidence_add(
        claim=world.claim,
        actor=world.owner,
        upload=SimpleUploadedFile("certificate.pdf", PDF_HTML_POLYGLOT),
    )
    url = reverse("evidence_download", args=[world.enterprise.pk, world.claim.pk, polyglot.pk])
    response = client_for(world.users["zone_official"]).get(url)
    assert b"".join(response.streaming_content) == PDF_HTML_POLYGLOT
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_evidence_of_another_enterprise_is_404_even_with_right_ids_mixed(world):
    other = EnterpriseMemberFactory()
    url = reverse(
        "evidence_download", args=[world.enterprise.pk, world.claim.pk, world.evidence.pk]
    )
    assert client_for(other).get(url).status_code == 404
    mixed = reverse(
        "evidence_download",
        args=[other.memberships.get().enterprise_id, world.claim.pk, world.evidence.pk],
    )
    assert client_for(other).get(mixed).status_code == 404
