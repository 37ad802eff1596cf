"""No personal data in logs: what the configured handlers write has emails, credit codes,
identity numbers and phone numbers masked, in messages, arguments and tracebacks alike."""

import io
import logging
import logging.config

import pytest
from django.conf import settings

from ecosystem.core.log_privacy import PersonalDataFilter, mask_personal_data
from portal.celery import mask_personal_data_in_worker_logs

EMAIL = "founder@demo.kejinlink.cn"
USCC = "91110108MA01XXXX0K"  # shape only; the filter does not check the digit
REAL_USCC = "91350100M000100Y43"
ID_CARD = "11010519491231002X"
MOBILE = "13812345678"


@pytest.fixture
def configured_output():
    """Logging as the settings configure it, with the console handler writing to a buffer."""
    logging.config.dictConfig(settings.LOGGING)
    buffer = io.StringIO()
    handlers = logging.getLogger().handlers
    console = next(h for h in handlers if any(isinstance(f, PersonalDataFilter) for f in h.filters))
    previous = console.setStream(buffer)
    yield buffer
    console.setStream(previous)


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        (f"sign-in for {EMAIL}", EMAIL),
        (f"enterprise {REAL_USCC} registered", REAL_USCC),
        (f"owner id card {ID_CARD}", ID_CARD),
        (f"call {MOBILE} or +86 138-1234-5678", MOBILE),
        ("desk 010-62781234", "62781234"),
    ],
)
def test_masking_hides_each_kind_of_personal_data(text, hidden):
    masked = mask_personal_data(text)
    assert hidden not in masked
    assert "1234-5678" not in masked


def test_masking_keeps_what_helps_debugging():
    assert mask_personal_data(f"mail {EMAIL}") == "mail ***@demo.kejinlink.cn"
    assert mask_personal_data(f"code {REAL_USCC}") == "code 91**************43"
    assert mask_personal_data("task 8f14e45f-ceea-467f-a0e6-0d7b1b4c2a11 took 12 ms") == (
        "task 8f14e45f-ceea-467f-a0e6-0d7b1b4c2a11 took 12 ms"
    )
    assert mask_personal_data("succeeded in 0.026412345678901234s") == (
        "succeeded in 0.026412345678901234s"
    )


@pytest.mark.parametrize(
    "logger_name",
    ["ecosystem.registries.services", "django.request", "django.server", "celery.app.trace"],
)
def test_configured_handlers_mask_messages_and_arguments(configured_output, logger_name):
    logging.getLogger(logger_name).warning("user %s of %s, phone %s", EMAIL, REAL_USCC, MOBILE)
    written = configured_output.getvalue()
    assert "user ***@demo.kejinlink.cn of 91**************43, phone [phone]" in written
    for personal in (EMAIL, REAL_USCC, MOBILE):
        assert personal not in written


def test_configured_handlers_mask_tracebacks(configured_output):
    try:
        raise ValueError(f"row 7: {EMAIL} has code {REAL_USCC}")
    except ValueError:
        logging.getLogger("ecosystem.registries.services").exception("list import 3 failed")
    written = configured_output.getvalue()
    assert "Traceback" in written
    assert "ValueError: row 7: ***@demo.kejinlink.cn has code 91**************43" in written
    assert EMAIL not in written
    assert REAL_USCC not in written


def test_celery_worker_handlers_get_the_filter():
    logger = logging.getLogger("test.celery.worker")
    handler = logging.StreamHandler(io.StringIO())
    logger.addHandler(handler)
    try:
        mask_personal_data_in_worker_logs(logger=logger)
        mask_personal_data_in_worker_logs(logger=logger)  # set-up may run twice: one filter
        assert [type(f) for f in handler.filters] == [PersonalDataFilter]
        logger.error("mail to %s", EMAIL)
        assert EMAIL not in handler.stream.getvalue()
    finally:
        logger.removeHandler(handler)
