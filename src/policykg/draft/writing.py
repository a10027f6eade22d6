"""The draft file: the facts file's own text with the proposals inserted, marked ``draft: true``.

The curated text is kept as it is, comments included; a proposal goes at the end of its section
(a section the file lacks is added at the end). Nothing is reformatted, so confirming a proposal
is deleting one line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from policykg.draft.anchoring import located
from policykg.draft.proposals import DATED, Coverage, Proposal
from policykg.errors import FactsError, Location
from policykg.facts.grounding import QuoteNotFound, SourceText
from policykg.facts.loader import DRAFT_KEY
from policykg.facts.reading import LocatedDict, read_yaml
from policykg.facts.template import facts_template

_DATE_KEYS = ("date", "from", "to")
_SCHEMA_LINE = re.compile(r"# yaml-language-server: \$schema=(\S+)\n")
_QUOTE_SECTIONS = (
    *("actors", "places", "posts", "tenures", "events", "statements", "stances", "claims"),
    *("documents", "relations", "memberships"),
)


def render(proposals: Iterable[Proposal]) -> str:
    """The YAML lines of *proposals*, indented to stand under their section's key."""
    lines: list[str] = []
    for proposal in proposals:
        entry = {proposal.id: {DRAFT_KEY: True, **proposal.fields}}
        text = yaml.safe_dump(
            entry, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
        )
        lines.extend("  " + line if line else line for line in text.splitlines())
    return "\n".join(lines) + "\n"


def insert(facts_text: str, sections: Mapping[str, list[Proposal]], path: Path) -> str:
    """*facts_text* with each section's proposals after the section's last entry."""
    lines = facts_text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    appended = []
    places = []
    for section, proposals in sections.items():
        where = _section_end(lines, section, path)
        if where is None:
            appended.append(f"\n{section}:\n" + render(proposals))
        else:
            places.append((where, render(proposals)))
    for where, block in sorted(places, reverse=True):
        lines.insert(where, block)
    return "".join(lines) + "".join(appended)


def _section_end(lines: list[str], section: str, path: Path) -> int | None:
    """The index of the line after the last entry line of *section*, or None if it is absent."""
    key = re.compile(rf"{re.escape(section)}:\s*(#.*)?$")
    for number, line in enumerate(lines):
        if line.startswith(f"{section}:") and not key.match(line.rstrip("\n")):
            raise FactsError(
                f"the section '{section}' is written in flow style ({line.strip()})",
                Location(path, number + 1),
                hint="write it in block style (one entry per line) so that draft can add to it",
            )
        if key.match(line.rstrip("\n")):
            end = number + 1
            for later in range(number + 1, len(lines)):
                text = lines[later]
                if text.strip() and not text[0].isspace() and not text.startswith("#"):
                    break
                if text.strip() and text[0].isspace() and not text.lstrip().startswith("#"):
                    end = later + 1
            return end
    return None


def coverage(tree: LocatedDict, text: str) -> Coverage:
    """The ids of *tree* (a facts file read with :func:`read_yaml`) and its quotes' spans."""
    covered = Coverage()
    source = SourceText(text)
    for section in _QUOTE_SECTIONS:
        entries = tree.get(section) or {}
        if not isinstance(entries, dict):
            continue
        for item_id, entry in entries.items():
            covered.ids.add(str(item_id))
            if isinstance(entry, dict) and "quote" in entry:
                located_spans = _spans(source, entry["quote"])
                covered.spans.setdefault(section, []).extend(located_spans)
                if any(key in entry for key in _DATE_KEYS):
                    covered.spans.setdefault(DATED, []).extend(located_spans)
    return covered


def _spans(source: SourceText, value: Any) -> list[tuple[int, int]]:
    found = []
    for quote in value if isinstance(value, list) else [value]:
        try:
            found.append(located(source, quote))
        except (QuoteNotFound, KeyError, TypeError, ValueError):
            continue  # a quote build will reject: it covers nothing yet
    return found


def is_untouched_template(path: Path, facts_text: str) -> bool:
    """Whether *facts_text* is exactly what ``policykg init`` wrote (no fact curated yet)."""
    schema = _SCHEMA_LINE.match(facts_text)
    if schema is None:
        return False
    try:
        tree = read_yaml(path)
        document = tree["document"]
        publisher = document["publisher"]
        values = {
            "id": document["id"],
            "title": document["title"],
            "url": document["url"],
            "publisher": publisher,
            "publisher_name": tree["actors"][publisher]["name"],
            "published": document["published"],
        }
        return facts_template(values, schema_reference=schema[1]) == facts_text
    except (FactsError, KeyError, TypeError, AttributeError, ValueError):
        return False  # not what init writes, so not its untouched template
