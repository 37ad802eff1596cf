"""Unified social credit code (GB 32100-2015): normalisation and the check character."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from ecosystem.core.uscc import (
    ALPHABET,
    normalize_uscc,
    uscc_check_character,
    uscc_problem,
    validate_uscc,
)

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


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        (9.13205e17, "uscc_excel_number"),  # a spreadsheet cell holding the code as a number
        (913205000000000000, "uscc_excel_number"),
        ("9.13205E+17", "uscc_excel_number"),  # the same saved to CSV
        ("913205000000000000", "uscc_excel_number"),  # digits cut to zeros: check fails
        ("110108000000016", "uscc_old_registration"),  # 15-digit registration number
        ("12345678-9", "uscc_org_code"),  # organisation code
        ("MA1FL1MMX", "uscc_org_code"),
        ("", "uscc_missing"),
        ("   ", "uscc_missing"),
    ],
)
def test_each_kind_of_wrong_code_is_named(value, kind):
    problem = uscc_problem(value)
    assert problem is not None and problem[0] == kind
    with pytest.raises(ValidationError) as excinfo:
        validate_uscc(value)
    assert excinfo.value.code == kind


def test_an_excel_number_is_shown_as_excel_showed_it():
    kind, message = uscc_problem(9.13205e17)
    assert kind == "uscc_excel_number" and "9.13205E+17" in message


@pytest.mark.parametrize(
    "typed",
    [
        "９１３５０１００Ｍ０００１００Ｙ４３",  # full-width letters and digits
        "9135\u30000100M000100Y43",  # an ideographic space
        "9135\xa00100M000100Y43",  # a no-break space
        "91350100M000\u200b100Y43",  # a zero-width space pasted from a web page
        " 91350100m000100y43\t",
    ],
)
def test_codes_as_people_type_and_paste_them_are_normalised(typed):
    assert normalize_uscc(typed) == "91350100M000100Y43"
    assert uscc_problem(typed) is None
    assert validate_uscc(typed) == "91350100M000100Y43"


def test_registration_and_the_list_import_judge_a_code_alike(db):
    """One normaliser: the registration service accepts what the import accepts, and
    refuses with the same kind."""
    from ecosystem.core.errors import ApplicationError
    from ecosystem.enterprises.services import enterprise_register
    from ecosystem.registries.rules import _check_uscc, invalid_uscc_error
    from tests.factories import UserFactory, ZoneFactory

    wide = "９１３５０１００Ｍ０００１００Ｙ４３"
    assert _check_uscc(wide) == "91350100M000100Y43"
    result = enterprise_register(user=UserFactory(), uscc=wide, name="甲", zone=ZoneFactory())
    assert result.enterprise.uscc == "91350100M000100Y43"
    with pytest.raises(ApplicationError) as excinfo:
        enterprise_register(
            user=UserFactory(), uscc="110108000000016", name="乙", zone=ZoneFactory()
        )
    assert excinfo.value.message == invalid_uscc_error(2, "110108000000016", "乙").message
