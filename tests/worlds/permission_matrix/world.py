"""The world the permission matrix's URLs point into: every object an entry names exists,
in the state its unsafe request needs (a draft claim to submit, a new lead to claim, an
accepted offer to disburse…)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver, reverse
from django.utils import timezone

from ecosystem.accounts import services as account_services
from ecosystem.accounts.models import Invitation, Membership
from ecosystem.accounts.roles import Role
from ecosystem.chains import services as chain_services
from ecosystem.chains.models import Chain, ChainNode
from ecosystem.core.export_jobs.services import export_job_create
from ecosystem.core.services import notify
from ecosystem.enterprises import services as es
from ecosystem.enterprises.models import Dispute, IdentityCheck, JoinRequest, NameFlag, NameMatch
from ecosystem.enterprises.services import financing_need_create
from ecosystem.enterprises.services.identity import (
    checked_documents,
    identity_submit,
    store_documents,
)
from ecosystem.financing import match_totals
from ecosystem.financing import services as pipeline
from ecosystem.financing import services as services_leads
from ecosystem.financing.models import CampaignInvitation, Lead, Match
from ecosystem.registries import services as registry_services
from ecosystem.registries.models import RegistryEntry
from ecosystem.registries.names import name_key
from tests.factories import (
    ConsentFactory,
    EnterpriseFactory,
    EnterpriseMemberFactory,
    PlatformAdminFactory,
    ProgramFactory,
    RegistryOfficerFactory,
    UserFactory,
    ZoneOfficialFactory,
)
from tests.worlds.files import PDF
from tests.worlds.leads import S, make_version
from tests.worlds.leads import World as LeadWorld
from tests.worlds.permission_matrix.entry import ROLES, Entry
from tests.worlds.permission_matrix.funds import add_funds
from tests.worlds.registry_files import csv_bytes, rows_for
from tests.worlds.zone import add_year, submit_claim

BATCH = "2026年第一批"


#: The object each URL argument points at unless an entry says otherwise (also the
#: national crawl's, ``bench/crawl_targets.py``).
ARGUMENTS = {
    "enterprise_pk": "enterprise",
    "claim_pk": "claim",
    "evidence_pk": "evidence",
    "need_pk": "need",
    "membership_pk": "member",
    "request_pk": "join_request",
    "consent_pk": "consent",
    "program_pk": "program",
    "match_pk": "match",
    "invitation_pk": "invitation",
    "offer_pk": "offer",
    "product_pk": "product",
    "campaign_pk": "campaign",
    "lead_pk": "lead",
    "leader_pk": "leader",
    "link_pk": "link",
    "node_pk": "node",
    "code": "chain",
    "document_pk": "identity_document",
}


class World:
    """One enterprise with a member (and a co-owner), a submitted and a draft claim, figures,
    a need, a consent, join requests, leads in each state a bank acts on, an offer, a match,
    a draft and a sent campaign with an invitation, a chain leadership with supplier links;
    its zone's official; the bank (RM, manager) serving the zone; a registry officer with a
    confirmed and a pending import; a platform admin; and an outsider of each kind.

    ``capture`` is pytest-django's ``django_capture_on_commit_callbacks``."""

    def __init__(self, capture):
        leads = LeadWorld(status=S.CONTACTED)
        self.leads = leads
        self.enterprise = leads.enterprise
        member = leads.member
        claim, _ = submit_claim(enterprise=self.enterprise)
        year = add_year(self.enterprise, member)
        registry = RegistryOfficerFactory(program=claim.program)
        self.users = {
            "anonymous": None,
            "member": member,
            "other_member": leads.other_member,
            "official": ZoneOfficialFactory(zone=self.enterprise.zone),
            "other_official": ZoneOfficialFactory(),
            "registry": registry,
            "rm": leads.rm,
            "other_rm": leads.rm_other_branch,
            "manager": leads.manager,
            "other_bank": leads.manager_other_bank,
            "admin": PlatformAdminFactory(),
        }
        assert set(self.users) == set(ROLES)
        # Someone has recovery codes, so their pages point at something.
        RecoveryCodes.activate(leads.other_member)
        terms = {
            "amount": Decimal("800000"),
            "rate": Decimal("4.1500"),
            "term_months": 12,
            "valid_until": timezone.now() + timedelta(days=14),
        }
        offer = pipeline.offer_make(lead=leads.lead, actor=leads.rm, **terms)
        self.other_rm = leads.other_rm
        new_lead = self._lead(S.NEW)
        contacted_lead = self._lead(S.CONTACTED)
        accepted_lead = self._lead(S.CONTACTED)
        pipeline.offer_accept(
            offer=pipeline.offer_make(lead=accepted_lead, actor=leads.rm, **terms), actor=member
        )
        matched = make_version(leads.bank)  # no lead yet: applying opens one
        match = Match.objects.create(
            enterprise=self.enterprise,
            product_version=matched,
            product=matched.product,
            score=60,
            indicative_limit=Decimal("1000000"),
            computed_at=timezone.now(),
        )
        match_totals.rebuild()  # written past the rematch: the matches page's count and total
        campaign_version = make_version(leads.bank)
        campaign = services_leads.campaign_create(
            product=campaign_version.product, actor=leads.manager
        )
        campaign = services_leads.campaign_send(campaign=campaign, actor=leads.manager)
        invitation = campaign.invitations.filter(enterprise=self.enterprise).first()
        if invitation is None:
            invitation = CampaignInvitation.objects.create(
                campaign=campaign,
                enterprise=self.enterprise,
                indicative_limit=Decimal("1000000"),
                expires_at=timezone.now() + timedelta(days=14),
            )
        draft_campaign = services_leads.campaign_create(
            product=make_version(leads.bank).product, actor=leads.manager
        )
        need = financing_need_create(
            enterprise=self.enterprise,
            actor=member,
            amount=Decimal("2000000"),
            term_months=12,
            purpose="working_capital",
        )
        join_request = JoinRequest.objects.create(enterprise=self.enterprise, user=UserFactory())
        own_join_request = JoinRequest.objects.create(
            enterprise=self.enterprise, user=leads.other_member
        )
        colleague = EnterpriseMemberFactory(enterprise=EnterpriseFactory())
        colleague_membership = Membership.objects.create(
            user=colleague, enterprise=self.enterprise, role=Role.ENTERPRISE_MEMBER
        )
        # A second owner, so the member may leave.
        Membership.objects.create(
            user=UserFactory(), enterprise=self.enterprise, role=Role.ENTERPRISE_OWNER
        )
        draft_claim = es.claim_create(
            enterprise=self.enterprise,
            actor=member,
            program=ProgramFactory(),
            certificate_number="GR202511000456",
            year=2025,
        )
        draft_evidence = es.evidence_add(
            claim=draft_claim, actor=member, upload=SimpleUploadedFile("d.pdf", PDF)
        )
        confirmed = registry_services.list_import_upload(
            actor=registry,
            program=claim.program,
            batch=BATCH,
            upload=SimpleUploadedFile("名单.csv", csv_bytes(rows_for(3))),
        )
        with capture(execute=True):
            registry_services.list_import_confirm(list_import=confirmed, actor=registry)
        entry = RegistryEntry.objects.filter(program=claim.program).order_by("pk").first()
        # The enterprise's own row in the officer's list (its members may read it by id).
        own_entry = RegistryEntry.objects.create(
            program=claim.program, batch=BATCH, uscc=self.enterprise.uscc, name=self.enterprise.name
        )
        # A row of a list without codes, proposed as this enterprise by its name.
        name_row = RegistryEntry.objects.create(
            program=claim.program,
            batch="第五批（无代码）",
            name=self.enterprise.name,
            name_key=name_key(self.enterprise.name),
        )
        name_match = NameMatch.objects.create(
            entry=name_row, enterprise=self.enterprise, kind=NameMatch.Kind.EXACT
        )
        list_import = registry_services.list_import_upload(
            actor=registry,
            program=claim.program,
            batch="2026年第二批",
            upload=SimpleUploadedFile("名单.csv", csv_bytes(rows_for(3))),
        )
        chain = Chain.objects.get(code="ic")
        node = ChainNode.objects.filter(chain=chain).order_by("pk").first()
        official = self.users["official"]
        with capture(execute=True):
            leader = chain_services.leader_designate(
                chain=chain, enterprise=self.enterprise, actor=official
            )
            peer = EnterpriseFactory(zone=self.enterprise.zone)
            peer_leader = chain_services.leader_designate(
                chain=chain, enterprise=peer, actor=official
            )
            supplier = EnterpriseFactory(zone=self.enterprise.zone)
            link = chain_services.link_request(
                leader=leader,
                supplier=supplier,
                actor=EnterpriseMemberFactory(enterprise=supplier),
            )
        self.invitee = EnterpriseFactory(zone=self.enterprise.zone)
        [notification] = notify(member, "test", title="Hello", url="/")
        staff_invitation = Invitation.objects.create(
            email="new-official@example.com",
            role=Role.ZONE_OFFICIAL,
            zone=self.enterprise.zone,
            invited_by=self.users["admin"],
            expires_at=timezone.now() + timedelta(days=7),
        )
        consent = self.enterprise.consents.first()
        identity = _identity_objects(self.enterprise, leads.bank)
        api_token, _key = account_services.token_create(
            user=leads.rm, name="CRM feed", kind="lead_feed", bank=leads.bank
        )
        with capture(execute=True):  # the RM's export, written by the (eager) task
            export_job = export_job_create(
                owner=leads.rm, kind="financing.leads", fmt="csv", filters={"tab": "mine"}
            )
        #: The world's objects by the name an entry gives them.
        self.objects = {
            "enterprise": self.enterprise,
            "claim": claim,
            "draft_claim": draft_claim,
            "evidence": claim.evidence.first(),
            "draft_evidence": draft_evidence,
            "year": year,
            "lead": leads.lead,
            "new_lead": new_lead,
            "contacted_lead": contacted_lead,
            "accepted_lead": accepted_lead,
            "offer": offer,
            "match": match,
            "need": need,
            "consent": consent,
            "member": colleague_membership,
            "join_request": join_request,
            "own_join_request": own_join_request,
            "program": claim.program,
            "product": leads.version.product,
            "campaign": campaign,
            "draft_campaign": draft_campaign,
            "invitation": invitation,
            "import": list_import,
            "confirmed_import": confirmed,
            "entry": entry,
            "own_entry": own_entry,
            "name_match": name_match,
            "notification": notification,
            "node": node,
            "chain": chain,
            "leader": leader,
            "peer_leader": peer_leader,
            "link": link,
            **identity,
            "api_token": api_token,
            "export_job": export_job,
        }
        self.objects.update(add_funds(self, self._lead))
        missing = sorted(name for name, obj in self.objects.items() if obj is None)
        assert missing == [], f"the world lacks {missing}"
        self.arguments = dict(ARGUMENTS)
        #: URL arguments that are not objects.
        self.values = {
            "year": year.year,
            "fmt": "csv",
            "step": "code",
            "token": staff_invitation.token,
            "key": "not-a-key",
            "uidb36": "zz",
            "decision": "confirm",
        }
        self.queries = {"batch": {"batch": BATCH}}

    def _lead(self, status) -> Lead:
        """A lead of this enterprise, in ``status``, on a product of its own."""
        version = make_version(self.leads.bank)
        return Lead.objects.create(
            enterprise=self.enterprise,
            product=version.product,
            product_version=version,
            bank=self.leads.bank,
            branch=self.leads.branch,
            source=Lead.Source.APPLY,
            indicative_limit=Decimal("1000000"),
            status=status,
            assigned_to=None if status == S.NEW else self.leads.rm,
            due_at=timezone.now() + timedelta(hours=72),
        )

    def get(self, name: str):
        """The world's object ``name``, as it is in the database now."""
        obj = self.objects[name]
        return type(obj)._default_manager.get(pk=obj.pk)

    def key(self, name: str, argument: str = "pk"):
        """What a URL argument holds for the object ``name``: programs and chains are
        named by code in ``<pk>`` and ``<code>``."""
        obj = self.objects[name]
        by_code = name in ("program", "chain") and argument in ("pk", "code")
        return obj.code if by_code else obj.pk

    def url(self, name: str, entry: Entry) -> str:
        objects = dict(entry.objects)
        kwargs = {}
        for argument in kwarg_names(name):
            if argument == "pk":
                kwargs[argument] = self.key(entry.pk)
            elif argument == "table":
                kwargs[argument] = entry.table
            elif argument in objects:
                kwargs[argument] = self.key(objects[argument], argument)
            elif argument == "code" and entry.pk == "program":
                kwargs[argument] = self.key("program")
            elif argument in self.arguments:
                kwargs[argument] = self.key(self.arguments[argument], argument)
            else:
                kwargs[argument] = self.values[argument]
        return reverse(name, kwargs=kwargs)


def _identity_objects(enterprise, bank) -> dict:
    """The enterprise's confirmed identity with its documents; a firm of the same zone whose
    registrant's documents wait for the zone (the bank holds its consent), disputed by a
    company and flagged as carrying the enterprise's name."""
    check = IdentityCheck.objects.create(
        enterprise=enterprise, status="confirmed", source="zone", decided_at=timezone.now()
    )
    document = store_documents(
        documents=checked_documents(
            licence=SimpleUploadedFile("licence.pdf", PDF),
            letter=SimpleUploadedFile("letter.pdf", PDF),
        ),
        actor=None,
        written=[],
        check_for=check,
    )[0]
    firm = EnterpriseFactory(zone=enterprise.zone, unconfirmed=True)
    registrant = EnterpriseMemberFactory(enterprise=firm)
    identity_submit(
        enterprise=firm,
        actor=registrant,
        licence=SimpleUploadedFile("l.pdf", PDF),
        letter=SimpleUploadedFile("a.pdf", PDF),
    )
    ConsentFactory(enterprise=firm, bank=bank)
    dispute = Dispute.objects.create(
        enterprise=firm, filed_by=UserFactory(), claimed_name="真实公司", holder_name=firm.name
    )
    flag = NameFlag.objects.create(enterprise=firm, other=enterprise)
    return {
        "identity_document": document,
        "identity_firm": firm,
        "dispute": dispute,
        "name_flag": flag,
    }


def kwarg_names(name: str) -> list[str]:
    resolver = get_resolver()
    if ":" in name:
        namespace, _, short = name.rpartition(":")
        resolver = resolver.namespace_dict[namespace][1]
        name = short
    variants = [params for p in resolver.reverse_dict.getlist(name) for _, params in p[0]]
    return list(min(variants, key=len)) if variants else []  # not the ``.<format>`` variant
