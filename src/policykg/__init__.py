"""policykg: curated facts about foreign-policy articles → validated, traceable RDF.

The public API is what ``__all__`` names: one function per command (:func:`build_graphs` and
:func:`write`, :func:`validate_file`, :func:`load`, :func:`query` and :func:`render`,
:func:`report`, :func:`compare`, :func:`draft_facts`, :func:`export_events`), the results they
return, and :class:`PolicyKGError`, the base of every error policykg raises on purpose (its
subclasses are in :mod:`policykg.errors`). See ``docs/api.md``.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("policykg")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

from policykg.api import (
    build_graphs,
    compare,
    draft_facts,
    export_events,
    load,
    query,
    render,
    report,
    validate_file,
    write,
)
from policykg.build.pipeline import BuildResult
from policykg.diff.report import DiffReport
from policykg.draft.folder import DraftResult
from policykg.errors import PolicyKGError
from policykg.export.events import EventTable
from policykg.html.report import Report
from policykg.store.loading import LoadReport
from policykg.store.results import Answer, QueryResult, Solutions, Triples
from policykg.validate.shacl import ValidationReport, Violation

__all__ = [
    "Answer",
    "BuildResult",
    "DiffReport",
    "DraftResult",
    "EventTable",
    "LoadReport",
    "PolicyKGError",
    "QueryResult",
    "Report",
    "Solutions",
    "Triples",
    "ValidationReport",
    "Violation",
    "__version__",
    "build_graphs",
    "compare",
    "draft_facts",
    "export_events",
    "load",
    "query",
    "render",
    "report",
    "validate_file",
    "write",
]
