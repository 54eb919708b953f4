"""Data flows one way through the stages; extraction stays pure."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "etl"

# A module may import only modules of a lower layer (and its own package's modules).
LAYERS = {
    "etl.errors": 0,
    "etl.model": 1,
    "etl.vocab": 1,
    "etl.resources": 1,
    "etl.http": 1,
    "etl.workers": 1,
    "etl.progress": 1,
    "etl.datapack": 2,
    "etl.sources": 3,
    "etl.wikidata": 3,
    "etl.extract": 4,
    "etl.rdfio": 4,
    "etl.shacl": 4,
    "etl.mapping": 5,
    "etl.coref": 5,
    "etl.validate": 5,
    "etl.linking": 5,
    "etl.review": 6,
    "etl.publish": 6,
    "etl.query": 6,
    "etl.evaluate": 6,
    "etl.report": 6,
    "etl.docs": 6,
    "etl.pipeline": 7,
    "etl.cli": 8,
    "etl.__main__": 9,
    "etl": 9,
}
PURE = ("etl.model", "etl.extract")
FORBIDDEN_IN_PURE = {"rdflib", "pyoxigraph", "pyshacl", "requests", "trafilatura", "os", "pathlib", "io", "shutil", "subprocess", "tempfile", "glob", "socket"}


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        yield name, ast.parse(path.read_text(encoding="utf-8"))


def _imports(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def _layer(module: str) -> int:
    while module not in LAYERS:
        module = module.rsplit(".", 1)[0]
    return LAYERS[module]


def _stage(module: str) -> str:
    return ".".join(module.split(".")[:2])


MODULES = dict(_modules())


def test_every_module_has_a_layer():
    unplaced = sorted(name for name in MODULES if _stage(name) not in LAYERS)
    assert not unplaced, f"modules missing from LAYERS: {unplaced}"
    assert set(LAYERS) <= {_stage(name) for name in MODULES}, "LAYERS names a module that does not exist"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_point_down_the_pipeline(name):
    for imported in _imports(MODULES[name]):
        if not imported.startswith("etl.") or imported not in MODULES and imported.rsplit(".", 1)[0] not in MODULES:
            continue
        if _stage(imported) == _stage(name):
            continue
        assert _layer(imported) < _layer(name), f"{name} imports {imported}, which is not upstream of it"


def test_nothing_imports_the_cli_or_the_pipeline():
    for name, tree in MODULES.items():
        for imported in _imports(tree):
            if imported.startswith("etl.cli"):
                assert name == "etl.__main__", name
            if imported.startswith("etl.pipeline"):
                assert name == "etl.cli", name


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n.startswith(PURE)))
def test_extraction_and_records_do_no_io_and_no_rdf(name):
    tree = MODULES[name]
    roots = {imported.split(".")[0] for imported in _imports(tree)}
    assert not roots & FORBIDDEN_IN_PURE, f"{name} imports {roots & FORBIDDEN_IN_PURE}"
    calls = {node.func.id for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
    assert "open" not in calls and "print" not in calls
