"""The outlet registry: display names, aliases, domains, country and ownership type."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlparse

from compare.ingest.datafiles import DataFileKind, read_data_file

DEFAULT_REGISTRY = Path(__file__).parent.parent / "data" / "outlets.csv"
REGISTRY_FILE = DataFileKind(
    "outlet registry",
    ("name", "aliases", "domains", "country", "type"),
    "name",
    "leave it out (--outlets, PARALLAX_OUTLETS)",
)


@dataclass(frozen=True)
class Outlet:
    """One outlet as the registry describes it."""

    name: str
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    country: str = "unknown"
    type: str = "unknown"


def _normalise(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.lower()).strip()


def _strip_www(host: str) -> str:
    host = host.lower().strip().strip(".")
    return host[4:] if host.startswith("www.") else host


# A domain in a line, from the start of its run of name characters only: tried from every character of a run, the
# pattern's backtracking was quadratic (a 200,000-character word, one .txt upload of 200 KB, took 60 s; round 16).
_DOMAIN_RE = re.compile(r"(?<![\w.-])[\w.-]+\.[a-z]{2,}(?:\.[a-z]{2,})?")


class OutletRegistry:
    """Looks outlets up by name, alias or web domain."""

    def __init__(self, outlets: list[Outlet]) -> None:
        self.outlets = outlets
        self._by_alias: dict[str, Outlet] = {}
        self._by_domain: dict[str, Outlet] = {}
        for outlet in outlets:
            for alias in (outlet.name, *outlet.aliases):
                self._by_alias.setdefault(_normalise(alias), outlet)
            for domain in outlet.domains:
                self._by_domain.setdefault(_strip_www(domain), outlet)

    @classmethod
    def from_csv(cls, path: str | Path) -> OutletRegistry:
        """Reads a registry CSV with columns name, aliases, domains, country, type.

        Args:
            path: the CSV file; aliases and domains are separated by ``;``.

        Returns:
            The registry (rows that cannot be used are left out: ``registry_notes`` names them).

        Raises:
            InputError: the file cannot be read, or has no ``name`` column.
        """
        outlets = [
            Outlet(
                name=row["name"],
                aliases=_split(row.get("aliases")),
                domains=_split(row.get("domains")),
                country=row.get("country") or "unknown",
                type=row.get("type") or "unknown",
            )
            for _, row in read_data_file(path, REGISTRY_FILE).rows
        ]
        return cls(outlets)

    def by_name(self, name: str) -> Outlet | None:
        """The outlet whose name or alias is ``name`` (case and punctuation ignored)."""
        return self._by_alias.get(_normalise(name))

    def by_domain(self, url_or_host: str) -> Outlet | None:
        """The outlet whose domain (or a parent domain) matches a URL or host name."""
        host = urlparse(url_or_host).hostname if "//" in url_or_host else url_or_host
        if not host:
            return None
        parts = _strip_www(host).split(".")
        for first in range(len(parts) - 1):
            outlet = self._by_domain.get(".".join(parts[first:]))
            if outlet:
                return outlet
        return None

    def find_in_line(self, line: str) -> Outlet | None:
        """The outlet a short masthead or byline line names, by domain or whole alias."""
        for token in _DOMAIN_RE.findall(line.lower()):
            outlet = self.by_domain(token)
            if outlet:
                return outlet
        stripped = line.strip()
        if len(stripped) <= 60:
            return self.by_name(stripped)
        return None

    def canonical(self, name: str) -> str:
        """The display name for ``name``, or ``name`` itself when it is not registered."""
        outlet = self.by_name(name) or self.by_domain(name)
        return outlet.name if outlet else name.strip()

    def describe(self, name: str) -> Outlet:
        """The registry entry for ``name``, or a bare entry when it is not registered."""
        return self.by_name(name) or Outlet(name=name)


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (cell or "").split(";") if part.strip())


def user_registry_path(path: str | None = None) -> str | None:
    """The user registry a run reads on top of the bundled one: ``path``, else ``$PARALLAX_OUTLETS``, else none."""
    return path or os.environ.get("PARALLAX_OUTLETS") or None


def load_registry(path: str | None = None) -> OutletRegistry:
    """The registry at ``path``, ``$PARALLAX_OUTLETS``, or the bundled one (cached per file and version).

    A user registry is read on top of the bundled one, so it only needs the outlets it adds
    or changes.
    """
    user_path = user_registry_path(path)
    try:
        status = os.stat(user_path) if user_path else None
    except OSError:
        status = None  # from_csv says why it cannot be read
    return _load_registry(user_path, (status.st_mtime_ns, status.st_size) if status else None)


@lru_cache(maxsize=8)
def _load_registry(user_path: str | None, version: tuple[int, int] | None) -> OutletRegistry:
    bundled = OutletRegistry.from_csv(DEFAULT_REGISTRY)
    if not user_path:
        return bundled
    user = OutletRegistry.from_csv(user_path)
    return OutletRegistry(user.outlets + bundled.outlets)


def registry_notes(path: str | None = None) -> tuple[str, ...]:
    """What cannot be used in the user registry (``path``, else ``$PARALLAX_OUTLETS``), by file and line.

    Raises:
        InputError: the file cannot be read at all.
    """
    user_path = user_registry_path(path)
    return read_data_file(user_path, REGISTRY_FILE).notes if user_path else ()


def registry_fingerprint(path: str | None = None) -> dict[str, str | None]:
    """Which registry a run reads: the user file (absolute) and a hash of the bundled and user contents,
    so that a saved run can tell whether the outlets it named would be named alike now."""
    user_path = user_registry_path(path)
    digest = hashlib.sha256(DEFAULT_REGISTRY.read_bytes())
    if user_path:
        try:
            digest.update(Path(user_path).read_bytes())
        except OSError as error:  # load_registry reports it; the fingerprint only has to differ
            digest.update(repr(error).encode())
    return {"file": str(Path(user_path).resolve()) if user_path else None, "sha256": digest.hexdigest()}
