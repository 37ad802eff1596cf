"""Drive one enterprise → verification → match → lead → offer scenario over HTTP.

    BASE_URL=http://127.0.0.1:PORT STACK_DIR=... python -m deploy.smoke

Run by ``make prod-smoke`` inside ``deploy/stack.sh`` (gunicorn, Celery workers per queue
and beat on PostgreSQL and Redis, production settings, demo data). Everything goes through
the web server as a browser or an integration would: sign-up with the emailed confirmation
link (read from the file-based mailbox in ``$STACK_DIR/mail``), sign-in through allauth
forms, staff second factor (TOTP) on the allauth form, then the JSON API with the session
cookie and CSRF header. The match is computed by the matching worker, not by this script.
Exits non-zero at the first step that does not hold.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
import struct
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import requests

# Demo data only (ecosystem/demo/accounts.py): every demo staff account shares this secret.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
DEMO_PASSWORD = "KejinLink-demo-2026"
OFFICIAL = "official@demo.kejinlink.cn"
RM = "rm@demo.kejinlink.cn"
REGISTRY = "registry@demo.kejinlink.cn"
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TIMEOUT = 30


class SmokeFailure(Exception):
    pass


def step(message: str) -> None:
    print(f"[smoke {datetime.now():%H:%M:%S}] {message}", flush=True)


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise SmokeFailure(message)


def totp(secret: str, *, at: float | None = None) -> str:
    """RFC 6238 code (SHA-1, 6 digits, 30 s), as allauth's authenticator checks it."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def new_uscc() -> str:
    """A fresh, valid unified social credit code in Beijing (Zhongguancun's prefix)."""
    weights = [pow(3, i, 31) for i in range(17)]
    body = "91110108MA" + "".join(secrets.choice(USCC_ALPHABET) for _ in range(7))
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body, weights, strict=True))
    return body + USCC_ALPHABET[(31 - total % 31) % 31]


class Browser:
    """A requests session that fills Django's CSRF token like a browser form does."""

    def __init__(self, base_url: str, label: str) -> None:
        self.base = base_url.rstrip("/")
        self.label = label
        self.http = requests.Session()
        self.http.headers["Accept-Language"] = "en"

    def url(self, path: str) -> str:
        return path if path.startswith("http") else self.base + path

    def get(self, path: str, *, status: int = 200, **kwargs) -> requests.Response:
        response = self.http.get(self.url(path), timeout=TIMEOUT, **kwargs)
        self._check(response, "GET", path, status)
        return response

    def form(
        self, path: str, data: dict, *, status: int = 200, action: str = "", files=None
    ) -> requests.Response:
        """GET the page, then POST the form with its CSRF token (following redirects) to
        the page itself or to ``action``, with ``files`` as a browser's multipart upload."""
        page = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        expect(token is not None, f"{self.label}: no CSRF token in the form at {path}")
        response = self.http.post(
            self.url(action) if action else page.url,
            data={"csrfmiddlewaretoken": token.group(1), **data},
            files=files,
            headers={"Referer": page.url},
            timeout=TIMEOUT,
        )
        self._check(response, "POST", path, status)
        return response

    def api(self, method: str, path: str, *, status: int | tuple = 200, **kwargs):
        headers = {"X-CSRFToken": self.http.cookies.get("csrftoken", ""), "Referer": self.base}
        response = self.http.request(
            method, self.url(path), headers=headers, timeout=TIMEOUT, **kwargs
        )
        self._check(response, method, path, status)
        return response.json() if response.content else None

    def _check(self, response, method, path, status) -> None:
        allowed = status if isinstance(status, tuple) else (status,)
        if response.status_code not in allowed:
            raise SmokeFailure(
                f"{self.label}: {method} {path} answered {response.status_code}, "
                f"expected {allowed}: {response.text[:600]}"
            )

    def login(self, email: str, password: str, *, totp_secret: str | None = None) -> None:
        """Sign in through the allauth forms; staff then enter their TOTP code."""
        response = self.form("/accounts/login/", {"login": email, "password": password})
        if totp_secret:
            expect(
                "/accounts/2fa/authenticate" in response.url,
                f"{self.label}: staff sign-in did not ask for the second factor ({response.url})",
            )
            response = self.form("/accounts/2fa/authenticate/", {"code": totp(totp_secret)})
        expect("/accounts/login" not in response.url, f"{self.label}: sign-in failed")
        me = self.api("GET", "/api/v1/me/")
        expect(me.get("email") == email, f"{self.label}: /api/v1/me/ is {me.get('email')}")


def read_confirmation_link(mail_dir: Path, email: str, *, wait: float = 20) -> str:
    """The confirm-email link of the newest message to ``email`` in the file mailbox."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        for path in sorted(mail_dir.glob("*.log"), key=lambda p: p.stat().st_mtime, reverse=True):
            text = path.read_text(errors="replace")
            if email in text:
                # Quoted-printable soft line breaks ("=\n") may split the link.
                joined = text.replace("=\n", "")
                found = re.search(r"https?://[^\s\"<>]+/accounts/confirm-email/[^\s\"<>]+/", joined)
                if found:
                    return found.group(0)
        time.sleep(0.5)
    raise SmokeFailure(f"no confirmation email to {email} in {mail_dir}")


def wait_for(predicate, *, what: str, seconds: float = 90, every: float = 1.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise SmokeFailure(f"timed out after {seconds:.0f} s waiting for {what}")


def scenario(base_url: str, mail_dir: Path, base_url_2: str = "") -> dict:
    started = time.perf_counter()
    health = requests.get(f"{base_url}/healthz/", timeout=TIMEOUT)
    expect(health.status_code == 200 and health.text.strip() == "ok", "healthz is not ok")
    ready = requests.get(f"{base_url}/healthz/ready/", timeout=TIMEOUT)
    expect(
        ready.status_code == 200
        and ready.json() == {"database": "ok", "cache": "ok", "broker": "ok"},
        f"not ready: {ready.status_code} {ready.text[:200]}",
    )
    static = requests.get(f"{base_url}/", timeout=TIMEOUT)
    expect(static.status_code == 200, f"landing page answered {static.status_code}")
    css = re.search(r'href="(/static/[^"]+\.css)"', static.text)
    expect(css is not None, "landing page links no stylesheet")
    expect(
        requests.get(base_url + css.group(1), timeout=TIMEOUT).status_code == 200,
        f"static file {css.group(1)} is not served",
    )
    step(f"web up, static files served ({css.group(1)})")

    # 1. An enterprise signs up, confirms its email and signs in.
    firm = Browser(base_url, "enterprise")
    email = f"smoke-{secrets.token_hex(4)}@example.cn"
    password = "Smoke-" + secrets.token_urlsafe(12)
    firm.form("/accounts/signup/", {"email": email, "password1": password, "password2": password})
    link = read_confirmation_link(mail_dir, email)
    firm.form(link.replace(base_url, ""), {})
    firm.login(email, password)
    step(f"signed up {email}, confirmed by the emailed link, signed in")

    # 2. It registers its enterprise, its last year's figures and a qualification claim.
    this_year = date.today().year
    code = new_uscc()
    enterprise = firm.api(
        "POST",
        "/api/v1/enterprises/",
        status=201,
        json={
            "uscc": code,
            "name": f"冒烟测试科技有限公司{code[-4:]}",
            "zone": "zgc",
            "founded_on": (date.today() - timedelta(days=2 * 365)).isoformat(),
        },
    )
    ent = f"/api/v1/enterprises/{enterprise['id']}"
    year = firm.api(
        "POST",
        f"{ent}/financial-years/",
        status=201,
        json={
            "year": this_year - 1,
            "revenue": "6000000.00",
            "total_costs": "5400000.00",
            "total_assets": "7200000.00",
            "rd_expense": "1200000.00",
            "net_profit": "600000.00",
            "employees": 30,
            "rd_staff": 18,
            "ip_invention_patents": 2,
        },
    )
    claim = firm.api(
        "POST",
        f"{ent}/claims/",
        status=201,
        json={
            "program": "tsme",
            "certificate_number": f"SMOKE-{code[-6:]}",
            "year": this_year - 1,
            "valid_until": date(this_year + 2, 12, 31).isoformat(),
        },
    )
    evidence = firm.api(
        "POST",
        f"{ent}/claims/{claim['id']}/evidence/",
        status=201,
        files={"file": ("certificate.pdf", PDF, "application/pdf")},
    )
    if base_url_2:
        from deploy.smoke_hosts import other_host

        other_host(firm, base_url_2).evidence(
            f"{ent}/claims/{claim['id']}/evidence/{evidence['id']}/download/"
        )
    submitted = firm.api("POST", f"{ent}/claims/{claim['id']}/submit/", json={})
    expect(submitted["status"] == "submitted", f"claim is {submitted['status']}")
    step(f"enterprise {enterprise['id']} ({code}) registered; year and claim {claim['id']} sent")

    # 3. The registrant sends the licence and the letter of authorisation; the zone official
    # signs in (password + TOTP), confirms the identity, then verifies the figures and claim.
    firm.form(
        f"/enterprises/{enterprise['id']}/identity/",
        {"note": "smoke run"},
        files={
            "licence": ("营业执照.pdf", PDF, "application/pdf"),
            "letter": ("授权委托书.pdf", PDF, "application/pdf"),
        },
    )
    official = Browser(base_url, "zone official")
    official.login(OFFICIAL, DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
    official.form(
        f"/zones/identity/{enterprise['id']}/",
        {"decision": "confirm", "reason_code": "", "note": "licence and letter checked"},
        action=f"/zones/identity/{enterprise['id']}/decide/",
    )
    identity = firm.get(f"/enterprises/{enterprise['id']}/identity/")
    expect('data-identity="confirmed"' in identity.text, "the registrant's identity is unconfirmed")
    step("licence and letter sent; the zone official confirmed the registrant's identity")
    queue = official.get(f"/zones/queue/?q={code}")
    expect(code in queue.text, "the claim is not in the zone's review queue page")
    waiting = official.api("GET", f"/api/v1/zones/queue/?q={code}")
    waiting = waiting["results"] if isinstance(waiting, dict) else waiting
    kinds = {(item["kind"], item["year"]): item["id"] for item in waiting}
    expect(("claim", this_year - 1) in kinds, f"claim not in the zone queue API: {kinds}")
    year_id = kinds.get(("financial_year", year["year"]))
    expect(year_id is not None, f"figures not in the zone queue API: {kinds}")
    official.api(
        "POST", f"/api/v1/zones/years/{year_id}/verification/", json={"status": "verified"}
    )
    decided = official.api(
        "POST", f"/api/v1/zones/claims/{claim['id']}/decide/", json={"to": "verified"}
    )
    expect(decided["claim"]["status"] == "verified", f"claim is {decided['claim']['status']}")
    step("zone official signed in with TOTP, verified the figures and the claim")

    # 4. The matching worker computes the match; the enterprise sees it.
    def talent_loan_match():
        page = firm.api("GET", f"/api/v1/financing/matches/?enterprise={enterprise['id']}")
        rows = page["results"] if isinstance(page, dict) else page
        return next(
            (m for m in rows if m["own"] and (m["enterprise"] or {}).get("id") == enterprise["id"]),
            None,
        )

    match = wait_for(talent_loan_match, what="a match computed by the matching worker")
    worker_log = Path(os.environ["STACK_DIR"]) / "log" / "worker-matching.log"
    expect(
        "rematch_enterprise" in worker_log.read_text(errors="replace"),
        "the matching worker's log shows no rematch_enterprise task",
    )
    step(
        f"match {match['id']} ({match['product_name']}) computed by the worker, "
        f"indicative limit {match['indicative_limit']}"
    )

    # 5. The enterprise applies: a lead for the bank.
    lead = firm.api("POST", f"/api/v1/financing/matches/{match['id']}/apply/", status=201, json={})
    step(f"applied: lead {lead['id']} ({lead.get('status')})")

    # 6. The relationship manager signs in, claims the lead and makes an offer.
    rm = Browser(base_url, "relationship manager")
    rm.login(RM, DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
    rm.get("/financing/leads/?tab=unassigned")

    def in_feed():
        # The feed holds back rows changed in the last LEADS_FEED_SETTLE_SECONDS (2 s).
        feed = rm.api("GET", "/api/v1/financing/leads/?page_size=100")
        rows = feed["results"] if isinstance(feed, dict) else feed
        return any(r["id"] == lead["id"] for r in rows)

    wait_for(in_feed, what="the lead in the bank's feed", seconds=30)
    claimed = rm.api("POST", f"/api/v1/financing/leads/{lead['id']}/claim/", json={})
    expect(claimed["status"] == "assigned", f"claimed lead is {claimed['status']}")
    contacted = rm.api(
        "POST",
        f"/api/v1/financing/leads/{lead['id']}/transition/",
        json={"to": "contacted", "note": "called the founder (smoke run)"},
    )
    expect(contacted["status"] == "contacted", f"lead is {contacted['status']}")
    amount = match.get("indicative_limit") or "1000000.00"
    offer = rm.api(
        "POST",
        f"/api/v1/financing/leads/{lead['id']}/offers/",
        status=201,
        json={
            "amount": amount,
            "rate": "3.6500",
            "term_months": 12,
            "valid_until": (datetime.now(UTC) + timedelta(days=14)).isoformat(),
            "conditions": "smoke run",
        },
    )
    rm.get(f"/financing/leads/{lead['id']}/")
    step(f"RM signed in with TOTP, claimed the lead, contacted, offered {offer.get('amount')} yuan")

    # 7. The enterprise sees the offer, in the API and on its leads page.
    seen = firm.api("GET", f"/api/v1/financing/leads/{lead['id']}/")
    expect(seen["status"] == "offer_made", f"enterprise sees the lead as {seen['status']}")
    offers = seen.get("offers") or []
    expect(any(o["id"] == offer["id"] for o in offers), "enterprise does not see the offer")
    page = firm.get(f"/financing/enterprises/{enterprise['id']}/leads/")
    expect("3.65" in page.text, "the offer's rate is not on the enterprise's leads page")
    step("enterprise sees the offer (API and page)")
    if base_url_2:
        from deploy.smoke_hosts import list_through_two_hosts

        list_through_two_hosts(base_url, base_url_2)
    return {"seconds": round(time.perf_counter() - started, 1), "lead": lead["id"]}


def main() -> int:
    base_url = os.environ.get("BASE_URL", "").rstrip("/")
    stack_dir = os.environ.get("STACK_DIR", "")
    if not base_url or not stack_dir:
        print("BASE_URL and STACK_DIR must be set (run through deploy/stack.sh)", file=sys.stderr)
        return 2
    try:
        result = scenario(
            base_url, Path(stack_dir) / "mail", os.environ.get("BASE_URL_2", "").rstrip("/")
        )
    except (SmokeFailure, requests.RequestException, KeyError, ValueError) as exc:
        print(f"[smoke] FAILED: {exc}", file=sys.stderr)
        return 1
    print(f"[smoke] PASSED in {result['seconds']} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
