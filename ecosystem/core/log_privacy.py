"""Keep personal data out of the logs.

``PersonalDataFilter`` sits on every log handler (see ``LOGGING`` in the settings; Celery
workers use the same configuration) and masks what identifies a person or an enterprise in
the final message and in any traceback: email addresses, unified social credit codes and
18-digit identity card numbers, and mainland phone numbers.
"""

import logging
import re

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
#: 18 characters of the credit-code alphabet (GB 32100-2015), which also covers the 18-digit
#: resident identity card number (its check character X is in the alphabet); not part of a
#: decimal number such as a task's run time.
CREDIT_CODE = re.compile(
    r"(?<![0-9A-Z.])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Z.])"
)
MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)")
LANDLINE = re.compile(r"(?<!\d)0\d{2,3}-\d{7,8}(?!\d)")


def mask_personal_data(text: str) -> str:
    """The text with every email, credit code, identity number and phone number masked."""
    text = EMAIL.sub(r"***@\1", text)
    text = CREDIT_CODE.sub(lambda m: m.group(0)[:2] + "*" * 14 + m.group(0)[-2:], text)
    text = MOBILE.sub("[phone]", text)
    return LANDLINE.sub("[phone]", text)


class PersonalDataFilter(logging.Filter):
    """Masks the formatted message (arguments included) and the traceback of each record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: log what there is, masked
            message = f"{record.msg} {record.args}"
        record.msg = mask_personal_data(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_personal_data(record.exc_text)
        return True
