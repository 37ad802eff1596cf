"""Financing: products and their versions (criteria and limit formula), matches, leads
with their notes, offers and disbursements, campaigns and their invitations.

A lead's product, version, bank and branch agree (the branch serves the enterprise's
zone); an offer's terms lie within its product version's ranges."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from ecosystem.financing.models import (
    Campaign,
    CampaignInvitation,
    Disbursement,
    Lead,
    LeadNote,
    Match,
    Offer,
    Product,
    ProductVersion,
)
from tests.factories.people import BankFactory, BranchFactory, EnterpriseFactory


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    bank = factory.SubFactory(BankFactory)
    code = factory.Sequence(lambda n: f"product-{n}")
    name_zh = "科技贷"
    kind = Product.Kind.UNSECURED


class ProductVersionFactory(factory.django.DjangoModelFactory):
    """The next version of a product: no criteria, a fixed limit of one million yuan,
    amounts from 100,000 to 5 million, 6 to 36 months, 3.2 % to 6.5 %."""

    class Meta:
        model = ProductVersion

    product = factory.SubFactory(ProductFactory)
    number = factory.LazyAttribute(lambda o: o.product.versions.count() + 1)
    amount_min = Decimal("100000.00")
    amount_max = Decimal("5000000.00")
    term_min_months = 6
    term_max_months = 36
    rate_min = Decimal("3.2000")
    rate_max = Decimal("6.5000")
    first_contact_target = 8
    first_contact_unit = ProductVersion.Unit.HOURS
    decision_target = 3
    decision_unit = ProductVersion.Unit.DAYS
    limit_basis = ProductVersion.LimitBasis.FIXED
    limit_factor = Decimal("1000000.0000")


class MatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Match

    enterprise = factory.SubFactory(EnterpriseFactory)
    product_version = factory.SubFactory(ProductVersionFactory)
    product = factory.SelfAttribute("product_version.product")
    score = 80
    indicative_limit = Decimal("1000000.00")
    computed_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Saved and counted in the enterprise funnel and its product's match totals, as a
        rematch does."""
        from django.db import connection

        from ecosystem.financing import match_totals
        from ecosystem.financing.funnel import matched_sync

        match = super()._create(model_class, *args, **kwargs)
        with connection.cursor() as cursor:
            matched_sync(cursor, enterprise_ids=[match.enterprise_id])
        changes = match_totals.Changes()
        changes.add([(match.product_id, 1, match.indicative_limit, 1)])
        match_totals.totals_apply(changes)
        return match


def _counted(create):
    """Create an object of a lead (an offer, a disbursement) and add the change of the
    lead's facts to the summary tables, as the lead services do. A lead whose stopped
    clocks lack their stored hours was written past the services (``update()``, fields
    set by hand): like any such write it needs ``summaries_rebuild``, so it is left alone."""

    def wrapped(cls, model_class, *args, **kwargs):
        from ecosystem.financing.summary import facts_of, summary_apply

        lead = Lead.objects.get(pk=kwargs["lead"].pk)
        complete = (lead.first_contact_at is None or lead.contact_hours is not None) and (
            lead.decided_at is None or lead.decision_hours is not None
        )
        before = facts_of(lead) if complete else None
        made = create.__func__(cls, model_class, *args, **kwargs)
        if complete:
            summary_apply(before, facts_of(lead))
        return made

    return classmethod(wrapped)


class LeadFactory(factory.django.DjangoModelFactory):
    """A new lead from an application, at a branch of the product's bank that serves the
    enterprise's zone (made for it unless given)."""

    class Meta:
        model = Lead

    enterprise = factory.SubFactory(EnterpriseFactory)
    zone = factory.SelfAttribute("enterprise.zone")
    product_version = factory.SubFactory(ProductVersionFactory)
    product = factory.SelfAttribute("product_version.product")
    bank = factory.SelfAttribute("product.bank")
    branch = factory.LazyAttribute(lambda o: BranchFactory(bank=o.bank, zones=[o.enterprise.zone]))
    source = Lead.Source.APPLY
    indicative_limit = Decimal("1000000.00")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Saved and counted in the summary tables, as ``lead_open_or_create`` does.
        Rows changed later by ``update()`` need ``summaries_rebuild`` like any bulk write."""
        from ecosystem.financing.summary import reached_index, set_durations, summary_sync

        lead = super()._create(model_class, *args, **kwargs)
        lead.reached = reached_index(lead.status, lead.reached)
        lead.save(update_fields=["reached", *set_durations(lead)])
        summary_sync(lead, created=True)
        return lead


class LeadNoteFactory(factory.django.DjangoModelFactory):
    """A note on the lead's timeline, by nobody in particular unless ``author`` is given."""

    class Meta:
        model = LeadNote

    lead = factory.SubFactory(LeadFactory)
    kind = LeadNote.Kind.NOTE
    body = "Called the CFO; figures to follow."


class OfferFactory(factory.django.DjangoModelFactory):
    """An offer awaiting an answer, within the version's ranges, valid for ten days."""

    class Meta:
        model = Offer

    lead = factory.SubFactory(LeadFactory, status=Lead.Status.OFFER_MADE)
    amount = Decimal("500000.00")
    rate = Decimal("4.5000")
    term_months = 12
    valid_until = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))

    _create = _counted(factory.django.DjangoModelFactory._create)


class DisbursementFactory(factory.django.DjangoModelFactory):
    """The money of an accepted offer went out today."""

    class Meta:
        model = Disbursement

    offer = factory.SubFactory(
        OfferFactory,
        status=Offer.Status.ACCEPTED,
        lead__status=Lead.Status.DISBURSED,
    )
    lead = factory.SelfAttribute("offer.lead")
    amount = factory.SelfAttribute("offer.amount")
    disbursed_on = factory.LazyFunction(timezone.localdate)

    _create = _counted(factory.django.DjangoModelFactory._create)


class CampaignFactory(factory.django.DjangoModelFactory):
    """A draft campaign of the version's bank."""

    class Meta:
        model = Campaign

    product_version = factory.SubFactory(ProductVersionFactory)
    bank = factory.SelfAttribute("product_version.product.bank")


class CampaignInvitationFactory(factory.django.DjangoModelFactory):
    """An invitation of a sent campaign, awaiting an answer for fourteen days."""

    class Meta:
        model = CampaignInvitation

    campaign = factory.SubFactory(CampaignFactory, status=Campaign.Status.SENT)
    enterprise = factory.SubFactory(EnterpriseFactory)
    indicative_limit = Decimal("1000000.00")
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
