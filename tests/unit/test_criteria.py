"""Each matching criterion is declared once with its Python and its SQL side, and every
eligibility field of a product version is read by some criterion."""

from ecosystem.financing.eligibility.criteria import RULES
from ecosystem.financing.models import ProductVersion
from ecosystem.financing.services.products import ELIGIBILITY_FIELDS


def test_every_rule_has_both_sides_and_a_unique_key():
    keys = [rule.key for rule in RULES]
    assert len(keys) == len(set(keys))
    for rule in RULES:
        assert callable(rule.evaluate) and callable(rule.sql) and callable(rule.applies), rule.key
        assert rule.fields, rule.key


def test_every_eligibility_field_is_read_by_a_rule():
    read = {field for rule in RULES for field in rule.fields}
    assert set(ELIGIBILITY_FIELDS) == read
    model_fields = {f.name for f in ProductVersion._meta.get_fields()}
    assert read <= model_fields
