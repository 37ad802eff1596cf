"""GB/T 4754-2017 reference data: 20 sections, 97 divisions, each in its section."""

import pytest

from ecosystem.enterprises.reference.gbt4754 import DIVISIONS, SECTIONS

SECTION_RANGES = {
    "A": (1, 5),
    "B": (6, 12),
    "C": (13, 43),
    "D": (44, 46),
    "E": (47, 50),
    "F": (51, 52),
    "G": (53, 60),
    "H": (61, 62),
    "I": (63, 65),
    "J": (66, 69),
    "K": (70, 70),
    "L": (71, 72),
    "M": (73, 75),
    "N": (76, 79),
    "O": (80, 82),
    "P": (83, 83),
    "Q": (84, 85),
    "R": (86, 90),
    "S": (91, 96),
    "T": (97, 97),
}
EXPECTED_SECTION = {
    f"{number:02d}": letter
    for letter, (first, last) in SECTION_RANGES.items()
    for number in range(first, last + 1)
}


def test_there_are_twenty_sections_lettered_a_to_t_in_order():
    assert [letter for letter, _zh, _en in SECTIONS] == list("ABCDEFGHIJKLMNOPQRST")


def test_there_are_ninety_seven_divisions():
    assert len(DIVISIONS) == 97


def test_division_codes_run_01_to_97_contiguous_unique_and_in_order():
    codes = [code for code, _section, _zh, _en in DIVISIONS]
    assert codes == [f"{number:02d}" for number in range(1, 98)]
    assert len(set(codes)) == len(codes)


@pytest.mark.parametrize(("code", "section"), sorted(EXPECTED_SECTION.items()))
def test_division_belongs_to_the_section_whose_code_range_holds_it(code, section):
    by_code = {code: section for code, section, _zh, _en in DIVISIONS}
    assert by_code[code] == section


def test_every_section_has_at_least_one_division_and_no_division_names_an_unknown_section():
    letters = {letter for letter, _zh, _en in SECTIONS}
    used = {section for _code, section, _zh, _en in DIVISIONS}
    assert used == letters


@pytest.mark.parametrize(
    ("code", "name_zh"),
    [
        ("01", "农业"),
        ("05", "农、林、牧、渔专业及辅助性活动"),
        ("11", "开采专业及辅助性活动"),
        ("25", "石油、煤炭及其他燃料加工业"),
        ("39", "计算机、通信和其他电子设备制造业"),
        ("43", "金属制品、机械和设备修理业"),
        ("65", "软件和信息技术服务业"),
        ("73", "研究和试验发展"),
        ("79", "土地管理业"),
        ("87", "广播、电视、电影和录音制作业"),
        ("96", "基层群众自治组织及其他组织"),
        ("97", "国际组织"),
    ],
)
def test_division_carries_the_official_2017_chinese_name(code, name_zh):
    by_code = {code: zh for code, _section, zh, _en in DIVISIONS}
    assert by_code[code] == name_zh


def test_every_section_and_division_has_distinct_non_empty_names_in_both_languages():
    section_names = [(zh, en) for _letter, zh, en in SECTIONS]
    division_names = [(zh, en) for _code, _section, zh, en in DIVISIONS]
    for names in (section_names, division_names):
        assert all(zh.strip() and en.strip() for zh, en in names)
        assert len({zh for zh, _en in names}) == len(names)
        assert len({en for _zh, en in names}) == len(names)
