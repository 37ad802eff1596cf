"""Run inside a `make run`-like process (SQLite, eager Celery, the seeded demo): each demo
role's main pages and API lists, a streamed export read to its end; prints ``500 <email>
<path>`` for a server error and ``ok <email> <count>`` per role
(tests/integration/test_make_run_sqlite.py)."""

import django

django.setup()

from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from ecosystem.accounts.models import User  # noqa: E402

PAGES = [
    "/",
    "/enterprises/",
    "/financing/leads/",
    "/financing/leads/?tab=team",
    "/financing/leads/export/csv/",
    "/financing/bank/dashboard/",
    "/financing/bank/matches/",
    "/financing/bank/matches/?page=2",
    "/financing/bank/matches/export/csv/",
    "/zones/dashboard/",
    "/zones/queue/",
    "/platform/dashboard/",
    "/chains/",
    "/chains/ecosystem/",
    "/api/v1/enterprises/",
    "/api/v1/financing/matches/",
    "/api/v1/financing/leads/",
    "/api/v1/financing/dashboard/",
    "/api/v1/zones/dashboard/",
    "/api/v1/platform/dashboard/",
]
ROLES = ["founder", "official", "registry", "rm", "manager", "admin", "funds"]

with override_settings(ALLOWED_HOSTS=["*"]):
    for role in ROLES:
        user = User.objects.get(email=f"{role}@demo.kejinlink.cn")
        client = Client(raise_request_exception=False)
        client.force_login(user)
        opened = 0
        for path in PAGES:
            response = client.get(path)
            status = response.status_code
            if response.streaming:  # an export's rows are read as its body is sent
                try:
                    b"".join(response.streaming_content)
                except Exception:  # noqa: BLE001 - reported as the page's server error
                    status = 500
            if status >= 500:
                print(f"500 {user.email} {path}", flush=True)
            opened += status == 200
        print(f"ok {user.email} {opened}", flush=True)
