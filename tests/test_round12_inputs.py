"""Round 12: web pages as the wild saves them (a date only in the text, MHTML and .webarchive files, "complete"
saved pages with their resource folders), written by the test from the seeds."""

from __future__ import annotations

import base64
import html
import json
import plistlib
import quopri
import textwrap

from compare.ingest import load_bytes, load_corpus
from tests.conftest import SEEDS

TEXTS = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
# China Daily's report: its text mentions "since October 2022", and it has no date of its own.
PARAGRAPHS = "".join(f"<p>{html.escape(part)}</p>" for part in TEXTS[0].split("\n\n")[4:] if part.strip())


def _page(head: str = "", before: str = "", body: str = PARAGRAPHS) -> str:
    return f"<html><head><title>Defence chiefs talk</title>{head}</head><body><article>{before}{body}</article></body></html>"


def _problems(corpus) -> list[tuple[str, str]]:
    return [(problem.source.rsplit("/", 1)[-1], problem.message) for problem in corpus.problems]


def test_a_year_in_an_html_pages_text_is_not_its_date():
    """Before: the page was dated 2022-01-01, htmldate's reading of "since October 2022" in its text (the same
    text as a .txt page was undated), so it was put in time beside 2022's reports."""
    assert "since October 2022" in TEXTS[0]
    (article,) = load_bytes(_page().encode(), "page.html").articles
    assert article.published is None
    (article,) = load_bytes(TEXTS[0].encode(), "page.txt").articles
    assert article.published is None  # as a text page, the same


def test_an_html_pages_own_date_is_still_read_from_its_markup_or_its_text():
    dated = {
        "a meta tag": _page(head='<meta property="article:published_time" content="2024-03-27T10:00:00Z">'),
        "a time element": _page(before='<time datetime="2024-03-27">March 27</time>'),
        "a line of its text": _page(before="<p>Published 27 March 2024</p>"),
        "JSON-LD": _page(
            head='<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2024-03-27"}</script>'
        ),
    }
    for how, page in dated.items():
        (article,) = load_bytes(page.encode(), "page.html").articles
        assert article.published == "2024-03-27", how


def _mhtml(page: str, charset: str, location: str) -> bytes:
    """A page as Chrome saves "Webpage, Single File": a MIME message, the page quoted-printable, an image beside it."""
    quoted = quopri.encodestring(page.encode(charset)).decode("ascii")
    return (
        "From: <Saved by Blink>\r\n"
        f"Snapshot-Content-Location: {location}\r\n"
        "Subject: Defence chiefs talk\r\n"
        "Date: Wed, 3 Apr 2024 10:00:00 -0000\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/related;\r\n\ttype="text/html";\r\n\tboundary="----MultipartBoundary--abc----"\r\n\r\n'
        "------MultipartBoundary--abc----\r\n"
        f"Content-Type: text/html\r\nContent-ID: <frame-1@mhtml.blink>\r\nContent-Transfer-Encoding: quoted-printable\r\n"
        f"Content-Location: {location}\r\n\r\n{quoted}\r\n"
        "------MultipartBoundary--abc----\r\n"
        "Content-Type: image/png\r\nContent-Transfer-Encoding: base64\r\nContent-Location: https://img.example/a.png\r\n\r\n"
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==\r\n"
        "------MultipartBoundary--abc------\r\n"
    ).encode("ascii")


def test_a_page_saved_as_mhtml_or_webarchive_is_read_as_its_page(tmp_path):
    """Before: "unsupported file type .mhtml" (.mht, .webarchive): the one file a browser saves a page as, with
    its images inside, could not be given at all."""
    page = _page(body=PARAGRAPHS.replace("Lecornu", "Lécornu", 1))
    (tmp_path / "talk.mhtml").write_bytes(_mhtml(page, "utf-8", "https://www.reuters.com/world/talk/"))
    (tmp_path / "talk-old.mht").write_bytes(
        _mhtml(page.replace("Shoigu", "Shoygu"), "windows-1252", "https://www.bbc.co.uk/news/x")
    )
    resource = {
        "WebResourceData": page.replace("Shoigu", "Choïgou").encode("utf-16"),
        "WebResourceTextEncodingName": "UTF-16",
    }
    archive = {"WebMainResource": {**resource, "WebResourceURL": "https://apnews.com/article/x"}, "WebSubresources": []}
    (tmp_path / "talk.webarchive").write_bytes(plistlib.dumps(archive, fmt=plistlib.FMT_BINARY))
    corpus = load_corpus([tmp_path])
    articles = {article.id: article for article in corpus.articles}
    assert len(corpus.articles) == 3, _problems(corpus)
    by_url = {article.url: article for article in corpus.articles}
    assert {url: article.outlet for url, article in by_url.items()} == {
        "https://www.reuters.com/world/talk/": "Reuters",
        "https://www.bbc.co.uk/news/x": "BBC News",
        "https://apnews.com/article/x": "Associated Press",
    }
    assert "Lécornu" in by_url["https://www.bbc.co.uk/news/x"].text  # Windows-1252, as the archive names it
    assert "Choïgou" in by_url["https://apnews.com/article/x"].text
    assert all(article.title == "Defence chiefs talk" for article in articles.values())
    assert not any("unsupported" in message for _, message in _problems(corpus))


def test_a_damaged_or_foreign_saved_page_is_named(tmp_path):
    (tmp_path / "notes.mhtml").write_text("just some notes, not a saved page at all " * 10, encoding="utf-8")
    (tmp_path / "cut.webarchive").write_bytes(plistlib.dumps({"WebMainResource": {}}, fmt=plistlib.FMT_BINARY)[:40])
    images = _mhtml(_page(), "utf-8", "https://x.example/").replace(b"text/html", b"image/gif")
    (tmp_path / "images.mht").write_bytes(images)
    corpus = load_corpus([tmp_path])
    assert not corpus.articles
    assert _problems(corpus) == [
        ("cut.webarchive", "not a saved web page (.webarchive): it cannot be read as one (InvalidFileException)"),
        ("images.mht", "a saved web page (MHTML) without an HTML part; nothing to read"),
        ("notes.mhtml", "not a saved web page (MHTML): no MIME header naming multipart/related"),
    ]


def test_a_complete_saved_page_is_one_article_and_its_resource_folder_one_line(tmp_path):
    """Before: a page saved "complete" (page.html and page_files/) gave an article for each frame in page_files
    (an embedded post, an advert) and a warning for each image, script and style sheet (hundreds on a news page)."""
    folder = tmp_path / "corpus"
    resources = folder / "Defence chiefs talk_files"
    resources.mkdir(parents=True)
    page = _page(head='<meta property="og:site_name" content="China Daily">')
    (folder / "Defence chiefs talk.htm").write_text(page, encoding="utf-8")
    for name in ("app.js", "style.css", "logo.png", "analytics.js.download"):
        (resources / name).write_bytes(b"x")
    (resources / "widget.html").write_text(
        f"<html><body><div>{html.escape(TEXTS[2])}</div></body></html>", encoding="utf-8"
    )
    (folder / "other_files").mkdir()  # a folder named so, without its page beside it, is read as any folder
    (folder / "other_files" / "b.txt").write_text(TEXTS[1], encoding="utf-8")
    corpus = load_corpus([folder])
    assert sorted(article.id for article in corpus.articles) == ["Defence chiefs talk", "b"]
    assert _problems(corpus) == [
        (
            "Defence chiefs talk_files",
            "the images, scripts and frames a browser saved with the page Defence chiefs talk.htm, not articles; skipped",
        )
    ]


CONSENT_WALL = """<html><head><title>The Daily Planet</title></head><body><div class="consent">
<h2>We value your privacy</h2>
<p>We and our 847 partners store and/or access information on a device, such as cookies, and process personal data,
such as unique identifiers and standard information sent by a device, for personalised advertising and content,
advertising and content measurement, audience research and services development.</p>
<p>With your permission we and our partners may use precise geolocation data and identification through device
scanning.</p>
<p>You may click to consent to our and our partners' processing as described above. Alternatively you may access more
detailed information and change your preferences before consenting or to refuse consenting.</p>
<button>Accept all</button><button>Reject all</button><button>Manage preferences</button></div></body></html>"""
PAYWALL = """<html><head><title>Central bank holds rates</title></head><body><article><h1>Central bank holds rates</h1>
<p>The central bank kept its main rate unchanged on Thursday.</p>
<p>This article is only available to subscribers. Subscribe now to continue reading and get unlimited access to our
journalism for $1 a week.</p><p>Already a subscriber? Log in</p></article></body></html>"""
ABOUT_COOKIES = [
    "The European Commission said on Tuesday that websites must ask for consent before setting cookies that track "
    "users' browsing across sites, in rules that take effect next year.",
    '"We will not accept cookie walls that leave users no real choice," the commissioner told reporters in Brussels, '
    "adding that fines could reach four percent of turnover.",
    "Publishers said the rules would cut their advertising income, and several said they would ask readers to pay.",
]


def test_a_cookie_consent_wall_or_a_paywall_saved_instead_of_the_article_is_named(tmp_path):
    """Before: the consent wall was an article of 31 words (its consent text), so consent walls saved from several
    outlets' sites made a story of their own with cross-outlet claims about cookies; the paywall's stub was "only 10
    words …" with no word of why."""
    wall = load_bytes(CONSENT_WALL.encode(), "planet.html")
    assert not wall.articles
    (problem,) = wall.problems
    assert problem.message.startswith("only 0 words of article text after removing page furniture")
    assert problem.message.endswith("(the page is a cookie-consent wall, without the article behind it); skipped")
    stub = load_bytes(PAYWALL.encode(), "bank.html")
    assert not stub.articles
    assert [problem.message for problem in stub.problems] == [
        "only 10 words of article text after removing page furniture (the page is a paywall, without the article "
        "behind it); skipped"
    ]


def test_an_article_about_cookies_and_consent_keeps_every_line():
    page = "".join(f"<p>{html.escape(line)}</p>" for line in ABOUT_COOKIES)
    (article,) = load_bytes(_page(body=page).encode(), "rules.html").articles
    assert article.text.split("\n\n") == ABOUT_COOKIES


def test_a_file_removed_or_renamed_after_its_folder_was_listed_is_named_so(tmp_path):
    """Before: "cannot read the file (No such file or directory)" for a file the user had just seen in the folder
    (a download finishing, a sync tool renaming it to a temporary name while the corpus was read)."""
    from compare.ingest import expand_inputs, load_unit

    for number in (0, 1, 2):
        (tmp_path / f"page{number}.txt").write_text(TEXTS[number], encoding="utf-8")
    units = expand_inputs([tmp_path])
    (tmp_path / "page0.txt").unlink()
    (tmp_path / "page1.txt").rename(tmp_path / "page1.txt.partial")
    read = [load_unit(unit) for unit in units]
    assert [[article.id for article in corpus.articles] for corpus in read] == [[], [], ["page2"]]
    gone = "the file is gone: removed or renamed while the inputs were read; skipped"
    assert [[problem.message for problem in corpus.problems] for corpus in read] == [[gone], [gone], []]


def test_a_web_page_saved_as_txt_and_json_saved_as_html_are_read_as_what_they_hold(tmp_path):
    """Before: `curl URL > page.txt` gave an article of markup ("<!doctype html><html amp …><script async src=…"),
    its outlet Unknown; an API's JSON saved as page.html gave an article of '{"text": "…\\n\\n…' escapes."""
    page = _page(head='<meta property="og:site_name" content="China Daily">')
    (tmp_path / "curl.txt").write_text("<!-- saved from url=(0014)about:internet -->\n" + page, encoding="utf-8")
    (tmp_path / "api.html").write_text(json.dumps({"text": TEXTS[1], "outlet": "Metro Herald"}), encoding="utf-8")
    (tmp_path / "notes.md").write_text("[1] " + TEXTS[2], encoding="utf-8")  # text that only starts like JSON
    corpus = load_corpus([tmp_path])
    articles = {article.id: article for article in corpus.articles}
    assert articles["curl"].title == "Defence chiefs talk" and articles["curl"].outlet == "China Daily"
    assert "<" not in articles["curl"].text and "Lecornu" in articles["curl"].text
    assert articles["api"].outlet == "Metro Herald" and "Putin" in articles["api"].text
    assert '"' not in articles["api"].text[:20] and "\\n" not in articles["api"].text
    assert "France warned Russia" in articles["notes"].text  # read as text, as before
    assert [problem for problem in _problems(corpus) if "outlet not found" not in problem[1]] == [
        ("api.html", "holds JSON, not HTML; read as JSON"),
        ("curl.txt", "holds a web page (HTML), not plain text; read as HTML"),
    ]


def test_a_loop_of_links_is_named_as_one(tmp_path):
    """Before: "cannot read it (Too many levels of symbolic links)", the system's words for a loop of links."""
    (tmp_path / "page.txt").write_text(TEXTS[0], encoding="utf-8")
    (tmp_path / "a.txt").symlink_to("b.txt")
    (tmp_path / "b.txt").symlink_to("a.txt")
    corpus = load_corpus([tmp_path, tmp_path / "a.txt"])
    assert [article.id for article in corpus.articles] == ["page"]
    loop = "a link that leads back to itself through other links (a loop), to no file"
    assert _problems(corpus) == [("a.txt", f"{loop}; skipped"), ("b.txt", f"{loop}; skipped"), ("a.txt", loop)]


def test_a_page_saved_as_one_html_file_with_its_images_inside_is_read(tmp_path):
    """Before: "file is 25 MB; the limit is 21 MB": SingleFile and other "save as one HTML file" tools inline every
    image as a base64 data: address, so a news page with its photos is larger than the 20 MB a page's text may be."""
    photo = base64.b64encode(bytes(range(256)) * 32_768).decode("ascii")  # 8 MB of image, 11 MB as base64
    images = f'<img src="data:image/jpeg;base64,{photo}"><img src="data:image/svg+xml;charset=utf-8;base64,{photo}">'
    site = '<meta property="og:site_name" content="China Daily">'
    (tmp_path / "saved.html").write_text(_page(head=site, before=images), encoding="utf-8")
    assert (tmp_path / "saved.html").stat().st_size > 22_000_000
    (tmp_path / "text.html").write_text(f"<html><body>{PARAGRAPHS * 8_000}</body></html>", encoding="utf-8")
    corpus = load_corpus([tmp_path])
    (article,) = corpus.articles
    assert article.id == "saved" and article.title == "Defence chiefs talk" and "Lecornu" in article.text
    assert "base64" not in article.text
    size = (tmp_path / "text.html").stat().st_size / 1e6
    assert _problems(corpus) == [
        ("text.html", f"file is {size:.0f} MB; the limit is 21 MB (its HTML, without its inline images)")
    ]


def test_a_hard_wrapped_text_reads_as_its_paragraphs(tmp_path):
    """Before: text wrapped at a fixed width (pdftotext's output, a wire feed at 72 columns, `fmt`) lost words: a
    wrapped line starting with a capital ("Russian Defense Ministry …", "2015. …") began a paragraph of its own, and
    the short piece before it was dropped as a title or fragment; none of the five seeds wrapped at 45, 60, 72, 80 or
    100 columns read as the seed itself (1,799 words lost in all)."""
    for path in sorted(SEEDS.glob("*.txt")):
        original = load_bytes(path.read_bytes(), path.name).articles[0]
        paragraphs = [part for part in path.read_text(encoding="utf-8").split("\n\n") if part.strip()]
        for width in (45, 60, 72, 80, 100):
            wrapped = "\n\n".join("\n".join(textwrap.wrap(part, width)) for part in paragraphs)
            (article,) = load_bytes(wrapped.encode(), path.name).articles
            assert article.text.split() == original.text.split(), (path.name, width)
            assert (article.title, article.outlet, article.published) == (
                original.title,
                original.outlet,
                original.published,
            )


def test_an_uploads_name_with_control_or_bidi_characters_gives_a_clean_id():
    """Before: an upload named 'a<ESC>[31mred<U+202E>evil<newline>.txt' gave the article that id as it was, into every
    statement id made from it and every export and JSON that names it (an id from a table field was cleaned)."""
    corpus = load_corpus(
        [],
        uploads=[("a\x1b[31mred\u202eevil\n.txt", TEXTS[0].encode()), ("\u202e\u200f.txt", TEXTS[1].encode())],
    )
    assert [article.id for article in corpus.articles] == ["a[31mredevil", "article"]


def test_the_files_most_often_given_instead_say_how_to_make_them_readable(tmp_path):
    """Before: "unsupported file type .xlsx; skipped (use .txt, …, .csv or .parquet …)", which does not say that a
    spreadsheet is read once saved as CSV (a .docx as text, a .zip unpacked)."""
    for name in (
        "sheet.xlsx",
        "sheet.ods",
        "memo.docx",
        "memo.odt",
        "pages.zip",
        "feed.xml",
        "backup.tar.gz",
        "odd.weird",
    ):
        (tmp_path / name).write_bytes(b"PK\x03\x04")
    said = dict(_problems(load_corpus([tmp_path])))
    assert said["sheet.ods"].startswith("unsupported file type .ods (a spreadsheet: save it as .xlsx or CSV (UTF-8)")
    assert said["sheet.xlsx"].startswith("not an Excel workbook (.xlsx): it is no ZIP package")  # round 18 reads them
    assert said["memo.docx"].startswith("a damaged Word document (.docx): its ZIP package cannot be opened")
    assert said["memo.odt"].startswith("unsupported file type .odt (a word-processor document: save it as .docx or")
    # round 16 reads a .zip as its folder: these four bytes are no whole zip
    assert (
        said["pages.zip"] == "a zip archive that cannot be read (File is not a zip file); unpack it and give its folder"
    )
    assert said["backup.tar.gz"].startswith("unsupported file type .tar (an archive: unpack it")
    assert said["feed.xml"].startswith("not valid XML, so not a feed that can be read")  # round 17 reads feeds
    assert said["odd.weird"].startswith("unsupported file type .weird; skipped (use .txt")


NOT_FOUND = """<html><head><title>Page not found | The Daily Planet</title></head><body><h1>Page not found</h1><p>Sorry,
the page you were looking for could not be found. It may have been moved, renamed or deleted, or you may have mistyped
the address. Try searching our site or go back to the home page to find the latest news.</p></body></html>"""
BOT_CHECK = """<html><head><title>Are you a robot?</title></head><body><p>Please verify you are a human. Our systems have
detected unusual activity from your computer network. To continue, please click the box below to let us know you're
not a robot. Why did this happen? Please make sure your browser supports JavaScript and cookies and that you are not
blocking them from loading. For inquiries related to this message please contact our support team and provide the
reference ID below.</p><p>Block reference ID: 1a2b3c</p></body></html>"""


def test_an_error_or_bot_check_page_saved_by_a_scraper_is_named_not_analysed():
    """Before: a site's "Page not found" (42 words) and a bot check "Are you a robot?" (70 words) were articles."""
    for page, title in ((NOT_FOUND, "Page not found"), (BOT_CHECK, "Are you a robot?")):
        corpus = load_bytes(page.encode(), "saved.html")
        assert not corpus.articles
        assert [problem.message for problem in corpus.problems] == [
            f"the page is an error or bot-check page ('{title}'), not an article; skipped"
        ]
    page = _page().replace("Defence chiefs talk", "Access denied: how the EU kept migrants out")
    (article,) = load_bytes(page.encode(), "a.html").articles
    assert article.title == "Access denied: how the EU kept migrants out"  # a headline that only starts like one
