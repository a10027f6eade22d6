"""The SPARQL questions :mod:`policykg.export.events` asks of a graph.

Each returns plain rows that the export assembles in Python. A node that many facts share (an
actor, a document, an event) is asked for once: the node queries select it DISTINCT first and
use no property paths, which Oxigraph evaluated without the outer bindings, once per fact.
"""

PREFIXES = """
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX pkg: <https://w3id.org/policykg/ns#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/>
PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
PREFIX time: <http://www.w3.org/2006/time#>
"""
# Every property of every coded fact.
FACTS = PREFIXES + "SELECT ?s ?p ?o WHERE { ?s pkg:cameoCode ?code ; ?p ?o }"
# Every property of the nodes one step from a coded fact: actors, times, events, documents. Each
# node once (DISTINCT), however many facts share it: a corpus's facts share actors and documents.
NEIGHBOURS = (
    PREFIXES
    + """
SELECT ?s ?p ?o WHERE {
  { SELECT DISTINCT ?s WHERE {
      ?fact pkg:cameoCode ?code ; ?link ?s .
      VALUES ?link { pkg:speaker pkg:holder pkg:target sem:hasActor pkg:assertedBy time:hasTime
                     pkg:statedAt prov:wasDerivedFrom }
  } }
  ?s ?p ?o
}"""
)
# The nodes two steps away: the time of the event a claim was made at, a time's interval ends,
# the publisher and the first publication of a document.
FARTHER = (
    PREFIXES
    + """
SELECT ?s ?p ?o WHERE {
  { SELECT DISTINCT ?s WHERE {
      ?fact pkg:cameoCode ?code ; ?first ?node .
      ?node ?second ?s .
      VALUES (?first ?second) {
        (pkg:statedAt time:hasTime) (time:hasTime time:hasBeginning) (time:hasTime time:hasEnd)
        (prov:wasDerivedFrom schema:publisher) (prov:wasDerivedFrom schema:isBasedOn)
      }
  } }
  ?s ?p ?o
}"""
)
# The interval ends of the times of the events claims were made at.
FARTHEST = (
    PREFIXES
    + """
SELECT ?s ?p ?o WHERE {
  { SELECT DISTINCT ?s WHERE {
      ?fact pkg:cameoCode ?code ; pkg:statedAt ?event .
      ?event time:hasTime ?time .
      ?time ?end ?s .
      VALUES ?end { time:hasBeginning time:hasEnd }
  } }
  ?s ?p ?o
}"""
)
# The states and who holds a post of which organization (tenures): an actor's country is the
# actor itself if it is a state, else the states whose posts it holds. Joined in Python: as one
# query with a UNION, Oxigraph's time grew with the square of the corpus.
STATES = (
    PREFIXES
    + """
SELECT DISTINCT ?country ?name WHERE {
  ?country a schema:Country ; <http://www.w3.org/2000/01/rdf-schema#label> ?name
}"""
)
TENURES = (
    PREFIXES
    + """
SELECT DISTINCT ?actor ?organization WHERE {
  ?tenure pkg:post ?post ; org:member ?actor ; org:organization ?organization
}"""
)
EVIDENCE = (
    PREFIXES
    + """
SELECT ?fact ?annotation ?exact ?start ?end WHERE {
  ?fact pkg:cameoCode ?code .
  ?annotation oa:hasBody ?fact ; oa:hasTarget ?target .
  ?target oa:hasSelector ?quote, ?position .
  ?quote oa:exact ?exact .
  ?position oa:start ?start ; oa:end ?end .
}"""
)
GRAPHS = PREFIXES + "SELECT ?fact ?graph WHERE { GRAPH ?graph { ?fact pkg:cameoCode ?code } }"
