"""Factuality (FactBank certainty and polarity, hedges), negated statements, the new stance
polarities, unattributed views and the smaller gaps of issue 16: facts, RDF and shapes.

The bad inputs of these constructs (a hedge outside the quote, an uncommitted negation, a negated
statement marked stated, …) are folders of tests/bad_inputs, checked by tests/test_facts.py.
"""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
from rdflib import RDF, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SH

from conftest import edit
from policykg.build.pipeline import build
from policykg.errors import FactsError
from policykg.facts.loader import load_facts, load_registry
from policykg.facts.model import Claim, Factuality, Place
from policykg.facts.references import closest_code
from policykg.namespaces import CERTAINTY, CHANNEL, FACTPOL, PKG, POLARITY, SCHEMA, SEM
from policykg.rdf.serialization import serialize
from policykg.resources import facts_schema, scheme_codes, shapes_graph

CORPUS = Path(__file__).parent / "data" / "factuality"
EXAMPLES = Path(__file__).parent / "shape_examples"
DATA = Namespace("https://w3id.org/policykg/data/")
PKGSH = Namespace("https://w3id.org/policykg/shapes#")
OA = Namespace("http://www.w3.org/ns/oa#")
REGISTRY = load_registry([CORPUS / "registry.yaml"])


@pytest.fixture(scope="module")
def corpus() -> Dataset:
    """The build of tests/data/factuality, all graphs in one (no ontology)."""
    result = build([CORPUS], validate=False, include_ontology=False)
    dataset = Dataset(default_union=True)
    dataset.parse(data=serialize(result.graphs, "nquads").decode("utf-8"), format="nquads")
    return dataset


def claim_of(path: Path, claim_id: str) -> Claim:
    found = load_facts(path, REGISTRY).items_by_id[claim_id]
    assert isinstance(found, Claim)
    return found


# --- facts -----------------------------------------------------------------------------------


def test_certainty_negation_and_hedges_load_with_their_defaults() -> None:
    facts = CORPUS / "ecfr" / "facts.yaml"
    likely = claim_of(facts, "khamenei-likely-to-hold-position")
    assert (likely.certainty, likely.negated, likely.hedge) == (
        "probable",
        False,
        ("is likely to",),
    )
    omission = claim_of(facts, "khamenei-no-countermeasures")
    assert (omission.certainty, omission.negated) == ("certain", True)
    plain = claim_of(facts, "khamenei-us-disloyal")
    assert (plain.certainty, plain.negated, plain.hedge, plain.factuality) == (
        "certain",
        False,
        (),
        (),
    )


def test_the_long_form_gives_a_further_source_its_own_value_and_line() -> None:
    path = CORPUS / "ecfr" / "facts.yaml"
    claim = claim_of(path, "tehran-open-beyond-nuclear")
    assert claim.certainty == "uncommitted"
    assert claim.factuality == (
        Factuality("senior-iranian-officials", "probable", False, ("viewed it as a signal",)),
    )
    line = path.read_text(encoding="utf-8").splitlines()[claim.factuality[0].line - 1]
    assert "source: senior-iranian-officials" in line


def test_a_curator_statement_may_carry_the_speakers_words_without_a_quote(
    minimal_copy: Path,
) -> None:
    """Its words come from its source, which the build cannot read: no quote to check them in."""
    path = minimal_copy / "facts.yaml"
    edit(
        path,
        "stances:\n",
        "  us-disloyal-elsewhere:\n    speaker: khamenei\n    summary: The US was disloyal.\n"
        "    asserted_as: curator\n    source: https://example.org/speech\n"
        "    words: [disloyal, untrustworthy]\n    hedge: [it seems]\nstances:\n",
    )
    claim = load_facts(path).items_by_id["us-disloyal-elsewhere"]
    assert isinstance(claim, Claim) and claim.words == ("disloyal", "untrustworthy")


def test_words_are_found_in_one_quoted_passage_not_across_two(minimal_copy: Path) -> None:
    path = minimal_copy / "facts.yaml"
    edit(
        path,
        "    quote: significant speech\n",
        "    scare_quotes: [speech the]\n    quote: [significant speech, the US]\n",
    )
    with pytest.raises(FactsError, match="'speech the' are not inside"):
        load_facts(path)


@pytest.mark.parametrize(
    ("scheme", "typed", "meant"),
    [
        ("polarity", "doubts", "sceptical"),
        ("polarity", "skeptical", "sceptical"),
        ("polarity", "Undecided", "non-committal"),
        ("polarity", "neither for nor against", "non-committal"),
        ("polarity", "suports", "supports"),
        ("polarity", "welcome", "welcomes"),
        ("polarity", "worried", "concerned"),
        ("channel", "tweet", "social-media-post"),
        ("channel", "Press conference", "press-conference"),
        ("polarity", "xyzzy", None),
    ],
)
def test_an_unknown_code_suggests_the_one_meant(scheme: str, typed: str, meant: str | None) -> None:
    assert closest_code(scheme, typed) == meant


def test_the_schema_offers_exactly_the_certainty_schemes_codes() -> None:
    assert sorted(facts_schema()["$defs"]["certainty"]["enum"]) == sorted(scheme_codes("certainty"))


def test_the_new_codes_are_in_the_schemes() -> None:
    assert {"sceptical", "non-committal", "ambivalent", "welcomes", "hopeful", "concerned"} <= set(
        scheme_codes("polarity")
    )
    assert {"sanctions-relief", "nuclear-enrichment", "research-and-development"} <= set(
        scheme_codes("topic")
    )
    assert {"verification"} <= set(scheme_codes("topic"))
    assert {"013", "051"} <= set(scheme_codes("cameo"))
    assert len(scheme_codes("channel")) == 7


def test_place_part_of_loads() -> None:
    lausanne = load_facts(CORPUS / "brookings" / "facts.yaml", REGISTRY).items_by_id["lausanne"]
    assert isinstance(lausanne, Place) and lausanne.part_of == "switzerland"


# --- RDF -------------------------------------------------------------------------------------


def test_certain_positive_claims_carry_no_factuality_triples(corpus: Dataset) -> None:
    """Absence means certain and positive (FactBank CT+): only what the facts say is written."""
    certain = set(corpus.subjects(PKG.certainty, None))
    polar = set(corpus.subjects(PKG.factualPolarity, None))
    ecfr = "claim/ecfr-2016/"
    assert certain == {
        DATA[ecfr + "khamenei-likely-to-hold-position"],
        DATA[ecfr + "negotiations-indicate-no-change"],
        DATA[ecfr + "precedent-most-important"],
        DATA[ecfr + "tehran-open-beyond-nuclear"],
        DATA[ecfr + "tehran-open-beyond-nuclear/factuality/senior-iranian-officials"],
    }
    assert polar == {
        DATA[ecfr + "tehran-open-beyond-nuclear"],
        DATA["statement/ecfr-2016/khamenei-no-countermeasures"],
    }
    assert (None, PKG.certainty, CERTAINTY.certain) not in corpus
    assert (None, PKG.factualPolarity, FACTPOL.positive) not in corpus


def test_short_and_long_form_in_rdf(corpus: Dataset) -> None:
    claim = DATA["claim/ecfr-2016/tehran-open-beyond-nuclear"]
    further = DATA["claim/ecfr-2016/tehran-open-beyond-nuclear/factuality/senior-iranian-officials"]
    assert set(corpus.predicate_objects(claim)) >= {
        (PKG.certainty, CERTAINTY.uncommitted),
        (PKG.factualPolarity, FACTPOL.unknown),
        (PKG.factuality, further),
        (PKG.assertedBy, DATA["actor/ecfr-author"]),
    }
    assert set(corpus.predicate_objects(further)) == {
        (RDF.type, PKG.Factuality),
        (SEM.accordingTo, DATA["actor/senior-iranian-officials"]),
        (PKG.certainty, CERTAINTY.probable),
        (PKG.hedge, Literal("viewed it as a signal")),
    }


def test_a_negated_statement_is_the_authors_observation(corpus: Dataset) -> None:
    statement = DATA["statement/ecfr-2016/khamenei-no-countermeasures"]
    assert (statement, PKG.factualPolarity, FACTPOL.negative) in corpus
    assert (statement, PKG.speaker, DATA["actor/khamenei"]) in corpus
    assert (statement, PKG.assertedBy, DATA["actor/ecfr-author"]) in corpus


def test_an_unattributed_view_is_typed_and_has_no_holder(corpus: Dataset) -> None:
    view = DATA["stance/brookings-2015/hopes-resolution-within-reach"]
    assert {PKG.Stance, PKG.UnattributedView} <= set(corpus.objects(view, RDF.type))
    assert (view, PKG.holder, None) not in corpus
    assert (view, PKG.polarity, POLARITY.hopeful) in corpus
    named = DATA["stance/brookings-2015/khamenei-doubts-deal"]
    assert (named, RDF.type, PKG.UnattributedView) not in corpus


def test_channel_scare_quotes_part_of_and_disclaimer_in_rdf(corpus: Dataset) -> None:
    echoed = DATA["statement/brookings-2015/khamenei-remarks-echoed"]
    assert (echoed, PKG.channel, CHANNEL["social-media-post"]) in corpus
    framework = DATA["claim/brookings-2015/framework-announced"]
    assert (framework, PKG.scareQuote, Literal("framework agreement")) in corpus
    assert (DATA["place/lausanne"], SCHEMA.containedInPlace, DATA["place/switzerland"]) in corpus
    disclaimer = DATA["document/ecfr-2016/disclaimer"]
    assert (DATA["document/ecfr-2016"], SCHEMA.publishingPrinciples, disclaimer) in corpus
    assert (disclaimer, RDF.type, SCHEMA.CreativeWork) in corpus
    annotation = DATA["document/ecfr-2016/disclaimer/evidence/1"]
    assert (annotation, OA.hasBody, disclaimer) in corpus
    exact = corpus.value(URIRef(f"{annotation}/quote"), OA.exact)
    assert str(exact).startswith("The European Council on Foreign Relations does not take")


def test_the_corpus_conforms_to_the_shapes() -> None:
    result = build([CORPUS], validate=True)
    assert result.report is not None and result.report.conforms, result.report.describe()


# --- shapes, one constraint at a time ----------------------------------------------------------


def _results(data: Graph) -> set[tuple[str, str]]:
    """(source, focus node) of every result of the shipped shapes on *data*: the source is the
    SPARQL constraint for those (whose sh:sourceShape is their node shape), else the shape."""
    _, report, _ = pyshacl.validate(
        data, shacl_graph=shapes_graph(), inference="none", advanced=True
    )
    assert isinstance(report, Graph)
    return {
        (
            str(
                report.value(r, SH.sourceConstraint) or report.value(r, SH.sourceShape)
            ).removeprefix(str(PKGSH)),
            str(report.value(r, SH.focusNode)),
        )
        for r in report.subjects(RDF.type, SH.ValidationResult)
    }


def _example(name: str) -> Graph:
    return Graph().parse(EXAMPLES / name / "valid.ttl")


LIKELY = DATA["claim/ecfr-2016/khamenei-likely-to-hold-position"]
PERHAPS = DATA["claim/ecfr-2016/precedent-most-important"]


def test_a_hedge_is_found_in_the_quote_with_quotes_and_spaces_folded() -> None:
    """The hedge-in-quote constraint folds typographic quotes and whitespace as the loader does."""
    data = _example("FactualityShape")
    data.remove((PERHAPS, PKG.hedge, None))
    data.add((PERHAPS, PKG.hedge, Literal("in  perhaps\nthe most")))
    data.remove((LIKELY, PKG.hedge, None))
    data.add((LIKELY, PKG.hedge, Literal("President Hassan Rouhani's diplomatic")))  # ’ in the text
    assert _results(data) == set()
    data.add((LIKELY, PKG.hedge, Literal("is unlikely to")))
    assert _results(data) == {("Factuality-hedgeInQuote", str(LIKELY))}


@pytest.mark.parametrize(
    ("certainty", "polarity", "fails"),
    [
        (CERTAINTY.uncommitted, FACTPOL.unknown, False),
        (CERTAINTY.uncommitted, None, True),
        (CERTAINTY.uncommitted, FACTPOL.negative, True),
        (None, FACTPOL.unknown, True),
        (CERTAINTY.possible, FACTPOL.negative, False),
    ],
)
def test_uncommitted_goes_with_unknown_polarity_only(
    certainty: URIRef | None, polarity: URIRef | None, fails: bool
) -> None:
    data = _example("FactualityShape")
    data.remove((LIKELY, PKG.certainty, None))
    for predicate, value in ((PKG.certainty, certainty), (PKG.factualPolarity, polarity)):
        if value is not None:
            data.add((LIKELY, predicate, value))
    expected = {("Factuality-uncommittedPolarity", str(LIKELY))} if fails else set()
    assert _results(data) == expected


def test_certainty_and_polarity_come_from_their_schemes_once() -> None:
    data = _example("FactualityShape")
    data.add((LIKELY, PKG.certainty, CERTAINTY.possible))
    data.add((PERHAPS, PKG.factualPolarity, POLARITY.opposes))
    assert _results(data) == {
        ("Factuality-certainty", str(LIKELY)),
        ("Factuality-polarity", str(PERHAPS)),
    }


def test_a_further_source_names_one_agent_of_one_claim() -> None:
    data = _example("SourceFactualityShape")
    node = DATA["claim/ecfr-2016/tehran-open-beyond-nuclear/factuality/senior-iranian-officials"]
    data.remove((node, SEM.accordingTo, None))
    orphan = DATA["claim/ecfr-2016/orphan/factuality/x"]
    data.add((orphan, RDF.type, PKG.Factuality))
    data.add((orphan, SEM.accordingTo, DATA["actor/senior-iranian-officials"]))
    assert _results(data) == {
        ("SourceFactuality-accordingTo", str(node)),
        ("SourceFactuality-claim", str(orphan)),
    }


def test_a_holderless_stance_that_says_nothing_more_fails_only_the_holder_shape() -> None:
    data = _example("StanceHolderShape")
    view = DATA["stance/brookings-2015/hopes-resolution-within-reach"]
    data.remove((view, RDF.type, PKG.UnattributedView))
    assert _results(data) == {("StanceHolderShape", str(view))}


def test_a_channel_is_given_to_statements_only() -> None:
    data = _example("ChannelConceptShape")
    claim = DATA["claim/brookings-2015/not-a-statement"]
    data.add((claim, PKG.channel, CHANNEL.speech))
    assert ("Statement-type", str(claim)) in _results(data)
