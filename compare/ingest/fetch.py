"""Fetching one article page by URL without letting the URL reach this machine, its network or its files.

Every hop (the URL given and each redirect) is checked before any connection is made: the scheme
must be http or https, the address may carry no user name or password, the host name is resolved
once and every address it resolves to must be public, and the port must be 80 or 443. The
connection then goes to the very address that was checked (a second lookup could answer otherwise:
DNS rebinding), while the Host header and the TLS certificate check keep using the name.
"""

from __future__ import annotations

import http.client
import ipaddress
import logging
import os
import socket
import ssl
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlsplit

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
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.is_unspecified:
            return "is the unspecified address (it reaches this machine)"
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            reason = address_refusal(embedded, allow_private)
            return None if reason is None else f"carries the IPv4 address {embedded}, which {reason}"
    if ip in _THIS_NETWORK or ip.is_unspecified:
        return "is a 'this host' address (it reaches this machine)"
    if ip.is_loopback:
        return None if allow_private else "is a loopback address (this machine)"
    if ip.is_link_local:
        if str(ip).split("%")[0] == "169.254.169.254":
            return "is the link-local address of cloud metadata services"
        return "is a link-local address (cloud metadata services live here)"
    if ip.is_multicast:
        return "is a multicast address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local:
        return "is a site-local address (a private network)"
    if ip in _SHARED:
        return None if allow_private else "is a shared address (100.64.0.0/10, a carrier-grade NAT network)"
    if any(ip in network for network in _PRIVATE):
        return None if allow_private else "is a private-network address"
    if ip.is_reserved:
        return "is a reserved address"
    if not ip.is_global:
        return "is a special-purpose address, not a public one"
    return None


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped, 6to4, NAT64), which is what it reaches."""
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
    try:
        literal: Address | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is None:
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError as error:
            raise FetchRefusedError(f"refused: {host} is not a valid host name; {ONLY_PUBLIC}") from error
    addresses = (str(literal),) if literal is not None else tuple((resolve or resolve_host)(host, port))
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
    target = quote(parts.path or "/", safe="/%:@!$&'()*+,;=~") + (
        "?" + quote(parts.query, safe="/%:@!$&'()*+,;=~?") if parts.query else ""
    )
    return CheckedHop(url, scheme, host, port, addresses, target)


def fetch_page(
    url: str,
    *,
    allow_private: bool = False,
    timeout_s: float = TIMEOUT_S,
    max_bytes: int = MAX_PAGE_BYTES,
    max_redirects: int = MAX_REDIRECTS,
    resolve: Resolver | None = None,
    connect: Connector | None = None,
) -> bytes:
    """Downloads one public web page, checking the URL and every redirect before connecting.

    Args:
        url: an http(s) address.
        allow_private: also fetch from loopback and private networks, on any port (the CLI's
            ``--allow-private-urls``, for an intranet); never for the dashboard.
        timeout_s: for the whole fetch, redirects included.
        max_bytes: the page is cut here (as a file would be refused beyond it).
        max_redirects: redirects followed at most.
        resolve: host name -> addresses; ``resolve_host`` (the system resolver) by default.
        connect: (checked address, port, timeout) -> socket; ``open_connection`` by default. Tests
            pass (or patch in) their own, so that no test needs a public host.

    Returns:
        The page's bytes, at most ``max_bytes``.

    Raises:
        FetchRefusedError: the URL or a redirect is not a public http(s) page; the message says why
            and nothing was requested from it.
        InputError: the page cannot be fetched (offline, 404, too slow, ...).
    """
    resolve = resolve or resolve_host
    connect = connect or open_connection
    deadline = time.monotonic() + timeout_s
    current = url
    for hops in range(max_redirects + 1):
        where = url if hops == 0 else f"{url}: redirected to {current}"
        try:
            hop = check_url(current, allow_private, resolve)
        except FetchRefusedError as error:
            raise FetchRefusedError(f"{where}: {error}", error.private_only) from error
        except InputError as error:
            raise InputError(f"{where}: {error}") from error
        status, reason, location, body = _request(hop, deadline, max_bytes, connect, url, timeout_s)
        if status in _REDIRECTS:
            if not location:
                raise InputError(f"{url}: the server answered {status} {reason} without saying where to")
            current = urljoin(current, location)
            logger.info("%s redirects to %s", hop.url, current)
            continue
        if not 200 <= status < 300:
            raise InputError(f"{url}: the server answered {status} {reason}")
        return body
    raise InputError(f"{url}: more than {max_redirects} redirects; stopped following them")


def _request(
    hop: CheckedHop, deadline: float, max_bytes: int, connect: Connector, url: str, timeout_s: float
) -> tuple[int, str, str | None, bytes]:
    """One request to a checked hop: (status, reason, Location header, body; empty for a redirect)."""

    def remaining() -> float:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        return left

    def open_checked() -> socket.socket:
        failure: OSError | None = None
        for address in hop.addresses:  # every one was checked; try them in the resolver's order
            try:
                return connect(address, hop.port, remaining())
            except OSError as error:
                failure = error
        raise failure or OSError("no address to connect to")

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
            sock.settimeout(remaining())
        response = connection.getresponse()
        if response.status in _REDIRECTS:
            return response.status, response.reason, response.getheader("Location"), b""
        chunks: list[bytes] = []
        size = 0
        while size < max_bytes:
            if sock is not None:
                sock.settimeout(remaining())  # a page trickled byte by byte still ends at the deadline
            chunk = response.read1(min(65536, max_bytes - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return response.status, response.reason, None, b"".join(chunks)
    except TimeoutError as error:
        raise InputError(f"{url}: the page did not arrive within {timeout_s:.0f} s") from error
    except ssl.SSLError as error:
        raise InputError(f"{url}: no secure connection to {hop.host} ({error.reason or error})") from error
    except http.client.HTTPException as error:
        raise InputError(f"{url}: {hop.host} did not answer in HTTP ({type(error).__name__})") from error
    except OSError as error:
        reason = error.strerror or str(error)
        raise InputError(f"{url}: cannot fetch the page ({reason}); is this machine online?") from error
    finally:
        connection.close()


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
