"""What each enterprise last added to a set of counters (``ChainCoverageMember``,
``EcosystemMember``), stored after a sync moved the counters by the difference."""

from __future__ import annotations


def members_store(model, *, gone: list[int], upsert: list, update_fields: list[str]) -> None:
    """Delete the member rows of the enterprises ``gone`` (they add nothing now) and write
    ``upsert`` (instances of ``model``) over the rows of their enterprises."""
    if gone:
        model.objects.filter(pk__in=gone).delete()
    if upsert:
        model.objects.bulk_create(
            upsert,
            batch_size=5000,
            update_conflicts=True,
            unique_fields=["enterprise"],
            update_fields=update_fields,
        )
