"""``python -m bench.world``: build, reuse or upgrade the world of a scale."""

from __future__ import annotations

import argparse
import json
import shutil

from bench.world.build import build, sizes
from bench.world.db import drop_database, national_url, recorded, save, setup
from bench.world.upgrade import upgradable, upgrade


def same_size(info: dict | None, size: dict) -> bool:
    return bool(info) and all(info.get(k) == v for k, v in size.items())


def ensure(scale: float, *, keep: bool) -> dict:
    """Set Django up on the national database with a world of ``scale``; its record.
    With ``keep``: a world of the same size is reused, one of an older version but the
    same size upgraded in place (``upgrade``); anything else is dropped and built anew.
    Returns the record plus ``media`` (a temporary folder the caller removes),
    ``reused`` and ``upgraded``."""
    url = national_url(scale)
    size = sizes(scale)
    info = recorded(url)
    reused = keep and same_size(info, size)
    upgrading = keep and not reused and upgradable(info, size)
    if not (reused or upgrading):
        drop_database(url)
    media = setup(url)
    if upgrading:
        print(
            f"upgrading the national world built {info['built_at']} (version "
            f"{info.get('version')} to {size['version']}: what that version lacks)"
        )
        info = upgrade(info, size)
        save(info)
        print(f"upgraded in {info['upgrade_seconds']} s")
    elif not reused:
        print(f"building a national world at scale {scale} ({size['enterprises']:,} enterprises)")
        info = build(size)
        save(info)
        print(f"built in {info['built_seconds']} s")
    else:
        print(f"reusing the national world built {info['built_at']} in {info['built_seconds']} s")
    describe(info)
    return {**info, "media": media, "reused": reused or upgrading, "upgraded": upgrading}


def describe(info: dict) -> None:
    counts = info["counts"]
    print("world: " + ", ".join(f"{k} {v:,}" for k, v in counts.items() if isinstance(v, int)))
    print("leads by status: " + json.dumps(counts["leads_by_status"]))


def main(argv=None) -> int:
    from bench import world

    parser = argparse.ArgumentParser(
        prog="python -m bench.world", description=world.__doc__.splitlines()[0]
    )
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument(
        "--keep", action="store_true", help="reuse (or upgrade) a world of the same size"
    )
    args = parser.parse_args(argv)
    info = ensure(args.scale, keep=args.keep)
    shutil.rmtree(info["media"], ignore_errors=True)
    return 0
