"""How maintained summary tables differ from a recount: one definition for every summary
(lead summaries, the enterprise funnel, enterprise stages, chain coverage counters), so
``rebuild_summaries --check`` and the nightly check report them alike."""

from __future__ import annotations

#: Differing keys listed per table (the count covers them all).
EXAMPLES = 20


def table_drift(names, counted, kept) -> dict:
    """{name: {"differing": n, "examples": [...]}} for each table: ``counted`` and ``kept``
    are, per name, {key: figures} as a recount makes them and as they are stored."""
    out = {}
    for name, want, have in zip(names, counted, kept, strict=True):
        keys = sorted((k for k in set(want) | set(have) if want.get(k) != have.get(k)), key=repr)
        out[name] = {"differing": len(keys), "examples": [repr(k) for k in keys[:EXAMPLES]]}
    return out
