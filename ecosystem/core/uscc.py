"""Unified social credit code (USCC, GB 32100-2015): normalisation and check digit."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [pow(3, i, 31) for i in range(17)]
_VALUES = {symbol: value for value, symbol in enumerate(ALPHABET)}


def normalize_uscc(value: str) -> str:
    """Upper case, with spaces (including full-width ones) removed."""
    return "".join(str(value or "").split()).replace("\u3000", "").upper()


def uscc_check_character(first17: str) -> str:
    total = sum(_VALUES[symbol] * weight for symbol, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> str:
    """Return the normalised code or raise a translated ``ValidationError``."""
    code = normalize_uscc(value)
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(count)d."),
            code="uscc_length",
            params={"count": len(code)},
        )
    bad = sorted({symbol for symbol in code if symbol not in _VALUES})
    if bad:
        raise ValidationError(
            _("The code contains characters not used in credit codes: %(chars)s."),
            code="uscc_alphabet",
            params={"chars": " ".join(bad)},
        )
    if uscc_check_character(code[:17]) != code[17]:
        raise ValidationError(
            _("The check character of this credit code is wrong; please check for a typo."),
            code="uscc_check",
        )
    return code
