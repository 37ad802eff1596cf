"""Serializers of the enterprise API, one module per area."""
