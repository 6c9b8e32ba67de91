"""The one rule of which characters a text keeps: ingest cleans articles by it, the views a visitor's search."""

from __future__ import annotations

import re
import unicodedata

# Characters that show nothing but split a word for search, de-duplication and the model ("Reu\u034fters" is
# not "Reuters"): zero-width ones, the combining grapheme joiner, Hangul fillers (which render blank), and an
# emoji presentation selector between two letters (after a letter it has no emoji to select). Format
# characters (soft hyphens, word joiners, invisible operators, bidi marks) go with the control characters.
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u034f\u3164\uffa0]")
# Letter forms of old print and PDF text that are one or two plain letters: the long s of type set before about 1800
# (OCR of an 1850 archive keeps it: "Preſident"), and the ligatures pdftotext leaves ("ﬁnancial", "eﬀort"). The
# model, the parser and search saw other words.
_PLAIN_LETTERS = str.maketrans(
    {"ſ": "s", "ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
)
_LETTER_FORM = re.compile("[ſﬀ-ﬆ]")
_SELECTOR_IN_WORD = re.compile(r"(?<=[^\W\d_])[\ufe0e\ufe0f](?=[^\W\d_])")  # only run on texts holding one: slow


def normalise_text(text: str) -> str:
    """Unicode NFC, unified newlines, no zero-width or control characters, plain letters for the long s and the
    ligatures, no trailing spaces."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _INVISIBLE.sub("", text)
    if _LETTER_FORM.search(text):  # translate is slow on every text; a search for the few letters is not
        text = text.translate(_PLAIN_LETTERS)
    if "\ufe0f" in text or "\ufe0e" in text:
        text = _SELECTOR_IN_WORD.sub("", text)
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    text = text.replace("\u00a0", " ").replace("\t", " ")
    return "\n".join(re.sub(r" {2,}", " ", line).strip() for line in text.split("\n"))


def word_prefix(text: str, length: int) -> str:
    """``text``'s first ``length`` characters cut back to a word border (without the punctuation left at the cut);
    the raw prefix when no border is in it. The one cutting rule of headlines, outlet names and list cells."""
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0].rstrip(" ,.;:—-") or text[:length]
