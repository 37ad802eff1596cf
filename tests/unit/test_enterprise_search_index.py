"""The enterprise API's search (``q``: part of the name, the English name or the credit
code) is read from trigram indexes (enterprises 0016), not by scanning every firm
(PostgreSQL). Nationally the scan took 1.3–2.0 s for a platform admin's lookup of one
firm; the indexes answer in about 1 ms (docs/performance.md, "Session 14")."""

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from ecosystem.enterprises.api.access import visible_enterprises
from ecosystem.enterprises.api.filters import EnterpriseFilter
from ecosystem.enterprises.models import Enterprise
from ecosystem.enterprises.search import forget_common_pieces, name_or_code_q
from tests.factories import EnterpriseFactory, make_uscc
from tests.factories.people import PlatformAdminFactory, ZoneFactory
from tests.worlds.plans import scans

pytestmark = pytest.mark.django_db
INDEXES = {"enterprise_name_trgm", "enterprise_name_en_trgm", "enterprise_uscc_trgm"}


@pytest.fixture
def firms():
    zone = ZoneFactory()
    Enterprise.objects.bulk_create(
        Enterprise(
            uscc=make_uscc(50_000 + i),
            name=f"全国科技企业{i:07d}有限公司",
            name_en=f"National Tech {i:07d} Co.",
            zone=zone,
        )
        for i in range(5_000)
    )
    star = EnterpriseFactory(
        name="深圳市星河微电子股份有限公司", name_en="Xinghe Microelectronics", zone=zone
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE enterprises_enterprise")
    return star


@pytest.mark.parametrize(
    "part, expected",
    [("星河微", "star"), ("xinghe micro", "star"), ("0004321", 4321), ("__uscc__", 777)],
)
def test_a_search_is_read_from_the_trigram_indexes(require_postgres, firms, part, expected):
    admin = PlatformAdminFactory()
    if part == "__uscc__":
        part = make_uscc(50_000 + 777)[6:].lower()  # the code's tail, in lower case
    with connection.cursor() as cursor:
        # A test table is small enough for a scan to look as cheap as the index; what is
        # checked is that the indexes serve the filter's own expressions (UPPER(col) LIKE),
        # as they do unasked at national size.
        cursor.execute("SET LOCAL enable_seqscan = off")
    found = EnterpriseFilter({"q": part}, queryset=visible_enterprises(user=admin)).qs
    names = list(found.values_list("name", flat=True))
    want = firms.name if expected == "star" else f"全国科技企业{expected:07d}有限公司"
    assert names == [want]
    plan = scans(EnterpriseFilter({"q": part}, queryset=Enterprise.objects.order_by()).qs)
    assert INDEXES <= {index for _, index in plan}, plan
    assert not any(node == "Seq Scan" for node, _ in plan), plan


def test_the_api_search_asks_for_a_whole_page(require_postgres, firms):
    """The page of a one-match search is read with a page's LIMIT, not ``LIMIT 1`` (the
    count's remainder), which made walking every firm in name order look cheaper than the
    search's index (1 s nationally); no match reads no page at all."""
    client = APIClient()
    client.force_authenticate(PlatformAdminFactory())
    with CaptureQueriesContext(connection) as captured:
        body = client.get("/api/v1/enterprises/", {"q": "星河微电子"}).json()
    assert [row["id"] for row in body["results"]] == [firms.pk] and body["count"] == 1
    pages = [q["sql"] for q in captured if "ORDER BY" in q["sql"] and "COUNT(" not in q["sql"]]
    assert len(pages) == 1 and pages[0].rstrip().endswith("LIMIT 50"), pages
    with CaptureQueriesContext(connection) as captured:
        body = client.get("/api/v1/enterprises/", {"q": "没有这家"}).json()
    assert body["count"] == 0 and body["results"] == []
    assert not [
        q for q in captured if "ORDER BY" in q["sql"] and "enterprises_enterprise" in q["sql"]
    ]


@pytest.mark.parametrize(
    "part", ["星河", "xi", "GE", "有限", "科技", "0S", "没有", "%科", "_h", "o.", "司N"]
)
def test_two_characters_find_what_icontains_finds(require_postgres, firms, part):
    """Two characters are looked up in the bigram index (enterprises 0020), and find
    exactly the firms the three ``icontains`` find: case folded, a wildcard character
    taken as itself, a firm without an English name included."""
    Enterprise.objects.filter(pk=firms.pk - 1).update(name_en="")
    EnterpriseFactory(name="东莞星河新材料有限公司", name_en="", zone=firms.zone)
    EnterpriseFactory(name="杭州100%科技有限公司", name_en="Hangzhou_Hundred", zone=firms.zone)
    found = set(Enterprise.objects.filter(name_or_code_q(part)).values_list("pk", flat=True))
    reference = set(
        Enterprise.objects.filter(
            Q(name__icontains=part) | Q(name_en__icontains=part) | Q(uscc__icontains=part)
        ).values_list("pk", flat=True)
    )
    assert found == reference
    if part in ("星河", "%科", "_h"):
        assert found  # the cases that must find something do


@pytest.mark.parametrize("part", ["星河", "xi"])
def test_two_characters_are_read_from_the_bigram_index(require_postgres, firms, part):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = scans(EnterpriseFilter({"q": part}, queryset=Enterprise.objects.order_by()).qs)
    assert ("Bitmap Index Scan", "enterprise_search_bigrams") in plan, plan
    assert not any(node == "Seq Scan" for node, _ in plan), plan
    admin = PlatformAdminFactory()
    client = APIClient()
    client.force_authenticate(admin)
    body = client.get("/api/v1/enterprises/", {"q": "星河"}).json()
    assert [row["id"] for row in body["results"]] == [firms.pk]


def test_the_bigrams_follow_a_renamed_firm(require_postgres, firms):
    """The index is of an expression over the row: a new name is found at once."""
    Enterprise.objects.filter(pk=firms.pk).update(name="苏州银河光电有限公司")
    found = Enterprise.objects.filter(name_or_code_q("银河")).values_list("pk", flat=True)
    assert list(found) == [firms.pk]
    assert not Enterprise.objects.filter(name_or_code_q("星河")).exists()


def test_a_piece_most_firms_hold_keeps_the_plain_test(require_postgres, firms):
    """Every firm of the fixture holds "科技": testing each firm's pieces would cost far
    more than ``LIKE``, so the index's statistics send it to the plain test; a rare
    piece still goes to the index. Both find the same firms as ``icontains``."""
    forget_common_pieces()
    try:
        common = str(Enterprise.objects.filter(name_or_code_q("科技")).query)
        rare = str(Enterprise.objects.filter(name_or_code_q("星河")).query)
    finally:
        forget_common_pieces()
    assert "kj_search_bigrams" not in common and "LIKE" in common
    assert "kj_search_bigrams" in rare
