"""The official working calendar of mainland China for 2025 and 2026 (State Council
notices 国办发明电〔2024〕12号 and 〔2025〕7号): public holidays and the weekend days
worked in exchange (调休). Loaded by a data migration; later years are added by a
platform admin (Admin → Calendar days)."""

from datetime import date, timedelta


def _span(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


#: (first day, last day, Chinese name, English name)
HOLIDAYS = [
    (date(2025, 1, 1), date(2025, 1, 1), "元旦", "New Year's Day"),
    (date(2025, 1, 28), date(2025, 2, 4), "春节", "Spring Festival"),
    (date(2025, 4, 4), date(2025, 4, 6), "清明节", "Qingming Festival"),
    (date(2025, 5, 1), date(2025, 5, 5), "劳动节", "Labour Day"),
    (date(2025, 5, 31), date(2025, 6, 2), "端午节", "Dragon Boat Festival"),
    (date(2025, 10, 1), date(2025, 10, 8), "国庆节、中秋节", "National Day and Mid-Autumn"),
    (date(2026, 1, 1), date(2026, 1, 3), "元旦", "New Year's Day"),
    (date(2026, 2, 15), date(2026, 2, 23), "春节", "Spring Festival"),
    (date(2026, 4, 4), date(2026, 4, 6), "清明节", "Qingming Festival"),
    (date(2026, 5, 1), date(2026, 5, 5), "劳动节", "Labour Day"),
    (date(2026, 6, 19), date(2026, 6, 21), "端午节", "Dragon Boat Festival"),
    (date(2026, 9, 25), date(2026, 9, 27), "中秋节", "Mid-Autumn Festival"),
    (date(2026, 10, 1), date(2026, 10, 7), "国庆节", "National Day"),
]

#: Weekend days worked in exchange: (day, Chinese name, English name)
MAKEUP_WORKDAYS = [
    (date(2025, 1, 26), "春节调休上班", "Spring Festival make-up working day"),
    (date(2025, 2, 8), "春节调休上班", "Spring Festival make-up working day"),
    (date(2025, 4, 27), "劳动节调休上班", "Labour Day make-up working day"),
    (date(2025, 9, 28), "国庆节调休上班", "National Day make-up working day"),
    (date(2025, 10, 11), "国庆节调休上班", "National Day make-up working day"),
    (date(2026, 1, 4), "元旦调休上班", "New Year make-up working day"),
    (date(2026, 2, 14), "春节调休上班", "Spring Festival make-up working day"),
    (date(2026, 2, 28), "春节调休上班", "Spring Festival make-up working day"),
    (date(2026, 5, 9), "劳动节调休上班", "Labour Day make-up working day"),
    (date(2026, 9, 20), "国庆节调休上班", "National Day make-up working day"),
    (date(2026, 10, 10), "国庆节调休上班", "National Day make-up working day"),
]


def reference_days() -> list[dict]:
    """Every day of the reference calendar as CalendarDay field values."""
    days = [
        {"day": day, "is_working": False, "name_zh": zh, "name_en": en}
        for first, last, zh, en in HOLIDAYS
        for day in _span(first, last)
    ]
    days += [
        {"day": day, "is_working": True, "name_zh": zh, "name_en": en}
        for day, zh, en in MAKEUP_WORKDAYS
    ]
    return days
