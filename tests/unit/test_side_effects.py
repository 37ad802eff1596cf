"""Side effects go one way: notify() renders per recipient in their own language, and a
task delivered twice by the outbox sends its email once."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from ecosystem.accounts import services as accounts
from ecosystem.accounts.models import Invitation
from ecosystem.accounts.roles import Role
from ecosystem.accounts.tasks import send_invitation_email
from ecosystem.core.models import Notification
from ecosystem.core.services import notify
from ecosystem.enterprises import services as es
from ecosystem.enterprises.workflow import ClaimStatus
from tests.factories import (
    EnterpriseFactory,
    EnterpriseMemberFactory,
    PlatformAdminFactory,
    ProgramFactory,
    ZoneFactory,
    ZoneOfficialFactory,
)

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


def test_invitation_email_delivered_twice_is_sent_once(django_capture_on_commit_callbacks):
    admin = PlatformAdminFactory(language="en")
    with django_capture_on_commit_callbacks(execute=True):
        invitation = accounts.invitation_create(
            invited_by=admin, email="rm@bank.cn", role=Role.ZONE_OFFICIAL, zone=ZoneFactory()
        )
    assert len(mail.outbox) == 1
    # The outbox delivers at least once: the same task again, and once more by hand.
    send_invitation_email(invitation.pk)
    send_invitation_email.apply(args=[invitation.pk])
    assert len(mail.outbox) == 1
    invitation.refresh_from_db()
    assert invitation.emailed_at is not None
    assert invitation.language == "en"


def test_invitation_email_leads_with_the_inviters_language(django_capture_on_commit_callbacks):
    for language, first in (("en", "You are invited"), ("zh-hans", "您")):
        mail.outbox.clear()
        admin = PlatformAdminFactory(language=language)
        with django_capture_on_commit_callbacks(execute=True):
            accounts.invitation_create(
                invited_by=admin,
                email=f"{language}@zone.gov.cn",
                role=Role.ZONE_OFFICIAL,
                zone=ZoneFactory(),
            )
        [message] = mail.outbox
        assert message.body.startswith(first), message.body[:80]
        # The other language follows, since the invitee has no account (and language) yet.
        assert "You are invited" in message.body and "您" in message.body


def test_a_revoked_invitation_is_not_emailed():
    admin = PlatformAdminFactory()
    invitation = accounts.invitation_create(
        invited_by=admin, email="late@zone.gov.cn", role=Role.ZONE_OFFICIAL, zone=ZoneFactory()
    )
    accounts.invitation_revoke(invitation=invitation, actor=admin)
    send_invitation_email(invitation.pk)
    assert mail.outbox == []
    assert Invitation.objects.get(pk=invitation.pk).emailed_at is None


def test_claim_decision_reaches_each_member_in_their_own_language(
    django_capture_on_commit_callbacks,
):
    zone = ZoneFactory()
    enterprise = EnterpriseFactory(zone=zone)
    english = EnterpriseMemberFactory(enterprise=enterprise, language="en")
    chinese = EnterpriseMemberFactory(enterprise=enterprise, language="zh-hans")
    # The deciding official reads Chinese; that must not decide the members' language.
    official = ZoneOfficialFactory(zone=zone, language="zh-hans")
    claim = es.claim_create(
        enterprise=enterprise,
        actor=english,
        program=ProgramFactory(name_zh="高新技术企业", name_en="High-tech enterprise"),
        certificate_number="GR2025001",
        year=2025,
    )
    es.evidence_add(claim=claim, actor=english, upload=SimpleUploadedFile("c.pdf", PDF))
    es.claim_submit(claim=claim, actor=english)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        es.claim_transition(claim=claim, to=ClaimStatus.VERIFIED, actor=official)

    to_english = Notification.objects.get(recipient=english, kind="claim_status")
    to_chinese = Notification.objects.get(recipient=chinese, kind="claim_status")
    assert to_english.title == "High-tech enterprise claim: verified"
    assert to_chinese.title == "高新技术企业 资质申报：已核验"
    emails = {m.to[0]: m.subject for m in mail.outbox}
    assert emails[english.email].endswith("High-tech enterprise claim: verified")
    assert emails[chinese.email].endswith("高新技术企业 资质申报：已核验")


def test_notify_renders_lazy_text_per_recipient_and_keeps_plain_text():
    from django.utils.translation import gettext_lazy

    english = EnterpriseMemberFactory(language="en")
    chinese = EnterpriseMemberFactory(language="zh-hans")
    notify(
        [english, chinese], "test", title=gettext_lazy("verified"), body="张三 wrote this", url="/"
    )
    titles = dict(Notification.objects.values_list("recipient_id", "title"))
    assert titles == {english.pk: "verified", chinese.pk: "已核验"}
    assert set(Notification.objects.values_list("body", flat=True)) == {"张三 wrote this"}
