"""``python -m bench.world``."""

from bench.world.cli import main

raise SystemExit(main())
