"""Benchmarks, run by ``make bench`` (full size) and ``make bench-quick``; not tests."""
