"""Where an import's time goes: wall seconds per phase of ``list_import_run``.

Wraps, for one run, the functions the service calls through module attributes
(``parsing.open_book``, ``parsing.clean_rows``, ``loader.load_entries``, the claim
functions, ``ImportRowError.objects.bulk_create``), times each SQL statement through
Django's ``execute_wrapper`` and times commits (deferred foreign-key checks run there).
The overhead is a few calls per phase plus one generator step per row.
"""

from __future__ import annotations

import time
from collections import defaultdict
from contextlib import contextmanager, nullcontext

from django.db import connections

SQL_LABELS = (
    ("WITH upserted", "sql: upsert INSERT … ON CONFLICT"),
    ("UPDATE registries_registryentry", "sql: withdrawal UPDATE"),
    ("SELECT EXISTS", "sql: batch has entries?"),
    ("CREATE TEMP TABLE", "sql: staging table"),
    ("TRUNCATE registry_staging", "sql: staging table"),
)


class PhaseClock:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self._in_load = False
        self._inside: str | None = None  # a timed function whose SQL counts as its own

    def add(self, label: str, seconds: float) -> None:
        self.seconds[label] += seconds
        self.calls[label] += 1

    def _timed(self, label: str, func):
        def wrapper(*args, **kwargs):
            outer, self._inside = self._inside, label
            started = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                self._inside = outer
                self.add(label, time.perf_counter() - started)

        return wrapper

    def _timed_rows(self, func):
        """``clean_rows`` is a generator: time only the steps inside it."""

        def wrapper(*args, **kwargs):
            rows = func(*args, **kwargs)
            spent = 0.0
            try:
                while True:
                    started = time.perf_counter()
                    try:
                        row = next(rows)
                    except StopIteration:
                        return
                    finally:
                        spent += time.perf_counter() - started
                    yield row
            finally:
                self.add("python: clean_rows (validate, dedupe)", spent)

        return wrapper

    def _timed_load(self, func):
        def wrapper(*args, **kwargs):
            self._in_load = True
            started = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                self._in_load = False
                self.add("loader.load_entries (total)", time.perf_counter() - started)

        return wrapper

    def _sql(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - started
            if self._inside is None or self._in_load:
                label = next((lab for key, lab in SQL_LABELS if key in sql), None)
                if label is None:
                    label = "sql: other in loader" if self._in_load else "sql: job, progress, audit"
                self.add(label, spent)
                if self._in_load:
                    self.add("_sql inside load", spent)

    @contextmanager
    def patched(self):
        from ecosystem.enterprises.services import verification
        from ecosystem.registries import analysis, loader, parsing
        from ecosystem.registries.models import ImportRowError

        connection = connections["default"]
        saved = {
            (parsing, "open_book"): parsing.open_book,
            (parsing, "clean_rows"): parsing.clean_rows,
            (analysis, "plain_columns"): analysis.plain_columns,
            (analysis, "keep"): analysis.keep,
            (analysis, "kept"): analysis.kept,
            (loader, "load_entries"): loader.load_entries,
            (verification, "claims_verify_from_registry"): (
                verification.claims_verify_from_registry
            ),
            (verification, "claims_revoke_for_withdrawn"): (
                verification.claims_revoke_for_withdrawn
            ),
        }
        manager = ImportRowError.objects
        parsing.open_book = self._timed(
            "python: open_book (decode, csv, header)", saved[(parsing, "open_book")]
        )
        parsing.clean_rows = self._timed_rows(saved[(parsing, "clean_rows")])
        analysis.plain_columns = self._timed(
            "python: plain_columns (validate, dedupe)", saved[(analysis, "plain_columns")]
        )
        analysis.keep = self._timed("python: keep the cleaned list", saved[(analysis, "keep")])
        analysis.kept = self._timed("python: read the kept list", saved[(analysis, "kept")])
        loader.load_entries = self._timed_load(saved[(loader, "load_entries")])
        # A list import reaches them through the registry.entries_changed event.
        verification.claims_verify_from_registry = self._timed(
            "claims_verify_from_registry", saved[(verification, "claims_verify_from_registry")]
        )
        verification.claims_revoke_for_withdrawn = self._timed(
            "claims_revoke_for_withdrawn", saved[(verification, "claims_revoke_for_withdrawn")]
        )
        manager.bulk_create = self._timed("ImportRowError bulk_create", manager.bulk_create)
        connection.commit = self._timed("commit (deferred FK checks run here)", connection.commit)
        try:
            with connection.execute_wrapper(self._sql):
                yield self
        finally:
            for (module, name), func in saved.items():
                setattr(module, name, func)
            del manager.bulk_create
            del connection.commit

    def table(self, total: float) -> list[tuple[str, float, int]]:
        """Rows (phase, seconds, calls), the loader split into COPY and its SQL."""
        s, c = dict(self.seconds), dict(self.calls)
        inside = s.pop("_sql inside load", 0.0)
        c.pop("_sql inside load", None)
        load = s.pop("loader.load_entries (total)", 0.0)
        c.pop("loader.load_entries (total)", None)
        s["COPY (entries or staging) + loader Python"] = load - inside
        c["COPY (entries or staging) + loader Python"] = 1
        s["unaccounted (service code, ORM, sha256, file I/O)"] = total - sum(s.values())
        c["unaccounted (service code, ORM, sha256, file I/O)"] = 0
        return sorted(((k, v, c.get(k, 0)) for k, v in s.items()), key=lambda r: -r[1])


def maybe(enabled: bool):
    return PhaseClock().patched() if enabled else nullcontext(None)
