"""The package's layout shows the pipeline: one subpackage per stage, each importing only the stages
before it and the shared utilities, and nothing importing the command line."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "policykg"
STAGES = ("facts", "draft", "rdf", "validate", "build", "store", "export", "html", "diff")
SHARED = ("errors", "namespaces", "resources", "outputs", "processes", "terms", "__init__")
TOP = ("cli", "__main__", "progress", "api")


def _modules() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if "__pycache__" not in path.parts)


def _owner(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def _imported(path: Path) -> set[str]:
    """The first component below ``policykg`` of every module that *path* imports."""
    found: set[str] = set()
    package = ".".join(("policykg", *path.relative_to(PACKAGE).parent.parts))
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            names = [name] if name != "policykg" else [f"policykg.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found.update(n.split(".")[1] for n in names if n.startswith("policykg."))
    return found


def _rank(owner: str) -> int:
    if owner in STAGES:
        return STAGES.index(owner) + 1
    if owner in TOP:
        return len(STAGES) + 1
    return 0


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_module_imports_no_later_stage(path: Path) -> None:
    owner = _owner(path)
    if owner in TOP or owner == "__init__":  # the public API re-exports every stage
        return
    later = {name for name in _imported(path) if _rank(name) > _rank(owner)}
    assert not later, f"{path.relative_to(PACKAGE)} ({owner}) imports later stages {sorted(later)}"


def test_every_module_has_a_known_place() -> None:
    unknown = {_owner(p) for p in _modules()} - set(STAGES) - set(SHARED) - set(TOP)
    assert not unknown, f"modules outside the stages and shared utilities: {sorted(unknown)}"


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_says_what_it_owns(stage: str) -> None:
    docstring = ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text()))
    assert docstring and "Owns" in docstring


def test_the_rank_check_would_catch_a_later_import() -> None:
    assert _rank("store") > _rank("rdf") > _rank("facts") > _rank("errors")
    assert _imported(PACKAGE / "build" / "pipeline.py") >= {"facts", "rdf", "validate"}
