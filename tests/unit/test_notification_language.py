"""Stored notifications are read in the reader's language: the message key and its
arguments are stored, not the text, so a notification written while the recipient read
Chinese shows in English once they switch (and back); a row stored before keys existed
shows its text; every notification leads to the page of its object."""

import inspect
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from ecosystem.core.models import Notification
from ecosystem.core.services import notify
from ecosystem.financing import services as pipeline
from tests.factories import UserFactory
from tests.worlds.lead_pipeline import S, World

pytestmark = pytest.mark.django_db


def offer_made(world):
    world.member.language = "zh-hans"
    world.member.save(update_fields=["language"])
    pipeline.offer_make(
        lead=world.lead,
        actor=world.rm,
        amount=Decimal("800000"),
        rate=Decimal("4.1500"),
        term_months=12,
        valid_until=timezone.now() + timedelta(days=14),
    )
    return Notification.objects.get(recipient=world.member, kind="lead_status")


def page(user, language):
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client.get(reverse("notification_list")).content.decode()


def test_an_offer_notification_written_in_chinese_is_read_in_english():
    world = World(status=S.CONTACTED)
    notification = offer_made(world)
    product = world.lead.product
    assert product.name_zh in notification.title  # written in the recipient's language
    english = page(world.member, "en")
    assert f"{product.name_en} request: offer made" in english
    assert "Offer: CNY 0.80 million at 4.1500% for 12 months." in english
    chinese = page(world.member, "zh-hans")
    assert product.name_zh in chinese and "80.00万元" in chinese
    assert "offer made" not in chinese


def test_the_stored_key_not_the_text_decides_what_is_shown():
    world = World(status=S.CONTACTED)
    notification = offer_made(world)
    Notification.objects.filter(pk=notification.pk).update(title="旧的标题", body="旧的正文")
    with translation.override("en"):
        notification.refresh_from_db()
        assert notification.shown_title.endswith("request: offer made")


def test_a_row_stored_before_keys_existed_shows_its_text():
    user = UserFactory()
    old = Notification.objects.create(recipient=user, kind="x", title="旧通知", body="正文")
    with translation.override("en"):
        assert (old.shown_title, old.shown_body) == ("旧通知", "正文")
    assert "旧通知" in page(user, "en")


def test_the_email_is_written_in_the_recipients_language(django_capture_on_commit_callbacks):
    world = World(status=S.CONTACTED)
    world.member.language = "en"
    world.member.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        pipeline.offer_make(
            lead=world.lead,
            actor=world.rm,
            amount=Decimal("800000"),
            rate=Decimal("4.1500"),
            term_months=12,
            valid_until=timezone.now() + timedelta(days=14),
        )
    sent = [m for m in mail.outbox if world.member.email in m.to]
    assert sent and "request: offer made" in sent[-1].subject


def test_every_notification_names_the_page_of_its_object():
    assert inspect.signature(notify).parameters["url"].default is inspect.Parameter.empty
    world = World(status=S.CONTACTED)
    offer_made(world)
    offer = world.lead.offers.get()
    pipeline.offer_accept(offer=offer, actor=world.member)
    urls = dict(Notification.objects.values_list("kind", "url"))
    lead_page = reverse("financing_lead_detail", args=[world.lead.pk])
    # The offer's notification leads to the offer itself: its terms and the confirm step.
    offer_page = reverse("financing_enterprise_offer_confirm", args=[world.enterprise.pk, offer.pk])
    assert urls["lead_status"] == offer_page
    assert urls["offer_answer"] == lead_page
    assert not Notification.objects.filter(url="").exists()


def test_opening_a_read_notification_still_leads_to_its_object():
    world = World(status=S.CONTACTED)
    notification = offer_made(world)
    client = Client()
    client.force_login(world.member)
    opened = client.post(reverse("notification_read", args=[notification.pk]))
    assert opened["Location"] == notification.url
    assert f'href="{notification.url}"' in client.get(reverse("notification_list")).content.decode()
