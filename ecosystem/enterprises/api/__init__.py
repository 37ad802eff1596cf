"""The enterprise API under /api/v1/: thin DRF views over the enterprise services and
scoped selectors."""
