"""Every factory builds a row that passes the model's own validation, and every model of
the ecosystem apps either has a factory or is named below with the reason tests never
build it directly."""

import factory
import pytest
from django.apps import apps

import tests.factories as factories

ECOSYSTEM_APPS = [
    "core",
    "accounts",
    "zones",
    "registries",
    "enterprises",
    "financing",
    "chains",
    "funds",
]

#: Models tests never build directly, with the reason.
WITHOUT_FACTORY = {
    "core.AuditEvent": "written by the services with the change they record",
    "core.Notification": "written by the services that notify",
    "core.OutboxTask": "written by the outbox in the transaction of a change",
    "core.CalendarDay": "reference data (the working-day calendar) loaded by a command",
    "core.ExportJob": "written by export_or_job when a user asks for a large export",
    "accounts.Membership": "made by the role factories (EnterpriseMemberFactory, ...)",
    "accounts.StaffToken": "made with its key by tests.factories.api_key_for (shown once)",
    "zones.RejectionReason": "reference data from a data migration",
    "registries.ImportRowError": "written by the import of a list, one per bad row",
    "enterprises.ClaimRevision": "written by claim_submit, one per submission",
    "enterprises.AccessLogEntry": "written by the views a bank user opens",
    "enterprises.OnboardingDraft": "written by the registration wizard",
    "enterprises.IndustrySection": "reference data (GB/T 4754) from a data migration",
    "enterprises.IndustryDivision": "reference data (GB/T 4754) from a data migration",
    "financing.RematchMarker": "written with a change that needs a rematch",
    "enterprises.IdentityCheck": "written by the identity services (tests/worlds/identity.py)",
    "enterprises.IdentityDocument": "written with an identity check or a dispute",
    "enterprises.Dispute": "written by dispute_file, as the registrant would file it",
    "enterprises.NameFlag": "written by registration when a name is already registered",
    "financing.LeadSummary": "kept by every lead move in its transaction (rebuild_summaries)",
    "financing.LeadDuration": "kept with LeadSummary when a lead's clock stops",
    "financing.ChainLeadSummary": "LeadSummary per chain: kept by lead moves and placements",
    "financing.ChainLeadDuration": "LeadDuration per chain: kept with ChainLeadSummary",
    "financing.LeadDurationRollup": "the histograms summed per breakdown, kept with them",
    "financing.EnterpriseFinancing": "kept by every lead move and rematch (financing.funnel)",
    "financing.ZoneFinancing": "kept with EnterpriseFinancing (financing.funnel)",
    "financing.ProductMatchTotal": "counters of the matches per product (financing.match_totals)",
    "enterprises.EnterpriseSummary": "kept by the figure, profile and claim services",
    "enterprises.ZoneSummary": "kept with EnterpriseSummary (enterprises.summary)",
    "financing.ChainCoverage": "kept by placements, claims, leads, rematches (coverage_sync)",
    "financing.ChainCoverageMember": "kept with ChainCoverage (financing.coverage_summary)",
    "financing.EcosystemCell": "kept from the summaries by ecosystem_sync (ecosystem_summary)",
    "financing.EcosystemMember": "kept with EcosystemCell (financing.ecosystem_summary)",
    "enterprises.ZoneClaimsWaiting": "counters of the claims waiting (enterprises.waiting)",
    "enterprises.ClaimsWaitingMember": "kept with ZoneClaimsWaiting (enterprises.waiting)",
    "enterprises.ZoneYearsWaiting": "counters of the years awaiting review (enterprises.waiting)",
    "enterprises.YearsWaitingMember": "kept with ZoneYearsWaiting (enterprises.waiting)",
    "enterprises.ZoneProgramVerified": "counters of the verified (enterprises.verified_programs)",
    "enterprises.ProgramVerifiedMember": "kept with ZoneProgramVerified (verified_programs)",
    "funds.LoanSharing": "written by the firm's share and stop services (loan_sharing_set)",
}


def model_factories() -> list[type[factory.django.DjangoModelFactory]]:
    return sorted(
        (
            value
            for value in vars(factories).values()
            if isinstance(value, type)
            and issubclass(value, factory.django.DjangoModelFactory)
            and value._meta.model is not None
        ),
        key=lambda f: f.__name__,
    )


def unset_actor_fields(instance) -> list[str]:
    """Who-did-it references (``created_by``, ``granted_by``, ...) may be NULL in the
    database but not blank in a form; the services fill them, a factory leaves them."""
    return [
        f.name
        for f in instance._meta.concrete_fields
        if f.is_relation and f.null and not f.blank and getattr(instance, f.attname) is None
    ]


def test_the_factory_list_is_not_empty():
    assert len(model_factories()) >= 30


@pytest.mark.django_db
@pytest.mark.parametrize("model_factory", model_factories(), ids=lambda f: f.__name__)
def test_each_factory_builds_a_valid_saved_row(model_factory):
    instance = model_factory()
    instance.refresh_from_db()
    assert instance.pk is not None
    instance.full_clean(exclude=unset_actor_fields(instance))


@pytest.mark.django_db
def test_two_rows_of_each_factory_do_not_collide():
    for model_factory in model_factories():
        first, second = model_factory(), model_factory()
        assert first.pk != second.pk, model_factory.__name__


def test_every_model_has_a_factory_or_a_reason():
    covered = {f._meta.model._meta.label for f in model_factories()}
    models = {
        model._meta.label
        for label in ECOSYSTEM_APPS
        for model in apps.get_app_config(label).get_models()
        if not model._meta.abstract and not model._meta.proxy
    }
    missing = sorted(models - covered - set(WITHOUT_FACTORY))
    assert not missing, f"add a factory to tests/factories/ or a reason here: {missing}"
    stale = sorted(set(WITHOUT_FACTORY) - models)
    assert not stale, f"no such model any more: {stale}"
    both = sorted(set(WITHOUT_FACTORY) & covered)
    assert not both, f"has a factory now, drop it from WITHOUT_FACTORY: {both}"
    assert all(reason.strip() for reason in WITHOUT_FACTORY.values())


def test_the_ecosystem_apps_are_all_listed():
    ours = {
        config.label for config in apps.get_app_configs() if config.name.startswith("ecosystem.")
    }
    assert ours - {"insights", "demo"} <= set(ECOSYSTEM_APPS), ours
