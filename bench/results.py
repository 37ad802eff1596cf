"""Where bench figures go: one JSON of named figures, merged across benches, plus a summary.

Each bench calls :func:`record` with its own figures; keys written by other benches are
kept, so ``make bench`` can run several benches in turn and leave one file with them all.
"""

from __future__ import annotations

import json
import os
import platform
from datetime import UTC, datetime
from pathlib import Path

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def machine() -> dict:
    """The machine the figures came from: cores, CPU model, RAM, Python."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_mb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_mb = int(line.split()[1]) // 1024
                break
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu_model": model or platform.processor(),
        "ram_mb": ram_mb,
        "python": platform.python_version(),
    }


def record(figures: dict, *, path: Path, bench: str, details: dict | None = None) -> dict:
    """Merge ``figures`` into the JSON at ``path`` and rewrite the markdown next to it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        data = {}
    data.update(figures)
    data.setdefault("_meta", {})
    data["_meta"]["machine"] = machine()
    data["_meta"].setdefault("benches", {})[bench] = {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        **(details or {}),
    }
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    path.with_suffix(".md").write_text(summary(data))
    return data


def summary(data: dict) -> str:
    meta = data.get("_meta", {})
    m = meta.get("machine", {})
    lines = [
        "# Bench results",
        "",
        f"Machine: {m.get('nproc')} cores, {m.get('cpu_model')}, {m.get('ram_mb')} MB RAM, "
        f"Python {m.get('python')}.",
        "",
        "| figure | value |",
        "|---|---|",
    ]
    for key in sorted(k for k in data if not k.startswith("_")):
        lines.append(f"| `{key}` | {data[key]} |")
    for name, info in sorted(meta.get("benches", {}).items()):
        lines += ["", f"## {name}", ""]
        tables = {k: v for k, v in info.items() if _is_table(v)}
        records = {k: v for k, v in info.items() if _is_records(v)}
        for k, v in info.items():
            if k in tables or k in records or k.endswith("_sql"):  # SQL stays in the JSON
                continue
            shown = json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v
            lines.append(f"- {k}: {shown}")
        for k, rows in tables.items():
            lines += ["", f"{k}:", "", "| phase | seconds | calls |", "|---|---|---|"]
            lines += [f"| {label} | {seconds} | {calls} |" for label, seconds, calls in rows]
        for k, rows in records.items():
            keys = list(rows[0])
            lines += ["", f"{k}:", "", "| " + " | ".join(keys) + " |"]
            lines += ["|" + "---|" * len(keys)]
            lines += ["| " + " | ".join(f"{row.get(c)}" for c in keys) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _is_table(value) -> bool:
    """A list of (label, seconds, calls) rows, such as a phase breakdown."""
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(row, list | tuple) and len(row) == 3 for row in value)
    )


def _is_records(value) -> bool:
    """A list of dicts with the same keys, such as the crawl's slowest pages."""
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(row, dict) and list(row) == list(value[0]) for row in value)
    )
