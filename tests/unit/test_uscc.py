"""Unified social credit code (GB 32100-2015): normalisation and the check character."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from ecosystem.core.uscc import ALPHABET, normalize_uscc, uscc_check_character, validate_uscc

KNOWN_VALID = [
    "91350100M000100Y43",  # the standard's own example
    "9144030071526726XG",  # a Shenzhen enterprise
    "91310000MA1FL1MMXL",  # a Shanghai enterprise, letters in the body
    "Y1110108MA01DEM61" + uscc_check_character("Y1110108MA01DEM61"),  # first char a letter
    "A1110000MA00000001"[:17] + uscc_check_character("A1110000MA0000000"),
    "N2440101MA5CDEM63"[:17] + uscc_check_character("N2440101MA5CDEM63"),
]


@pytest.mark.parametrize("code", KNOWN_VALID)
def test_known_valid_codes_pass(code):
    assert validate_uscc(code) == code


def test_lower_case_and_spaces_are_normalised():
    assert validate_uscc(" 9135 0100m000100y43 ") == "91350100M000100Y43"
    assert normalize_uscc("9135\u30000100M000100Y43") == "91350100M000100Y43"


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("91350100M000100Y44", "uscc_check"),  # wrong check character
        ("91350100M000100Y4", "uscc_length"),  # 17 characters
        ("91350100M000100Y433", "uscc_length"),  # 19 characters
        ("", "uscc_missing"),
        ("91350100M000100I43", "uscc_alphabet"),
        ("91350100M000100O43", "uscc_alphabet"),
        ("91350100M000100Z43", "uscc_alphabet"),
        ("91350100M000100S43", "uscc_alphabet"),
        ("91350100M000100V43", "uscc_alphabet"),
    ],
)
def test_invalid_codes_fail_with_a_specific_reason(code, error):
    with pytest.raises(ValidationError) as excinfo:
        validate_uscc(code)
    assert excinfo.value.code == error


valid_bodies = st.text(alphabet=ALPHABET, min_size=17, max_size=17)


@given(body=valid_bodies)
def test_generated_codes_with_their_check_character_pass(body):
    code = body + uscc_check_character(body)
    assert validate_uscc(code) == code


@given(body=valid_bodies, position=st.integers(0, 17), data=st.data())
def test_changing_any_single_character_is_rejected(body, position, data):
    code = body + uscc_check_character(body)
    replacement = data.draw(st.sampled_from([c for c in ALPHABET if c != code[position]]))
    mutated = code[:position] + replacement + code[position + 1 :]
    with pytest.raises(ValidationError):
        validate_uscc(mutated)
