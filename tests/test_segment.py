from __future__ import annotations

from compare.segment import has_direct_quote, split_sentences


def test_statement_spans_point_into_the_article_text(seeds_analysis):
    articles = {article.id: article for article in seeds_analysis.articles}
    for statement in seeds_analysis.statements:
        assert articles[statement.article_id].text[statement.start : statement.end] == statement.text


def test_multi_sentence_quotes_stay_whole(statements_by_id):
    kremlin = statements_by_id["001_e695d325b575ade2:4"]
    assert kremlin.text.startswith('"Both sides expressed discontent')
    assert kremlin.text.endswith("the Kremlin said.")
    assert kremlin.kind == "quote" and kremlin.speaker == "Kremlin"


def test_speakers_and_kinds(seeds_analysis):
    def find(fragment: str):
        return next(statement for statement in seeds_analysis.statements if fragment in statement.text)

    grushko = find("You need to ask the NATO members themselves")
    assert grushko.kind == "quote" and grushko.speaker == "Grushko"
    macron = find("bizarre and threatening")
    assert macron.kind == "quote" and macron.speaker == "Macron"
    kremlin = find("according to the Kremlin")
    assert kremlin.kind == "reported" and kremlin.speaker == "Kremlin"
    ministry = find("it will create problems for France itself")
    assert ministry.speaker == "Russian Defense Ministry"
    reznikov = find("Don’t worry, sleep well")
    assert reznikov.speaker and "Reznikov" in reznikov.speaker  # "he said" resolved to the previous speaker
    narration = find("The call marked the first such contact")
    assert narration.kind == "narration" and narration.speaker is None


def test_no_statement_is_page_furniture(seeds_analysis):
    for statement in seeds_analysis.statements:
        assert len(statement.text.split()) >= 2
        for furniture in ("Share", "Copyright", "Getty", "[ad", "Comments are closed", "Also Read", "FOLLOW US"):
            assert furniture not in statement.text


def test_split_sentences_handles_abbreviations_and_long_runs():
    text = "U.S. officials met on Monday. Mr. Biden said no.\n\nA second paragraph here."
    spans = split_sentences(text)
    assert [text[start:end] for start, end in spans] == [
        "U.S. officials met on Monday.",
        "Mr. Biden said no.",
        "A second paragraph here.",
    ]
    endless = "word " * 2000
    assert all(end - start <= 1000 for start, end in split_sentences(endless))


def test_direct_quote_needs_real_quoted_words():
    assert has_direct_quote("He said “we will not back down from this”.")
    assert not has_direct_quote("He called it “unfounded”.")


def test_segmentation_is_cached_in_the_store(tmp_path, monkeypatch):
    import compare.segment.statements as segment
    from compare.ingest import load_corpus
    from compare.io.store import Store

    from .conftest import SEEDS

    articles = load_corpus([SEEDS]).articles[:2]
    store = Store(tmp_path / "store.sqlite3")
    first = segment.segment_articles(articles, store=store)

    def no_parser(*args, **kwargs):
        raise AssertionError("the cached segmentation should have been used")

    monkeypatch.setattr(segment, "load_spacy", no_parser)
    assert segment.segment_articles(articles, store=store) == first
