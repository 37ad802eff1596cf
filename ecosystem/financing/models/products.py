"""Banks and the branches that serve zones; products, matches and leads come later."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ecosystem.core.i18n import BilingualNameMixin


class Bank(BilingualNameMixin):
    code = models.SlugField(_("code"), max_length=32, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("bank")
        verbose_name_plural = _("banks")

    def __str__(self) -> str:
        return self.name


class Branch(BilingualNameMixin):
    """A branch of a bank; it serves the leads of the zones it is linked to."""

    bank = models.ForeignKey(
        Bank, on_delete=models.PROTECT, related_name="branches", verbose_name=_("bank")
    )
    code = models.SlugField(_("code"), max_length=32)
    zones = models.ManyToManyField(
        "zones.Zone", blank=True, related_name="branches", verbose_name=_("zones served")
    )
    is_head_office = models.BooleanField(_("head office"), default=False)

    class Meta:
        ordering = ["bank", "code"]
        constraints = [
            models.UniqueConstraint(fields=["bank", "code"], name="branch_code_unique_per_bank")
        ]
        verbose_name = _("branch")
        verbose_name_plural = _("branches")

    def __str__(self) -> str:
        return self.name


class Product(BilingualNameMixin):
    """A bank's financing product; its criteria and limit formula live in versions."""

    class Kind(models.TextChoices):
        UNSECURED = "unsecured", _("unsecured credit")
        IP_PLEDGE = "ip_pledge", _("IP pledge")
        SUPPLY_CHAIN = "supply_chain", _("supply-chain finance")
        FAST_LOAN = "fast_loan", _("fast loan")

    bank = models.ForeignKey(
        Bank, on_delete=models.PROTECT, related_name="products", verbose_name=_("bank")
    )
    code = models.SlugField(_("code"), max_length=32)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["bank", "code"]
        constraints = [
            models.UniqueConstraint(fields=["bank", "code"], name="product_code_unique_per_bank")
        ]
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self) -> str:
        return self.name

    @property
    def current_version(self):
        """The newest version; from ``selectors.with_current_versions``' prefetch when the
        product came with it (a list of products then costs one query, not one each)."""
        prefetched = getattr(self, "versions_newest_first", None)
        if prefetched is not None:
            return prefetched[0] if prefetched else None
        return self.versions.order_by("-number").first()


class TargetUnit(models.TextChoices):
    """The unit of a bank's promise: working hours or working days (``core.worktime``)."""

    HOURS = "hours", _("working hours")
    DAYS = "days", _("working days")


class ProductVersion(models.Model):
    """Criteria and limit formula of a product, frozen: editing makes a new version.

    It carries the bank's two promises: a first contact within ``first_contact_target``
    and a decision (an offer or a decline) within ``decision_target``, each in working
    hours or working days; a lead's clocks are set from them when it is created."""

    Unit = TargetUnit

    class LimitBasis(models.TextChoices):
        RD_MULTIPLE = "rd_multiple", _("multiple of last year's R&D expense")
        REVENUE_SHARE = "revenue_share", _("share of last year's revenue")
        FIXED = "fixed", _("fixed amount")

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="versions", verbose_name=_("product")
    )
    number = models.PositiveIntegerField(_("version"))
    amount_min = models.DecimalField(_("minimum amount (yuan)"), max_digits=15, decimal_places=2)
    amount_max = models.DecimalField(_("maximum amount (yuan)"), max_digits=15, decimal_places=2)
    term_min_months = models.PositiveSmallIntegerField(_("minimum term (months)"))
    term_max_months = models.PositiveSmallIntegerField(_("maximum term (months)"))
    rate_min = models.DecimalField(_("minimum rate (%)"), max_digits=7, decimal_places=4)
    rate_max = models.DecimalField(_("maximum rate (%)"), max_digits=7, decimal_places=4)
    first_contact_target = models.PositiveSmallIntegerField(_("first contact within"), default=8)
    first_contact_unit = models.CharField(
        _("first contact unit"), max_length=8, choices=TargetUnit.choices, default=TargetUnit.HOURS
    )
    decision_target = models.PositiveSmallIntegerField(_("decision within"), default=3)
    decision_unit = models.CharField(
        _("decision unit"), max_length=8, choices=TargetUnit.choices, default=TargetUnit.DAYS
    )
    #: An offer may be made straight from a claimed or assigned lead (the contact is
    #: recorded with the offer); otherwise the lead must be contacted first.
    allows_direct_offer = models.BooleanField(_("offers without a separate contact"), default=False)
    #: Matching also runs on yearly figures the enterprise declared and a zone has not yet
    #: verified (an *indicative* match); a version that says so refuses a lead until its
    #: figures are verified. Qualifications always count only once verified.
    requires_verified_figures = models.BooleanField(
        _("leads only on verified yearly figures"), default=False
    )
    stages = models.JSONField(_("lifecycle stages"), default=list, blank=True)
    programs_all = models.JSONField(_("required qualifications (all of)"), default=list, blank=True)
    programs_any = models.JSONField(_("required qualifications (any of)"), default=list, blank=True)
    min_rd_intensity = models.DecimalField(
        _("minimum R&D intensity (ratio)"), max_digits=7, decimal_places=4, null=True, blank=True
    )
    min_rd_expense = models.DecimalField(
        _("minimum R&D expense"), max_digits=15, decimal_places=2, null=True, blank=True
    )
    min_revenue = models.DecimalField(
        _("minimum revenue"), max_digits=15, decimal_places=2, null=True, blank=True
    )
    max_revenue = models.DecimalField(
        _("maximum revenue"), max_digits=15, decimal_places=2, null=True, blank=True
    )
    max_employees = models.PositiveIntegerField(_("maximum employees"), null=True, blank=True)
    min_age_years = models.PositiveSmallIntegerField(
        _("minimum age (years)"), null=True, blank=True
    )
    max_age_years = models.PositiveSmallIntegerField(
        _("maximum age (years)"), null=True, blank=True
    )
    min_class_i_ip = models.PositiveIntegerField(_("minimum class-I IP"), null=True, blank=True)
    zone_codes = models.JSONField(_("zones"), default=list, blank=True)
    industry_sections = models.JSONField(_("industry sections"), default=list, blank=True)
    chain_nodes = models.JSONField(
        _("chain nodes (paths; a node covers those under it)"), default=list, blank=True
    )
    requires_confirmed_supplier = models.BooleanField(
        _("confirmed supplier of a chain leader"), default=False
    )
    supplier_of_leaders = models.JSONField(
        _("of these leaders only (credit codes)"), default=list, blank=True
    )
    limit_basis = models.CharField(_("limit basis"), max_length=16, choices=LimitBasis.choices)
    limit_factor = models.DecimalField(_("limit factor"), max_digits=15, decimal_places=4)
    uplift_per_qualification = models.DecimalField(
        _("uplift per verified qualification (yuan)"), max_digits=15, decimal_places=2, default=0
    )
    limit_floor = models.DecimalField(
        _("limit floor"), max_digits=15, decimal_places=2, null=True, blank=True
    )
    limit_cap = models.DecimalField(
        _("limit cap"), max_digits=15, decimal_places=2, null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["product", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["product", "number"], name="product_version_unique")
        ]
        verbose_name = _("product version")
        verbose_name_plural = _("product versions")

    def __str__(self) -> str:
        return f"{self.product} v{self.number}"

    @property
    def first_contact_text(self) -> str:
        """ "8 working hours", in the active language."""
        return target_text(self.first_contact_target, self.first_contact_unit)

    @property
    def decision_text(self) -> str:
        return target_text(self.decision_target, self.decision_unit)

    def first_contact_due(self, start):
        """When a lead opened at ``start`` must have had its first contact."""
        return _due(start, self.first_contact_target, self.first_contact_unit)

    def decision_due(self, start):
        """When a lead opened at ``start`` must have had its decision."""
        return _due(start, self.decision_target, self.decision_unit)


def target_text(target: int, unit: str) -> str:
    from django.utils.translation import ngettext

    if unit == TargetUnit.DAYS:
        return ngettext("%(count)d working day", "%(count)d working days", target) % {
            "count": target
        }
    return ngettext("%(count)d working hour", "%(count)d working hours", target) % {"count": target}


def _due(start, target: int, unit: str):
    from ecosystem.core.worktime import add_working_days, add_working_hours

    if unit == TargetUnit.DAYS:
        return add_working_days(start, target)
    return add_working_hours(start, target)


class Match(models.Model):
    """An enterprise eligible for a product version, with its indicative limit and score."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="matches"
    )
    product_version = models.ForeignKey(
        ProductVersion, on_delete=models.CASCADE, related_name="matches"
    )
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="matches")
    score = models.PositiveSmallIntegerField(_("score"))
    indicative_limit = models.DecimalField(
        _("indicative limit (yuan)"), max_digits=15, decimal_places=2
    )
    #: True when the yearly figures it was computed from were declared by the enterprise
    #: and not yet verified by its zone (the match is indicative).
    figures_declared = models.BooleanField(_("on declared figures"), default=False)
    #: When its figures (limit, score, basis) were last set: a rematch that finds the same
    #: figures leaves the row alone (``eligibility.firm_write.CHANGED``).
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        ordering = ["-score", "-indicative_limit"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "product_version"], name="match_unique_per_version"
            )
        ]
        indexes = [
            # The Django admin's list in this order (``-pk`` added as tie-break), read a
            # page at a time instead of sorting 1.5 million matches (docs/slow-pages.md).
            models.Index(fields=["-score", "-indicative_limit", "-id"], name="match_admin_order"),
            # A bank's matches page: each product's matches by limit (``BankMatchList``);
            # the bank's match export reads its rows' firm, version and score from here
            # too, not from 1.5 million table rows (session 14: 236 -> 129 ms for a
            # branch's export rows with ``year_verified_latest``).
            models.Index(
                fields=["product", "-indicative_limit", "id"],
                include=["enterprise", "product_version", "score"],
                name="match_product_limit_cover",
            ),
            # The API's list, the latest computed first (``selectors.matches_visible_to``):
            # a page read from here, not a sort of 1.5 million matches on disk (the
            # admin's first page 608 -> 33 ms nationally).
            models.Index(fields=["-computed_at", "id"], name="match_computed_order"),
        ]
        verbose_name = _("match")
        verbose_name_plural = _("matches")

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.product_version}"


class RematchMarker(models.Model):
    """Written in the same transaction as a change: swept by beat if the broker lost the task."""

    enterprise = models.OneToOneField(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("rematch marker")
        verbose_name_plural = _("rematch markers")

    def __str__(self) -> str:
        return str(self.enterprise_id)
