"""Registries: an uploaded official list (a program's batch, awaiting confirmation) and
the entries a list puts on the register."""

import hashlib

import factory

from ecosystem.enterprises.models import NameMatch
from ecosystem.registries.models import ListImport, RegistryEntry
from ecosystem.registries.names import name_key
from tests.factories.people import EnterpriseFactory, ProgramFactory, make_uscc

BATCH = "2026年第一批"
LIST_CSV = "统一社会信用代码,企业名称\n".encode()


class ListImportFactory(factory.django.DjangoModelFactory):
    """An upload of a program's batch, stored and awaiting confirmation (not run)."""

    class Meta:
        model = ListImport

    program = factory.SubFactory(ProgramFactory)
    batch = BATCH
    file = factory.django.FileField(filename="list.csv", data=LIST_CSV)
    original_name = "list.csv"
    sha256 = hashlib.sha256(LIST_CSV).hexdigest()
    file_format = "csv"
    encoding = "utf-8"
    header_map = factory.LazyFunction(lambda: {"uscc": 0, "name": 1})


class RegistryEntryFactory(factory.django.DjangoModelFactory):
    """A current entry of a program's batch."""

    class Meta:
        model = RegistryEntry

    program = factory.SubFactory(ProgramFactory)
    batch = BATCH
    uscc = factory.Sequence(lambda n: make_uscc(n + 500_000))
    name = factory.Sequence(lambda n: f"名录企业{n}有限公司")
    certificate_number = factory.Sequence(lambda n: f"GR2026{n:07d}")
    year = 2026


class NameMatchFactory(factory.django.DjangoModelFactory):
    """A row of a list without credit codes, proposed as a registered firm by its name."""

    class Meta:
        model = NameMatch

    entry = factory.SubFactory(
        RegistryEntryFactory,
        uscc="",
        name=factory.SelfAttribute("..enterprise.name"),
        name_key=factory.LazyAttribute(lambda e: name_key(e.name)),
    )
    enterprise = factory.SubFactory(EnterpriseFactory)
    kind = NameMatch.Kind.EXACT
