"""The ``policykg`` command: a thin layer that parses options, calls the library, prints, exits."""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import IntEnum
from pathlib import Path
from typing import Any, TypeVar

import click

from policykg import __version__
from policykg.errors import PolicyKGError, StoreError
from policykg.namespaces import DEFAULT_BASE
from policykg.pipeline import build, validate_file, write_output
from policykg.serialization import FORMATS, serialize, write_atomically
from policykg.validation import ValidationReport

F = TypeVar("F", bound=Callable[..., Any])


class Exit(IntEnum):
    """Exit statuses, the same for every command (listed in the README)."""

    OK = 0
    DOES_NOT_CONFORM = 1
    BAD_INPUT = 2  # bad facts, bad graph file, bad query, bad options: click uses 2 for usage too
    STORE_FAILURE = 3  # a store or endpoint failed or refused, or a load did not verify


_FORMAT_CHOICE = click.Choice(sorted(FORMATS), case_sensitive=False)


def _base_option(help_text: str) -> Callable[[F], F]:
    return click.option("--base", default=DEFAULT_BASE, show_default=True, help=help_text)


def _report_option(help_text: str) -> Callable[[F], F]:
    return click.option("--report", "report_path", type=click.Path(path_type=Path), help=help_text)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="policykg")
def main() -> None:
    """Turn curated facts about foreign-policy articles into validated, traceable RDF.

    \b
    Example:
      policykg build examples/khamenei-2016 -o khamenei.ttl
      policykg validate khamenei.ttl
    """


@main.command(name="build")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    help="File to write (its extension picks the format), or - for standard output.",
)
@click.option("--format", "fmt", type=_FORMAT_CHOICE, help="Output format (default: from -o).")
@_base_option("Base IRI that data IRIs are minted from.")
@click.option("--no-validate", is_flag=True, help="Skip SHACL validation.")
@click.option(
    "--no-ontology", is_flag=True, help="Leave the ontology's named graph out of the output."
)
@click.option(
    "--context",
    "context_mode",
    type=click.Choice(["embed", "reference"]),
    default="embed",
    show_default=True,
    help="JSON-LD: embed the context or reference its w3id URL.",
)
@_report_option("Also write the SHACL validation report graph (Turtle) here.")
def build_command(
    paths: tuple[Path, ...],
    output: Path,
    fmt: str | None,
    base: str,
    no_validate: bool,
    no_ontology: bool,
    context_mode: str,
    report_path: Path | None,
) -> None:
    """Build RDF from facts files, or folders of them, and validate it.

    Nothing is written when the input is bad (exit 2) or the graph does not conform (exit 1).

    \b
    Example:
      policykg build examples/khamenei-2016 -o khamenei.ttl
      policykg build examples/ -o corpus.trig --base https://example.org/kg/
    """
    try:
        if str(output) == "-" and fmt is None:
            raise click.UsageError("writing to standard output needs --format")
        result = build(paths, base=base, validate=not no_validate, include_ontology=not no_ontology)
        if result.report is not None:
            _write_report(result.report, report_path)
            if not result.report.conforms:
                click.echo(result.report.describe(), err=True)
                click.echo("nothing written: fix the facts and build again", err=True)
                sys.exit(Exit.DOES_NOT_CONFORM)
        embed = context_mode == "embed"
        if str(output) == "-":
            assert fmt is not None
            click.echo(serialize(result.graphs, fmt, embed_context=embed).decode("utf-8"), nl=False)
            return
        written = write_output(result, output, fmt=fmt, embed_context=embed)
    except PolicyKGError as error:
        _fail(error)
    validated = "validated" if result.report is not None else "not validated"
    click.echo(
        f"{output}: {len(result.documents)} document(s), {result.triple_count} triples,"
        f" {written}, {validated}",
        err=True,
    )


@main.command(name="validate")
@click.argument("graph", type=click.Path(path_type=Path))
@click.option(
    "--facts",
    "facts_paths",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Facts files or folders the graph was built from, to report their lines.",
)
@_base_option("Base IRI the graph was built with (used with --facts).")
@_report_option("Write the SHACL validation report graph (Turtle) here.")
def validate_command(
    graph: Path, facts_paths: tuple[Path, ...], base: str, report_path: Path | None
) -> None:
    """Validate an RDF file (any format policykg writes) against policykg's shapes.

    \b
    Example:
      policykg validate khamenei.ttl --facts examples/khamenei-2016 --report report.ttl
    """
    try:
        report = validate_file(graph, facts_paths=facts_paths, base=base)
        _write_report(report, report_path)
    except PolicyKGError as error:
        _fail(error)
    click.echo(report.describe(), err=not report.conforms)
    sys.exit(Exit.OK if report.conforms else Exit.DOES_NOT_CONFORM)


def _write_report(report: ValidationReport, path: Path | None) -> None:
    if path is not None:
        write_atomically(path, report.graph.serialize(format="turtle", encoding="utf-8"))


def _fail(error: PolicyKGError) -> None:
    click.echo(f"error: {error}", err=True)
    sys.exit(Exit.STORE_FAILURE if isinstance(error, StoreError) else Exit.BAD_INPUT)
