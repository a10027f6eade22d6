"""The exception family of policykg: one base class, one subclass per pipeline stage.

Every error carries where it happened as attributes *and* in its message, so the CLI can print
``str(error)`` and a library caller can still act on the parts.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Location:
    """A place in an input file: 1-based line and column, as editors count them."""

    path: Path
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        text = str(self.path)
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        return text


class PolicyKGError(Exception):
    """Base class of every error policykg raises on purpose."""


class FactsError(PolicyKGError):
    """A facts file cannot be read or is not a valid description of its document."""

    def __init__(
        self,
        message: str,
        location: Location,
        *,
        fact_id: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.location = location
        self.fact_id = fact_id
        self.hint = hint
        super().__init__(self._render())

    def __reduce__(self) -> tuple[object, ...]:
        # So that an error raised in a worker process arrives whole in the build that started it.
        return (
            _rebuild_facts_error,
            (type(self), self.message, self.location, self.fact_id, self.hint),
        )

    def _render(self) -> str:
        where = str(self.location)
        if self.fact_id:
            where += f" [{self.fact_id}]"
        text = f"{where}: {self.message}"
        if self.hint:
            text += f"\n  fix: {self.hint}"
        return text


def _rebuild_facts_error(
    kind: type[FactsError], message: str, location: Location, fact_id: str | None, hint: str | None
) -> FactsError:
    return kind(message, location, fact_id=fact_id, hint=hint)


class GroundingError(FactsError):
    """A quote is not found, or not found unambiguously, in the document's text."""


class MappingError(PolicyKGError):
    """The facts cannot be turned into RDF (for example, an unusable base IRI)."""


class LineFormatError(PolicyKGError):
    """Lines meant as N-Triples are not valid RDF 1.1 N-Triples."""


class GraphInputError(PolicyKGError):
    """An RDF file given to ``validate``, ``report``, ``load`` or ``query`` cannot be read.

    *line* and *column* (1-based) say where, when the parser tells.
    """

    def __init__(
        self, message: str, path: Path, *, line: int | None = None, column: int | None = None
    ) -> None:
        self.path = path
        self.message = message
        self.location = Location(path, line, column if line is not None else None)
        super().__init__(f"{self.location}: {message}")

    def __reduce__(self) -> tuple[object, ...]:
        # So that an error raised in a worker process arrives whole in the command that started it.
        return (
            _rebuild_graph_input_error,
            (type(self), self.message, self.path, self.location.line, self.location.column),
        )


def _rebuild_graph_input_error(
    kind: type[GraphInputError], message: str, path: Path, line: int | None, column: int | None
) -> GraphInputError:
    return kind(message, path, line=line, column=column)


class WorkerError(PolicyKGError):
    """A worker process died (killed by the kernel for want of memory, say) before it finished:
    the work it held is lost, and the command (a build, a validation) stops rather than write
    half an output or report half a verdict. Not the input's fault: the CLI exits with 4."""


class SerializationError(PolicyKGError):
    """Output cannot be written in the requested format or place."""


class ResourceError(PolicyKGError):
    """The ontology, shapes or JSON-LD context shipped with policykg cannot be found or read."""


class StoreError(PolicyKGError):
    """A triple store or SPARQL endpoint failed or refused a request, or a load did not verify."""

    def __init__(
        self,
        message: str,
        *,
        endpoint: str | None = None,
        status: int | None = None,
        body_excerpt: str | None = None,
    ) -> None:
        self.endpoint = endpoint
        self.status = status
        self.body_excerpt = body_excerpt
        parts = [message]
        if endpoint:
            parts.append(f"endpoint: {endpoint}")
        if status is not None:
            parts.append(f"HTTP status: {status}")
        if body_excerpt:
            parts.append(f"response: {body_excerpt}")
        super().__init__("\n  ".join(parts))


class QueryError(PolicyKGError):
    """A SPARQL query cannot be parsed or run (line and column when the parser gives them)."""

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None) -> None:
        self.line = line
        self.column = column
        where = f"line {line}, column {column}: " if line is not None and column is not None else ""
        super().__init__(f"query error: {where}{message}")


class UsageError(PolicyKGError):
    """The arguments of a call do not fit together."""
