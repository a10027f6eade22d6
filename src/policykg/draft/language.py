"""spaCy's rule-based pipeline (tokenizer and sentence splitter), loaded once and only on demand."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from policykg.errors import UsageError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


@cache
def pipeline() -> Language:
    """A blank English pipeline with the sentencizer: no statistical model is needed or loaded."""
    try:
        import spacy
    except ImportError as error:
        raise UsageError(
            "policykg draft needs spaCy: install the extra, pip install 'policykg[draft]'"
        ) from error
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def parse(text: str) -> Doc:
    """Tokens and sentences of *text* (offsets are code points of *text*)."""
    return pipeline()(text)


def sentence_spans(doc: Doc) -> list[tuple[int, int]]:
    """Each sentence's start and end offsets, without surrounding whitespace; a line break
    always ends a sentence (an article's title and paragraphs are lines)."""
    spans: list[tuple[int, int]] = []
    text: str = doc.text
    for sentence in doc.sents:
        start = sentence.start_char
        for line in text[start : sentence.end_char].split("\n"):
            stripped = line.strip().rstrip("([{-\u2013\u2014 ")
            if stripped:
                offset = text.index(stripped, start)
                spans.append((offset, offset + len(stripped)))
            start += len(line) + 1
    return spans


def matcher(attr: str = "ORTH") -> Any:
    """A spaCy PhraseMatcher over the pipeline's vocabulary."""
    from spacy.matcher import PhraseMatcher

    return PhraseMatcher(pipeline().vocab, attr=attr)
