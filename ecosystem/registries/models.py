"""Programs, their official lists (entries by batch) and the imports that publish them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ecosystem.core.i18n import BilingualNameMixin
from ecosystem.core.storage import private_storage


class Program(BilingualNameMixin):
    """A qualification program such as the high-tech enterprise certificate."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("national")
        PROVINCIAL = "provincial", _("provincial")
        MUNICIPAL = "municipal", _("municipal")

    code = models.SlugField(_("code"), max_length=32, unique=True)
    authority = models.CharField(_("authority"), max_length=200, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    term_years = models.PositiveSmallIntegerField(
        _("term in years"),
        null=True,
        blank=True,
        help_text=_(
            "How long a listing is valid from its date of issue (high-tech enterprise: 3). "
            "Used when a list gives the date of issue but no end date."
        ),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")

    def __str__(self) -> str:
        return self.name


class ListImport(models.Model):
    """One upload of an official list for a program and batch, processed by a Celery task."""

    class Status(models.TextChoices):
        ANALYSING = "analysing", _("reading the list")
        PREVIEW = "preview", _("awaiting confirmation")
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("imported")
        UNCHANGED = "unchanged", _("unchanged (already imported)")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")

    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="imports", verbose_name=_("program")
    )
    batch = models.CharField(_("batch"), max_length=64)
    file = models.FileField(
        _("file"), upload_to="imports/%Y/%m/", storage=private_storage, max_length=200
    )
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    file_format = models.CharField(_("format"), max_length=8)
    encoding = models.CharField(_("detected encoding"), max_length=32, blank=True)
    header_map = models.JSONField(_("column mapping"), default=dict)
    #: Per sheet as read at upload: name, header row, headers, detected mapping, counts.
    sheets = models.JSONField(_("sheets"), default=list, blank=True)
    #: The officer's own mapping of columns: {sheet name: {column index: field}}.
    mappings = models.JSONField(_("column mapping chosen"), default=dict, blank=True)
    #: The sheets to import (None: every sheet with a header).
    chosen_sheets = models.JSONField(_("sheets chosen"), null=True, blank=True)
    #: The dry run shown before confirmation (rows to load, skipped, refused, claims).
    analysis = models.JSONField(_("preview"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PREVIEW, db_index=True
    )
    phase = models.CharField(_("phase"), max_length=32, blank=True)
    total_rows = models.PositiveIntegerField(_("rows in file"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    valid_rows = models.PositiveIntegerField(_("valid rows"), default=0)
    error_rows = models.PositiveIntegerField(_("rows with errors"), default=0)
    skipped_rows = models.PositiveIntegerField(_("rows skipped, not data"), default=0)
    claims_expired = models.PositiveIntegerField(_("claims expired"), default=0)
    name_matches = models.PositiveIntegerField(_("name matches proposed"), default=0)
    inserted = models.PositiveIntegerField(_("new entries"), default=0)
    updated = models.PositiveIntegerField(_("changed entries"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged entries"), default=0)
    withdrawn = models.PositiveIntegerField(_("withdrawn entries"), default=0)
    claims_verified = models.PositiveIntegerField(_("claims verified"), default=0)
    claims_revoked = models.PositiveIntegerField(_("claims revoked"), default=0)
    cancel_requested = models.BooleanField(_("cancel requested"), default=False)
    message = models.TextField(_("message"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("list import")
        verbose_name_plural = _("list imports")

    def __str__(self) -> str:
        return f"{self.program} · {self.batch} · {self.original_name}"

    @property
    def is_finished(self) -> bool:
        return self.status in (
            self.Status.SUCCEEDED,
            self.Status.UNCHANGED,
            self.Status.FAILED,
            self.Status.CANCELLED,
        )

    @property
    def format_label(self) -> str:
        """What the file was, in the reader's language: "Excel (.xlsx)", "CSV · GB18030"."""
        from ecosystem.registries.readers import labels

        if self.file_format == "csv":
            return f"CSV · {self.encoding}" if self.encoding else "CSV"
        return str(labels().get(self.file_format, self.file_format.upper()))

    @property
    def percent(self) -> int:
        if self.is_finished:
            return 100
        if not self.total_rows:
            return 0
        return min(99, int(self.processed_rows * 100 / self.total_rows))


class ImportRowError(models.Model):
    """A row the import refused (``kind`` refused) or skipped as not data (``skipped``)."""

    class Kind(models.TextChoices):
        REFUSED = "refused", _("refused")
        SKIPPED = "skipped", _("skipped, not a data row")

    list_import = models.ForeignKey(ListImport, on_delete=models.CASCADE, related_name="errors")
    sheet = models.CharField(_("sheet"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.REFUSED)
    row_number = models.PositiveIntegerField(_("row"))
    code = models.CharField(_("error code"), max_length=32)
    message = models.CharField(_("reason"), max_length=300)
    #: The reason's arguments: the page says it again from ``code`` in the reader's
    #: language (``registries.row_messages``); a row stored before keeps its ``message``.
    params = models.JSONField(_("reason's arguments"), default=dict, blank=True)
    uscc = models.CharField(_("credit code as given"), max_length=64, blank=True)
    name = models.CharField(_("name as given"), max_length=200, blank=True)

    class Meta:
        ordering = ["list_import", "row_number"]
        verbose_name = _("import row error")
        verbose_name_plural = _("import row errors")

    def __str__(self) -> str:
        return f"{self.row_number}: {self.message}"

    @property
    def shown_message(self) -> str:
        from ecosystem.registries.row_messages import row_message

        return row_message(self)


class RegistryEntry(models.Model):
    """One enterprise on a program's official list (one batch). Withdrawn entries are kept.

    Lists arrive 200,000 rows at a time, and every index and every foreign-key trigger is
    paid once per row. So the table carries three indexes: the primary key, the unique
    ``(program, batch, uscc)`` (upserts, a batch's entries, a program's look-ups) and
    ``uscc`` (look-ups by code, claim verification). (A "C" collation on ``uscc`` would
    make its comparisons cheaper, but joins with ``Enterprise.uscc`` could then no longer
    use an index, so it keeps the database's collation.)

    ``program`` has no per-row foreign-key trigger: on PostgreSQL one statement-level
    trigger per INSERT or UPDATE checks the programs the new rows name, and a
    statement-level trigger on program deletion refuses to orphan entries (migration
    0005). The INSERT/UPDATE check leaves a new version of each program row it names, so
    a REPEATABLE READ delete that cannot see the entries fails to serialize instead of
    orphaning them (migration 0006). The import provenance fields are plain ids the loader writes,
    without a constraint or index (nothing queries by them; deleting an import sets them
    to NULL through Django's collector, scanning the table, which is rare).
    """

    class Status(models.TextChoices):
        CURRENT = "current", _("current")
        WITHDRAWN = "withdrawn", _("withdrawn")

    program = models.ForeignKey(
        Program,
        on_delete=models.PROTECT,
        related_name="entries",
        verbose_name=_("program"),
        db_index=False,
        db_constraint=False,
    )
    batch = models.CharField(_("batch"), max_length=64)
    uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    name = models.CharField(_("name"), max_length=200)
    #: A name-only list's key (``names.name_key``); empty on lists with codes.
    name_key = models.CharField(
        _("name for matching"), max_length=200, blank=True, default="", db_default=""
    )
    issued_on = models.DateField(_("date of issue"), null=True, blank=True)
    matched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("name match confirmed by"),
        db_constraint=False,  # no per-row trigger or index on 200,000-row loads
        db_index=False,
    )
    matched_at = models.DateTimeField(_("name match confirmed at"), null=True, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=64, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.CURRENT
    )
    first_import = models.ForeignKey(
        ListImport,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    last_import = models.ForeignKey(
        ListImport,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    #: Whether an enterprise with this credit code is registered here. Kept by the
    #: database on PostgreSQL (migration 0011's triggers on entries and enterprises), so
    #: reconciliation reads it from an index instead of joining a list of 150,000 entries
    #: with a million enterprises; elsewhere it stays False and is not read
    #: (``insights.reconciliation`` probes the enterprises there).
    registered = models.BooleanField(
        _("registered here"), default=False, db_default=False, editable=False
    )

    class Meta:
        ordering = ["program", "batch", "uscc"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "batch", "uscc"],
                condition=models.Q(uscc__gt=""),
                name="registry_entry_unique_per_batch",
            ),
            models.UniqueConstraint(
                fields=["program", "batch", "name_key"],
                condition=models.Q(name_key__gt=""),
                name="registry_entry_unique_name_per_batch",
            ),
        ]
        indexes = [
            models.Index(fields=["uscc"], name="registry_entry_uscc"),
            # One list's reconciliation: its counts by status and registration read from
            # this index alone, its outreach (current, not registered) in code order, and
            # its entries' ids, which the claims citing them are joined with (migration
            # 0012; docs/performance.md, "Session 10: medium pages").
            models.Index(
                fields=["program", "batch", "status", "registered", "uscc"],
                include=["id"],
                name="registry_entry_reconcile_ids",
            ),
        ]
        verbose_name = _("registry entry")
        verbose_name_plural = _("registry entries")

    def __str__(self) -> str:
        return f"{self.program} · {self.batch} · {self.uscc} {self.name}"
