"""The smoke's steps for many hosts (``STACK_STORAGE=s3``, ``make prod-smoke-hosts``): the
same session on the second web server, evidence read back there, and a list uploaded through
one web server, read and imported by the imports worker, confirmed through the other."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from deploy.smoke import (
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    PDF,
    REGISTRY,
    Browser,
    expect,
    new_uscc,
    step,
    wait_for,
)


class OtherHost:
    """The same signed-in session, talking to the second web server (STACK_STORAGE=s3)."""

    def __init__(self, browser: Browser, base_url_2: str) -> None:
        self.browser = Browser(base_url_2, f"{browser.label} on the second web server")
        self.browser.http = browser.http  # one session: the cookie works on both servers

    def evidence(self, path: str) -> None:
        body = self.browser.get(path).content
        expect(body == PDF, "the evidence read on the second web server differs from the upload")
        step("evidence uploaded through one web server, downloaded through the other")


def other_host(browser: Browser, base_url_2: str) -> OtherHost:
    return OtherHost(browser, base_url_2)


def list_through_two_hosts(base_url: str, base_url_2: str) -> None:
    """A list uploaded through one web server is read and imported by the imports worker and
    followed and confirmed through the other: the file lives in the shared object store."""
    officer = Browser(base_url, "registry officer")
    officer.login(REGISTRY, DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
    codes = [new_uscc() for _ in range(60)]
    body = "统一社会信用代码,企业名称\n" + "".join(
        f"{code},冒烟名单企业{i}\n" for i, code in enumerate(codes)
    )
    batch = f"冒烟批次{secrets.token_hex(3)}"
    job = officer.api(
        "POST",
        "/api/v1/list-imports/",
        status=201,
        data={"program": "tsme", "batch": batch},
        files={"file": ("名单.csv", body.encode("gb18030"), "text/csv")},
    )
    expect(job["status"] == "analysing", f"a list above the inline size is {job['status']}")
    there = other_host(officer, base_url_2).browser
    path = f"/api/v1/list-imports/{job['id']}/"

    def status_is(*wanted):
        def check():
            seen = there.api("GET", path)
            expect(seen["status"] != "failed", f"the import failed: {seen}")
            return seen if seen["status"] in wanted else None

        return check

    wait_for(status_is("preview"), what="the list read by the imports worker", seconds=60)
    there.api("POST", f"{path}confirm/", json={})
    done = wait_for(status_is("succeeded"), what="the list imported by the worker", seconds=60)
    expect(done["inserted"] == len(codes), f"imported {done['inserted']} of {len(codes)} rows")
    worker_log = Path(os.environ["STACK_DIR"]) / "log" / "worker-imports.log"
    expect(
        "read_list_import" in worker_log.read_text(errors="replace"),
        "the imports worker's log shows no read_list_import task",
    )
    step(
        f"list of {len(codes)} rows uploaded through one web server, read and imported by the "
        "worker, confirmed through the other"
    )
