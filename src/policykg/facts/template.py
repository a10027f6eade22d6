"""Start a new article folder: a commented facts template and a place for the article's text.

The template builds as soon as the article's text is pasted: its only fact is the headline, quoted
from the text, so a build also checks that the right text was pasted. Every section carries a
commented example (from the example article, examples/khamenei-2016) that shows its fields.
"""

from __future__ import annotations

import json
import os
import re
import textwrap
import unicodedata
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from jsonschema.exceptions import best_match

from policykg.errors import UsageError
from policykg.facts.dates import Precision, parse_date
from policykg.facts.iris import iri_problem
from policykg.facts.schema import schema_validator
from policykg.resources import data_path, facts_schema, scheme_codes

FACTS_FILE = "facts.yaml"
TEXT_FILE = "article.txt"
_ID_LENGTH = 64

TEXT_PLACEHOLDER = """\
Paste the text of the article here, replacing these lines: plain text, exactly as published,
with its title as the first line. Keep the file in UTF-8.

policykg checks every quote of facts.yaml against this text, so do not edit the text afterwards:
a quote of the article must be found here word for word (only typographic quotes and apostrophes
and runs of whitespace may differ).
"""


def start_article(
    directory: Path,
    *,
    url: str,
    title: str,
    published: str,
    article_id: str | None = None,
    publisher: str | None = None,
) -> tuple[Path, Path]:
    """Create *directory* with ``facts.yaml`` and ``article.txt``; return their paths.

    *article_id* defaults to a slug of *title*; *publisher* (the publisher's name) to the host
    name of *url*. Raises :class:`UsageError` for an unusable value, or when either file already
    exists (nothing is overwritten).
    """
    facts_path, text_path = directory / FACTS_FILE, directory / TEXT_FILE
    for path in (facts_path, text_path):
        if path.exists():
            raise UsageError(
                f"{path} already exists: policykg init never overwrites a file;"
                " choose a new folder, or move the existing one away"
            )
    document = _document(url, title, published, article_id, publisher)
    text = facts_template(document, schema_reference=_schema_reference(directory))
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with facts_path.open("x", encoding="utf-8") as handle:
            handle.write(text)
        with text_path.open("x", encoding="utf-8") as handle:
            handle.write(TEXT_PLACEHOLDER)
    except OSError as error:
        raise UsageError(f"cannot create {error.filename}: {error.strerror}") from error
    return facts_path, text_path


def slug(text: str) -> str:
    """An id made from *text*: ``"Iran's talks with US"`` → ``irans-talks-with-us``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.sub("['\u2019]", "", ascii_text.lower())
    hyphenated = re.sub(r"[^a-z0-9]+", "-", words).strip("-")
    if len(hyphenated) > _ID_LENGTH:
        hyphenated = hyphenated[:_ID_LENGTH].rsplit("-", 1)[0]
    return hyphenated


def _document(
    url: str, title: str, published: str, article_id: str | None, publisher: str | None
) -> dict[str, str]:
    host = urlsplit(url).hostname or ""
    publisher_name = publisher or host.removeprefix("www.")
    document = {
        "id": article_id if article_id is not None else slug(title),
        "title": title,
        "url": url,
        "publisher": slug(publisher_name),
        "publisher_name": publisher_name,
        "published": published,
    }
    # Stand-ins for ids that cannot be made, so that a bad URL or title is reported first.
    _check({**document, "id": document["id"] or "id", "publisher": document["publisher"] or "p"})
    if not document["id"]:
        raise UsageError(f"no id can be made from the title {title!r}: give one with --id")
    if not document["publisher"]:
        raise UsageError(f"no id can be made from {publisher_name!r}: name the publisher")
    return document


def _check(document: dict[str, str]) -> None:
    """Refuse a value that the facts schema or the date rules would refuse at the first build."""
    error = best_match(schema_validator(facts_schema()).iter_errors(_live_facts(document)))
    if error is not None:
        field = str(error.absolute_path[-1]) if error.absolute_path else "the template"
        description = error.schema.get("description") if isinstance(error.schema, dict) else None
        if error.validator == "format":
            problem = f"is not a valid IRI: {iri_problem(str(error.instance))}"
        elif description:
            problem = f"is not {description[0].lower()}{description[1:].rstrip('.')}"
        else:
            problem = f"is unusable ({error.message})"
        raise UsageError(f"{field} {error.instance!r} {problem}")
    try:
        date = parse_date(document["published"])
    except ValueError as error:
        raise UsageError(f"the publication date: {error}") from error
    if date.precision is not Precision.DAY:
        raise UsageError("the publication date must be a day: YYYY-MM-DD")


def _live_facts(document: dict[str, str]) -> dict[str, Any]:
    """The uncommented part of the template, as the loader will read it."""
    return {
        "policykg": 1,
        "document": {
            "id": document["id"],
            "title": document["title"],
            "url": document["url"],
            "publisher": document["publisher"],
            "published": document["published"],
            "text": TEXT_FILE,
        },
        "actors": {
            document["publisher"]: {
                "type": "organization",
                "name": document["publisher_name"],
                "source": document["url"],
            }
        },
        "claims": {
            "headline": {
                "summary": document["title"],
                "asserted_as": "reported",
                "quote": document["title"],
            }
        },
    }


def _schema_reference(directory: Path) -> str:
    schema = data_path("facts.schema.json").resolve()
    try:
        return Path(os.path.relpath(schema, directory.resolve())).as_posix()
    except ValueError:  # another drive on Windows: no relative path exists
        return schema.as_uri()


def _quoted(value: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def _plain(identifier: str) -> str:
    """An id as YAML text: unquoted, unless YAML would read it as a number, boolean or null."""
    return identifier if yaml.safe_load(identifier) == identifier else _quoted(identifier)


def _comment(text: str) -> str:
    lines = textwrap.wrap(text, width=98, break_on_hyphens=False)
    return "".join(f"# {line}\n" for line in lines)


def _example(yaml_text: str) -> str:
    """A YAML block commented out line by line, ready to be uncommented."""
    return "".join(f"# {line}\n" if line else "#\n" for line in yaml_text.splitlines())


def _codes(scheme: str) -> str:
    return ", ".join(sorted(scheme_codes(scheme)))


def facts_template(document: dict[str, str], *, schema_reference: str) -> str:
    """The text of a new ``facts.yaml`` for *document* (the values checked by ``_document``)."""
    return "".join(
        [
            _header(document, schema_reference),
            _document_block(document),
            _actors_block(document),
            _comment("Places the text names:"),
            _example(_PLACES),
            "\n",
            _comment(
                "Posts (offices) and who held them when. A tenure without `to` is still going on"
                " at publication. Dates are YYYY, YYYY-MM or YYYY-MM-DD, in quotes, or a mapping"
                " that says where the date comes from (basis: stated, derived or curator)."
            ),
            _example(_POSTS_AND_TENURES),
            "\n",
            _comment(f"Events. type is one of: {_codes('eventtype')}."),
            _comment(f"cameo (optional, in quotes) is one of: {_codes('cameo')}."),
            _example(_EVENTS),
            "\n",
            _comment(
                "What an actor said. asserted_as: stated (the actor's own words, quoted directly:"
                " list them in `words`), reported, assessment, derived or curator (with `source`"
                " instead of `quote`). negated: true says the actor did NOT say it (an omission"
                " the author observes, never stated)."
            ),
            _comment(f"topics (optional) are some of: {_codes('topic')}."),
            _comment(f"channel (optional) is one of: {_codes('channel')}."),
            _example(_STATEMENTS),
            "\n",
            _comment(
                f"Positions an actor holds. polarity is one of: {_codes('polarity')}. A view the"
                " text names no holder for has unattributed: true instead of holder."
            ),
            _example(_STANCES),
            "\n",
            _claims_block(document),
            "\n",
            _comment(
                "Documents the text speaks about (a fact sheet, an agreement's text), not the"
                f" article itself. type is one of: {_codes('doctype')}."
            ),
            _example(_DOCUMENTS),
            "\n",
            _comment(
                "Links the text asserts, read 'from <type> to'; from and to are ids of statements,"
                " stances, claims, events, documents or relations. A dispute is between two"
                " accounts (claims or documents) with a common `about`. type is one of:"
                f" {_codes('relation')}."
            ),
            _example(_RELATIONS),
            "\n",
            _comment(
                "An actor's role in a group (the negotiators, led by Zarif); roles in events are an"
                f" event's `roles`. role is one of: {_codes('role')}."
            ),
            _example(_MEMBERSHIPS),
        ]
    )


def _header(document: dict[str, str], schema_reference: str) -> str:
    return (
        f"# yaml-language-server: $schema={schema_reference}\n"
        "#\n"
        f"# The facts of {_quoted(document['title'])} for policykg. The format is explained in\n"
        "# docs/facts-format.md of policykg; `policykg schema` prints the JSON Schema it follows.\n"
        "#\n"
        "# 1. Paste the article's text into article.txt, exactly as published, title included.\n"
        "# 2. Build: policykg build <this folder> -o <name>.ttl\n"
        "#    The headline claim at the end quotes the title: the first build checks the text.\n"
        "# 3. Add facts: uncomment an example below, give it an id of your own (lower-case\n"
        "#    letters, digits, single hyphens; unique in this file) and quote the exact words of\n"
        "#    the text that support it. Build again: a quote that is not in the text fails the\n"
        "#    build and shows the closest passage.\n"
        "policykg: 1\n\n"
    )


def _document_block(document: dict[str, str]) -> str:
    return (
        "document:\n"
        f"  id: {_plain(document['id'])}\n"
        f"  title: {_quoted(document['title'])}\n"
        f"  url: {_quoted(document['url'])}\n"
        "  # type: AnalysisNewsArticle  # the default; or NewsArticle, OpinionNewsArticle,\n"
        "  #   ReportageNewsArticle, Report, ScholarlyArticle, Article\n"
        f"  publisher: {_plain(document['publisher'])}\n"
        "  # author: the-author  # an actor id\n"
        "  # author_roles: [Senior Policy Fellow]  # the author's roles as the text gives them\n"
        f"  published: {_quoted(document['published'])}\n"
        "  # first_published:  # where it appeared first, if it is a republication\n"
        "  #   publisher: lobelog\n"
        '  #   date: "2016-06-07"\n'
        '  #   url: "https://lobelog.com/…"\n'
        "  #   quote: The article was first published by LobeLog on 7 June 2016.\n"
        f"  text: {TEXT_FILE}\n"
        "  # language: en  # BCP 47; en is the default\n"
        "  # disclaimer:  # the publisher disclaims the views: document metadata, not a claim\n"
        "  #   quote: ECFR publications only represent the views of their individual authors.\n"
        "  # note: a remark of the curator (any item may have one)\n\n"
    )


def _actors_block(document: dict[str, str]) -> str:
    return (
        "actors:\n"
        f"  {_plain(document['publisher'])}:\n"
        "    type: organization\n"
        f"    name: {_quoted(document['publisher_name'])}\n"
        "    # The publisher is known from where the article is published, hence `source`\n"
        "    # (a URL) rather than `quote`; quote the text instead if it names the publisher.\n"
        f"    source: {_quoted(document['url'])}\n"
        + _comment(
            "Actors the text names. type: person, state, organization, group or collaboration"
            " (whose `members` are actor ids). wikidata: only an id you have checked."
        )
        + _example(_ACTORS)
        + "\n"
    )


def _claims_block(document: dict[str, str]) -> str:
    return (
        "# Other propositions of the text: the author's own assessments, reported facts.\n"
        "claims:\n"
        "  headline:\n"
        f"    summary: {_quoted(document['title'])}\n"
        "    asserted_as: reported  # or assessment, when the title is the author's own judgement\n"
        f"    quote: {_quoted(document['title'])}\n" + _example(_CLAIMS)
    )


_ACTORS = """\
  khamenei:
    type: person
    name: Ali Khamenei
    alt_names: [Ayatollah Ali Khamenei]
    wikidata: Q57336
    quote: Iran's Supreme Leader Ayatollah Ali Khamenei
  iran:
    type: state
    name: Iran
    wikidata: Q794
    quote: three aspects of Iran's foreign policy trajectory
  united-states:
    type: state
    name: United States
    # A quote is a text, a mapping or a list of them (for several passages). Words that occur
    # more than once: {text: …, after: a unique passage before them}, or pin start: <offset>.
    quote: {text: the United States, after: categorically ruled out}
  p5-plus-1:
    type: collaboration
    name: P5+1
    members: [united-states]  # actor ids; the others would need ids (and a source) too
    quote: its obligations vis-à-vis the P5+1
  senior-iranian-officials:
    type: group  # only a collaboration has members
    name: Some senior Iranian officials
    quote: some senior Iranian officials"""

_PLACES = """\
places:
  lausanne:
    name: Lausanne
    wikidata: Q807
    # part_of: switzerland  # the id of the place it lies in
    quote: in Lausanne"""

_POSTS_AND_TENURES = """\
posts:
  supreme-leader-of-iran:
    label: Supreme Leader of Iran
    organization: iran
    quote: Iran's Supreme Leader
tenures:
  khamenei-as-supreme-leader:
    holder: khamenei
    post: supreme-leader-of-iran
    from: {value: "1989-06-04", basis: curator, source: "https://en.wikipedia.org/wiki/Ali_Khamenei"}
    # to: "2020-01-01"
    # asserted_as: reported  # the default for tenures and events
    quote: Iran's Supreme Leader Ayatollah Ali Khamenei"""

_EVENTS = """\
events:
  speech-2016-06-03:
    label: Khamenei's speech of 3 June 2016
    type: speech
    date:  # or from: and to: for a span
      value: "2016-06-03"
      weekday: Friday  # the text says "On Friday": checked against the value
      basis: derived
      note: '"On Friday" before the publication on Tuesday 7 June 2016'
    # Or a range, or a date relative to events (ids) or to the publication (published):
    # date: {between: ["2016-05-30", "2016-06-03"], weekday: Friday}
    # date: {after: khomeini-death, before: published, within: "2016-06"}
    # date: {offset: {from: published, by: -P4D, tolerance: P1D}}  # 4 days before, give or take 1
    actors: [khamenei]
    roles: {khamenei: speaker}  # actor id: a role or a list of roles, according to this article
    # place: lausanne
    cameo: "010"
    # part_of: nuclear-negotiations  # an event id
    # commemorates: {event: khomeini-death, anniversary: 27}
    # forecast: true  # when the event lies after the publication
    quote: On Friday, Iran's Supreme Leader Ayatollah Ali Khamenei made a significant speech"""

_STATEMENTS = """\
statements:
  khamenei-us-disloyal:
    speaker: khamenei
    summary: The US was "disloyal" in keeping its end of the nuclear bargain.
    asserted_as: stated
    words: [disloyal]
    event: speech-2016-06-03
    in_office: khamenei-as-supreme-leader
    date: "2016-06-03"
    target: united-states
    topics: [nuclear-deal, sanctions]
    cameo: "112"
    channel: speech
    # asserted_by: khamenei  # default: the speaker when stated, else the document's author
    quote: the US was "disloyal" in keeping its end of the bargain
  khamenei-no-countermeasures:
    speaker: khamenei
    summary: Iran should take counter-measures with respect to the nuclear deal.
    negated: true  # he did not say it
    asserted_as: assessment
    event: speech-2016-06-03
    quote: at no point did he suggest that Iran should take counter-measures"""

_STANCES = """\
stances:
  khamenei-rules-out-talks:
    holder: khamenei  # or, for a view the text names no holder for: unattributed: true
    summary: Khamenei rules out negotiations with the US beyond nuclear issues.
    polarity: rules-out
    # condition: unless the US lifts all sanctions  # for conditionally-open
    asserted_as: reported
    based_on: [khamenei-us-disloyal]
    topics: [negotiations, bilateral-relations]
    target: united-states
    event: speech-2016-06-03
    in_office: khamenei-as-supreme-leader
    date: "2016-06"
    quote: categorically ruled out negotiations with the United States beyond nuclear issues"""

_CLAIMS = """\
  speech-significant:
    summary: The speech was significant.
    asserted_as: assessment
    about: [speech-2016-06-03]  # actor, place or event ids
    refers_to: [khamenei-rules-out-talks]  # statements, stances or claims it links to
    # forecast: true  # a prediction about the future
    # source: "https://…"  # with asserted_as: curator, instead of quote
    # scare_quotes: [framework agreement]  # words the author distances himself from
    quote: a significant speech
  negotiations-indicate-no-change:
    summary: The negotiations seemed to indicate that the US would not change its role.
    asserted_as: assessment
    # How certain the source is: certain (the default), probable, possible or uncommitted;
    # negated: true when it presents the proposition as not holding. hedge: the words that
    # mark it, each inside the quote.
    certainty: probable
    hedge: [seemed to indicate]
    quote: one that seemed to indicate that the United States would not change
  tehran-open-beyond-nuclear:
    summary: Tehran would be open to bargaining with the US beyond the nuclear file.
    asserted_as: reported
    certainty: uncommitted  # the author only reports it
    factuality:  # how certain another source is of it
      - {source: senior-iranian-officials, certainty: probable, hedge: [viewed it as a signal]}
    quote: They viewed it as a signal from the Supreme Leader"""

_DOCUMENTS = """\
documents:
  jcpoa-text:
    type: agreement
    title: Joint Comprehensive Plan of Action
    # publisher: an actor id; author: an actor id
    about: [p5-plus-1, iran]  # what it is an account of: events, actors, places or documents
    language: en
    date: "2015-07"
    # url: "https://…"
    quote: its obligations under the nuclear deal"""

_RELATIONS = """\
relations:
  precedent-grounds-refusal:
    type: supports
    from: khamenei-us-disloyal  # or a list of ids
    to: khamenei-rules-out-talks
    asserted_as: assessment
    # asserted_by: an actor id; default: the document's author
    summary: The US's disloyalty is a reason for Khamenei to rule out talks beyond nuclear issues.
    topics: [negotiations]
    quote: the nuclear talks served as precedent that Iran should not make deals"""

_MEMBERSHIPS = """\
memberships:
  khamenei-leads-iran:
    member: khamenei
    group: iran  # a group, organization, state or collaboration
    role: leader
    # asserted_as: reported  # the default
    quote: Iran's Supreme Leader Ayatollah Ali Khamenei"""
