"""``python -m bench.world``. Guarded: importing this module builds nothing (without
``--keep`` the world's database is dropped)."""

from bench.world.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
