"""A real S3 HTTP endpoint on loopback (moto's standalone server), for the S3 avatar tests.

The service talks to it over HTTP exactly as it would to S3: nothing in the client is
patched. moto keeps objects in memory and implements SSE headers, listing and deletes.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from scripts.localdb import free_port

BUCKET = "users-service-avatars"
PREFIX = "avatars/"

# moto accepts any credentials; these only have to be present for the client to sign.
TEST_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "users-service-test",
    "AWS_SECRET_ACCESS_KEY": "users-service-test-secret",
    "AWS_REGION": "us-east-1",
}


@dataclass(frozen=True)
class S3Server:
    """A running S3-compatible endpoint."""

    endpoint_url: str


@contextlib.contextmanager
def running_s3(log_path: Path) -> Iterator[S3Server]:
    """Start `moto.server` on a free loopback port; stop it afterwards."""
    port = free_port()
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120  # a cap against a hung start
        while True:
            try:
                httpx.get(url, timeout=1)
                break
            except httpx.TransportError as exc:
                if process.poll() is not None or time.monotonic() > deadline:
                    log = log_path.read_text()[-2000:]
                    raise RuntimeError(f"moto did not start: {log}") from exc
                time.sleep(0.1)
        yield S3Server(endpoint_url=url)
    finally:
        process.terminate()
        process.wait(timeout=60)


def create_bucket(server: S3Server, bucket: str) -> None:
    """Create a bucket (the service never creates one: Terraform does in production)."""
    import boto3

    boto3.client("s3", endpoint_url=server.endpoint_url, region_name="us-east-1").create_bucket(
        Bucket=bucket
    )


def object_keys(server: S3Server, bucket: str, prefix: str = "") -> list[str]:
    """Every key in the bucket under `prefix`."""
    import boto3

    client = boto3.client("s3", endpoint_url=server.endpoint_url, region_name="us-east-1")
    listed = client.list_objects_v2(Bucket=bucket, Prefix=prefix)
    return [item["Key"] for item in listed.get("Contents", [])]


def object_encryption(server: S3Server, bucket: str, key: str) -> str | None:
    """The server-side encryption S3 reports for an object."""
    import boto3

    client = boto3.client("s3", endpoint_url=server.endpoint_url, region_name="us-east-1")
    head = client.head_object(Bucket=bucket, Key=key)
    return head.get("ServerSideEncryption")
