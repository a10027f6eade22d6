"""``policykg draft FOLDER``: read an article folder, propose, write the draft file."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policykg.draft.proposals import Proposal, by_section, propose
from policykg.draft.writing import coverage, insert, is_untouched_template
from policykg.errors import FactsError, Location, UsageError
from policykg.facts.loader import find_facts_files, is_registry_file, load_registry
from policykg.facts.reading import read_yaml
from policykg.facts.template import FACTS_FILE, TEXT_FILE, TEXT_PLACEHOLDER
from policykg.outputs import write_atomically

DRAFT_FILE = "facts.draft.yaml"


@dataclass(frozen=True)
class DraftResult:
    """What a draft wrote: the file, and the proposals in it."""

    path: Path
    proposals: tuple[Proposal, ...]

    def counts(self) -> dict[str, int]:
        """The number of proposals by section."""
        return dict(Counter(proposal.section for proposal in self.proposals))


def draft_folder(
    folder: Path, registry_paths: Iterable[Path] = (), published_from: dt.date | None = None
) -> DraftResult:
    """Propose facts for the article of *folder* and write them, marked as drafts.

    The draft goes into ``facts.yaml`` itself while it is still the untouched template of
    ``policykg init``; otherwise into ``facts.draft.yaml`` beside it (the curated file with the
    proposals added), which is never overwritten.

    :param registry_paths: registry files, or folders holding them, besides those in *folder*.
    :param published_from: when the day of publication is not printed, the first day the article
        can have appeared; its ``published`` is then the last. Relative dates become ranges.
    :raises UsageError: no ``facts.yaml`` in *folder*, a ``facts.draft.yaml`` already there, or
        *published_from* after ``published``.
    :raises FactsError: an unreadable facts file, text or registry.
    """
    facts_path = folder / FACTS_FILE
    if not facts_path.is_file():
        raise UsageError(f"{facts_path} does not exist: start the folder with policykg init")
    facts_text = facts_path.read_text(encoding="utf-8")
    tree = read_yaml(facts_path)
    text = _article_text(facts_path, tree)
    if text == TEXT_PLACEHOLDER:
        raise UsageError(
            f"{facts_path.parent / TEXT_FILE} still holds init's placeholder: paste the article's"
            " text into it first"
        )
    registry_files = [
        path for path in find_facts_files([folder, *registry_paths]) if is_registry_file(path)
    ]
    registry = load_registry(registry_files)
    published = _published(facts_path, tree)
    if published_from is not None and published_from > published:
        raise UsageError(
            f"--published-from {published_from} is after the publication date {published} of"
            f" {facts_path}: give the first day the article can have appeared, and the last as"
            " `published`"
        )
    proposals = propose(
        text, published, registry, coverage(tree, text), published_from=published_from
    )
    target = facts_path if is_untouched_template(facts_path, facts_text) else folder / DRAFT_FILE
    if target != facts_path and target.exists():
        raise UsageError(
            f"{target} already exists: review it and move it over {facts_path}, or delete it,"
            " before drafting again"
        )
    output = insert(facts_text, by_section(proposals), facts_path)
    write_atomically(target, output.encode("utf-8"))
    return DraftResult(target, tuple(proposals))


def _article_text(facts_path: Path, tree: dict[str, Any]) -> str:
    document = tree.get("document") or {}
    name = document.get("text") if isinstance(document, dict) else None
    if not isinstance(name, str):
        raise FactsError("the document gives no `text`", Location(facts_path, 1))
    text_path = facts_path.parent / name
    try:
        return text_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise FactsError(
            f"cannot read the text {text_path}: {error}", Location(facts_path)
        ) from error


def _published(facts_path: Path, tree: dict[str, Any]) -> dt.date:
    document = tree.get("document") or {}
    value = document.get("published")
    if value is None and isinstance(document.get("first_published"), dict):
        value = document["first_published"].get("date")
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as error:
        raise FactsError(
            "draft resolves dates against the publication date: give `published` as YYYY-MM-DD",
            Location(facts_path),
        ) from error
