"""Run inside a `make run`-like process (SQLite, eager Celery, the seeded demo): the
products' match totals (``financing.match_totals``: SQLite reads a rematch's scope totals
around its writes) equal a recount after the seed, after a product's new version (its
rematch runs after commit), after firms' rematches on changed figures (one firm's path
and the range's) and a range's rematch; prints ``drift <step> <differing>`` and
``moved <matches changed>`` (tests/integration/test_make_run_sqlite.py)."""

import django

django.setup()

from decimal import Decimal  # noqa: E402

from ecosystem.accounts.models import User  # noqa: E402
from ecosystem.enterprises.models import FinancialYear  # noqa: E402
from ecosystem.financing import match_totals, services, tasks  # noqa: E402
from ecosystem.financing.eligibility import matcher  # noqa: E402
from ecosystem.financing.models import Match, Product  # noqa: E402
from ecosystem.financing.services.products import VERSION_FIELDS  # noqa: E402


def drift(step: str) -> None:
    print(f"drift {step} {match_totals.drift()['match_totals']['differing']}", flush=True)


def stored() -> dict:
    return dict(Match.objects.values_list("id", "indicative_limit"))


before = stored()
drift("seed")
manager = User.objects.get(email="manager@demo.kejinlink.cn")
product = Product.objects.filter(bank__memberships__user=manager).order_by("pk").first()
version = product.current_version
terms = {name: getattr(version, name) for name in VERSION_FIELDS}
terms["limit_factor"] = (version.limit_factor * 2).quantize(Decimal("0.0001"))
services.product_save(
    bank=product.bank,
    actor=manager,
    code=product.code,
    name_zh=product.name_zh,
    name_en=product.name_en,
    kind=product.kind,
    **terms,
)
drift("product")
firms = list(Match.objects.order_by("enterprise_id").values_list("enterprise_id", flat=True))
firms = sorted(set(firms))[:12]
FinancialYear.objects.filter(enterprise_id__in=firms[:6]).update(revenue=Decimal(0))
FinancialYear.objects.filter(enterprise_id__in=firms[6:]).update(rd_expense=Decimal(1))
for pk in firms[:3]:
    services.rematch_enterprise_now(enterprise_id=pk)
drift("firm")
matcher.FEW = 2
matcher.rematch(enterprise_ids=firms[3:9])
drift("firms")
tasks.rematch_range(firms[9], firms[-1] + 1)
drift("range")
after = stored()
moved = len(before.keys() ^ after.keys()) + sum(
    1 for pk in before.keys() & after.keys() if before[pk] != after[pk]
)
print(f"moved {moved}", flush=True)
