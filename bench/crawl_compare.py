"""Which pages of a crawl make a different number of queries than on a smaller world.

A crawl (``bench/crawl_bench.py``) writes every (URL, role) with its query count to
``bench/results/crawl-<scale>.json``, stamped with the code it ran on (``code_version``:
the commit, plus a hash of uncommitted changes to tracked files). Its *reference* is the
crawl of the smallest smaller world made with the same code; a page whose count differs
between the two grows with rows (or with something else the world's size changes) and is
*flagged*. A crawl of other code is never compared: a page could differ because the code
did. With no reference, the crawl says so in ``latest.md`` and flags nothing.

``make bench-national`` crawls a 2,000-enterprise world first (``--scale 0.002 --repeat
1``, a minute or two), so the national crawl always finds a reference of its own code.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: What to run for a reference when none of the same code is there.
REFERENCE_SCALE = 0.002
REFERENCE_COMMAND = f"python -m bench.crawl_bench --scale {REFERENCE_SCALE:g} --keep --repeat 1"


def code_version(root: Path = ROOT) -> str:
    """The commit checked out, with ``+`` and a hash of the uncommitted changes to tracked
    files when there are any; empty when git cannot tell."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, check=True, text=True
        ).stdout.strip()
        diff = subprocess.run(
            ["git", "diff", "HEAD", "--binary"], cwd=root, capture_output=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return ""
    return head + ("+" + hashlib.sha1(diff).hexdigest()[:12] if diff else "")  # noqa: S324


def crawl_file(results_dir: Path, scale: float, *, partial: bool) -> Path:
    """Where a crawl's rows go; a partial crawl (``--only``) is kept apart: it is no
    reference for another scale's."""
    return results_dir / f"crawl{'_only' if partial else ''}-{scale:g}.json"


def reference_for(here: Path, scale: float, code: str) -> tuple[dict | None, str]:
    """(the reference crawl or None, why: which file, or what is missing)."""
    found, other_code = [], []
    for path in sorted(here.parent.glob("crawl-*.json")):
        if path == here:
            continue
        try:
            crawl = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        if crawl.get("partial") or crawl.get("scale", 1) >= scale:
            continue
        if code and crawl.get("code") == code:
            found.append((crawl["scale"], path, crawl))
        else:
            other_code.append(f"{path.name} (code {crawl.get('code') or 'unknown'})")
    if found:
        small_scale, path, crawl = min(found, key=lambda item: item[0])
        return crawl, f"{path.name} (scale {small_scale:g}, same code {code})"
    if not code:
        why = "git cannot tell which code this crawl ran on"
    elif scale <= REFERENCE_SCALE and not other_code:
        return None, "none: this is the smallest crawl, the reference of bigger ones"
    else:
        why = f"no crawl of a smaller world with this code ({code})"
    if other_code:
        why += "; not compared with crawls of other code: " + ", ".join(other_code)
    return None, f"MISSING: {why}. Run `{REFERENCE_COMMAND}` first (make bench-national does)."


def flagged(rows: list[dict], reference: dict) -> tuple[list[dict], list[dict]]:
    """(pages whose query count differs from the reference's, pages not compared).

    Only pages that answered alike in both crawls are compared: a request stopped at the
    cap did not finish, and a different status (an export refused on the bigger world) is
    a different page."""
    theirs = {(r["name"], r["role"]): r for r in reference["rows"]}
    out, skipped = [], []
    for row in rows:
        small = theirs.get((row["name"], row["role"]))
        if small is None:
            continue
        if row["status"] != small["status"] or "timeout" in (row["status"], small["status"]):
            skipped.append(
                {
                    "role": row["role"],
                    "url": row["url"],
                    "status_small": small["status"],
                    "status_big": row["status"],
                }
            )
        elif row["queries"] != small["queries"]:
            out.append(
                {
                    "role": row["role"],
                    "url": row["url"],
                    "queries_small": small["queries"],
                    "queries_big": row["queries"],
                }
            )
    return out, skipped
