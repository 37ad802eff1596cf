"""Shared test worlds: the objects and users several test modules build their tests on.

Test modules import worlds from here (and objects from ``tests.factories``), never from
another test module; ``tests/unit/test_test_layout.py`` holds that rule.
"""
