"""Saved analyses in object storage (``s3://bucket/prefix``): a local working copy, fetched before and sent after.

DuckDB opens a database only from a local file, so a saved analysis in a bucket is read and written
through a folder on this machine (``working_folder``): ``fetch`` makes it equal to the bucket's
prefix (downloading only the objects that changed since the last fetch), ``publish`` makes the
prefix equal to the folder (uploading only the files that changed, the store file last, so that a
reader that fetches meanwhile finds the previous store whole with the files it names; then removing
the objects the folder no longer holds). Everything goes through pyarrow's filesystems.

Where the store is comes from the command line or the server's environment, never from a link.
Credentials are the standard AWS ones (``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``,
``AWS_SESSION_TOKEN``, ``~/.aws``); an S3-compatible server (MinIO, Ceph, ...) is named by
``PARALLAX_S3_ENDPOINT`` (or ``AWS_ENDPOINT_URL_S3`` / ``AWS_ENDPOINT_URL``, which pyarrow itself
does not read: apache/arrow#49643), e.g. ``http://127.0.0.1:9000``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

from compare.io.atomic import LOCK_NAME, TEMPORARY_SUFFIX, discard, make_folder, write_file
from compare.model.errors import InputError, OutputError, ParallaxError

REMOTE_SCHEMES = ("s3://",)
STORE_FILE = "analysis.duckdb"  # compare.io.tables.STORE_NAME: sent last, after the files it names
SYNCED_NAME = ".parallax-remote.json"  # what the folder and the bucket held at the last fetch or publish
_CHUNK = 8 * 1024 * 1024


def is_remote(location: str | Path) -> bool:
    """True when ``location`` names object storage (``s3://...``) rather than a local folder."""
    return isinstance(location, str) and location.lower().startswith(REMOTE_SCHEMES)


def working_folder(location: str) -> Path:
    """The local folder that stands for ``location``: under ``$PARALLAX_REMOTE_CACHE`` (default
    ``~/.cache/parallax/remote``), one folder per location."""
    root = Path(os.environ.get("PARALLAX_REMOTE_CACHE") or Path.home() / ".cache" / "parallax" / "remote")
    bucket = location.split("://", 1)[1].split("/", 1)[0]
    safe = "".join(character if character.isalnum() or character in "-_." else "_" for character in bucket)
    return root / f"{safe}-{hashlib.sha1(location.rstrip('/').encode('utf-8')).hexdigest()[:16]}"


def fetch(location: str, must_exist: bool = True) -> Path:
    """The saved analysis at ``location`` in its working folder, downloaded where it changed.

    Args:
        location: ``s3://bucket/prefix``.
        must_exist: raise when the prefix holds no saved analysis (else an empty folder is fine:
            the first ``analyze --out`` to it).

    Returns:
        The working folder.

    Raises:
        InputError: naming the location, for a missing bucket or analysis, refused credentials or an
            unreachable endpoint.
    """
    filesystem, base = object_store(location, InputError)
    folder = working_folder(location)
    make_folder(folder)
    remote = _listing(filesystem, base, location, InputError)
    if must_exist and STORE_FILE not in remote and "analysis.json" not in remote:
        raise InputError(f"{location}: no saved analysis here (run `python -m compare analyze ... --out {location}`)")
    synced = _synced(folder)
    for name in sorted(remote, key=lambda name: name == STORE_FILE):  # the store last, after what it names
        target = folder / name
        if synced.get(name, {}).get("remote") == remote[name] and _stat(target) == synced[name].get("local"):
            continue
        _download(filesystem, f"{base}/{name}", target, location)
    for path in _local_files(folder):
        if path not in remote:
            discard(folder / path)
    _record(folder, remote)
    return folder


def _download(filesystem: Any, key: str, target: Path, location: str) -> None:
    """One object to ``target``, whole or not at all (a local reader never sees half a file)."""

    def copy(handle: Any) -> None:
        try:
            with filesystem.open_input_stream(key) as source:
                shutil.copyfileobj(source, handle, _CHUNK)
        except OSError as error:  # the object store's, not the local file's (write_file names that one)
            raise remote_error(InputError, location, error) from error

    write_file(target, copy)


def publish(folder: Path, location: str, keep: tuple[str, ...] = ()) -> None:
    """Makes ``location`` hold what ``folder`` holds: changed files uploaded (the store file last), then
    the objects the folder no longer has removed; objects under the prefixes ``keep`` (e.g. ``shards/``,
    which the Ray engine's workers write there themselves) are left as they are.

    Raises:
        OutputError: naming the location, for a missing bucket, refused credentials or an unreachable endpoint.
    """
    filesystem, base = object_store(location, OutputError)
    remote = _listing(filesystem, base, location, OutputError)
    synced = _synced(folder)
    local = [name for name in _local_files(folder) if not name.startswith(keep or ("\0",))]
    for name in sorted(local, key=lambda name: name == STORE_FILE):
        entry = synced.get(name, {})
        if (
            remote.get(name) is not None
            and entry.get("remote") == remote[name]
            and entry.get("local") == _stat(folder / name)
        ):
            continue
        try:
            with open(folder / name, "rb") as source, filesystem.open_output_stream(f"{base}/{name}") as target:
                shutil.copyfileobj(source, target, _CHUNK)
        except OSError as error:
            raise remote_error(OutputError, location, error) from error
    try:
        for name in remote:
            if name not in local and not name.startswith(keep or ("\0",)):
                filesystem.delete_file(f"{base}/{name}")
    except OSError as error:
        raise remote_error(OutputError, location, error) from error
    _record(folder, _listing(filesystem, base, location, OutputError))


def check_writable(location: str) -> None:
    """Fails early, naming ``location``, when its bucket is missing, the credentials refused or the endpoint
    unreachable (before a long run whose workers would fail later)."""
    filesystem, base = object_store(location)
    _listing(filesystem, base, location, OutputError)


def remove_objects(location: str) -> None:
    """Deletes every object under ``location`` (an earlier run's shards); nothing there is fine."""
    filesystem, base = object_store(location)
    try:
        filesystem.delete_dir_contents(base, missing_dir_ok=True)
    except OSError as error:
        raise remote_error(OutputError, location, error) from error


def clear_folder(folder: Path) -> None:
    """Empties a working folder (but its lock) before a run that writes everything anew."""
    for path in folder.iterdir() if folder.is_dir() else ():
        if path.name != LOCK_NAME:
            discard(path)


def publish_file(path: Path, location: str, name: str) -> None:
    """Uploads one file (an export beside the store) to ``location/name``."""
    filesystem, base = object_store(location, OutputError)
    try:
        with open(path, "rb") as source, filesystem.open_output_stream(f"{base}/{name}") as target:
            shutil.copyfileobj(source, target, _CHUNK)
    except OSError as error:
        raise remote_error(OutputError, location, error) from error


# ---------------------------------------------------------------- the object store


def object_store(location: str, kind: type[ParallaxError] = OutputError) -> tuple[Any, str]:
    """(pyarrow filesystem, ``bucket/key``) of an ``s3://`` location, configured from the environment."""
    from pyarrow import fs

    path = location.split("://", 1)[1].strip("/")
    if not path or path.startswith("/"):
        raise kind(f"{location}: name a bucket, e.g. s3://bucket/analysis")
    endpoint = (
        os.environ.get("PARALLAX_S3_ENDPOINT")
        or os.environ.get("AWS_ENDPOINT_URL_S3")
        or os.environ.get("AWS_ENDPOINT_URL")
    )
    options: dict[str, Any] = {
        "region": os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1",
        "connect_timeout": 5,
        "request_timeout": 60,
        "retry_strategy": fs.AwsStandardS3RetryStrategy(max_attempts=3),
    }
    if endpoint:
        scheme, _, address = endpoint.rpartition("://")
        options["endpoint_override"] = address.rstrip("/")
        options["scheme"] = scheme or "https"
    try:
        return fs.S3FileSystem(**options), path
    except (OSError, ValueError) as error:
        raise kind(f"{location}: cannot use the object store ({error})") from error


def _listing(filesystem: Any, base: str, location: str, kind: type[ParallaxError]) -> dict[str, list[int]]:
    """Every object under ``base`` (relative name -> [size, modified ns])."""
    from pyarrow import fs

    bucket = base.split("/", 1)[0]
    try:
        found = filesystem.get_file_info(fs.FileSelector(base, recursive=True, allow_not_found=True))
        if not found and filesystem.get_file_info(bucket).type == fs.FileType.NotFound:  # pyarrow lists none
            raise kind(f"{location}: the bucket {bucket!r} does not exist; create it first")
    except OSError as error:
        raise remote_error(kind, location, error) from error
    return {
        info.path[len(base) + 1 :]: [int(info.size or 0), int(info.mtime_ns or 0)]
        for info in found
        if info.type == fs.FileType.File and _kept(info.path[len(base) + 1 :])
    }


def remote_error(kind: type[ParallaxError], location: str, error: OSError) -> ParallaxError:
    """The error a user can act on, from pyarrow's (AWS SDK) message."""
    text = str(error)
    bucket = location.split("://", 1)[1].split("/", 1)[0]
    if "NO_SUCH_BUCKET" in text or "NoSuchBucket" in text:
        return kind(f"{location}: the bucket {bucket!r} does not exist; create it first")
    if (
        any(
            word in text
            for word in (
                "ACCESS_DENIED",
                "InvalidAccessKeyId",
                "SignatureDoesNotMatch",
                "INVALID_ACCESS_KEY",
                "Forbidden",
            )
        )
        or "HTTP response code: 403" in text
    ):
        return kind(
            f"{location}: the object store refused these credentials (set AWS_ACCESS_KEY_ID and"
            f" AWS_SECRET_ACCESS_KEY for a user who may read and write {bucket!r})"
        )
    if "NETWORK_CONNECTION" in text or "curlCode" in text or "Could not connect" in text:
        endpoint = os.environ.get("PARALLAX_S3_ENDPOINT") or "the AWS endpoint"
        return kind(
            f"{location}: cannot reach the object store at {endpoint} (check PARALLAX_S3_ENDPOINT and the network)"
        )
    return kind(f"{location}: {text.splitlines()[0] if text else type(error).__name__}")


# ---------------------------------------------------------------- the working folder


def _kept(name: str) -> bool:
    """A file that belongs to the saved analysis (not a lock, a writer's temporary file or this module's record),
    named so that it stays inside the working folder (a key such as ``../x`` in a shared bucket is ignored)."""
    parts = name.split("/")
    base = parts[-1]
    if any(part in ("", ".", "..") for part in parts) or "\\" in name:
        return False
    return base not in (LOCK_NAME, SYNCED_NAME) and TEMPORARY_SUFFIX not in base and not base.endswith(".wal")


def _local_files(folder: Path) -> list[str]:
    return sorted(
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if path.is_file() and _kept(path.relative_to(folder).as_posix())
    )


def _stat(path: Path) -> list[int] | None:
    try:
        found = path.stat()
    except OSError:
        return None
    return [found.st_size, found.st_mtime_ns]


def _synced(folder: Path) -> dict[str, dict[str, Any]]:
    try:
        found = json.loads((folder / SYNCED_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _record(folder: Path, remote: dict[str, list[int]]) -> None:
    """Remembers which local file matches which object, so that the next fetch or publish sends only changes."""
    entries = {name: {"remote": remote[name], "local": _stat(folder / name)} for name in remote}
    write_file(folder / SYNCED_NAME, json.dumps(entries).encode("utf-8"))
