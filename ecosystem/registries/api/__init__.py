"""The programs API: reference data any signed-in user may read."""
