"""Export jobs: a table too large to write while the user waits is written by a worker.

One home for every export of the portal. An app describes each of its exports once as an
export *kind* (``kinds.register``): who may run it, and how to build its
:class:`~ecosystem.core.exports.ExportTable` for a user and a set of filters through the
app's own scoped selectors. The app's export view calls ``views.export_or_job``: a table
under ``EXPORT_ROW_LIMIT`` rows is streamed at once; a larger one becomes an
:class:`~ecosystem.core.export_jobs.models.ExportJob` (owner, kind, filters, format,
progress), run by a Celery task on the ``exports`` queue after commit (the outbox). The
worker builds the table again **as the owner, when it runs** (a user who lost the role or
the scope gets nothing), writes it to the private storage (``STORAGE_URL``) and reports its
progress on the job, which its page polls with htmx. The file is downloaded only through a
view that checks the owner and the kind's rule again, streamed from the storage; a beat task
deletes it when it expires.

It lives in ``core`` (below every app, as the layers contract requires) and never imports
an app: the apps register their kinds in their ``AppConfig.ready``.
"""
