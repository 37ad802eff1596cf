"""The smoke driver's TOTP agrees with allauth's, and the bench and deploy modules import."""

import importlib

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from deploy.smoke import DEMO_TOTP_SECRET, new_uscc, totp
from ecosystem.core.uscc import validate_uscc
from ecosystem.demo.accounts import DEMO_TOTP_SECRET as SEEDED_SECRET


@pytest.mark.parametrize("at", [0, 59, 1_800_000_000, 1_800_000_029, 1_800_000_030])
def test_smoke_totp_is_the_code_allauth_expects(at):
    assert totp(DEMO_TOTP_SECRET, at=at) == format_hotp_value(hotp_value(SEEDED_SECRET, at // 30))


def test_smoke_credit_codes_are_valid():
    for _ in range(20):
        code = new_uscc()
        assert validate_uscc(code) == code


@pytest.mark.parametrize(
    "module", ["bench.leads_bench", "bench.load", "bench.import_bench", "bench.match_bench"]
)
def test_bench_modules_import(module):
    assert importlib.import_module(module).main
