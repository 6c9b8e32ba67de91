"""`analyze --out s3://...` against `--out FOLDER` on BASIL: what writing to object storage adds.

Usage:
    python bench/remote_store.py [--corpus PATH] [--rounds 2] [--engine local|ray] [--store FILE]

An S3-compatible server (moto's, in this process) listens on loopback; each round runs the CLI twice in new
processes, once to a new local folder and once to a new s3:// prefix, alternately, and prints both wall
times, their ratio, the bytes the bucket then holds and the load average. With the local engine a warm-up
run fills the embedding cache (``--store``) first, so that the rounds time reading, clustering, framing and
saving rather than the models; the Ray engine uses no cache (each run segments and embeds).
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from shared_corpora import BASIL_ARTICLES

ROOT = Path(__file__).resolve().parent.parent
BASIL = BASIL_ARTICLES


def run(corpus: str, out: str, engine: str, store: str, environment: dict[str, str]) -> float:
    command = [sys.executable, "-m", "compare", "analyze", corpus, "--out", out, "--engine", engine, "--quiet"]
    command += ["--store", store] if engine == "local" else ["--workers", "2"]
    start = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT, env=environment, capture_output=True)
    return time.perf_counter() - start


def bucket_bytes(location: str, environment: dict[str, str]) -> int:
    os.environ.update(environment)
    sys.path.insert(0, str(ROOT))
    from pyarrow import fs

    from compare.io.remote import object_store

    filesystem, base = object_store(location)
    return sum(info.size or 0 for info in filesystem.get_file_info(fs.FileSelector(base, recursive=True)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(BASIL))
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--engine", choices=["local", "ray"], default="local")
    parser.add_argument("--store", default=None, help="embedding cache (default: a new one, warmed first)")
    arguments = parser.parse_args()

    from moto.server import ThreadedMotoServer
    from pyarrow import fs

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    work = Path(tempfile.mkdtemp(prefix="parallax-remote-bench-"))
    environment = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench-secret",
        "AWS_DEFAULT_REGION": "us-east-1",
        "PARALLAX_S3_ENDPOINT": f"http://{host}:{port}",
        "PARALLAX_REMOTE_CACHE": str(work / "cache"),
    }
    bucket = f"bench-{secrets.token_hex(4)}"
    fs.S3FileSystem(endpoint_override=f"{host}:{port}", scheme="http", allow_bucket_creation=True).create_dir(bucket)
    store = arguments.store or str(work / "store.sqlite3")
    try:
        if arguments.engine == "local":
            warm = run(arguments.corpus, str(work / "warm"), "local", store, environment)
            print(f"warm-up (fills the cache): {warm:.1f} s", flush=True)
        for number in range(arguments.rounds):
            local = run(arguments.corpus, str(work / f"local-{number}"), arguments.engine, store, environment)
            location = f"s3://{bucket}/run-{number}"
            remote = run(arguments.corpus, location, arguments.engine, store, environment)
            size = bucket_bytes(location, environment)
            print(
                f"round {number}: folder {local:.1f} s, s3 {remote:.1f} s, ratio {remote / local:.2f}, "
                f"{size / 1e6:.1f} MB in the bucket, load {os.getloadavg()[0]:.1f}",
                flush=True,
            )
    finally:
        server.stop()


if __name__ == "__main__":
    main()
