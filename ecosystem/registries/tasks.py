"""Thin Celery wrappers around registry services. Safe to run twice."""

from celery import shared_task

from ecosystem.registries import services


@shared_task(name="ecosystem.registries.tasks.run_list_import")
def run_list_import(import_id: int) -> str:
    return services.list_import_run(import_id=import_id).status


@shared_task(name="ecosystem.registries.tasks.read_list_import")
def read_list_import(import_id: int) -> str:
    return services.list_import_read(import_id=import_id).status


@shared_task(name="ecosystem.registries.tasks.requeue_stalled_imports")
def requeue_stalled_imports() -> list[int]:
    from ecosystem.registries.stalled import list_imports_requeue_stalled

    return list_imports_requeue_stalled()


@shared_task(name="ecosystem.registries.tasks.recount_registered_entries")
def recount_registered_entries() -> dict[str, int]:
    """The entries' ``registered`` flag put right where a race left it wrong; returns how
    many entries were fixed each way."""
    from ecosystem.registries.registered import entries_registered_recount

    return entries_registered_recount()
