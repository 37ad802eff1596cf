"""The bank's match and lead exports write the same file as before their rows became
batches of cells made safe once (docs/performance.md, session 17): byte for byte against
the old code path (``tests.worlds.export_reference``), for a manager (of one bank and of
two), an RM, consent-masked rows (revoked, another bank's, never given), formula text in
the firm's and the bank's own fields and in labels, in Chinese and in English, as CSV
(several pieces) and XLSX (every part of the workbook but its creation time), streamed
or written by an export job's worker."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from ecosystem.core.exports import CSV_PIECE, write_table
from ecosystem.financing.exports import leads_table, matches_table
from ecosystem.financing.models import Lead, Product
from tests.worlds.export_reference import reference_file
from tests.worlds.exports import (
    add_leads,
    add_matches,
    head_office_rm,
    staff_of_two_banks,
    varied_leads,
    varied_matches,
)
from tests.worlds.leads import World

pytestmark = pytest.mark.django_db

LANGUAGES = ("zh-hans", "en")
FORMATS = ("csv", "xlsx")


def _file(user, url: str, language: str) -> bytes:
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def _parts(xlsx: bytes) -> dict[str, bytes]:
    """The workbook's parts; ``docProps/core.xml`` holds the time it was made."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as book:
        return {n: book.read(n) for n in book.namelist() if n != "docProps/core.xml"}


def _assert_same(new: bytes, old: bytes, fmt: str) -> None:
    if fmt == "xlsx":
        assert _parts(new) == _parts(old)
    else:
        assert new.decode("utf-8") == old.decode("utf-8")


def _query(filters: dict) -> str:
    return "?" + "&".join(f"{k}={v}" for k, v in filters.items()) if filters else ""


def _with_formula_labels(world: World) -> None:
    """Labels a spreadsheet would run: a product's names, an RM's name, and lead values
    outside their choices (written as they are, made safe)."""
    Product.objects.filter(code="a-fast").update(name_zh="+快贷", name_en="=Fast loan")
    world.other_rm.full_name = "@RM"
    world.other_rm.save(update_fields=["full_name"])
    lead = Lead.objects.filter(branch=world.branch).order_by("pk").first()
    Lead.objects.filter(pk=lead.pk).update(need_purpose="=other", need_collateral="-x")


@pytest.fixture
def world() -> World:
    world = World()
    varied_matches(world)
    varied_leads(world)
    _with_formula_labels(world)
    add_matches(world, 1_000, start=0)  # several CSV pieces
    add_leads(world, 600, start=1_000)
    return world


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_match_export_equals_the_old_code_path(world, language, fmt):
    fast = Product.objects.get(code="a-fast")
    url = reverse("financing_bank_matches_export", args=[fmt])
    # the branch's RM (the firms of its zone), the head office's (the varied firms, in
    # zones no branch serves) and the manager (all), last: the checks below read its file
    for user in (world.rm, head_office_rm(world), world.manager):
        for filters in ({}, {"product": str(fast.pk)}):
            new = _file(user, url + _query(filters), language)
            old = reference_file("matches", fmt, user=user, filters=filters, language=language)
            _assert_same(new, old, fmt)
    if fmt == "csv":  # what the comparison covers
        text = new.decode()
        assert "'=Fast loan" in text or "'+快贷" in text
        assert len(_file(world.manager, url, language).decode()) > 2 * CSV_PIECE


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_lead_export_equals_the_old_code_path(world, language, fmt):
    url = reverse("financing_lead_export", args=[fmt])
    for user, tab in (
        (world.rm, "mine"),
        (world.rm, "team"),
        (world.rm, "unassigned"),
        (world.manager, "team"),
    ):
        filters = {"tab": tab}
        new = _file(user, url + _query(filters), language)
        old = reference_file("leads", fmt, user=user, filters=filters, language=language)
        _assert_same(new, old, fmt)
    if fmt == "csv":
        text = _file(world.rm, url + "?tab=team", language).decode()
        for cell in ("'=other", "'-x", "'@RM", "'=SUM(A1) 逾期记录"):
            assert cell in text, cell
        assert "✓" in text  # an overdue lead
        assert len(text) > 2 * CSV_PIECE


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_match_export_of_two_banks_masks_as_the_old_code_path(language, fmt):
    """A manager of two banks: the firm is shown on the match of the bank it consented to
    and masked on the other's, in the same file."""
    world = staff_of_two_banks()
    new = _file(world.manager, reverse("financing_bank_matches_export", args=[fmt]), language)
    old = reference_file("matches", fmt, user=world.manager, filters={}, language=language)
    _assert_same(new, old, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_job_writer_equals_the_old_code_path(world, fmt):
    """Past ``EXPORT_ROW_LIMIT`` a worker writes the same tables (``write_table``): the
    same file as the old code path, matches and leads, in both languages."""
    for language in LANGUAGES:
        for kind, build, user, filters in (
            ("matches", matches_table, world.manager, {}),
            ("leads", leads_table, world.rm, {"tab": "team"}),
        ):
            out = io.BytesIO()
            with translation.override(language):
                write_table(build(user=user, filters=filters), fmt, out)
            old = reference_file(kind, fmt, user=user, filters=filters, language=language)
            _assert_same(out.getvalue(), old, fmt)
