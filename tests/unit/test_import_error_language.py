"""Import row errors in the reader's language: a row error keeps its code and the
message's arguments, and the errors page and report say it in whoever reads them's
language; a row stored before the arguments were kept shows its stored text."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from ecosystem.registries.models import ImportRowError
from ecosystem.registries.row_messages import row_message
from ecosystem.registries.rules import invalid_uscc_error
from tests.factories import ListImportFactory
from tests.worlds.registry_files import csv_bytes
from tests.worlds.registry_pages import bad_rows, make_officer, make_program, make_run

pytestmark = pytest.mark.django_db


def page_in(user, url: str, language: str) -> str:
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    client.cookies["django_language"] = language
    return client.get(url).content.decode()


def test_an_import_run_in_chinese_reads_in_english_for_an_english_reader(
    django_capture_on_commit_callbacks,
):
    program = make_program()
    officer = make_officer(program)
    with translation.override("zh-hans"):
        job = make_run(officer, program, django_capture_on_commit_callbacks)(csv_bytes(bad_rows()))
    stored = {e.code: e for e in ImportRowError.objects.filter(list_import=job)}
    assert set(stored) == {"uscc_check", "missing_name"}
    assert "校验" in stored["uscc_check"].message or "信用代码" in stored["uscc_check"].message
    url = reverse("registry_import_errors", args=[job.pk])
    english = page_in(officer, url, "en")
    assert "The check character of this credit code is wrong" in english
    assert "The name is missing." in english
    chinese = page_in(officer, url, "zh-hans")
    assert "The name is missing." not in chinese
    assert stored["missing_name"].message in chinese


def test_arguments_are_kept_and_filled_in_each_language():
    error = invalid_uscc_error(7, "91110108MA01ABC", "某公司")
    assert (error.code, error.params) == ("uscc_length", {"count": 15})
    row = ImportRowError(
        list_import=ListImportFactory.build(),
        row_number=7,
        code=error.code,
        message=error.message,
        params=error.params,
    )
    with translation.override("en"):
        assert (
            row_message(row) == "A unified social credit code has 18 characters; this one has 15."
        )
    with translation.override("zh-hans"):
        assert "15" in row_message(row) and "18 characters" not in row_message(row)


def test_a_row_stored_before_keeps_its_text():
    old = ImportRowError(
        list_import=ListImportFactory.build(),
        row_number=3,
        code="duplicate",
        message="与本文件第 2 行重复。",
    )
    with translation.override("en"):
        assert row_message(old) == "与本文件第 2 行重复。"
    unknown = ImportRowError(
        list_import=ListImportFactory.build(), row_number=4, code="legacy", message="旧的原因"
    )
    assert row_message(unknown) == "旧的原因"
