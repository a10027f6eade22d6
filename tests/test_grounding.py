import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EXAMPLE
from policykg.facts.grounding import CONTEXT_LENGTH, QuoteNotFound, SourceText, _fold, fold

ARTICLE = (EXAMPLE / "article.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def source() -> SourceText:
    return SourceText(ARTICLE)


def test_exact_quote_gets_code_point_offsets(source: SourceText) -> None:
    span = source.locate("the US was “disloyal” in keeping its end of the bargain")
    assert ARTICLE[span.start : span.end] == span.exact
    assert span.exact == "the US was “disloyal” in keeping its end of the bargain"
    assert span.prefix == ARTICLE[span.start - CONTEXT_LENGTH : span.start]
    assert span.suffix == ARTICLE[span.end : span.end + CONTEXT_LENGTH]


def test_straight_quotes_and_other_whitespace_match_the_typographic_text(
    source: SourceText,
) -> None:
    typed = 'the US   was "disloyal"\n in keeping'
    span = source.locate(typed)
    assert span.exact == "the US was “disloyal” in keeping"


def test_offsets_count_code_points_not_bytes(source: SourceText) -> None:
    span = source.locate("Iran’s first supreme leader")
    assert ARTICLE.index("Iran’s first supreme leader") == span.start
    assert len("Iran’s first supreme leader".encode()) > span.end - span.start


def test_other_words_are_not_tolerated(source: SourceText) -> None:
    with pytest.raises(QuoteNotFound, match="not in the text") as problem:
        source.locate("the US was loyal in keeping its end of the bargain")
    assert problem.value.closest == "the US was “disloyal” in keeping its end of the bargain"


def test_a_match_must_not_cut_a_word(source: SourceText) -> None:
    with pytest.raises(QuoteNotFound, match="not in the text"):
        source.locate("experienc")
    with pytest.raises(QuoteNotFound, match="not in the text"):
        source.locate("xperience")


def test_letter_case_matters(source: SourceText) -> None:
    with pytest.raises(QuoteNotFound):
        source.locate("THE US WAS")


def test_a_repeated_quote_needs_after_or_start(source: SourceText) -> None:
    quote = "there has been little meaningful movement"
    with pytest.raises(QuoteNotFound, match="occurs 2 times"):
        source.locate(quote)
    first = ARTICLE.index(quote)
    second = ARTICLE.index(quote, first + 1)
    assert source.locate(quote, after="The nuclear deal created").start == second
    assert source.locate(quote, start=first).start == first


def test_after_must_itself_be_unique_and_present(source: SourceText) -> None:
    with pytest.raises(QuoteNotFound, match="occurs"):
        source.locate("the animosity persists", after="nuclear deal")
    with pytest.raises(QuoteNotFound, match="`after` passage"):
        source.locate("the animosity persists", after="no such passage here")


def test_start_outside_the_text_or_elsewhere_is_refused(source: SourceText) -> None:
    with pytest.raises(QuoteNotFound, match="outside the text"):
        source.locate("disloyal", start=len(ARTICLE) + 10)
    with pytest.raises(QuoteNotFound, match="does not start at offset 3"):
        source.locate("disloyal", start=3)


FOLDED_CHARACTERS = "".join(chr(c) for c in range(0x3001) if chr(c).isspace()) + "‘’‚‛“”„‟'\"a"


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from(FOLDED_CHARACTERS)) | st.text())
def test_fold_is_the_folding_of_quote_matching(text: str) -> None:
    assert fold(text) == _fold(text.strip())[0]


def _fold_one_by_one(text: str) -> tuple[str, list[int]]:
    """The folding spelled out code point by code point: what ``_fold`` must compute."""
    from policykg.facts.grounding import _QUOTE_FOLDS

    folded: list[str] = []
    origin: list[int] = []
    in_space = False
    for index, char in enumerate(text.translate(_QUOTE_FOLDS)):
        if char.isspace():
            if in_space:
                continue
            in_space, char = True, " "
        else:
            in_space = False
        folded.append(char)
        origin.append(index)
    return "".join(folded), origin


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from(FOLDED_CHARACTERS)) | st.text())
def test_folding_keeps_the_origin_of_every_folded_character(text: str) -> None:
    assert _fold(text) == _fold_one_by_one(text)


def test_a_quote_may_not_end_inside_a_combining_accent() -> None:
    text = SourceText("The cafe\u0301 on the corner")
    with pytest.raises(QuoteNotFound, match="inside a character of the text") as problem:
        text.locate("The cafe")
    assert "U+0301 COMBINING ACUTE ACCENT" in str(problem.value)
    assert text.locate("The cafe\u0301").exact == "The cafe\u0301"


def test_a_quote_may_not_begin_with_the_accent_of_a_letter_before_it() -> None:
    with pytest.raises(QuoteNotFound, match="inside a character"):
        SourceText("cafe\u0301 au lait").locate("\u0301 au lait")


def test_a_normalization_mismatch_is_explained() -> None:
    decomposed = SourceText("Meet me at the cafe\u0301 on the corner.")
    with pytest.raises(QuoteNotFound, match="Unicode normalization") as problem:
        decomposed.locate("the caf\u00e9 on the corner")
    assert "the quote writes accented letters composed (NFC)" in str(problem.value)
    composed = SourceText("Meet me at the caf\u00e9 on the corner.")
    with pytest.raises(QuoteNotFound, match=r"decomposed \(NFD\)"):
        composed.locate("the cafe\u0301 on the corner")


def _article(words: int) -> str:
    """A text of about *words* words that rarely repeat a sentence."""
    vocabulary = [f"w{n}" for n in range(5000)] + ["the", "of", "and", "a", "in"] * 400
    return " ".join(vocabulary[(n * 7919) % len(vocabulary)] for n in range(words))


@pytest.mark.parametrize("words", [10_000, 200_000])
def test_the_closest_passage_compares_a_bounded_number_of_passages(
    words: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A quote of 300 words one word off: a handful of character comparisons however long the
    text (comparing it at every word took 99 s in a 65 KB text)."""
    from policykg.facts import grounding

    article = _article(words)
    tokens = article.split(" ")
    quote_words = tokens[words // 2 : words // 2 + 300]
    expected = " ".join(quote_words)
    quote_words[150] = "x" * len(quote_words[150])  # one word off, the length kept
    compared: list[int] = []

    class CountingMatcher(grounding.difflib.SequenceMatcher):  # type: ignore[type-arg]
        def ratio(self) -> float:
            compared.append(1)
            return super().ratio()

    monkeypatch.setattr(grounding.difflib, "SequenceMatcher", CountingMatcher)
    with pytest.raises(QuoteNotFound) as problem:
        SourceText(article).locate(" ".join(quote_words))
    assert problem.value.closest == expected
    assert len(compared) <= grounding.CANDIDATE_PASSAGES


def test_a_misspelt_word_still_gets_its_closest_passage(source: SourceText) -> None:
    with pytest.raises(QuoteNotFound) as problem:
        source.locate("disloyl")
    assert problem.value.closest is not None and "disloyal" in problem.value.closest
