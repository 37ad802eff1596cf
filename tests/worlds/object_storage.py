"""An S3-compatible object store on loopback (moto in server mode) for the storage tests."""

from __future__ import annotations

import socket
from contextlib import contextmanager

BUCKET = "kejinlink-private"
KEYS = {"access_key": "test-access", "secret_key": "test-secret"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def s3_server():
    """A running moto S3 server; yields its endpoint URL."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def client(endpoint: str):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"],
    )


def storages_for(endpoint: str, base: dict, prefix: str) -> dict:
    """``STORAGES`` with the private backend on the store at ``endpoint`` (settings' rule)."""
    from portal.settings import private_storage_from_url

    private = private_storage_from_url(
        f"s3://{BUCKET}/{prefix}?endpoint_url={endpoint}&region_name=us-east-1"
    )
    private["OPTIONS"].update(KEYS)
    return {**base, "private": private}


def keys(endpoint: str, prefix: str) -> list[str]:
    listing = client(endpoint).list_objects_v2(Bucket=BUCKET, Prefix=prefix)
    return sorted(item["Key"] for item in listing.get("Contents", []))
