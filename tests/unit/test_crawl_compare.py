"""The crawl flags a page only against a crawl of a smaller world made with the same code,
and says so when there is none (bench/crawl_compare.py; issue #19)."""

from __future__ import annotations

import json

from bench.crawl_compare import crawl_file, flagged, reference_for


def _row(url, role="rm", queries=9, status=200):
    return {"name": url, "url": url, "role": role, "queries": queries, "status": status}


def _write(folder, scale, code, rows, *, partial=False):
    path = crawl_file(folder, scale, partial=partial)
    path.write_text(json.dumps({"scale": scale, "code": code, "partial": partial, "rows": rows}))
    return path


def test_the_reference_is_the_smallest_smaller_crawl_of_the_same_code(tmp_path):
    _write(tmp_path, 0.002, "abc", [_row("/a", queries=8)])
    _write(tmp_path, 0.001, "old", [_row("/a", queries=1)])  # other code: never compared
    _write(tmp_path, 0.0001, "abc", [_row("/a", queries=2)], partial=True)  # partial: never
    here = _write(tmp_path, 1, "abc", [_row("/a", queries=9)])
    reference, why = reference_for(here, 1, "abc")
    assert reference["scale"] == 0.002
    assert "crawl-0.002.json" in why
    grown, _ = flagged([_row("/a", queries=9)], reference)
    assert grown == [{"role": "rm", "url": "/a", "queries_small": 8, "queries_big": 9}]


def test_without_a_crawl_of_the_same_code_nothing_is_compared_and_it_says_why(tmp_path):
    _write(tmp_path, 0.002, "old", [_row("/a")])
    here = _write(tmp_path, 1, "new", [_row("/a")])
    reference, why = reference_for(here, 1, "new")
    assert reference is None
    assert why.startswith("MISSING") and "crawl-0.002.json (code old)" in why
    assert "--scale 0.002" in why


def test_pages_that_answered_differently_are_listed_apart_not_flagged(tmp_path):
    reference = {"rows": [_row("/x", queries=20), _row("/t", queries=5), _row("/same")]}
    rows = [_row("/x", queries=3, status=302), _row("/t", status="timeout"), _row("/same")]
    grown, apart = flagged(rows, reference)
    assert grown == []
    assert [r["url"] for r in apart] == ["/x", "/t"]
