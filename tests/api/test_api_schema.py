"""The OpenAPI schema covers the enterprise and program endpoints without a warning."""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]

#: Every path the enterprise and registries APIs add, with its methods.
PATHS = {
    "/api/v1/enterprises/": {"get", "post"},
    "/api/v1/enterprises/{id}/": {"get", "patch"},
    "/api/v1/enterprises/{id}/leave/": {"post"},
    "/api/v1/enterprises/{id}/lifecycle/": {"get"},
    "/api/v1/enterprises/{id}/self-assessment/": {"get"},
    "/api/v1/enterprises/{enterprise_pk}/financial-years/": {"get", "post"},
    "/api/v1/enterprises/{enterprise_pk}/financial-years/{year}/": {"get", "patch"},
    "/api/v1/enterprises/{enterprise_pk}/financing-needs/": {"get", "post"},
    "/api/v1/enterprises/{enterprise_pk}/financing-needs/{id}/": {"get"},
    "/api/v1/enterprises/{enterprise_pk}/financing-needs/{id}/close/": {"post"},
    "/api/v1/enterprises/{enterprise_pk}/claims/": {"get", "post"},
    "/api/v1/enterprises/{enterprise_pk}/claims/{id}/": {"get", "patch"},
    "/api/v1/enterprises/{enterprise_pk}/claims/{id}/submit/": {"post"},
    "/api/v1/enterprises/{enterprise_pk}/claims/{claim_pk}/evidence/": {"get", "post"},
    "/api/v1/enterprises/{enterprise_pk}/claims/{claim_pk}/evidence/{id}/": {"get", "delete"},
    "/api/v1/enterprises/{enterprise_pk}/claims/{claim_pk}/evidence/{id}/download/": {"get"},
    "/api/v1/enterprises/{enterprise_pk}/consents/": {"get", "post"},
    "/api/v1/enterprises/{enterprise_pk}/consents/{id}/": {"get"},
    "/api/v1/enterprises/{enterprise_pk}/consents/{id}/revoke/": {"post"},
    "/api/v1/enterprises/{enterprise_pk}/access-log/": {"get"},
    "/api/v1/enterprises/{enterprise_pk}/members/": {"get"},
    "/api/v1/enterprises/{enterprise_pk}/members/{id}/": {"delete"},
    "/api/v1/enterprises/{enterprise_pk}/members/{id}/transfer-ownership/": {"post"},
    "/api/v1/enterprises/{enterprise_pk}/join-requests/": {"get"},
    "/api/v1/enterprises/{enterprise_pk}/join-requests/{id}/approve/": {"post"},
    "/api/v1/enterprises/{enterprise_pk}/join-requests/{id}/decline/": {"post"},
    "/api/v1/join-requests/": {"get"},
    "/api/v1/join-requests/{id}/cancel/": {"post"},
    "/api/v1/programs/": {"get"},
    "/api/v1/programs/{code}/": {"get"},
    "/api/v1/chains/": {"get"},
    "/api/v1/chains/{code}/": {"get"},
    "/api/v1/chains/{code}/coverage/": {"get"},
    "/api/v1/chains/nodes/": {"get"},
    "/api/v1/chains/nodes/{id}/": {"get"},
    "/api/v1/chains/nodes/{id}/enterprises/": {"get"},
    "/api/v1/chains/leaders/": {"get", "post"},
    "/api/v1/chains/leaders/{id}/": {"get"},
    "/api/v1/chains/leaders/{id}/end/": {"post"},
    "/api/v1/chains/links/": {"get", "post"},
    "/api/v1/chains/links/{id}/": {"get"},
    "/api/v1/chains/links/{id}/transition/": {"post"},
    "/api/v1/chains/enterprises/{enterprise_pk}/nodes/": {"get", "put"},
}
HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema(tmp_path_factory):
    """``manage.py spectacular --validate --fail-on-warn``: any warning or error fails."""
    target = tmp_path_factory.mktemp("schema") / "schema.yml"
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "spectacular",
            "--validate",
            "--fail-on-warn",
            "--file",
            str(target),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "Warning" not in result.stderr and "Error" not in result.stderr, result.stderr
    return yaml.safe_load(target.read_text())


def test_schema_generates_without_warnings_and_holds_every_path(schema):
    missing = {path for path in PATHS if path not in schema["paths"]}
    assert not missing


@pytest.mark.parametrize("path", sorted(PATHS))
def test_schema_path_has_exactly_the_methods_served(schema, path):
    methods = {m for m in schema["paths"].get(path, {}) if m in HTTP_METHODS}
    assert methods == PATHS[path]


def test_path_parameters_are_typed_integers_or_codes(schema):
    for path in PATHS:
        for method, operation in schema["paths"][path].items():
            if method not in HTTP_METHODS:
                continue
            for parameter in operation.get("parameters", []):
                if parameter["in"] != "path":
                    continue
                expected = "string" if parameter["name"] == "code" else "integer"
                assert parameter["schema"]["type"] == expected, (path, parameter)


def test_amounts_are_decimal_strings_in_the_schema(schema):
    year = schema["components"]["schemas"]["FinancialYear"]["properties"]
    assert year["revenue"]["type"] == "string"
    assert year["revenue"]["format"] == "decimal"


def test_registration_documents_both_outcomes(schema):
    responses = schema["paths"]["/api/v1/enterprises/"]["post"]["responses"]
    assert {"201", "202", "400", "409"} <= set(responses)


def test_evidence_upload_is_multipart(schema):
    operation = schema["paths"]["/api/v1/enterprises/{enterprise_pk}/claims/{claim_pk}/evidence/"]
    assert set(operation["post"]["requestBody"]["content"]) == {"multipart/form-data"}


@pytest.mark.parametrize(
    ("path", "component"),
    [
        ("/api/v1/enterprises/{id}/", "EnterpriseUpdate"),
        ("/api/v1/enterprises/{enterprise_pk}/financial-years/{year}/", "FinancialYearUpdate"),
        ("/api/v1/enterprises/{enterprise_pk}/claims/{id}/", "ClaimUpdate"),
    ],
)
def test_updates_require_the_version_last_read(schema, path, component):
    body = schema["paths"][path]["patch"]["requestBody"]["content"]["application/json"]
    assert body["schema"]["$ref"] == f"#/components/schemas/{component}"
    assert schema["components"]["schemas"][component]["required"] == ["version"]
    assert "409" in schema["paths"][path]["patch"]["responses"]


def test_the_schema_documents_the_staff_token_and_no_unscoped_token(schema):
    schemes = schema["components"]["securitySchemes"]
    assert "tokenAuth" not in schemes  # DRF's never-expiring, unscoped token is gone
    token = schemes["staffToken"]
    assert (token["type"], token["in"], token["name"]) == ("apiKey", "header", "Authorization")
    for words in ("Read-only", "403", "401", "financing/leads", "at most 90", "zone officials"):
        assert words in token["description"], words
    leads = schema["paths"]["/api/v1/financing/leads/"]["get"]
    assert {"staffToken": []} in leads["security"]
