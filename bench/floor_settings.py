"""Production settings plus the floor views of ``bench/feed_floors.py`` (bench only).

gunicorn runs with ``DJANGO_SETTINGS_MODULE=bench.floor_settings``: the portal's own
URLs, unchanged, and under ``/bench-floor/`` the views that measure what the framework
costs (``bench/floor_urls.py``). Never a deployment's settings.
"""

from portal.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.floor_urls"
