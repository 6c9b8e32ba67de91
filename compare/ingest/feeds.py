"""A news feed (RSS 2.0, RSS 1.0 or Atom: a site's feed, Google Alerts', a feed reader's saved copy) -> one row an item.

A feed that carries each article whole (WordPress' ``content:encoded``, Atom's ``content``) is a corpus of its own;
one that carries only summaries gives items too short to be articles, each named. The XML is parsed by lxml with no
entity expanded, no DTD loaded and nothing fetched: a feed is untrusted text.
"""

from __future__ import annotations

import urllib.parse
from typing import Any

from compare.ingest.fields import markup_text
from compare.ingest.rows import Rows

# An item's text, best first: the whole article (RSS's content:encoded, Atom's content), then its summary.
_TEXT_NAMES = ("encoded", "content", "description", "summary")
_DATE_NAMES = ("pubDate", "published", "date", "updated", "issued", "modified")
NOT_A_FEED = "not a news feed (RSS or Atom): its root element is <{root}>; {hint}"


def feed_rows(raw: bytes) -> Rows:
    """The items of a feed as rows (title, url, published, outlet, text), or why the file is not a feed."""
    import lxml.etree  # only when a feed is read

    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, recover=False)
    try:
        root = lxml.etree.fromstring(raw, parser)
    except lxml.etree.XMLSyntaxError as error:
        yield 0, None, f"not valid XML, so not a feed that can be read ({str(error).splitlines()[0][:200]})"
        return
    kind = _local(root)
    if kind == "rss":
        channel = _child(root, "channel")
        items = _children(channel, "item") if channel is not None else []
    elif kind == "RDF":  # RSS 1.0: the items are beside the channel
        channel = _child(root, "channel")
        items = _children(root, "item")
    elif kind == "feed":  # Atom
        channel = root
        items = _children(root, "entry")
    else:
        hint = "an XML export of another kind; give its articles as JSON or CSV"
        yield 0, None, NOT_A_FEED.format(root=kind, hint=hint)
        return
    outlet = _text(_child(channel, "title")) if channel is not None else None
    home = _host(_link(channel)) if channel is not None else None
    if not items:
        yield 0, None, "the feed holds no items, so no article"
        return
    rows = [_item_row(item, outlet, home) for item in items]
    summaries = sum(1 for row in rows if row.pop(_SUMMARY_ONLY, False))
    if summaries:
        # said once for the file: each such item is also named too short, which alone read as a damaged feed
        yield (
            0,
            None,
            _SUMMARIES.format(count=f"{summaries:,} of its {len(rows):,}" if summaries < len(rows) else "all"),
        )
    for number, row in enumerate(rows, start=1):
        yield number, row, None


def _item_row(item: Any, outlet: str | None, home: str | None) -> dict[str, Any]:
    """One item's fields as a table's row: its text freed of the markup a feed wraps it in. The feed's title is its
    outlet when the item is on the feed's own site (``home``), not when the feed gathers other sites' (a Google
    Alert, a reader's folder)."""
    row: dict[str, Any] = {"title": _text(_child(item, "title")), "url": _link(item)}
    if home and _host(row["url"]) not in {None, home}:
        outlet = None
    row["published"] = next((_text(found) for name in _DATE_NAMES if (found := _child(item, name)) is not None), None)
    # An item names its own outlet (Google News' and aggregators' <source>, dc:publisher) before the feed's title.
    source = _child(item, "source")
    named = (_text(_child(source, "title")) or _text(source)) if source is not None else None
    row["outlet"] = named or _text(_child(item, "publisher")) or outlet
    body = next((found for name in _TEXT_NAMES if (found := _child(item, name)) is not None and _content(found)), None)
    row["text"] = _plain(_content(body)) if body is not None else None
    text = str(row["text"] or "")
    # a summary's element, or a snippet cut with an ellipsis (Google Alerts' content: "… peace negotiations ...")
    summary = body is None or _local(body) in {"description", "summary"} or text.rstrip().endswith(_CUT_MARKS)
    row[_SUMMARY_ONLY] = summary and len(text.split()) < _SUMMARY_WORDS
    return {key: value for key, value in row.items() if value}


_SUMMARY_ONLY = "\0summary"  # a mark on a row, never a feed's field name
_SUMMARY_WORDS = 100
_CUT_MARKS = ("...", "…", "[…]", "[...]")
_SUMMARIES = (
    "{count} items give only a summary or a snippet, not the article (a feed that carries articles whole has them "
    "in content:encoded or Atom's content): their pages are the articles; give the pages, saved or by their links"
)


def _content(element: Any) -> str:
    """An element's text; Atom's XHTML content (elements, not escaped text) serialised as markup."""
    import lxml.etree

    if element.get("type") == "xhtml" and len(element):
        return "".join(lxml.etree.tostring(child, encoding="unicode", with_tail=True) for child in element)
    return element.text or ""


def _plain(text: str) -> str:
    """The words of an item's text: its HTML markup read as text (a paragraph a block), plain text as it is."""
    unmarked = markup_text(text)
    if unmarked is not None:
        return unmarked
    if "<" not in text:
        return text.strip()
    import lxml.html

    try:
        return str(lxml.html.fragment_fromstring(text, create_parent="div").text_content()).strip()
    except (ValueError, lxml.etree.LxmlError):
        return text.strip()


def _link(item: Any) -> str | None:
    """The item's address: RSS's <link> text, Atom's <link href> (its "alternate" link first)."""
    links = _children(item, "link")
    for link in sorted(links, key=lambda link: link.get("rel", "alternate") != "alternate"):
        address = link.get("href") or _text(link)
        if address:
            return _redirected(address)
    return None


def _host(address: str | None) -> str | None:
    host = urllib.parse.urlsplit(address).hostname if address else None
    return host.removeprefix("www.") if host else None


def _redirected(address: str) -> str:
    """The article's own address behind a redirect a feed links through (Google Alerts' google.com/url?url=…), by
    which the outlet is told; any other address as it is."""
    parsed = urllib.parse.urlsplit(address)
    if parsed.hostname in {"www.google.com", "google.com"} and parsed.path == "/url":
        target = urllib.parse.parse_qs(parsed.query).get("url") or urllib.parse.parse_qs(parsed.query).get("q")
        if target and target[0].startswith(("http://", "https://")):
            return target[0]
    return address


def _local(element: Any) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element: Any, name: str) -> list[Any]:
    return [child for child in element if _local(child) == name]


def _child(element: Any, name: str) -> Any:
    return next((child for child in element if _local(child) == name), None)


def _text(element: Any) -> str | None:
    if element is None or not isinstance(element.tag, str):
        return None
    text = " ".join("".join(element.itertext()).split())
    return text or None
