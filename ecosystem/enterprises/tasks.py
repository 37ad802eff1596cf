"""Thin Celery wrappers around enterprise services."""

from celery import shared_task

from ecosystem.enterprises import services


@shared_task(name="ecosystem.enterprises.tasks.expire_claims")
def expire_claims() -> int:
    """Nightly: claims past their own validity, and claims whose list entry expired."""
    from ecosystem.enterprises.services.verification import claims_expire_from_registry

    return services.claims_expire() + claims_expire_from_registry()


# The name it had when it lived in registries: outbox rows may still carry it.
@shared_task(name="ecosystem.registries.tasks.verify_claim")
def verify_claim(claim_id: int) -> int:
    from ecosystem.enterprises.services.verification import claims_verify_from_registry

    return claims_verify_from_registry(claim_ids=[claim_id])


# The name it had when the review queue lived in zones: beat schedules and outbox rows.
@shared_task(name="ecosystem.enterprises.tasks.send_official_digests")
def send_official_digests() -> int:
    from ecosystem.enterprises.review.services import official_digests_send

    return official_digests_send()


@shared_task(name="ecosystem.enterprises.tasks.verify_enterprise_claims")
def verify_enterprise_claims(enterprise_id: int) -> int:
    """The registrant's identity was confirmed: verify the waiting claims the lists prove."""
    from ecosystem.enterprises.services.verification import claims_verify_from_registry

    return claims_verify_from_registry(enterprise_ids=[enterprise_id])


@shared_task(name="ecosystem.enterprises.tasks.refresh_enterprise_stages")
def refresh_enterprise_stages() -> int:
    """Nightly, just after midnight: move the enterprises whose lifecycle stage changed
    with the date alone (``enterprises.summary.stages_refresh``); returns how many."""
    from ecosystem.enterprises.summary import stages_refresh

    return stages_refresh()
