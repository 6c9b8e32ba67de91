"""Fetching one article page by URL without letting the URL reach this machine, its network or its files.

Every hop (the URL given and each redirect) is checked before any connection is made: the scheme
must be http or https, the address may carry no user name or password, the host name is resolved
once and every address it resolves to must be public, and the port must be 80 or 443. The
connection then goes to the very address that was checked (a second lookup could answer otherwise:
DNS rebinding), while the Host header and the TLS certificate check keep using the name.
"""

from __future__ import annotations

import functools
import http.client
import ipaddress
import logging
import os
import socket
import ssl
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import SplitResult, quote, urljoin, urlsplit

from compare.ingest.formats import MAX_PAGE_BYTES
from compare.model.errors import InputError

logger = logging.getLogger(__name__)

TIMEOUT_S = 15.0  # for the whole fetch, redirects included
MAX_REDIRECTS = 5
PUBLIC_PORTS = (80, 443)
USER_AGENT = "Parallax/0.1 (+news comparison)"
ONLY_PUBLIC = "Parallax only fetches public http(s) pages"
_REDIRECTS = {301, 302, 303, 307, 308}

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Sequence[str]]
Connector = Callable[[str, int, float], socket.socket]

# Networks named in refusals; the rest of what is not globally routable is "special-purpose".
_THIS_NETWORK = ipaddress.ip_network("0.0.0.0/8")  # connecting to 0.0.0.0 reaches this machine on Linux
_SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT: the provider's private network
_PRIVATE = tuple(
    ipaddress.ip_network(network) for network in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # an IPv4 address reached through a NAT64 gateway
_METADATA = ipaddress.ip_address("169.254.169.254")  # cloud metadata services (AWS, GCP, Azure, ...)
_SITE_LOCAL = ipaddress.ip_network("fec0::/10")  # deprecated, but still a private network where used


# (applies, reason, allowed for an intranet): the first rule that applies decides. In order: "::"
# before "this host", the metadata address before the rest of link-local, "special-purpose" last.
_ADDRESS_RULES: tuple[tuple[Callable[[Address], bool], str, bool], ...] = (
    (lambda ip: ip.version == 6 and ip.is_unspecified, "is the unspecified address (it reaches this machine)", False),
    (lambda ip: ip in _THIS_NETWORK or ip.is_unspecified, "is a 'this host' address (it reaches this machine)", False),
    (lambda ip: ip.is_loopback, "is a loopback address (this machine)", True),
    (lambda ip: ip == _METADATA, "is the link-local address of cloud metadata services", False),
    (lambda ip: ip.is_link_local, "is a link-local address (cloud metadata services live here)", False),
    (lambda ip: ip.is_multicast, "is a multicast address", False),
    (lambda ip: ip in _SITE_LOCAL, "is a site-local address (a private network)", False),
    (lambda ip: ip in _SHARED, "is a shared address (100.64.0.0/10, a carrier-grade NAT network)", True),
    (lambda ip: any(ip in network for network in _PRIVATE), "is a private-network address", True),
    (lambda ip: ip.is_reserved, "is a reserved address", False),
    (lambda ip: not ip.is_global, "is a special-purpose address, not a public one", False),
)


class FetchRefusedError(InputError):
    """A URL (or a redirect) that Parallax will not fetch; nothing was requested from it.

    ``private_only`` is true when the only objection is that the address is on a private network
    or loopback (or on another port than 80 and 443): the CLI can allow that for an intranet.
    """

    def __init__(self, message: str, private_only: bool = False) -> None:
        super().__init__(message)
        self.private_only = private_only


@dataclass(frozen=True)
class CheckedHop:
    """One checked request: where to connect and what to ask for."""

    url: str
    scheme: str
    host: str  # as sent in the Host header and checked against the certificate
    port: int
    addresses: tuple[str, ...]  # every address the host resolved to, all of them checked
    target: str  # path and query


def private_urls_allowed() -> bool:
    """``$PARALLAX_ALLOW_PRIVATE_URLS=1`` (set by the CLI's ``--allow-private-urls``): intranet pages may be read."""
    return os.environ.get("PARALLAX_ALLOW_PRIVATE_URLS", "").strip().lower() in {"1", "on", "true", "yes"}


def dashboard_url_fetch_enabled() -> bool:
    """``$PARALLAX_URL_FETCH=on`` shows the dashboard's URL box; off (anything else) by default.

    Off by default because the dashboard is made to be shared: a hosting service (Streamlit
    Community Cloud) runs it without any environment of ours, and a dashboard that fetches URLs for
    anyone on the internet lends out its server's network, however well it checks addresses.
    """
    return os.environ.get("PARALLAX_URL_FETCH", "").strip().lower() in {"1", "on", "true", "yes"}


def address_refusal(address: str | Address, allow_private: bool = False) -> str | None:
    """Why Parallax will not connect to an IP address, or None when it may.

    Args:
        address: an IPv4 or IPv6 address (a scope such as ``%eth0`` is allowed).
        allow_private: also allow loopback, private-network (RFC 1918, unique local) and shared
            (carrier-grade NAT) addresses, for an intranet. Link-local (cloud metadata), multicast,
            reserved and unspecified addresses are refused regardless.

    Returns:
        A phrase to follow the address, e.g. "is a loopback address"; None when it may be fetched.
    """
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    embedded = _embedded_ipv4(ip)
    if embedded is not None:  # judged by the IPv4 address it reaches, and by nothing else
        reason = address_refusal(embedded, allow_private)
        return None if reason is None else f"carries the IPv4 address {embedded}, which {reason}"
    for applies, reason, intranet in _ADDRESS_RULES:
        if applies(ip):
            return None if intranet and allow_private else reason
    return None


def _embedded_ipv4(ip: Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped, 6to4, NAT64), which is what it reaches."""
    if isinstance(ip, ipaddress.IPv4Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def resolve_host(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (IP literals, decimal and octal forms included), in the system's order."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise InputError(f"cannot resolve the host {host} ({reason}); is this machine online?") from error
    return list(dict.fromkeys(str(entry[4][0]) for entry in found))


def open_connection(address: str, port: int, timeout_s: float) -> socket.socket:
    """A TCP connection to one checked IP address (never to a name, which could resolve differently now)."""
    return socket.create_connection((address, port), timeout=timeout_s)


def check_url(url: str, allow_private: bool = False, resolve: Resolver | None = None) -> CheckedHop:
    """The request for ``url`` after every check, or ``FetchRefusedError`` saying why not. Connects nowhere.

    Args:
        url: the address to fetch.
        allow_private: also allow loopback and private networks, on any port (see ``address_refusal``).
        resolve: host name -> addresses; the system resolver by default.
    """
    parts = urlsplit(url.strip())
    scheme, host, port = _scheme_host_port(parts)
    try:
        literal: Address | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is None:
        host = _ascii_host_name(host)
        addresses = tuple((resolve or resolve_host)(host, port))
    else:
        addresses = (str(literal),)
    if not addresses:
        raise InputError(f"cannot resolve the host {host}; is this machine online?")
    for address in addresses:
        reason = address_refusal(address, allow_private)
        if reason is not None:
            named = f"{address} {reason}" if literal is not None else f"{host} resolves to {address}, which {reason}"
            private_only = address_refusal(address, allow_private=True) is None
            raise FetchRefusedError(f"refused: {named}; {ONLY_PUBLIC}", private_only)
    if port not in PUBLIC_PORTS and not allow_private:
        # The server's own public address is public too: ports other than the web's could reach its
        # other services (databases, admin pages) or someone else's non-web service.
        raise FetchRefusedError(f"refused: port {port}; {ONLY_PUBLIC} on the web's ports 80 and 443", private_only=True)
    return CheckedHop(url, scheme, host, port, addresses, _request_target(parts))


def _scheme_host_port(parts: SplitResult) -> tuple[str, str, int]:
    """http or https, the host as written, and the port (the scheme's own when none is given)."""
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"}:
        shown = f"{scheme}: addresses are" if scheme else "an address without http:// or https:// is"
        raise FetchRefusedError(f"refused: {shown} not fetched; {ONLY_PUBLIC}")
    if "@" in parts.netloc:
        # http://news.example@127.0.0.1/ reads as news.example to people and as 127.0.0.1 to software.
        raise FetchRefusedError(f"refused: the address has a user name or password before the host; {ONLY_PUBLIC}")
    host = parts.hostname or ""
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError as error:
        raise FetchRefusedError(f"refused: the port is not a number from 1 to 65535; {ONLY_PUBLIC}") from error
    if not host:
        raise FetchRefusedError(f"refused: the address names no host; {ONLY_PUBLIC}")
    return scheme, host, port


def _ascii_host_name(host: str) -> str:
    """A host name as the resolver and the Host header take it (IDNA for non-ASCII names)."""
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError as error:
        raise FetchRefusedError(f"refused: {host} is not a valid host name; {ONLY_PUBLIC}") from error


def _request_target(parts: SplitResult) -> str:
    """The path and query as sent, percent-encoded where the URL was not; the fragment is never sent."""
    target = quote(parts.path or "/", safe="/%:@!$&'()*+,;=~")
    return target + ("?" + quote(parts.query, safe="/%:@!$&'()*+,;=~?") if parts.query else "")


@dataclass(frozen=True)
class Network:
    """How ``fetch_page`` looks names up and connects (None: this module's function); tests pass stubs."""

    resolve: Resolver | None = None  # host name -> addresses; ``resolve_host`` (the system resolver)
    connect: Connector | None = None  # (checked address, port, timeout) -> socket; ``open_connection``


SYSTEM_NETWORK = Network()


def fetch_page(
    url: str,
    *,
    allow_private: bool = False,
    timeout_s: float = TIMEOUT_S,
    max_bytes: int = MAX_PAGE_BYTES,
    max_redirects: int = MAX_REDIRECTS,
    network: Network = SYSTEM_NETWORK,
) -> bytes:
    """Downloads one public web page, checking the URL and every redirect before connecting.

    Args:
        url: an http(s) address.
        allow_private: also fetch from loopback and private networks, on any port (the CLI's
            ``--allow-private-urls``, for an intranet); never for the dashboard.
        timeout_s: for the whole fetch, redirects included.
        max_bytes: the page is cut here (as a file would be refused beyond it).
        max_redirects: redirects followed at most.
        network: the resolver and connector; the system's by default. Tests pass (or patch in)
            their own, so that no test needs a public host.

    Returns:
        The page's bytes, at most ``max_bytes``.

    Raises:
        FetchRefusedError: the URL or a redirect is not a public http(s) page; the message says why
            and nothing was requested from it.
        InputError: the page cannot be fetched (offline, 404, too slow, ...).
    """
    resolve = network.resolve or resolve_host
    connect = network.connect or open_connection
    deadline = _Deadline(time.monotonic() + timeout_s, timeout_s)
    current = url
    for hops in range(max_redirects + 1):
        where = url if hops == 0 else f"{url}: redirected to {current}"
        try:
            hop = check_url(current, allow_private, resolve)
        except FetchRefusedError as error:
            raise FetchRefusedError(f"{where}: {error}", error.private_only) from error
        except InputError as error:
            raise InputError(f"{where}: {error}") from error
        answer = _request(hop, url, deadline, max_bytes, connect)
        if answer.status in _REDIRECTS:
            if not answer.location:
                raise InputError(f"{url}: the server answered {answer.status} {answer.reason} without saying where to")
            current = urljoin(current, answer.location)
            logger.info("%s redirects to %s", hop.url, current)
            continue
        if not 200 <= answer.status < 300:
            raise InputError(f"{url}: the server answered {answer.status} {answer.reason}")
        return answer.body
    raise InputError(f"{url}: more than {max_redirects} redirects; stopped following them")


@dataclass(frozen=True)
class _Deadline:
    """The end of the whole fetch: every connection and every read gets only the time left."""

    at: float  # time.monotonic()
    timeout_s: float  # the whole allowance, as named in the error

    def remaining(self) -> float:
        left = self.at - time.monotonic()
        if left <= 0:
            raise TimeoutError
        return left


class _Answer(NamedTuple):
    status: int
    reason: str
    location: str | None  # the Location header of a redirect
    body: bytes  # empty for a redirect


def _request(hop: CheckedHop, url: str, deadline: _Deadline, max_bytes: int, connect: Connector) -> _Answer:
    """One GET to a checked hop; failures become ``InputError`` naming ``url`` (the URL given)."""
    open_checked = functools.partial(_open_checked, hop, connect, deadline)
    connection = (
        _PinnedTLSConnection(hop.host, hop.port, open_checked)
        if hop.scheme == "https"
        else _PinnedConnection(hop.host, hop.port, open_checked)
    )
    try:
        connection.putrequest("GET", hop.target, skip_accept_encoding=True)
        connection.putheader("User-Agent", USER_AGENT)
        connection.putheader("Accept", "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5")
        connection.putheader("Connection", "close")
        connection.endheaders()
        sock = connection.sock  # kept: http.client lets go of it once the response says "Connection: close"
        if sock is not None:
            sock.settimeout(deadline.remaining())
        response = connection.getresponse()
        if response.status in _REDIRECTS:
            return _Answer(response.status, response.reason, response.getheader("Location"), b"")
        return _Answer(response.status, response.reason, None, _read_body(response, sock, deadline, max_bytes))
    except (OSError, http.client.HTTPException) as error:
        raise _fetch_failure(error, url, hop.host, deadline.timeout_s) from error
    finally:
        connection.close()


def _open_checked(hop: CheckedHop, connect: Connector, deadline: _Deadline) -> socket.socket:
    """A connection to the first of the hop's addresses that answers (every one was checked), in the resolver's order."""
    failure: OSError | None = None
    for address in hop.addresses:
        try:
            return connect(address, hop.port, deadline.remaining())
        except OSError as error:  # the time running out too (TimeoutError)
            failure = error
    raise failure or OSError("no address to connect to")


def _read_body(
    response: http.client.HTTPResponse, sock: socket.socket | None, deadline: _Deadline, max_bytes: int
) -> bytes:
    """The body up to ``max_bytes``, by the deadline."""
    chunks: list[bytes] = []
    size = 0
    while size < max_bytes:
        if sock is not None:
            sock.settimeout(deadline.remaining())  # a page trickled byte by byte still ends at the deadline
        chunk = response.read1(min(65536, max_bytes - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _fetch_failure(error: OSError | http.client.HTTPException, url: str, host: str, timeout_s: float) -> InputError:
    """What went wrong, for a person: too slow, no TLS, not HTTP, or no connection."""
    if isinstance(error, TimeoutError):
        return InputError(f"{url}: the page did not arrive within {timeout_s:.0f} s")
    if isinstance(error, ssl.SSLError):
        return InputError(f"{url}: no secure connection to {host} ({error.reason or error})")
    if isinstance(error, http.client.HTTPException):
        return InputError(f"{url}: {host} did not answer in HTTP ({type(error).__name__})")
    reason = error.strerror or str(error)
    return InputError(f"{url}: cannot fetch the page ({reason}); is this machine online?")


class _PinnedConnection(http.client.HTTPConnection):
    """HTTP to an address checked beforehand; the host name is only sent, never looked up again."""

    def __init__(self, host: str, port: int, open_socket: Callable[[], socket.socket]) -> None:
        super().__init__(host, port)
        self._open_socket = open_socket

    def connect(self) -> None:
        self.sock = self._open_socket()


class _PinnedTLSConnection(http.client.HTTPSConnection):
    """HTTPS to an address checked beforehand; SNI and the certificate check use the host name."""

    def __init__(self, host: str, port: int, open_socket: Callable[[], socket.socket]) -> None:
        self._tls = ssl.create_default_context()
        super().__init__(host, port, context=self._tls)
        self._open_socket = open_socket

    def connect(self) -> None:
        self.sock = self._tls.wrap_socket(self._open_socket(), server_hostname=self.host)
