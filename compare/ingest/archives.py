"""A web page saved as one file (MHTML, Safari's .webarchive, an e-mail) -> the HTML of its page, or why there is none."""

from __future__ import annotations

import email
import email.errors
import email.header
import email.policy
import plistlib
import re
from email.message import Message
from typing import NamedTuple


class SavedPage(NamedTuple):
    """What a saved web page holds: the page's HTML (b"" when there is none), its address, or why not; an e-mail
    may hold plain text instead (``suffix`` ".txt"), and gives its subject and date."""

    html: bytes
    url: str | None = None
    problem: str | None = None
    suffix: str = ".html"
    title: str | None = None
    published: str | None = None


def archived_page(raw: bytes, suffix: str) -> SavedPage:
    """The page a browser saved as one file.

    Chrome and Edge save "Webpage, Single File" as MHTML (a MIME message: the page and each image, script and
    frame as a part); Safari saves a binary property list whose main resource is the page. The page's bytes
    are given in UTF-8 when the archive names their charset, else as saved; the address is the page's own
    (the outlet can be told from it), never fetched.
    """
    if suffix == ".webarchive":
        return _webarchive_page(raw)
    if suffix == ".eml":
        return _email_page(raw)
    return _mhtml_page(raw)


def _email_page(raw: bytes) -> SavedPage:
    """A newsletter saved as an e-mail (.eml): its HTML part, else its plain-text part, with its subject as the
    title and its date; attachments are not read."""
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    if not message.keys():
        return SavedPage(b"", problem="not an e-mail (.eml): it has no mail header (From, Subject, Date)")
    parts = [part for part in message.walk() if part.get_content_disposition() != "attachment"]
    for content_type, kind in (("text/html", ".html"), ("text/plain", ".txt")):
        part = next((part for part in parts if part.get_content_type() == content_type), None)
        if part is not None:
            html = _part_html(part)
            title, published = _header_text(message, "Subject"), _header_text(message, "Date")
            # A newsletter forwarded to a research inbox: its own date is in the forwarded header, not the mail's.
            top = _FORWARD_TAG_RE.sub("\n", html[:_FORWARD_SEARCH].decode("utf-8", "replace"))
            forwarded = _FORWARDED_DATE_RE.search(top)
            title = _FORWARD_PREFIX_RE.sub("", title) if title else title
            return SavedPage(html, suffix=kind, title=title, published=forwarded[1] if forwarded else published)
    return SavedPage(b"", problem="an e-mail (.eml) without a text or HTML part; nothing to read")


# "Fwd:", "FW:", "Re:" and other mail programs' prefixes (German WG, French TR, Spanish RV, Dutch Doorst) of a subject.
_FORWARD_PREFIX_RE = re.compile(r"^(?:\s*(?:fwd?|re|aw|wg|tr|rv|doorst|vs|sv|vb)\s*:\s*)+", re.IGNORECASE)
# The forwarded message's header that Gmail, Outlook, Apple Mail and Thunderbird write at the top of the body, and
# its date line (Outlook's "Sent:"), a few lines below.
_FORWARDED_DATE_RE = re.compile(
    r"(?:-{3,}[ \t]*(?:Forwarded message|Original Message|Weitergeleitete Nachricht|Message transf[ée]r[ée])"
    r"[ \t]*-{3,}|Begin forwarded message:)(?:\n[^\n]*){0,8}?\n[ \t>*]*(?:Date|Sent|Datum|Gesendet|Envoy[ée])[ \t]*:"
    r"[ \t*]*([^\n]{6,80})",
    re.IGNORECASE,
)
_FORWARD_TAG_RE = re.compile(r"<[^>]{0,500}>")  # an HTML part's tags: its lines are its <br> and blocks
_FORWARD_SEARCH = 20_000  # the forwarded header is at the top of the body


def _header_text(message: Message, name: str) -> str | None:
    """A mail header's text, its encoded words (``=?utf-8?q?Caf=C3=A9?=``) decoded, or None when it is absent.

    A word in a charset Python lacks (``=?x-mac-cyrillic?…?=``, made-up ones) is read as Latin-1, and bytes that are
    not in their charset are replaced: the whole newsletter was lost as "unexpected LookupError" for its subject.
    """
    value = message.get(name)
    if value is None:
        return None
    try:
        chunks = email.header.decode_header(value)
    except email.errors.HeaderParseError:
        return " ".join(str(value).split()) or None
    parts = []
    for chunk, charset in chunks:
        if isinstance(chunk, str):
            parts.append(chunk)
            continue
        try:
            parts.append(chunk.decode(charset or "ascii", errors="replace"))
        except LookupError:
            parts.append(chunk.decode("latin-1"))
    return " ".join("".join(parts).split()) or None


def _mhtml_page(raw: bytes) -> SavedPage:
    if b"multipart/related" not in raw[:4096].lower():
        return SavedPage(b"", problem="not a saved web page (MHTML): no MIME header naming multipart/related")
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            location = part.get("Content-Location") or message.get("Snapshot-Content-Location")
            return SavedPage(_part_html(part), web_address(location))
    return SavedPage(b"", problem="a saved web page (MHTML) without an HTML part; nothing to read")


def _part_html(part: Message) -> bytes:
    """The HTML of one MIME part, its transfer encoding (quoted-printable, base64) undone."""
    payload = part.get_payload(decode=True)
    return as_utf8(payload if isinstance(payload, bytes) else b"", part.get_content_charset())


def _webarchive_page(raw: bytes) -> SavedPage:
    try:
        archive = plistlib.loads(raw)
    except (plistlib.InvalidFileException, ValueError, TypeError, KeyError, IndexError, OverflowError) as error:
        return SavedPage(
            b"", problem=f"not a saved web page (.webarchive): it cannot be read as one ({type(error).__name__})"
        )
    main = archive.get("WebMainResource") if isinstance(archive, dict) else None
    html = main.get("WebResourceData") if isinstance(main, dict) else None
    if not isinstance(main, dict) or not isinstance(html, bytes):
        return SavedPage(b"", problem="a saved web page (.webarchive) without its page (no WebMainResource data)")
    return SavedPage(as_utf8(html, main.get("WebResourceTextEncodingName")), web_address(main.get("WebResourceURL")))


def as_utf8(html: bytes, charset: object) -> bytes:
    """The page's bytes in UTF-8 when the archive names their charset and they are in it (an archive says it
    for the page, which the page's own bytes need not: a Windows-1251 page would be guessed at); else as saved,
    for the usual decoding."""
    if not isinstance(charset, str) or not charset:
        return html
    try:
        return html.decode(charset).encode("utf-8")
    except (LookupError, UnicodeError, ValueError):
        return html


def web_address(location: object) -> str | None:
    """The page's address when it is an http(s) one (a saved page may name ``file:`` or ``cid:`` parts)."""
    if isinstance(location, str) and location.strip().lower().startswith(("http://", "https://")):
        return location.strip()
    return None
