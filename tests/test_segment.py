from __future__ import annotations

import pytest

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
    # "French President Emmanuel Macron’s comments …, in which he said": the person, not "Emmanuel Macron’s"
    comments = find("could not be ruled out")
    assert comments.speaker == "Emmanuel Macron"


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


@pytest.fixture(scope="module")
def basil_statements() -> dict[str, list]:
    """Three BASIL events (Benghazi hearing, Etheridge, Netanyahu's speech) and the seed with "According to the statement", segmented."""
    from compare.ingest import load_corpus
    from compare.segment import segment_articles

    from .conftest import BASIL, SEEDS

    if not (BASIL / "articles").is_dir():
        pytest.skip(f"BASIL not found at {BASIL}")
    events = (
        "9879bbc0-eab3-482f-bf6b-a4b519393986",
        "6b541575-99b1-40d2-8730-9bb868ee38ed",
        "2b9468af-4ab0-4f25-85f4-c3ef93d72006",
    )
    files = [path for path in sorted((BASIL / "articles").rglob("*.json")) if path.stem.rsplit("_", 1)[0] in events]
    statements = segment_articles(load_corpus([*files, SEEDS / "002_4892f748bad1f1bd.txt"]).articles)
    return {"all": statements}


def _containing(statements, fragment: str):
    return next(statement for statement in statements["all"] if fragment in statement.text)


def test_a_state_abbreviation_does_not_end_the_sentence(basil_statements):
    kerry = _containing(basil_statements, "Sen. John Kerry, D-Mass.")
    assert "who was tapped" in kerry.text
    assert not any(statement.text.startswith((",", ";")) for statement in basil_statements["all"])


def test_a_pronoun_speaker_is_not_the_person_quoted_about(basil_statements):
    stood = _containing(basil_statements, "I stood next to President Obama")
    assert stood.kind == "quote" and stood.speaker == "Clinton"  # "she said", after "Mrs. Clinton ... choked up"


def test_she_is_not_a_man_the_article_calls_mr(basil_statements):
    rice = _containing(basil_statements, "I’m not going to ascribe motives to the prime minister")
    # "Ms. Rice demurred when asked whether she believed Mr. Netanyahu was making the speech ..."
    assert rice.speaker == "Rice"


def test_according_to_the_statement_names_who_made_it(basil_statements):
    statement = _containing(basil_statements, "According to the statement")
    assert statement.speaker not in {None, "statement"}
    assert statement.speaker in {"Jean-Yves Le Drian", "Florence Parly"}  # "Le Drian ... and Parly made a statement"


def test_the_subject_of_a_passive_accusation_is_not_its_speaker(basil_statements):
    accused = _containing(basil_statements, "Washington is accused of")
    assert accused.speaker is None and accused.kind != "quote"


def test_narration_with_a_quoted_phrase_is_not_a_quote(basil_statements):
    narration = _containing(basil_statements, "appeared unreceptive to the question of an anonymous reporter")
    assert narration.kind == "narration" and narration.speaker is None  # "he asked" is the student, in a when-clause
    apology = _containing(basil_statements, "I deeply and profoundly regret my reaction")
    assert apology.kind == "quote" and apology.speaker == "Etheridge"


def test_the_parser_runs_only_where_speaker_rules_read_it_and_changes_nothing(basil_statements, monkeypatch):
    """Real articles segmented with the parser skipped on texts without a verb of saying, and with every text
    parsed: the same kinds, speakers and entities, and the skipped texts are a real share of them."""
    import compare.segment.parsing as parsing
    from compare.ingest import load_corpus
    from compare.segment import load_spacy, parse_articles

    from .conftest import BASIL

    files = sorted((BASIL / "articles").rglob("*.json"))[:12]
    articles = load_corpus(files).articles
    nlp = load_spacy()
    forms = parsing.saying_forms(nlp)
    assert forms is not None and {"said", "told", "wrote", "according", "criticised"} <= forms
    texts = [article.text[start:end] for article in articles for start, end in split_sentences(article.text)]
    skipped = [text for text in texts if forms.isdisjoint(parsing._WORD.findall(text.lower()))]
    assert len(skipped) > len(texts) // 5
    fast = parse_articles(articles, nlp)
    monkeypatch.setattr(parsing, "saying_forms", lambda nlp: None)
    assert parse_articles(articles, nlp) == fast


def test_forked_segmentation_gives_the_rows_of_one_process_in_article_order(basil_statements):
    """Real articles segmented in two forked processes (runs of whole articles) and in this process: the same rows,
    article by article, and progress reported up to every article."""
    from compare.ingest import load_corpus
    from compare.segment import load_spacy, parse_articles

    from .conftest import BASIL

    articles = load_corpus(sorted((BASIL / "articles").rglob("*.json"))[:24]).articles
    nlp = load_spacy()
    reported: list[int] = []
    forked = parse_articles(articles, nlp, reported.append, processes=2)
    assert forked == parse_articles(articles, nlp, processes=1)
    assert len(forked) == len(articles) and all(forked)
    assert reported[-1] == len(articles) and reported == sorted(reported)


def test_saying_forms_cover_every_lemma_the_parse_gives(basil_statements):
    """Every token of real text whose lemma is a verb of saying has a lower-case form in ``saying_forms``, and
    no tokenizer exception splits a word into one (the pre-check reads whole words)."""
    from compare.segment import SAY_LEMMAS, load_spacy
    from compare.segment.parsing import saying_forms

    nlp = load_spacy()
    forms = saying_forms(nlp)
    assert forms is not None
    saying = [
        token for doc in nlp.pipe(s.text for s in basil_statements["all"]) for token in doc
        if token.lemma_.lower() in SAY_LEMMAS
    ]  # fmt: skip
    assert len(saying) > 50
    assert all(token.lower_ in forms for token in saying)
    for special in nlp.tokenizer.rules:  # type: ignore[attr-defined]
        pieces = [token.lower_ for token in nlp.make_doc(special)]
        if special.isalpha() and len(pieces) > 1:
            assert forms.isdisjoint(pieces), special


def test_sentence_spans_are_pysbds_own(basil_statements):
    """The sentence splitter's spans (found with str.find) equal pysbd's (found with one regex per sentence)."""
    import pysbd

    from compare.ingest import load_corpus
    from compare.segment.sentences import _segmenter

    from .conftest import BASIL

    reference = pysbd.Segmenter(language="en", clean=False, char_span=True)
    paragraphs = [
        paragraph
        for article in load_corpus(sorted((BASIL / "articles").rglob("*.json"))[:20]).articles
        for paragraph in article.text.split("\n\n")
        if paragraph.strip()
    ]
    assert len(paragraphs) > 100
    for paragraph in paragraphs:
        ours = [(span.sent, span.start, span.end) for span in _segmenter().segment(paragraph)]
        assert ours == [(span.sent, span.start, span.end) for span in reference.segment(paragraph)]
