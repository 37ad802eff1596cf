"""Consent for banks, and the access log of bank views."""

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecosystem.core.errors import ApplicationError, ConflictError
from ecosystem.core.services import audit_record
from ecosystem.enterprises.consent_texts import CURRENT_VERSION
from ecosystem.enterprises.models import AccessLogEntry, Consent
from ecosystem.enterprises.services.common import require_member


def consent_grant(*, enterprise, actor, bank, purpose: str) -> Consent:
    """Grant ``bank`` consent for ``purpose`` under the current text; idempotent."""
    require_member(actor, enterprise)
    if purpose not in Consent.Purpose.values:
        raise ApplicationError(_("Unknown purpose."), code="bad_purpose")
    with transaction.atomic():
        active = Consent.objects.filter(
            enterprise=enterprise, bank=bank, purpose=purpose, revoked_at__isnull=True
        ).first()
        if active and active.text_version == CURRENT_VERSION:
            return active
        if active:  # re-consent to a newer text: the old one ends now
            active.revoked_at = timezone.now()
            active.revoked_by = actor
            active.save(update_fields=["revoked_at", "revoked_by"])
        try:
            with transaction.atomic():
                consent = Consent.objects.create(
                    enterprise=enterprise,
                    bank=bank,
                    purpose=purpose,
                    text_version=CURRENT_VERSION,
                    granted_by=actor,
                    granted_at=timezone.now(),
                )
        except IntegrityError as exc:
            raise ConflictError(_("Consent was granted meanwhile."), code="exists") from exc
        audit_record(
            actor=actor,
            verb="consent.granted",
            target=enterprise,
            after={"bank": bank.pk, "purpose": purpose, "version": CURRENT_VERSION},
        )
    return consent


def consent_revoke(*, consent: Consent, actor) -> Consent:
    """Revoke at once: from this moment the bank's selectors no longer return the data."""
    require_member(actor, consent.enterprise)
    with transaction.atomic():
        current = Consent.objects.select_for_update().get(pk=consent.pk)
        if current.revoked_at is None:
            current.revoked_at = timezone.now()
            current.revoked_by = actor
            current.save(update_fields=["revoked_at", "revoked_by"])
            audit_record(
                actor=actor,
                verb="consent.revoked",
                target=current.enterprise,
                before={"bank": current.bank_id, "purpose": current.purpose},
            )
    return current


def access_log_record(*, enterprise, viewer, bank, section: str) -> AccessLogEntry:
    """Called by every bank page, export or API view that shows an enterprise's identity
    (its name, credit code or details); the enterprise sees the entry in its access log."""
    return AccessLogEntry.objects.create(
        enterprise=enterprise, viewer=viewer, bank=bank, section=section[:32]
    )


def access_log_record_many(*, viewer, seen, section: str) -> int:
    """``access_log_record`` for a list or an export: ``seen`` holds ``(enterprise_id,
    bank_id)`` pairs, one entry each, written in one statement. Returns how many."""
    seen = list(seen)
    if not seen:
        return 0
    # One INSERT sent as it is: ``bulk_create`` wraps even a single statement in a
    # transaction, whose BEGIN and COMMIT are two more round trips on every inbox page
    # (the page's query budget is 10, see bench/leads_bench.py).
    table = AccessLogEntry._meta.db_table
    now, section = connection.ops.adapt_datetimefield_value(timezone.now()), section[:32]
    # The model's own table and placeholders only; every value is a parameter.
    insert = f"INSERT INTO {table} (enterprise_id, viewer_id, bank_id, section, viewed_at) "
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The pairs as two arrays, whatever their number: an export's thousands are
            # two parameters, not five per entry (5,300 entries: 30 ms against 118). Each
            # array is passed as its text ('{1,2}', ids only): psycopg's client-side
            # binding writes a list element by element in Python (25 ms for 5,300 pairs).
            enterprises, banks = (
                "{" + ",".join(map(str, map(int, ids))) + "}" for ids in zip(*seen, strict=True)
            )
            cursor.execute(
                insert + "SELECT seen.enterprise_id, %s, seen.bank_id, %s, %s "
                "FROM unnest(%s::bigint[], %s::bigint[]) AS seen (enterprise_id, bank_id)",
                [viewer.pk, section, now, enterprises, banks],
            )
        else:  # SQLite (make run): a statement holds at most 32,766 parameters
            for start in range(0, len(seen), 1_000):
                chunk = seen[start : start + 1_000]
                rows = ", ".join(["(%s, %s, %s, %s, %s)"] * len(chunk))
                params = [
                    value
                    for enterprise_id, bank_id in chunk
                    for value in (enterprise_id, viewer.pk, bank_id, section, now)
                ]
                cursor.execute(insert + f"VALUES {rows}", params)  # noqa: S608
    return len(seen)


def access_log_record_query(*, viewer, seen, section: str) -> None:
    """``access_log_record_many`` for a whole export: ``seen`` is a queryset of ``values(
    viewed_enterprise=…, viewed_bank=…)`` (the consenting rows it will show), written as one
    ``INSERT … SELECT DISTINCT`` whatever its size, so an export's queries do not grow with
    its rows. Each enterprise is logged once per bank and export."""
    table = AccessLogEntry._meta.db_table
    now, section = connection.ops.adapt_datetimefield_value(timezone.now()), section[:32]
    rows_sql, rows_params = seen.order_by().distinct().query.sql_with_params()
    # The model's own table and the queryset's compiled SQL; every value is a parameter.
    sql = (
        f"INSERT INTO {table} (enterprise_id, viewer_id, bank_id, section, viewed_at) "  # noqa: S608
        "SELECT seen.viewed_enterprise, %s, seen.viewed_bank, %s, %s "
        f"FROM ({rows_sql}) AS seen"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [viewer.pk, section, now, *rows_params])
