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
