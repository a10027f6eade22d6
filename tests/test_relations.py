"""Relations between claims and events, documents spoken about, roles in events and groups.

Loaded from the test corpus tests/corpora/lausanne-2015 (a registry and two articles), or from a
copy of it that a test edits; each bad input must fail at its line with a message that says what
to fix.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS

from conftest import edit
from policykg.build.pipeline import build
from policykg.errors import FactsError
from policykg.facts.loader import load_facts, load_registry
from policykg.facts.model import Event, FactsFile, Membership, Relation, Work, first_difference

CORPUS = Path(__file__).resolve().parent / "corpora" / "lausanne-2015"
D = Namespace("https://w3id.org/policykg/data/")
PKG = Namespace("https://w3id.org/policykg/ns#")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
SCHEMA = Namespace("https://schema.org/")
RELTYPE = Namespace("https://w3id.org/policykg/relation/")
ROLETYPE = Namespace("https://w3id.org/policykg/role/")
DOCTYPE = Namespace("https://w3id.org/policykg/doctype/")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A writable copy of the test corpus."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target, ignore=shutil.ignore_patterns("queries"))
    return target


def _load(folder: Path, article: str) -> FactsFile:
    registry = load_registry([folder / "registry.yaml"])
    return load_facts(folder / article / "facts.yaml", registry)


def _refused(folder: Path, article: str, match: str) -> FactsError:
    with pytest.raises(FactsError, match=match) as error:
        _load(folder, article)
    return error.value


def _line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


@pytest.fixture(scope="module")
def graphs() -> dict[str, Graph]:
    """The corpus's named graphs, by the last segment of the graph IRI."""
    result = build([CORPUS], validate=False, include_ontology=False)
    return {mapped.graph_iri.rsplit("/", 1)[1]: _graph(mapped.ntriples) for mapped in result.graphs}


def _graph(ntriples: bytes) -> Graph:
    return Graph().parse(data=ntriples.decode("utf-8"), format="nt")


# --- the facts model -------------------------------------------------------------------------


def test_relations_documents_memberships_and_roles_load() -> None:
    facts = _load(CORPUS, "mee-2015")
    relation = facts.items_by_id["reports-and-speech-overshadow-success"]
    assert isinstance(relation, Relation)
    assert relation.type == "undermines"
    assert relation.sources == (
        "iran-lausanne-summary",
        "us-lausanne-parameters",
        "khamenei-speech",
    )
    assert relation.target == "framework-a-success"
    single = facts.items_by_id["differences-cast-doubt"]
    assert isinstance(single, Relation) and single.sources == ("differences-grow",)
    work = facts.items_by_id["iran-lausanne-summary"]
    assert isinstance(work, Work)
    assert (work.type, work.publisher, work.about, work.language) == (
        "fact-sheet",
        "iran-foreign-ministry",
        ("lausanne-framework",),
        "fa",
    )
    event = facts.items_by_id["lausanne-press-conference"]
    assert isinstance(event, Event)
    assert event.roles == (("mogherini", ("reader",)), ("zarif", ("reader",)))
    membership = _load(CORPUS, "brookings-2015").items_by_id["zarif-leads-negotiators"]
    assert isinstance(membership, Membership)
    assert (membership.member, membership.group, membership.role, membership.asserted_as) == (
        "zarif",
        "iranian-negotiating-team",
        "leader",
        "reported",
    )


def test_a_role_list_gives_several_roles(corpus: Path) -> None:
    path = corpus / "mee-2015" / "facts.yaml"
    edit(path, "zarif: reader}", "zarif: [reader, speaker]}")
    event = _load(corpus, "mee-2015").items_by_id["lausanne-press-conference"]
    assert isinstance(event, Event)
    assert dict(event.roles)["zarif"] == ("reader", "speaker")


def test_roles_are_not_part_of_an_event_s_definition(corpus: Path) -> None:
    """Roles are each article's own account of an event, so two definitions that differ only in
    roles define the event the same way (a shared event's roles are given in each reading; see
    test_shared_items), while a different label is a different definition."""
    registry = load_registry([corpus / "registry.yaml"])
    facts = load_facts(corpus / "mee-2015" / "facts.yaml", registry)
    (event,) = [e for e in facts.events if e.id == "lausanne-press-conference"]
    assert event.roles
    other_roles = dataclasses.replace(event, roles=(("zarif", ("leader",)),))
    assert other_roles.definition() == event.definition()
    assert first_difference(event, other_roles) is None
    relabelled = dataclasses.replace(event, label="The press conference")
    difference = first_difference(event, relabelled)
    assert difference is not None and difference[0] == "label"


# --- bad input -------------------------------------------------------------------------------


BAD_MEE = {
    "unknown-type": ("type: undermines", "type: overshadows", "'overshadows' is not in the ontology's relation scheme"),
    "same-ends": ("to: framework-a-success", "to: khamenei-speech", "'khamenei-speech' is both 'from' and 'to'"),
    "dangling-end": ("to: framework-a-success", "to: no-such-claim", "'to' refers to 'no-such-claim', which is not defined"),
    "place-as-end": ("to: framework-a-success", "to: lausanne", "'to' must name a statement, stance or claim or an event"),
    "unknown-role": ("roles: {khamenei: speaker}", "roles: {khamenei: orator}", "'orator' is not in the ontology's role scheme"),
    "dangling-role-actor": ("roles: {khamenei: speaker}", "roles: {khomeini: speaker}", "'roles' refers to 'khomeini', which is not defined"),
}  # fmt: skip


@pytest.mark.parametrize(("old", "new", "match"), BAD_MEE.values(), ids=BAD_MEE.keys())
def test_a_bad_relation_or_role_is_refused_at_its_line(
    corpus: Path, old: str, new: str, match: str
) -> None:
    path = corpus / "mee-2015" / "facts.yaml"
    edit(path, f"    {old}\n", f"    {new}\n")
    error = _refused(corpus, "mee-2015", match)
    assert error.location.path == path
    assert error.location.line == _line_of(path, new)


def test_a_dispute_between_two_documents_about_one_event_loads(corpus: Path) -> None:
    path = corpus / "mee-2015" / "facts.yaml"
    edit(path, "    from: us-lausanne-parameters\n", "    from: lausanne-joint-statement\n")
    relation = _load(corpus, "mee-2015").items_by_id["fact-sheets-differ"]
    assert isinstance(relation, Relation) and relation.sources == ("lausanne-joint-statement",)


def test_a_dispute_needs_accounts_of_a_common_item(corpus: Path) -> None:
    path = corpus / "mee-2015" / "facts.yaml"
    edit(path, "    about: [lausanne-framework]\n    language: fa\n", "    language: fa\n")
    error = _refused(corpus, "mee-2015", "are not about a common item")
    assert error.fact_id == "fact-sheets-differ"
    assert "give both an 'about'" in str(error)


def test_a_dispute_is_between_accounts_not_events(corpus: Path) -> None:
    path = corpus / "mee-2015" / "facts.yaml"
    edit(path, "    from: us-lausanne-parameters\n", "    from: khamenei-speech\n")
    error = _refused(
        corpus, "mee-2015", "'khamenei-speech' is an event, but a dispute is between accounts"
    )
    assert error.location.line == _line_of(path, "from: khamenei-speech")


def test_a_stated_relation_needs_its_asserter(corpus: Path) -> None:
    path = corpus / "mee-2015" / "facts.yaml"
    old = "    to: final-deal-in-doubt\n    asserted_as: assessment\n"
    edit(path, old, old.replace("assessment", "stated"))
    _refused(corpus, "mee-2015", "needs 'asserted_by'")


def test_a_membership_is_in_a_group_not_a_person(corpus: Path) -> None:
    path = corpus / "brookings-2015" / "facts.yaml"
    edit(path, "    group: iranian-negotiating-team\n", "    group: rouhani\n")
    error = _refused(
        corpus, "brookings-2015", "'rouhani' is a person, but a membership is in a group"
    )
    assert error.location.line == _line_of(path, "group: rouhani")


def test_a_membership_role_is_a_code_of_the_role_scheme(corpus: Path) -> None:
    path = corpus / "brookings-2015" / "facts.yaml"
    edit(path, "    role: leader\n", "    role: head\n")
    error = _refused(corpus, "brookings-2015", "'head' is not in the ontology's role scheme")
    assert "leader" in str(error)  # the hint lists the codes


def test_a_registry_defines_documents_but_gives_no_roles(corpus: Path) -> None:
    registry = corpus / "registry.yaml"
    text = registry.read_text(encoding="utf-8")
    registry.write_text(
        text
        + "documents:\n  us-iran-talks-summary:\n    type: report\n    title: Summary of talks\n"
        "    about: [iran, united-states]\n    language: en\n",
        encoding="utf-8",
    )
    loaded = load_registry([registry])
    assert isinstance(loaded.items_by_id["us-iran-talks-summary"], Work)
    registry.write_text(
        text + "events:\n  talks:\n    label: Talks\n    type: negotiation\n"
        "    roles: {iran: participant}\n",
        encoding="utf-8",
    )
    with pytest.raises(FactsError):
        load_registry([registry])


# --- RDF ---------------------------------------------------------------------------------------


def test_a_relation_is_a_claim_with_its_type_ends_and_asserter(graphs: dict[str, Graph]) -> None:
    graph = graphs["mee-2015"]
    relation = D["relation/mee-2015/reports-and-speech-overshadow-success"]
    assert set(graph.objects(relation, RDF.type)) == {PKG.Relation, PKG.Claim, PROV.Entity}
    assert graph.value(relation, PKG.relationType) == RELTYPE.undermines
    assert set(graph.objects(relation, PKG["from"])) == {
        D["work/iran-lausanne-summary"],
        D["work/us-lausanne-parameters"],
        D["event/khamenei-speech"],
    }
    assert graph.value(relation, PKG.to) == D["claim/mee-2015/framework-a-success"]
    assert graph.value(relation, PKG.assertedBy) == D["actor/mee-2015-author"]
    assert graph.value(relation, PROV.wasDerivedFrom) == D["document/mee-2015"]
    assert (None, URIRef("http://www.w3.org/ns/oa#hasBody"), relation) in graph
    summary = D["relation/mee-2015/fact-sheets-differ"]
    assert graph.value(summary, RDFS.label) == Literal(
        "The US and Iranian fact sheets differ on almost all major topics."
    )
    assert graph.value(D["relation/mee-2015/differences-cast-doubt"], RDFS.label) == Literal(
        "differences-grow causes final-deal-in-doubt"
    )


def test_a_document_spoken_about_is_a_creative_work(graphs: dict[str, Graph]) -> None:
    graph = graphs["mee-2015"]
    work = D["work/iran-lausanne-summary"]
    assert set(graph.objects(work, RDF.type)) == {SCHEMA.CreativeWork, PROV.Entity}
    assert graph.value(work, DCTERMS.type) == DOCTYPE["fact-sheet"]
    assert graph.value(work, SCHEMA.publisher) == D["actor/iran-foreign-ministry"]
    assert graph.value(work, SCHEMA.about) == D["event/lausanne-framework"]
    assert graph.value(work, SCHEMA.inLanguage) == Literal("fa")


def test_roles_follow_sem_and_stay_in_their_document_s_graph(graphs: dict[str, Graph]) -> None:
    graph = graphs["mee-2015"]
    event = D["event/lausanne-press-conference"]
    role = D["role/mee-2015/lausanne-press-conference/mogherini/reader"]
    assert (event, SEM.hasActor, role) in graph
    assert set(graph.objects(role, RDF.type)) == {SEM.Role, SEM.View}
    assert graph.value(role, RDF.value) == D["actor/mogherini"]
    assert graph.value(role, SEM.roleType) == ROLETYPE.reader
    assert graph.value(role, SEM.accordingTo) == D["document/mee-2015"]
    for name, other in graphs.items():
        if name != "mee-2015":
            assert not list(other.triples((role, None, None))), name


def test_a_membership_is_an_org_membership_with_a_role(graphs: dict[str, Graph]) -> None:
    graph = graphs["brookings-2015"]
    membership = D["membership/brookings-2015/zarif-leads-negotiators"]
    assert set(graph.objects(membership, RDF.type)) == {ORG.Membership}
    assert graph.value(membership, ORG.member) == D["actor/zarif"]
    assert graph.value(membership, ORG.organization) == D["actor/iranian-negotiating-team"]
    assert graph.value(membership, ORG.role) == ROLETYPE.leader
    assert graph.value(membership, PKG.assertedBy) == D["actor/brookings-2015-author"]
    assert graph.value(membership, PROV.wasDerivedFrom) == D["document/brookings-2015"]


def test_the_corpus_conforms_and_a_backward_cause_does_not(corpus: Path) -> None:
    """The shapes check what the loader cannot: here, that an effect does not end before its
    cause begins (the speech of 9 April cannot cast doubt on something over by 2 April)."""
    result = build([corpus])
    assert result.report is not None and result.report.conforms, result.report.describe()
    path = corpus / "brookings-2015" / "facts.yaml"
    edit(
        path,
        "    asserted_as: assessment\n    quote: casts serious doubts on the deal\n",
        '    asserted_as: assessment\n    date: "2015-04-02"\n'
        "    quote: casts serious doubts on the deal\n",
    )
    result = build([corpus])
    assert result.report is not None and not result.report.conforms
    (violation,) = result.report.violations
    assert violation.shape == "pkgsh:RelationCauseOrderShape"
    assert "ends (2015-04-02T23:59:59) before" in violation.message
    assert violation.origin is not None and "speech-casts-doubts" in violation.origin


def test_a_relation_says_how_certain_its_asserter_is(corpus: Path) -> None:
    """A relation carries FactBank's certainty, negation and hedge words as claims do, written
    only when not certain and positive; a hedge must be inside the relation's quote."""
    path = corpus / "mee-2015" / "facts.yaml"
    edit(
        path,
        "    to: final-deal-in-doubt\n    asserted_as: assessment\n",
        "    to: final-deal-in-doubt\n    asserted_as: assessment\n    certainty: probable\n"
        "    hedge: [cast doubt on]\n",
    )
    result = build([corpus], validate=True, include_ontology=False)
    assert result.report.conforms, result.report.text
    (mee,) = [g for g in result.graphs if g.graph_iri.endswith("/mee-2015")]
    graph = _graph(mee.ntriples)
    relation = D["relation/mee-2015/differences-cast-doubt"]
    certainty = URIRef("https://w3id.org/policykg/certainty/probable")
    assert (relation, PKG.certainty, certainty) in graph
    assert (relation, PKG.hedge, Literal("cast doubt on")) in graph
    other = D["relation/mee-2015/reports-and-speech-overshadow-success"]
    assert not set(graph.objects(other, PKG.certainty))  # certain: nothing written
    edit(path, "    hedge: [cast doubt on]\n", "    hedge: [it seems]\n")
    error = _refused(corpus, "mee-2015", "the words 'it seems' are not inside the claim's quote")
    assert error.location.line == _line_of(path, "    hedge: [it seems]")
