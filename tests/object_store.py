"""An S3-compatible server on loopback for the tests (moto's, in this process), and a bucket on it."""

from __future__ import annotations

import secrets

import pytest


@pytest.fixture(scope="module")
def s3_endpoint():
    """moto's S3 server on 127.0.0.1 (a free port), stopped after the module."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_bucket(s3_endpoint, monkeypatch, tmp_path) -> str:
    """A new bucket on the loopback server, with the environment a Parallax process needs to reach it."""
    from pyarrow import fs

    environment = {
        "AWS_ACCESS_KEY_ID": "parallax-test",
        "AWS_SECRET_ACCESS_KEY": "parallax-test-secret",
        "AWS_DEFAULT_REGION": "us-east-1",
        "PARALLAX_S3_ENDPOINT": s3_endpoint,
        "PARALLAX_REMOTE_CACHE": str(tmp_path / "remote-cache"),
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    bucket = f"parallax-{secrets.token_hex(4)}"
    fs.S3FileSystem(
        endpoint_override=s3_endpoint.split("://", 1)[1], scheme="http", region="us-east-1", allow_bucket_creation=True
    ).create_dir(bucket)
    return bucket
