"""Unified social credit code (USCC, GB 32100-2015): one normaliser and one judgement.

Registration, the forms, the API and the list importer all read a typed or published code
through ``normalize_uscc`` and judge it through ``uscc_problem`` (``validate_uscc`` raises
its answer), so a code refused in one place is refused with the same words everywhere.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [pow(3, i, 31) for i in range(17)]
_VALUES = {symbol: value for value, symbol in enumerate(ALPHABET)}
#: Characters that are not white space to ``str.split`` but hide inside pasted codes.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_EXCEL_NUMBER = re.compile(r"^\d(?:\.\d+)?E\+\d{1,2}$")
_ORG_CODE = re.compile(r"^[0-9A-Z]{8}-?[0-9X]$")

#: Each kind of refusal: (code, message). The message may use %(count)d and %(chars)s.
KINDS = {
    "uscc_missing": _("The credit code is missing."),
    "uscc_excel_number": _(
        "Excel stored this code as a number and lost its last digits (it shows as "
        "%(shown)s); format the column as text and copy the codes in again."
    ),
    "uscc_old_registration": _(
        "This is a 15-digit business registration number from before 2015, not a unified "
        "social credit code; give the 18-character credit code."
    ),
    "uscc_org_code": _(
        "This is a 9-character organisation code, not a unified social credit code; give the "
        "18-character credit code."
    ),
    "uscc_length": _("A unified social credit code has 18 characters; this one has %(count)d."),
    "uscc_alphabet": _("The code contains characters not used in credit codes: %(chars)s."),
    "uscc_check": _("The check character of this credit code is wrong; please check for a typo."),
}


def normalize_uscc(value) -> str:
    """NFKC (full-width letters, digits and spaces become plain), every kind of space and
    invisible character removed, upper case."""
    text = str(value if value is not None else "")
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    return "".join(text.split()).upper()


def excel_display(number) -> str:
    """A number as Excel's General format shows a long one (``9.13205E+17``)."""
    mantissa, exponent = f"{float(number):.5E}".split("E")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}E+{int(exponent):02d}"


def uscc_check_character(first17: str) -> str:
    total = sum(_VALUES[symbol] * weight for symbol, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def uscc_problem(value) -> tuple[str, str] | None:
    """None when ``value`` is a valid code, else (kind, translated message).

    ``value`` may be a number, as a spreadsheet cell holds a code Excel converted.
    """
    found = uscc_problem_args(value)
    if found is None:
        return None
    kind, args = found
    return kind, str(KINDS[kind] % args if args else KINDS[kind])


def uscc_problem_args(value) -> tuple[str, dict] | None:
    """None when ``value`` is a valid code, else (kind, the message's arguments): what a
    stored row error keeps, to say it again in any reader's language (``KINDS[kind]``)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value) >= 1e11:
            return "uscc_excel_number", {"shown": excel_display(value)}
        value = str(value)
    code = normalize_uscc(value)
    if not code:
        return "uscc_missing", {}
    if _EXCEL_NUMBER.match(code):
        return "uscc_excel_number", {"shown": code}
    if code.isdigit() and len(code) == 18 and code.endswith("000") and not _check_ok(code):
        return "uscc_excel_number", {"shown": excel_display(int(code))}
    if code.isdigit() and len(code) == 15:
        return "uscc_old_registration", {}
    if _ORG_CODE.match(code):
        return "uscc_org_code", {}
    if len(code) != 18:
        return "uscc_length", {"count": len(code)}
    bad = sorted({symbol for symbol in code if symbol not in _VALUES})
    if bad:
        return "uscc_alphabet", {"chars": " ".join(bad)}
    if not _check_ok(code):
        return "uscc_check", {}
    return None


def _check_ok(code: str) -> bool:
    try:
        return uscc_check_character(code[:17]) == code[17]
    except KeyError:
        return False


def validate_uscc(value) -> str:
    """Return the normalised code or raise a translated ``ValidationError`` naming the kind."""
    problem = uscc_problem(value)
    if problem is not None:
        kind, message = problem
        raise ValidationError(message, code=kind)
    return normalize_uscc(value)
