"""Mixed traffic for ``make load``: enterprise members, zone officials and bank staff.

Each simulated user signs in once through the allauth forms (staff with their TOTP code),
then browses its role's pages and API lists. Accounts come from ``bench/load.py``
(``prepare``): the demo founder, and one official and one relationship manager per
simulated staff user, so that no two users enter the same one-time code.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import statistics

from locust import HttpUser, between, events, task

from deploy.smoke import DEMO_PASSWORD, DEMO_TOTP_SECRET, totp

FOUNDER = "founder@demo.kejinlink.cn"
_officials = itertools.count()
_managers = itertools.count()
#: Sign-in costs a password hash (and a TOTP check) once per simulated user: reported apart
#: from the signed-in traffic it would otherwise dominate in a one-minute run.
SIGN_IN = {"sign-in form", "sign-in", "second factor"}
_times: dict[str, list[float]] = {"browsing": [], "sign_in": []}


@events.request.add_listener
def _record(name, response_time, exception, **kwargs):
    _times["sign_in" if name in SIGN_IN else "browsing"].append(response_time)


@events.quitting.add_listener
def _write_split(environment, **kwargs):
    """Percentiles of browsing and of sign-in, for bench/load.py (``LOAD_SPLIT_JSON``)."""
    path = os.environ.get("LOAD_SPLIT_JSON")
    if not path:
        return
    out = {}
    for key, values in _times.items():
        if len(values) >= 2:
            cuts = statistics.quantiles(values, n=100, method="inclusive")
            out[key] = {"n": len(values), "p50": round(cuts[49]), "p95": round(cuts[94])}
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(out, handle)


class PortalUser(HttpUser):
    abstract = True
    wait_time = between(0.5, 2.0)

    def login(self, email: str, *, second_factor: bool) -> None:
        self.client.headers["Accept-Language"] = "en"
        page = self.client.get("/accounts/login/", name="sign-in form")
        data = {"csrfmiddlewaretoken": _csrf(page.text), "login": email, "password": DEMO_PASSWORD}
        with self.client.post(
            "/accounts/login/", data=data, name="sign-in", catch_response=True
        ) as response:
            expected = "/accounts/2fa/authenticate" if second_factor else "/accounts/login"
            if second_factor != (expected in response.url):
                response.failure(f"sign-in of {email} ended at {response.url}")
                return
        if second_factor:
            data = {"csrfmiddlewaretoken": _csrf(response.text), "code": totp(DEMO_TOTP_SECRET)}
            with self.client.post(
                "/accounts/2fa/authenticate/", data=data, name="second factor", catch_response=True
            ) as done:
                if "/accounts/" in done.url:
                    done.failure(f"second factor of {email} refused ({done.url})")

    def api_ids(self, path: str, name: str, key: str = "id") -> list[int]:
        response = self.client.get(path, name=name)
        if response.status_code != 200:
            return []
        body = response.json()
        rows = body["results"] if isinstance(body, dict) else body
        return [row[key] for row in rows][:20]


def _csrf(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return found.group(1) if found else ""


class EnterpriseMember(PortalUser):
    weight = 3

    def on_start(self):
        self.login(FOUNDER, second_factor=False)
        self.enterprise = (self.api_ids("/api/v1/enterprises/", "api: enterprises") or [0])[0]

    @task(3)
    def home(self):
        self.client.get("/", name="home")

    @task(2)
    def profile(self):
        self.client.get(f"/enterprises/{self.enterprise}/", name="enterprise page")

    @task(3)
    def matches(self):
        self.client.get(
            f"/financing/enterprises/{self.enterprise}/matches/", name="enterprise matches"
        )

    @task(2)
    def leads(self):
        self.client.get(f"/financing/enterprises/{self.enterprise}/leads/", name="enterprise leads")

    @task(2)
    def claims_api(self):
        self.client.get(f"/api/v1/enterprises/{self.enterprise}/claims/", name="api: claims")

    @task(1)
    def matches_api(self):
        self.client.get("/api/v1/financing/matches/", name="api: matches")


class ZoneOfficial(PortalUser):
    weight = 1

    def on_start(self):
        self.login(f"load-official-{next(_officials)}@demo.kejinlink.cn", second_factor=True)
        self.claims = self.api_ids("/api/v1/zones/queue/?kind=claim", "api: zone queue")

    @task(3)
    def queue(self):
        self.client.get("/zones/queue/", name="zone queue")

    @task(2)
    def queue_api(self):
        self.client.get("/api/v1/zones/queue/", name="api: zone queue")

    @task(1)
    def dashboard(self):
        self.client.get("/zones/dashboard/", name="zone dashboard")

    @task(2)
    def review(self):
        if self.claims:
            claim = self.claims[len(self.claims) // 2]
            self.client.get(f"/zones/claims/{claim}/", name="zone claim review")


class BankStaff(PortalUser):
    weight = 2

    def on_start(self):
        self.login(f"load-rm-{next(_managers)}@demo.kejinlink.cn", second_factor=True)
        self.leads = self.api_ids("/api/v1/financing/leads/", "api: leads")

    @task(3)
    def inbox(self):
        self.client.get("/financing/leads/", name="lead inbox")

    @task(1)
    def inbox_team(self):
        self.client.get("/financing/leads/?tab=team", name="lead inbox (team)")

    @task(3)
    def leads_api(self):
        self.client.get("/api/v1/financing/leads/", name="api: leads")

    @task(1)
    def bank_matches(self):
        self.client.get("/financing/bank/matches/", name="bank matches")

    @task(2)
    def lead_page(self):
        if self.leads:
            lead = self.leads[len(self.leads) // 3]
            self.client.get(f"/financing/leads/{lead}/", name="lead page")
