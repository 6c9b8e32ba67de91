"""The URL fetcher refuses what is not a public http(s) page, at every hop, before connecting anywhere.

No test here leaves the machine: `no_outside_connections` makes any connection beyond loopback and
any name lookup fail loudly, names are resolved by stub resolvers, and the one "public" host
(news.example -> 93.184.216.34) is served by a loopback server through a stub connector.
"""

from __future__ import annotations

import socket
import time

import pytest

from compare.ingest.fetch import FetchRefusedError, Network, address_refusal, check_url, fetch_page
from compare.model.errors import InputError

from .conftest import RecordingServer

PUBLIC_IP = "93.184.216.34"
NAMES = {
    "news.example": [PUBLIC_IP],
    "intranet.example": ["10.0.0.5"],
    "metadata.example": ["169.254.169.254"],
    "mixed.example": [PUBLIC_IP, "10.0.0.5"],
    "v6.example": ["2606:4700::1111", "fd00::7"],
}

pytestmark = pytest.mark.usefixtures("no_outside_connections")


def stub_resolve(host: str, port: int) -> list[str]:
    if host not in NAMES:
        raise AssertionError(f"unexpected lookup of {host}")
    return NAMES[host]


def public_host(server: RecordingServer, connected: list[tuple[str, int]] | None = None):  # type: ignore[no-untyped-def]
    """A connector that serves news.example's public address from ``server`` and refuses anything else."""

    def connect(address: str, port: int, timeout_s: float) -> socket.socket:
        if connected is not None:
            connected.append((address, port))
        if (address, port) != (PUBLIC_IP, 80):
            raise AssertionError(f"the fetcher connected to {address}:{port}")
        return socket.create_connection(("127.0.0.1", server.port), timeout=timeout_s)

    return connect


def never_connect(address: str, port: int, timeout_s: float) -> socket.socket:
    raise AssertionError(f"the fetcher connected to {address}:{port}")


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("127.255.0.9", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "IPv4 address 127.0.0.1, which is a loopback"),
        ("0.0.0.0", "this host"),
        ("0.1.2.3", "this host"),
        ("::", "unspecified"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("172.31.255.254", "private"),
        ("192.168.1.1", "private"),
        ("fd00::1", "private"),
        ("fc00::1", "private"),
        ("::ffff:10.0.0.1", "IPv4 address 10.0.0.1, which is a private"),
        ("2002:c0a8:101::1", "IPv4 address 192.168.1.1"),  # 6to4 around a private address
        ("64:ff9b::a00:1", "IPv4 address 10.0.0.1"),  # NAT64 around a private address
        ("169.254.169.254", "cloud metadata"),
        ("169.254.1.1", "link-local"),
        ("fe80::1", "link-local"),
        ("::ffff:169.254.169.254", "cloud metadata"),
        ("100.64.0.1", "shared"),
        ("100.127.255.254", "shared"),
        ("224.0.0.1", "multicast"),
        ("239.255.255.250", "multicast"),
        ("ff02::1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "reserved"),
        ("fec0::1", "site-local"),
        ("192.0.2.1", "special-purpose"),  # documentation
        ("198.18.0.1", "special-purpose"),  # benchmarking
        ("2001:db8::1", "special-purpose"),
        ("2001::1", "special-purpose"),  # Teredo
        ("93.184.216.34", None),
        ("8.8.8.8", None),
        ("2606:4700::1111", None),
        ("::ffff:8.8.8.8", None),
        ("64:ff9b::808:808", None),  # a public address through NAT64 (an IPv6-only host)
    ],
)
def test_address_policy(address, reason):
    refusal = address_refusal(address)
    if reason is None:
        assert refusal is None
    else:
        assert refusal is not None and reason in refusal


@pytest.mark.parametrize(
    ("address", "allowed"),
    [("127.0.0.1", True), ("10.0.0.1", True), ("fd00::1", True), ("100.64.0.1", True),
     ("169.254.169.254", False), ("fe80::1", False), ("224.0.0.1", False), ("0.0.0.0", False), ("240.0.0.1", False)],
)  # fmt: skip
def test_allowing_private_networks_still_refuses_metadata_multicast_and_reserved(address, allowed):
    assert (address_refusal(address, allow_private=True) is None) is allowed


@pytest.mark.parametrize(
    "url",
    ["http://2130706433/", "http://0177.0.0.1/", "http://0x7f.1/", "http://127.1/", "http://[::ffff:7f00:1]/",
     "HTTP://127.0.0.1/", "http://127.0.0.1:80/"],
)  # fmt: skip
def test_other_spellings_of_loopback_are_resolved_then_refused(url):
    with pytest.raises(FetchRefusedError, match="loopback"):
        fetch_page(url, network=Network(connect=never_connect))


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///etc/passwd", "file: addresses are not fetched"),
        ("FILE:///etc/passwd", "file: addresses are not fetched"),
        ("file://localhost/etc/passwd", "file: addresses are not fetched"),
        ("data:text/html,<p>hello</p>", "data: addresses are not fetched"),
        ("ftp://93.184.216.34/a.html", "ftp: addresses are not fetched"),
        ("gopher://93.184.216.34/", "gopher: addresses are not fetched"),
        ("javascript:alert(1)", "javascript: addresses are not fetched"),
        ("/etc/passwd", "without http:// or https://"),
        ("http://news.example@127.0.0.1/", "user name or password"),
        ("http://user:pass@93.184.216.34/", "user name or password"),
        ("http:///etc/passwd", "names no host"),
        ("http://93.184.216.34:8080/", "port 8080"),
        ("http://93.184.216.34:22/", "port 22"),
        ("http://93.184.216.34:99999/", "port is not a number"),
        ("http://169.254.169.254/latest/meta-data/", "cloud metadata"),
        ("http://[fd00::1]/", "private"),
        ("http://intranet.example/", "intranet.example resolves to 10.0.0.5, which is a private"),
        ("http://metadata.example/", "cloud metadata"),
        ("http://mixed.example/", "resolves to 10.0.0.5"),  # one bad address refuses the host
        ("http://v6.example/", "resolves to fd00::7"),
    ],
)
def test_refusals_say_why_before_connecting(url, reason):
    with pytest.raises(FetchRefusedError) as refused:
        fetch_page(url, network=Network(resolve=stub_resolve, connect=never_connect))
    message = str(refused.value)
    assert reason in message
    assert message.startswith(url) and "Parallax only fetches public http(s) pages" in message


def test_a_refused_loopback_url_is_never_requested(recorder):
    with pytest.raises(FetchRefusedError, match="127.0.0.1 is a loopback address"):
        fetch_page(recorder.url("/secret"))
    with pytest.raises(FetchRefusedError, match="loopback"):
        fetch_page(f"http://[::ffff:127.0.0.1]:{recorder.port}/secret")
    with pytest.raises(FetchRefusedError, match="loopback"):
        fetch_page(f"http://2130706433:{recorder.port}/secret")
    assert recorder.requests == []


def test_a_public_page_is_fetched_through_redirects_with_its_host_name(recorder):
    recorder.redirect("/old", "/moved")
    recorder.redirect("/moved", "http://news.example/story.html?id=1", 301)
    connected: list[tuple[str, int]] = []
    page = fetch_page(
        "http://news.example/old", network=Network(resolve=stub_resolve, connect=public_host(recorder, connected))
    )
    assert b"Loopback Daily" in page
    assert recorder.requests == ["/old", "/moved", "/story.html?id=1"]
    assert connected == [(PUBLIC_IP, 80)] * 3


@pytest.mark.parametrize(
    ("location", "reason"),
    [
        ("file:///etc/passwd", "file: addresses are not fetched"),
        ("data:text/html,<p>hello</p>", "data: addresses are not fetched"),
        ("ftp://93.184.216.34/", "ftp: addresses are not fetched"),
        ("http://127.0.0.1:{other}/secret", "127.0.0.1 is a loopback address"),
        ("http://[::1]:{other}/secret", "loopback"),
        ("http://10.0.0.5/", "10.0.0.5 is a private-network address"),
        ("http://192.168.0.1/admin", "private"),
        ("http://169.254.169.254/latest/meta-data/", "cloud metadata"),
        ("http://[fe80::1]/", "link-local"),
        ("http://[::ffff:10.0.0.1]/", "private"),
        ("http://intranet.example/", "intranet.example resolves to 10.0.0.5"),
        ("http://news.example:8080/", "port 8080"),
        ("http://news.example@127.0.0.1/", "user name or password"),
    ],
)
def test_a_redirect_chain_is_refused_at_the_bad_hop(recorder, location, reason):
    with RecordingServer() as other:
        recorder.redirect("/first", "/second")
        recorder.redirect("/second", location.format(other=other.port))
        connected: list[tuple[str, int]] = []
        with pytest.raises(FetchRefusedError) as refused:
            fetch_page(
                "http://news.example/first",
                network=Network(resolve=stub_resolve, connect=public_host(recorder, connected)),
            )
        assert other.requests == []
    message = str(refused.value)
    assert reason in message and "redirected to" in message, message
    assert recorder.requests == ["/first", "/second"]
    assert connected == [(PUBLIC_IP, 80)] * 2


def test_redirects_are_bounded(recorder):
    recorder.redirect("/loop", "/loop")
    with pytest.raises(InputError, match="more than 5 redirects"):
        fetch_page("http://news.example/loop", network=Network(resolve=stub_resolve, connect=public_host(recorder)))
    assert len(recorder.requests) == 6  # the page and five redirects


def test_the_connection_goes_to_the_address_that_was_checked(recorder):
    """DNS rebinding: a name that resolves to a public address for the check and to loopback a moment later."""
    answers = iter([[PUBLIC_IP], ["127.0.0.1"]])
    lookups: list[str] = []

    def rebinding(host: str, port: int) -> list[str]:
        lookups.append(host)
        return next(answers)

    connected: list[tuple[str, int]] = []
    fetch_page("http://rebind.example/", network=Network(resolve=rebinding, connect=public_host(recorder, connected)))
    assert lookups == ["rebind.example"] and connected == [(PUBLIC_IP, 80)]


def test_the_host_header_names_the_host_not_the_address(recorder):
    fetch_page("http://news.example/", network=Network(resolve=stub_resolve, connect=public_host(recorder)))
    assert recorder.host_headers == ["news.example"]


def test_size_and_time_are_bounded():
    with RecordingServer({"/big": (200, {}, b"x" * 50_000)}) as server:
        assert len(fetch_page(server.url("/big"), allow_private=True, max_bytes=1000)) == 1000
    import http.server
    import threading

    class Slow(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            for _ in range(100):  # a byte every 0.3 s: each read is quick, the whole page is not
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.3)

        def log_message(self, *args: object) -> None:
            pass

    slow = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    slow.daemon_threads = True
    threading.Thread(target=slow.serve_forever, daemon=True).start()
    started = time.monotonic()
    try:
        with pytest.raises(InputError, match="did not arrive within 2 s"):
            fetch_page(f"http://127.0.0.1:{slow.server_address[1]}/", allow_private=True, timeout_s=2)
    finally:
        slow.shutdown()
        slow.server_close()
    assert time.monotonic() - started < 4


def test_http_errors_are_named(recorder):
    recorder.routes["/gone"] = (404, {}, b"not here")
    with pytest.raises(InputError, match="answered 404"):
        fetch_page(recorder.url("/gone"), allow_private=True)


def test_allowing_private_networks_reads_loopback_on_any_port_but_not_files(recorder):
    assert b"Loopback Daily" in fetch_page(recorder.url("/article.html"), allow_private=True)
    for url in ("file:///etc/passwd", "http://169.254.169.254/", "http://0.0.0.0/"):
        with pytest.raises(FetchRefusedError):
            fetch_page(url, allow_private=True, network=Network(connect=never_connect))


def test_check_url_keeps_the_host_for_the_request_and_quotes_the_path():
    hop = check_url("https://news.example/a b/é?q=a b#part", resolve=stub_resolve)
    assert (hop.host, hop.port, hop.addresses) == ("news.example", 443, (PUBLIC_IP,))
    assert hop.target == "/a%20b/%C3%A9?q=a%20b"


def test_load_corpus_reports_a_refused_url_as_a_problem(recorder, monkeypatch):
    from compare.ingest import load_corpus

    monkeypatch.delenv("PARALLAX_ALLOW_PRIVATE_URLS", raising=False)
    corpus = load_corpus([recorder.url("/x.html"), "http://169.254.169.254/latest/meta-data/"])
    assert not corpus.articles
    loopback, metadata = corpus.problems
    assert "refused: 127.0.0.1 is a loopback address" in loopback.message
    assert "--allow-private-urls" in loopback.message  # an intranet user can allow it
    assert "cloud metadata" in metadata.message and "--allow-private-urls" not in metadata.message
    assert recorder.requests == []
    monkeypatch.setenv("PARALLAX_ALLOW_PRIVATE_URLS", "1")
    corpus = load_corpus([recorder.url("/x.html")])
    assert [article.title for article in corpus.articles] == [
        "Loopback Daily: the page a refused fetch must never read"
    ]
