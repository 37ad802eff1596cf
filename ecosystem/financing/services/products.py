"""Financing writes: products and their versions, and the rematch triggers."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from ecosystem.core.errors import ApplicationError
from ecosystem.core.services import audit_record, validated
from ecosystem.financing import permissions
from ecosystem.financing.models import Product, ProductVersion

#: The terms of a product version, in the groups the product editor shows them.
TERM_FIELDS = (
    "amount_min",
    "amount_max",
    "term_min_months",
    "term_max_months",
    "rate_min",
    "rate_max",
    "first_contact_target",
    "first_contact_unit",
    "decision_target",
    "decision_unit",
    "allows_direct_offer",
    "requires_verified_figures",
)
ELIGIBILITY_FIELDS = (
    "stages",
    "programs_all",
    "programs_any",
    "min_rd_intensity",
    "min_rd_expense",
    "min_revenue",
    "max_revenue",
    "max_employees",
    "min_age_years",
    "max_age_years",
    "min_class_i_ip",
    "zone_codes",
    "industry_sections",
    "chain_nodes",
    "requires_confirmed_supplier",
    "supplier_of_leaders",
)
LIMIT_FIELDS = (
    "limit_basis",
    "limit_factor",
    "uplift_per_qualification",
    "limit_floor",
    "limit_cap",
)
VERSION_FIELDS = (*TERM_FIELDS, *ELIGIBILITY_FIELDS, *LIMIT_FIELDS)
STAGES = {"startup", "growth", "maturity"}
REQUIRED_TERMS = (
    "amount_min",
    "amount_max",
    "term_min_months",
    "term_max_months",
    "rate_min",
    "rate_max",
)
LIST_TERMS = (
    "stages",
    "programs_all",
    "programs_any",
    "zone_codes",
    "industry_sections",
    "chain_nodes",
    "supplier_of_leaders",
)


def _same_terms(version, data: dict) -> bool:
    """Lists are compared as sets: the order codes were picked in is not a change."""
    return all(
        set(getattr(version, n)) == set(data[n] or [])
        if n in LIST_TERMS
        else getattr(version, n) == data[n]
        for n in VERSION_FIELDS
    )


def _check_version(data: dict) -> None:
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(str(message))

    for name, value in data.items():
        if isinstance(value, float):
            add(name, _("Use exact decimals, not floating point numbers."))
    for name in REQUIRED_TERMS:
        if data.get(name) is None:
            add(name, _("This field is required."))
    if errors:
        raise ApplicationError(
            next(iter(errors.values()))[0], code="invalid", extra={"errors": errors}
        )
    if data["amount_min"] < 0 or data["amount_min"] > data["amount_max"]:
        add("amount_min", _("The minimum amount must be between 0 and the maximum."))
    if not 1 <= data["term_min_months"] <= data["term_max_months"] <= 360:
        add("term_min_months", _("Terms must satisfy 1 ≤ minimum ≤ maximum ≤ 360 months."))
    if not Decimal("0") < data["rate_min"] <= data["rate_max"] <= Decimal("36"):
        add("rate_min", _("Rates must satisfy 0 < minimum ≤ maximum ≤ 36%."))
    _check_targets(data, add)
    if set(data.get("stages") or []) - STAGES:
        add("stages", _("Unknown lifecycle stage."))
    if data.get("min_rd_intensity") is not None and not (
        Decimal(0) <= data["min_rd_intensity"] <= Decimal(1)
    ):
        add("min_rd_intensity", _("R&D intensity is a ratio between 0 and 1."))
    if (
        data.get("min_revenue") is not None
        and data.get("max_revenue") is not None
        and data["min_revenue"] > data["max_revenue"]
    ):
        add("min_revenue", _("The minimum revenue exceeds the maximum."))
    if (
        data.get("min_age_years") is not None
        and data.get("max_age_years") is not None
        and data["min_age_years"] > data["max_age_years"]
    ):
        add("min_age_years", _("The minimum age exceeds the maximum."))
    if data["limit_basis"] not in ProductVersion.LimitBasis.values:
        add("limit_basis", _("Choose how the limit is calculated."))
    if data["limit_factor"] is None or data["limit_factor"] <= 0:
        add("limit_factor", _("The limit factor must be positive."))
    if (
        data.get("limit_floor") is not None
        and data.get("limit_cap") is not None
        and data["limit_floor"] > data["limit_cap"]
    ):
        add("limit_floor", _("The floor exceeds the cap."))
    from ecosystem.registries.models import Program

    known = set(Program.objects.values_list("code", flat=True))
    for name in ("programs_all", "programs_any"):
        if set(data.get(name) or []) - known:
            add(name, _("Unknown program code."))
    _check_chain_terms(data, add)
    if errors:
        raise ApplicationError(
            next(iter(errors.values()))[0], code="invalid", extra={"errors": errors}
        )


#: The longest promise in each unit: 80 working hours, 30 working days.
TARGET_LIMITS = {ProductVersion.Unit.HOURS: 80, ProductVersion.Unit.DAYS: 30}


def _check_targets(data: dict, add) -> None:
    """Each promise is a positive number of working hours or working days, and the
    decision comes no sooner than the first contact could."""
    for name in ("first_contact", "decision"):
        unit, target = data.get(f"{name}_unit"), data.get(f"{name}_target")
        if unit not in TARGET_LIMITS:
            add(f"{name}_unit", _("Choose working hours or working days."))
        elif target is None or not 1 <= target <= TARGET_LIMITS[unit]:
            add(
                f"{name}_target",
                _("Between 1 and 80 working hours, or between 1 and 30 working days."),
            )


def _check_chain_terms(data: dict, add) -> None:
    """Chain nodes are chain codes or node paths; leaders are credit codes of enterprises
    designated to lead a chain, and only narrow the confirmed-supplier criterion."""
    from ecosystem.chains.models import Chain, ChainLeader, ChainNode

    nodes = set(data.get("chain_nodes") or [])
    if nodes:
        known = set(ChainNode.objects.filter(path__in=nodes).values_list("path", flat=True))
        known |= set(Chain.objects.filter(code__in=nodes).values_list("code", flat=True))
        if nodes - known:
            add("chain_nodes", _("Unknown chain node."))
    leaders = set(data.get("supplier_of_leaders") or [])
    if leaders:
        if not data.get("requires_confirmed_supplier"):
            add(
                "supplier_of_leaders",
                _("Naming leaders needs the confirmed-supplier criterion switched on."),
            )
        known = set(
            ChainLeader.objects.filter(enterprise__uscc__in=leaders).values_list(
                "enterprise__uscc", flat=True
            )
        )
        if leaders - known:
            add("supplier_of_leaders", _("Not the credit code of a chain leader."))


def _require_manager(actor, bank) -> None:
    if not permissions.is_bank_manager(actor, bank):
        raise ApplicationError(_("Not found."), code="not_found", status=404)


def product_save(
    *,
    bank,
    actor,
    code: str,
    name_zh: str,
    name_en: str = "",
    kind: str,
    is_active: bool = True,
    **terms,
) -> ProductVersion:
    """Create a product or change one. Every change of terms makes a new version; matches
    and leads keep the version they were made from. The product is rematched after commit."""
    from ecosystem.core.outbox import send_after_commit
    from ecosystem.financing.tasks import rematch_product

    _require_manager(actor, bank)
    unknown = set(terms) - set(VERSION_FIELDS)
    if unknown:
        raise ApplicationError(_("Unknown fields."), code="unknown_fields")
    data = {
        name: terms.get(name, ProductVersion._meta.get_field(name).get_default())
        for name in VERSION_FIELDS
    }
    _check_version(data)
    # A new product is checked like a changed one (kind among the choices, a name).
    validated(
        Product(
            bank=bank, code=code, name_zh=name_zh, name_en=name_en, kind=kind, is_active=is_active
        ),
        exclude=["bank"],
    )
    with transaction.atomic():
        product, created = Product.objects.select_for_update().get_or_create(
            bank=bank,
            code=code,
            defaults={"name_zh": name_zh, "name_en": name_en, "kind": kind, "is_active": is_active},
        )
        if not created:
            product.name_zh, product.name_en = name_zh, name_en
            product.kind, product.is_active = kind, is_active
            validated(product)
            product.save(update_fields=["name_zh", "name_en", "kind", "is_active"])
        current = product.current_version
        if current is not None and _same_terms(current, data):
            version = current
        else:
            version = validated(
                ProductVersion(
                    product=product,
                    number=(current.number + 1 if current else 1),
                    created_by=actor,
                    **data,
                ),
                exclude=["product"],
            )
            version.save()
            audit_record(
                actor=actor,
                verb="product.version",
                target=product,
                after={"version": version.number},
            )
        send_after_commit(rematch_product, product.pk)
    return version
