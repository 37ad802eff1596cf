"""The pause point the race tests hold a transaction at (``tests/worlds/concurrency``)."""

from __future__ import annotations


def race_window(point: str) -> None:
    """Called by a service between reading what it decides on and writing the decision
    (``point``: "filing", "claim_approval", "waiting_sync"). It does nothing; the race
    tests replace it to hold one transaction there while another tries the same move,
    which proves that the lock taken before the read — not luck in thread timing —
    serialises them."""
